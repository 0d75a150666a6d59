package dev.plexauth;

import org.jspecify.annotations.Nullable;

/**
 * The server answered 2xx, but the body cannot be used: empty, 204, XML or HTML instead of JSON,
 * malformed JSON, wrong types, or a required value (such as the token) missing.
 *
 * <p>An XML body usually means that something between the SDK and the server (a proxy) dropped
 * the {@code Accept: application/json} header: PMS answers XML by default. Immutable and
 * thread-safe.
 */
public class PlexDecodingException extends PlexException {
  private static final long serialVersionUID = 1L;

  /** The HTTP status of the answer. */
  private final int code;
  /** The answer's Content-Type, or null. */
  private final @Nullable String contentType;

  PlexDecodingException(String message, int code, @Nullable String contentType,
      @Nullable Throwable cause) {
    super(message, cause);
    this.code = code;
    this.contentType = contentType;
  }

  /**
   * The HTTP status of the answer.
   *
   * @return a 2xx status, for example 200 or 204
   */
  public int code() {
    return code;
  }

  /**
   * The answer's {@code Content-Type} header as sent.
   *
   * @return the content type, or null when the server sent none
   */
  public @Nullable String contentType() {
    return contentType;
  }
}
