package dev.plexauth.internal;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Keeps OkHttp from retrying a 503 answer by itself, so that the SDK's retry policy alone decides
 * (and {@code maxRetries(0)} really means one request). Not part of the API.
 *
 * <p>OkHttp resends a request once when a 503 carries {@code Retry-After: 0}; for {@code
 * getTransientToken} that mints an extra token. {@link #HIDE} (a network interceptor) moves a 503's
 * {@code Retry-After} aside before OkHttp's retry step sees it, and {@link #RESTORE} (an
 * application interceptor) puts it back, so callers and the retry policy see the answer as sent.
 * OkHttp's retry of 408 is turned off separately with {@code retryOnConnectionFailure(false)}.
 */
public final class OkHttpRetryGuard {
  private static final String HIDDEN = "X-Plex-Auth-Hidden-Retry-After";

  /** The network-side half: hides {@code Retry-After} on 503 answers. */
  public static final Interceptor HIDE =
      chain -> {
        Response response = chain.proceed(chain.request());
        String retryAfter = response.header("Retry-After");
        if (response.code() != 503 || retryAfter == null) {
          return response;
        }
        return response.newBuilder()
            .removeHeader("Retry-After")
            .header(HIDDEN, retryAfter)
            .build();
      };

  /** The application-side half: restores what {@link #HIDE} moved aside. */
  public static final Interceptor RESTORE = OkHttpRetryGuard::restore;

  private OkHttpRetryGuard() {}

  private static Response restore(Interceptor.Chain chain) throws IOException {
    Response response = chain.proceed(chain.request());
    String hidden = response.header(HIDDEN);
    if (hidden == null) {
      return response;
    }
    return response.newBuilder().removeHeader(HIDDEN).header("Retry-After", hidden).build();
  }
}
