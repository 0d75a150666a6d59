package dev.plexauth.internal;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * The SDK's one network interceptor, before its logging: the token comes off any hop OkHttp makes
 * by itself to another origin ({@link PlexHeaders#guardOrigin}), and a 503's numeric {@code
 * Retry-After} is hidden from OkHttp's own retry step ({@link OkHttpRetryGuard#hide}). Not part of
 * the API. Immutable and thread-safe.
 */
public final class PlexNetworkInterceptor implements Interceptor {
  private final PlexHeaders headers;

  PlexNetworkInterceptor(PlexHeaders headers) {
    this.headers = headers;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    return OkHttpRetryGuard.hide(chain.proceed(headers.guardOrigin(chain.request())));
  }
}
