package dev.plexauth.internal;

import java.io.IOException;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * The SDK's one application interceptor, after the caller's: each hop gets the Plex headers
 * ({@link PlexHeaders}) and only same-origin redirects are followed ({@link SameOriginRedirects});
 * a hop that failed on a reused connection before any answer is sent again at once ({@link
 * StaleConnections}); a 503's hidden {@code Retry-After} is put back ({@link OkHttpRetryGuard});
 * the final answer's body is handed on bounded and with its type parsed once ({@link
 * AnswerBodies}); and an unchecked exception from inside OkHttp becomes an {@link IOException}.
 * One interceptor rather than five: every interceptor costs each call a chain copy. Not part of
 * the API. Thread-safe; one per client.
 *
 * <p>Why unchecked exceptions are turned into I/O ones: OkHttp 4 throws unchecked exceptions on
 * some malformed answers (a negative status code gives an {@link IllegalStateException}); on an
 * asynchronous call such an exception
 * would also escape on OkHttp's dispatcher thread. As an {@code IOException} it becomes a {@code
 * PlexIoException}, releases the connection, and completes the caller's future.
 */
public final class PlexInterceptor implements Interceptor {
  private final PlexHeaders headers;
  private final StaleConnections stale = new StaleConnections();
  private final SameOriginRedirects redirects;
  private final AnswerBodies bodies = new AnswerBodies();

  /**
   * Creates the interceptor.
   *
   * @param headers the client's Plex headers
   * @param server the configured base URL, whose origin redirects must keep
   */
  private PlexInterceptor(PlexHeaders headers, HttpUrl server) {
    this.headers = headers;
    this.redirects = new SameOriginRedirects(server, stale);
  }

  /**
   * Creates the interceptor and its headers.
   *
   * @param server the configured base URL
   * @param token the caller's token, already validated; null for none
   * @param identityHeaders {@code X-Plex-Client-Identifier} and the optional identity headers
   * @return the interceptor
   */
  public static PlexInterceptor of(
      HttpUrl server, @Nullable String token, Map<String, String> identityHeaders) {
    return new PlexInterceptor(new PlexHeaders(server, token, identityHeaders), server);
  }

  /**
   * The network interceptor that goes with this one.
   *
   * @return a new network interceptor sharing this one's headers
   */
  public PlexNetworkInterceptor network() {
    return new PlexNetworkInterceptor(headers);
  }

  /**
   * The network half of the resend after a dead pooled connection, which must be the client's
   * last network interceptor; {@link StaleConnections#close()} ends its resends.
   *
   * @return the one instance that goes with this interceptor
   */
  public StaleConnections staleConnections() {
    return stale;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    try {
      return bodies.handOn(redirects.follow(chain, headers));
    } catch (RuntimeException e) {
      throw new IOException("unusable answer (" + e.getClass().getSimpleName() + ")", e);
    }
  }
}
