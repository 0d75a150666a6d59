package dev.plexauth.internal;

import java.net.ProtocolException;
import okhttp3.Response;

/**
 * Keeps OkHttp from retrying a 503 answer by itself, so that the SDK's retry policy alone decides
 * (and {@code maxRetries(0)} really means one request). Not part of the API.
 *
 * <p>OkHttp resends a request once when a 503 carries {@code Retry-After: 0}; for an operation
 * that mints a transient token, that mints an extra one. {@link #hide(Response)} (on the network
 * side, in {@link PlexNetworkInterceptor}) moves a 503's {@code Retry-After} aside before OkHttp's
 * retry step sees it, and {@link #restore(Response)} (on the application side, in {@link
 * PlexInterceptor}) puts it back, so callers and the retry policy see the answer as sent. OkHttp's
 * retry of 408 is turned off separately with {@code retryOnConnectionFailure(false)}.
 */
final class OkHttpRetryGuard {
  private static final String HIDDEN = "X-Plex-Auth-Hidden-Retry-After";

  private OkHttpRetryGuard() {}

  /**
   * The network-side half: hides a numeric {@code Retry-After} on 503 answers (OkHttp resends on
   * 0 and throws NumberFormatException past the int range; other values it ignores), and refuses
   * a {@code Content-Length} that is not a number, on which OkHttp's body reads and even {@code
   * close()} throw IllegalArgumentException (a leaked connection and a future never completed).
   */
  static Response hide(Response response) throws ProtocolException {
    String length = response.header("Content-Length");
    if (length != null && !isDigits(length.trim())) {
      throw new ProtocolException("invalid Content-Length in the answer");
    }
    String retryAfter = response.header("Retry-After");
    if (response.code() != 503 || retryAfter == null || !isDigits(retryAfter.trim())) {
      return response;
    }
    return response.newBuilder()
        .removeHeader("Retry-After")
        .header(HIDDEN, retryAfter.trim())
        .build();
  }

  /** The application-side half: restores what {@link #hide(Response)} moved aside. */
  static Response restore(Response response) {
    String hidden = response.header(HIDDEN);
    if (hidden == null) {
      return response;
    }
    return response.newBuilder().removeHeader(HIDDEN).header("Retry-After", hidden).build();
  }

  private static boolean isDigits(String text) {
    if (text.isEmpty()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
