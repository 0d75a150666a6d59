package dev.plexauth.internal;

import java.io.IOException;
import java.net.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Connection;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import retrofit2.Invocation;

/**
 * Follows redirects that stay on the configured server's scheme, host and port, and hands every
 * other redirect back as the 3xx answer it is (which the client reports as an HTTP failure). Not
 * part of the API.
 *
 * <p>Why: OkHttp's own redirect handling carries custom headers such as {@code X-Plex-Token} to
 * other hosts and may downgrade https to http. Refusing other origins also keeps a redirecting
 * middlebox from substituting its own answer (a fake transient token or fake connections) for the
 * server's. {@link PlexInterceptor} runs it; the OkHttpClient must have {@code
 * followRedirects(false)}. Immutable and thread-safe.
 */
public final class SameOriginRedirects {
  /** Like browsers and OkHttp, give up on loops after this many hops. */
  static final int MAX_REDIRECTS = 20;

  private final HttpUrl server;
  private final StaleConnections stale;

  /**
   * Creates the interceptor.
   *
   * @param server the configured base URL; its scheme, host and port define the origin
   * @param stale tells which failed hops may be sent again at once
   */
  SameOriginRedirects(HttpUrl server, StaleConnections stale) {
    this.server = server;
    this.stale = stale;
  }

  /**
   * Sends the request, and each same-origin redirect after it, each hop prepared by {@code
   * headers} and its answer passed through {@link OkHttpRetryGuard#restore(Response)}. A hop that
   * failed on a reused connection before any answer ({@link StaleConnections}) is sent again at
   * once, once for each dead pooled connection the call meets, all the hops together.
   *
   * @param chain the application chain
   * @param headers prepares each hop
   * @return the final answer: not a redirect, or a redirect this does not follow
   * @throws IOException as the chain throws it; a {@link ProtocolException} after too many hops
   */
  Response follow(Interceptor.Chain chain, PlexHeaders headers) throws IOException {
    Request request = chain.request();
    boolean withToken = withToken(request);
    // The pooled connections this call found dead: each is skipped once, so the call ends on a
    // fresh connection (or one that answers), never going round one that fails again.
    List<Connection> dead = null;
    for (int hops = 0; ; ) {
      Request hop = headers.forHop(request, withToken);
      Response response;
      try {
        response = OkHttpRetryGuard.restore(chain.proceed(hop));
      } catch (IOException e) {
        Connection deadOne = stale.deadPooledConnection(chain, hop, e);
        if (deadOne == null || dead != null && dead.contains(deadOne)) {
          throw e;
        }
        if (dead == null) {
          dead = new ArrayList<>(2);
        }
        dead.add(deadOne);
        continue; // the same hop again, on the connection OkHttp picks now
      }
      if (!isRedirect(response.code())) {
        return response;
      }
      String location = response.header("Location");
      HttpUrl target = location == null ? null : response.request().url().resolve(location);
      if (target == null || !sameOrigin(server, target)) {
        return response;
      }
      if (hops == MAX_REDIRECTS) {
        response.close();
        throw new ProtocolException("too many redirects: " + (hops + 1));
      }
      response.close();
      request = request.newBuilder().url(target).build();
      hops++;
    }
  }

  /**
   * Whether the call's operation takes the token: false when its generated method is marked
   * {@link WithoutToken}. A request without Retrofit's tag (the SDK makes none) takes it.
   */
  static boolean withToken(Request request) {
    Invocation invocation = request.tag(Invocation.class);
    return invocation == null || !invocation.method().isAnnotationPresent(WithoutToken.class);
  }

  static boolean isRedirect(int code) {
    return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
  }

  /**
   * Whether {@code url} has the scheme, host and port of {@code server}.
   *
   * @param server the configured base URL
   * @param url the URL to compare
   * @return true when both share scheme, host and port
   */
  public static boolean sameOrigin(HttpUrl server, HttpUrl url) {
    return url.scheme().equals(server.scheme())
        && url.host().equals(server.host())
        && url.port() == server.port();
  }
}
