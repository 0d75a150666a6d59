package dev.plexauth.internal;

import java.io.IOException;
import java.util.Map;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sets {@code X-Plex-Token}, {@code X-Plex-Client-Identifier}, the identity headers and exactly
 * {@code Accept: application/json} on requests to the configured server, replacing any existing
 * values. Not part of the API.
 *
 * <p>It is installed as the last application interceptor, after the caller's and after {@link
 * SameOriginRedirects}, so that it runs for every hop, redirects included, and adds the headers
 * only when the hop goes to the configured server's scheme, host and port: a hop to any other
 * origin never receives the token (OkHttp itself would carry custom headers across hosts and only
 * drops {@code Authorization}). {@link SameOriginRedirects} already refuses such hops; this check
 * holds even if a caller's interceptor sends the request elsewhere. The network-side {@link
 * #originGuard(HttpUrl)} covers the hops OkHttp makes by itself (a caller's {@code Authenticator}
 * answering a 401). Running before OkHttp adds its own headers (Host, User-Agent, ...) lets a
 * request take the precomputed Plex headers as they are. Immutable and thread-safe.
 */
public final class PlexHeadersInterceptor implements Interceptor {
  /** The header that carries the caller's token. */
  public static final String TOKEN_HEADER = "X-Plex-Token";

  private final HttpUrl server;
  /** Everything this interceptor sets, built and validated once: a request costs one copy. */
  private final Headers plexHeaders;

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
    Headers.Builder headers = new Headers.Builder().add(TOKEN_HEADER, token);
    for (Map.Entry<String, String> header : identityHeaders.entrySet()) {
      headers.set(header.getKey(), header.getValue());
    }
    this.plexHeaders = headers.set("Accept", "application/json").build();
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    HttpUrl url = request.url();
    if (!SameOriginRedirects.sameOrigin(server, url)) {
      return chain.proceed(withoutToken(request));
    }
    return chain.proceed(request.newBuilder().headers(withPlexHeaders(request.headers())).build());
  }

  /** The request's headers with every Plex header replaced; usually just the Plex headers. */
  private Headers withPlexHeaders(Headers current) {
    boolean onlyPlex = true;
    for (int i = 0; i < current.size() && onlyPlex; i++) {
      onlyPlex = isPlexHeader(current.name(i));
    }
    if (onlyPlex) {
      return plexHeaders;
    }
    Headers.Builder merged = current.newBuilder();
    for (int i = 0; i < plexHeaders.size(); i++) {
      merged.removeAll(plexHeaders.name(i));
    }
    return merged.addAll(plexHeaders).build();
  }

  private boolean isPlexHeader(String name) {
    for (int i = 0; i < plexHeaders.size(); i++) {
      if (plexHeaders.name(i).equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The network-side half: removes the token from a request that OkHttp itself sends to another
   * origin after the application interceptors ran (an {@code Authenticator}'s follow-up), and
   * otherwise passes the request on untouched. Immutable and thread-safe.
   *
   * @param server the configured base URL; only its scheme, host and port are compared
   * @return the network interceptor
   */
  public static Interceptor originGuard(HttpUrl server) {
    return chain -> {
      Request request = chain.request();
      if (request.header(TOKEN_HEADER) == null
          || SameOriginRedirects.sameOrigin(server, request.url())) {
        return chain.proceed(request);
      }
      return chain.proceed(withoutToken(request));
    };
  }

  private static Request withoutToken(Request request) {
    return request.newBuilder().removeHeader(TOKEN_HEADER).build();
  }

  @Override
  public String toString() {
    return "PlexHeadersInterceptor{server=" + server.scheme() + "://" + server.host() + ":"
        + server.port() + "}";
  }
}
