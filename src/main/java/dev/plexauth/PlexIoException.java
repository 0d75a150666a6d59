package dev.plexauth;

import java.io.IOException;

/**
 * No usable response: the connection failed or was reset, a timeout passed, TLS failed (including
 * hostname verification of a {@code *.plex.direct} certificate), or the body ended early.
 *
 * <p>The {@link #getCause() cause} is the {@link IOException} that OkHttp reported, for example a
 * {@link java.net.SocketTimeoutException} or {@link java.net.ConnectException}. A server set to
 * "secure connections: required" closes plain-HTTP connections without a reply, which also ends
 * here. Immutable and thread-safe.
 */
public class PlexIoException extends PlexException {
  private static final long serialVersionUID = 1L;

  PlexIoException(String message, IOException cause) {
    super(message, cause);
  }

  /**
   * The I/O failure behind this exception.
   *
   * @return the cause, never null
   */
  @Override
  public synchronized IOException getCause() {
    return (IOException) super.getCause();
  }
}
