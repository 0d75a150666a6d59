package dev.plexauth.internal;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sets {@code X-Plex-Token}, {@code X-Plex-Client-Identifier}, the identity headers and exactly
 * {@code Accept: application/json} on requests to the configured server, replacing any existing
 * values. Not part of the API.
 *
 * <p>It is installed as a network interceptor so that it runs for every hop, redirects included,
 * and adds the headers only when the hop goes to the configured server's scheme, host and port: a
 * hop to any other origin never receives the token (OkHttp itself would carry custom headers
 * across hosts and only drops {@code Authorization}). {@link SameOriginRedirects} already refuses
 * such hops; this check holds even if a caller's interceptor sends the request elsewhere. Immutable and thread-safe.
 */
public final class PlexHeadersInterceptor implements Interceptor {
  /** The header that carries the caller's token. */
  public static final String TOKEN_HEADER = "X-Plex-Token";

  private final HttpUrl server;
  private final String token;
  private final Map<String, String> identityHeaders;

  /**
   * Creates the interceptor.
   *
   * @param server the configured base URL; only its scheme, host and port are compared
   * @param token the caller's token, already validated
   * @param identityHeaders {@code X-Plex-Client-Identifier} and the optional identity headers, in
   *     sending order, already validated
   */
  public PlexHeadersInterceptor(HttpUrl server, String token, Map<String, String> identityHeaders) {
    this.server = server;
    this.token = token;
    this.identityHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(identityHeaders));
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    HttpUrl url = request.url();
    if (!SameOriginRedirects.sameOrigin(server, url)) {
      return chain.proceed(
          request.newBuilder().removeHeader(TOKEN_HEADER).build());
    }
    Request.Builder builder = request.newBuilder().header(TOKEN_HEADER, token);
    for (Map.Entry<String, String> header : identityHeaders.entrySet()) {
      builder.header(header.getKey(), header.getValue());
    }
    builder.header("Accept", "application/json");
    return chain.proceed(builder.build());
  }

  @Override
  public String toString() {
    return "PlexHeadersInterceptor{server=" + server.scheme() + "://" + server.host() + ":"
        + server.port() + "}";
  }
}
