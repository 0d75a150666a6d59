package dev.plexauth;

import dev.plexauth.model.PlexError;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import okhttp3.Headers;

/**
 * The server answered with a status outside 2xx (the root of the HTTP branch).
 *
 * <p>Carries the status, the response headers, a bounded copy of the body and, when the body is
 * plex.tv's JSON error shape {@code {"errors":[{"code":..,"message":..,"status":..}]}}, the parsed
 * errors. PMS itself answers errors as HTML, so {@link #errors()} is often empty and
 * {@link #body()} holds the HTML. Immutable and thread-safe.
 */
public class PlexHttpException extends PlexException {
  private static final long serialVersionUID = 1L;

  /** The HTTP status. */
  private final int code;
  private final transient Headers headers;
  /** The bounded, redacted body. */
  private final String body;
  private final transient List<PlexError> errors;

  /** What the server's Retry-After asked for, or null. */
  private final Duration retryAfter;

  PlexHttpException(String message, int code, Headers headers, String body, List<PlexError> errors,
      Duration retryAfter) {
    super(message, null);
    this.code = code;
    this.headers = headers;
    this.body = body;
    this.errors = List.copyOf(errors);
    this.retryAfter = retryAfter;
  }

  /**
   * How long the server asked to wait before trying again, from its {@code Retry-After} header
   * (seconds or an HTTP date; a date in the past reads as zero). Typically present on 429 and 503
   * answers that outlasted the client's retries or asked for more than its {@code maxRetryDelay}.
   *
   * @return the wait, or empty when the answer had no readable {@code Retry-After}
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /**
   * The HTTP status code.
   *
   * @return the status, for example 404 or 500
   */
  public int code() {
    return code;
  }

  /**
   * The response headers as the server sent them, with every secret the SDK's redaction rule
   * knows masked in their values (a server may echo the token, for example in {@code
   * WWW-Authenticate}).
   *
   * @return the headers, never null (empty after deserialization)
   */
  public Headers headers() {
    return headers == null ? Headers.of() : headers;
  }

  /**
   * The response body decoded as UTF-8, cut to at most {@value Outcomes#MAX_ERROR_BODY_CHARS}
   * characters, with every secret masked: the caller's token (plain or URL-encoded), every
   * transient token, and the values of the properties the spec marks {@code x-secret}.
   *
   * @return the body, empty (never null) when the server sent none
   */
  public String body() {
    return body;
  }

  /**
   * The errors of a JSON error body ({@code {"errors":[...]}}, plex.tv's shape).
   *
   * @return an unmodifiable list, empty (never null) when the body was HTML, empty or other JSON
   */
  public List<PlexError> errors() {
    return errors == null ? List.of() : errors;
  }
}
