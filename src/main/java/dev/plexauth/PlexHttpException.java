package dev.plexauth;

import dev.plexauth.model.PlexError;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import okhttp3.Headers;
import org.codehaus.mojo.animal_sniffer.IgnoreJRERequirement;
import org.jspecify.annotations.Nullable;

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
  private final transient @Nullable Headers headers;
  /** The bounded, redacted body. */
  private final String body;
  private final transient @Nullable List<PlexError> errors;

  /** What the server's Retry-After asked for in milliseconds, or -1. */
  private final long retryAfterMillis;

  PlexHttpException(String message, int code, Headers headers, String body, List<PlexError> errors,
      long retryAfterMillis) {
    super(message, null);
    this.code = code;
    this.headers = headers;
    this.body = body;
    this.errors = List.copyOf(errors);
    this.retryAfterMillis = retryAfterMillis;
  }

  /**
   * How long the server asked to wait before trying again, from its {@code Retry-After} header
   * (seconds or an HTTP date; a date in the past reads as zero). Typically present on 429 and 503
   * answers that outlasted the client's retries or asked for more than its {@code maxRetryDelay}.
   *
   * @return the wait in milliseconds ({@link Long#MAX_VALUE} for more than a long holds), or -1
   *     when the answer had no readable {@code Retry-After}
   */
  public long retryAfterMillis() {
    return retryAfterMillis;
  }

  /**
   * How long the server asked to wait, as {@link #retryAfterMillis()}. Needs Android API 26
   * ({@code java.time}, {@code Optional}) or core library desugaring.
   *
   * @return the wait, or empty when the answer had no readable {@code Retry-After}
   */
  @IgnoreJRERequirement
  public Optional<Duration> retryAfter() {
    return retryAfterMillis < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(retryAfterMillis));
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
