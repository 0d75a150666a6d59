package dev.plexauth.internal;

import okhttp3.logging.HttpLoggingInterceptor;

/**
 * Applies the one {@link Redaction} rule to every line OkHttp's logging interceptor writes, before
 * the caller's sink sees it, at every level (bodies included). The {@code X-Plex-Token} header
 * itself is redacted by the interceptor ({@code redactHeader}). Control characters other than line
 * feed and tab are escaped ({@link ControlCharacters}), so a server's text cannot forge or
 * overwrite a log line's start. Not part of the API. Immutable and
 * thread-safe.
 */
public final class RedactingLogger implements HttpLoggingInterceptor.Logger {
  private final HttpLoggingInterceptor.Logger sink;
  private final Redaction redaction;

  /**
   * Creates the logger.
   *
   * @param sink where the masked lines go
   * @param redaction the client's rule, which knows the caller's token
   */
  public RedactingLogger(HttpLoggingInterceptor.Logger sink, Redaction redaction) {
    this.sink = sink;
    this.redaction = redaction;
  }

  @Override
  public void log(String message) {
    sink.log(ControlCharacters.escapeKeepingLines(redaction.text(message)));
  }
}
