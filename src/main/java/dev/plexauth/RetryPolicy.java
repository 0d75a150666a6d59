package dev.plexauth;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.Response;

/**
 * When and how long to wait before trying a call again. Immutable and thread-safe.
 *
 * <p>Retried: failures before any response (connect refused, reset, read timeout while waiting
 * for the headers), and the statuses 429, 502, 503 and 504. Never retried: other statuses,
 * failures once a response has arrived, cancelled calls, protocol violations and rejected TLS
 * certificates. Each transient-token call mints a token
 * on the server, so retries are bounded by {@code maxRetries}. The delay doubles from {@code
 * retryDelay} with jitter (a random part of the second half of the delay, so that clients that
 * failed together do not retry together), and never exceeds {@code maxRetryDelay}. A {@code
 * Retry-After} header (seconds or an HTTP date) replaces the computed delay; when it asks for
 * longer than {@code maxRetryDelay}, the call is not retried and the exception carries it.
 */
final class RetryPolicy {
  static final int DEFAULT_MAX_RETRIES = 2;
  static final Duration DEFAULT_RETRY_DELAY = Duration.ofMillis(500);
  static final Duration DEFAULT_MAX_RETRY_DELAY = Duration.ofSeconds(30);

  private final int maxRetries;
  private final Duration retryDelay;
  private final Duration maxRetryDelay;
  private final Clock clock;

  RetryPolicy(int maxRetries, Duration retryDelay, Duration maxRetryDelay, Clock clock) {
    this.maxRetries = maxRetries;
    this.retryDelay = retryDelay;
    this.maxRetryDelay = maxRetryDelay;
    this.clock = clock;
  }

  /**
   * The wait before retry number {@code retry} (1 for the first) after this answer.
   *
   * @return the delay, or null when the answer is final
   */
  Duration delayAfter(Response response, int retry) {
    if (retry > maxRetries || !isRetryable(response.code())) {
      return null;
    }
    Duration asked = retryAfter(response, clock);
    if (asked != null) {
      return asked.compareTo(maxRetryDelay) <= 0 ? asked : null;
    }
    return backoff(retry);
  }

  /**
   * The wait before retry number {@code retry} after a failure before any response.
   *
   * @return the delay, or null when the failure is final
   */
  Duration delayAfter(IOException failure, int retry) {
    if (retry > maxRetries) {
      return null;
    }
    // A cancelled call, or an interrupted or timed-out one (other than a read timeout while
    // waiting for the answer) is the caller's decision or the call's budget: not retried.
    boolean interrupted = failure instanceof InterruptedIOException
        && !(failure instanceof SocketTimeoutException);
    // A protocol violation (or a redirect loop) and a certificate the client rejects fail the
    // same way again.
    boolean permanent = failure instanceof ProtocolException
        || failure instanceof SSLPeerUnverifiedException
        || failure instanceof SSLHandshakeException;
    if (interrupted || permanent || "Canceled".equals(failure.getMessage())) {
      return null;
    }
    return backoff(retry);
  }

  static boolean isRetryable(int code) {
    return code == 429 || code == 502 || code == 503 || code == 504;
  }

  private Duration backoff(int retry) {
    long base = retryDelay.toNanos();
    long doubled = retry >= 40 ? Long.MAX_VALUE : base << Math.min(retry - 1, 30);
    long capped = Math.min(doubled < 0 ? Long.MAX_VALUE : doubled, maxRetryDelay.toNanos());
    long half = capped / 2;
    return Duration.ofNanos(half + (half == 0 ? 0 : ThreadLocalRandom.current().nextLong(half + 1)));
  }

  /**
   * Parses {@code Retry-After}: delay-seconds or an HTTP date (RFC 9110 section 10.2.3).
   *
   * @return the wait, zero for a date in the past, or null when absent or unreadable
   */
  static Duration retryAfter(Response response, Clock clock) {
    String value = response.header("Retry-After");
    if (value == null || value.isBlank()) {
      return null;
    }
    String trimmed = value.trim();
    if (trimmed.chars().allMatch(c -> c >= '0' && c <= '9')) {
      // More seconds than a long holds is still "wait very long", not "absent".
      return trimmed.length() > 18
          ? Duration.ofSeconds(Long.MAX_VALUE / 2)
          : Duration.ofSeconds(Long.parseLong(trimmed));
    }
    try {
      ZonedDateTime when = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration wait = Duration.between(clock.instant(), when.toInstant());
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
