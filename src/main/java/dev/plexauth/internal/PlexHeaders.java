package dev.plexauth.internal;

import java.util.Map;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;

/**
 * Sets {@code X-Plex-Token}, {@code X-Plex-Client-Identifier}, the identity headers and exactly
 * {@code Accept: application/json} on requests to the configured server, replacing any existing
 * values, and takes the token off requests to any other origin. Not part of the API. Immutable and
 * thread-safe.
 *
 * <p>{@link PlexInterceptor} applies it to every hop, redirects included, after the caller's
 * interceptors: the headers go only to the configured server's scheme, host and port (OkHttp itself
 * would carry custom headers across hosts and only drops {@code Authorization}), even if a caller's
 * interceptor sends the request elsewhere. {@link PlexNetworkInterceptor} covers the hops OkHttp
 * makes by itself (a caller's {@code Authenticator} answering a 401). Running before OkHttp adds
 * its own headers (Host, User-Agent, ...) lets a request take the precomputed Plex headers as they
 * are.
 */
public final class PlexHeaders {
  /** The header that carries the caller's token. */
  public static final String TOKEN_HEADER = "X-Plex-Token";

  private final HttpUrl server;
  /** Everything this sets, built and validated once: a request costs one copy. */
  private final Headers plexHeaders;
  /** The same without {@code X-Plex-Token}, for operations the spec declares without a token. */
  private final Headers tokenlessHeaders;

  /**
   * Creates the headers.
   *
   * @param server the configured base URL; only its scheme, host and port are compared
   * @param token the caller's token, already validated; null for a client that holds none, whose
   *     requests never carry one
   * @param identityHeaders {@code X-Plex-Client-Identifier} and the optional identity headers, in
   *     sending order, already validated
   */
  public PlexHeaders(HttpUrl server, @Nullable String token, Map<String, String> identityHeaders) {
    this.server = server;
    Headers.Builder headers = new Headers.Builder();
    if (token != null) {
      headers.add(TOKEN_HEADER, token);
    }
    for (Map.Entry<String, String> header : identityHeaders.entrySet()) {
      headers.set(header.getKey(), header.getValue());
    }
    this.plexHeaders = headers.set("Accept", "application/json").build();
    this.tokenlessHeaders = plexHeaders.newBuilder().removeAll(TOKEN_HEADER).build();
  }

  /**
   * The request as it may be sent: with the Plex headers when it goes to the configured server,
   * without any token when it goes elsewhere.
   *
   * @param request the hop's request
   * @param withToken false for an operation the spec declares without a token ({@link
   *     WithoutToken}): then no hop carries one
   * @return the request to send
   */
  public Request forHop(Request request, boolean withToken) {
    HttpUrl url = request.url();
    if (!SameOriginRedirects.sameOrigin(server, url)) {
      return withoutToken(request);
    }
    // A new request rather than a copy: Retrofit's Invocation tag stays behind (nothing after this
    // reads it), so the copies OkHttp makes further down copy no tag map.
    return new Request.Builder()
        .url(url)
        .method(request.method(), request.body())
        .headers(withPlexHeaders(request.headers(), withToken ? plexHeaders : tokenlessHeaders))
        .build();
  }

  /**
   * The request's headers with every Plex header (the token included, whatever a caller's
   * interceptor set) replaced by {@code chosen}; usually just {@code chosen}.
   */
  private Headers withPlexHeaders(Headers current, Headers chosen) {
    boolean onlyPlex = true;
    for (int i = 0; i < current.size() && onlyPlex; i++) {
      onlyPlex = isPlexHeader(current.name(i));
    }
    if (onlyPlex) {
      return chosen;
    }
    // The token is always the SDK's to set or leave out, also on a client that holds none.
    Headers.Builder merged = current.newBuilder().removeAll(TOKEN_HEADER);
    for (int i = 0; i < plexHeaders.size(); i++) {
      merged.removeAll(plexHeaders.name(i));
    }
    return merged.addAll(chosen).build();
  }

  private boolean isPlexHeader(String name) {
    if (TOKEN_HEADER.equalsIgnoreCase(name)) {
      return true;
    }
    for (int i = 0; i < plexHeaders.size(); i++) {
      if (plexHeaders.name(i).equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The network-side rule: the request without its token when OkHttp itself sends it to another
   * origin after the application interceptors ran (an {@code Authenticator}'s follow-up), else
   * the request untouched.
   *
   * @param request the request OkHttp is about to send
   * @return the request to send
   */
  public Request guardOrigin(Request request) {
    if (request.header(TOKEN_HEADER) == null
        || SameOriginRedirects.sameOrigin(server, request.url())) {
      return request;
    }
    return withoutToken(request);
  }

  private static Request withoutToken(Request request) {
    return request.newBuilder().removeHeader(TOKEN_HEADER).build();
  }

  @Override
  public String toString() {
    return "PlexHeaders{server=" + server.scheme() + "://" + server.host() + ":" + server.port()
        + "}";
  }
}
