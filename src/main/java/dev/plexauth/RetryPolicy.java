package dev.plexauth;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.util.Date;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
  static final long DEFAULT_RETRY_DELAY_MILLIS = 500;
  static final long DEFAULT_MAX_RETRY_DELAY_MILLIS = 30_000;

  /** No delay: the answer or failure is final. */
  static final long FINAL = -1;

  /** The wall clock that HTTP-date {@code Retry-After} values are read against. */
  interface WallClock {
    /** {@link System#currentTimeMillis()}. */
    WallClock SYSTEM =
        new WallClock() {
          @Override
          public long millis() {
            return System.currentTimeMillis();
          }
        };

    /** Milliseconds since the epoch. */
    long millis();
  }

  private final int maxRetries;
  private final long retryDelayNanos;
  private final long maxRetryDelayNanos;
  private final WallClock clock;

  RetryPolicy(int maxRetries, long retryDelayMillis, long maxRetryDelayMillis, WallClock clock) {
    this.maxRetries = maxRetries;
    this.retryDelayNanos = TimeUnit.MILLISECONDS.toNanos(retryDelayMillis);
    this.maxRetryDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxRetryDelayMillis);
    this.clock = clock;
  }

  /**
   * The wait before retry number {@code retry} (1 for the first) after this answer.
   *
   * @return the delay in nanoseconds, or {@link #FINAL} when the answer is final
   */
  long delayAfter(Response response, int retry) {
    if (retry > maxRetries || !isRetryable(response.code())) {
      return FINAL;
    }
    long asked = retryAfterMillis(response, clock);
    if (asked != FINAL) {
      long askedNanos = TimeUnit.MILLISECONDS.toNanos(asked);
      return askedNanos <= maxRetryDelayNanos ? askedNanos : FINAL;
    }
    return backoff(retry);
  }

  /**
   * The wait before retry number {@code retry} after a failure before any response.
   *
   * @return the delay in nanoseconds, or {@link #FINAL} when the failure is final
   */
  long delayAfter(IOException failure, int retry) {
    if (retry > maxRetries) {
      return FINAL;
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
      return FINAL;
    }
    return backoff(retry);
  }

  static boolean isRetryable(int code) {
    return code == 429 || code == 502 || code == 503 || code == 504;
  }

  private long backoff(int retry) {
    long doubled = retry >= 40 ? Long.MAX_VALUE : retryDelayNanos << Math.min(retry - 1, 30);
    long capped = Math.min(doubled < 0 ? Long.MAX_VALUE : doubled, maxRetryDelayNanos);
    long half = capped / 2;
    return half + (half == 0 ? 0 : ThreadLocalRandom.current().nextLong(half + 1));
  }

  /**
   * Parses {@code Retry-After}: delay-seconds or an HTTP date (RFC 9110 section 10.2.3, read by
   * OkHttp's HTTP-date parser, which also takes the obsolete RFC 850 and asctime forms).
   *
   * @return the wait in milliseconds (saturated at {@link Long#MAX_VALUE}), zero for a date in
   *     the past, or {@link #FINAL} when absent or unreadable
   */
  static long retryAfterMillis(Response response, WallClock clock) {
    String value = response.header("Retry-After");
    if (value == null) {
      return FINAL;
    }
    String trimmed = value.trim();
    if (trimmed.isEmpty()) {
      return FINAL;
    }
    if (allDigits(trimmed)) {
      // More seconds than a long holds is still "wait very long", not "absent".
      return trimmed.length() > 18
          ? Long.MAX_VALUE
          : TimeUnit.SECONDS.toMillis(Long.parseLong(trimmed));
    }
    Date when = response.headers().getDate("Retry-After");
    if (when == null) {
      return FINAL;
    }
    return Math.max(0, when.getTime() - clock.millis());
  }

  private static boolean allDigits(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
