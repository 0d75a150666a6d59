package dev.plexauth.bench;

import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import okhttp3.HttpUrl;

/**
 * A fast HTTP/1.1 server on loopback (Undertow, answering on its I/O threads without copying)
 * that answers as {@link FixtureInterceptor} does: the fixture for the path, 401 without the right
 * token, 404 elsewhere. Unlike MockWebServer it keeps nothing per request, so a long run does not
 * grow its memory. Thread-safe; {@link #close()} stops it.
 */
public final class LoopbackServer implements AutoCloseable {
  /** Undertow and XNIO log their start and stop at INFO: keep the benchmark output to JMH's. */
  private static final List<Logger> QUIET =
      List.of(Logger.getLogger("io.undertow"), Logger.getLogger("org.xnio"));

  static {
    QUIET.forEach(logger -> logger.setLevel(Level.WARNING));
  }

  private final Undertow server;
  private final HttpUrl url;

  /** Starts the server on a free loopback port. */
  public LoopbackServer() {
    server = Undertow.builder()
        .addHttpListener(0, "127.0.0.1")
        .setHandler(LoopbackServer::handle)
        .build();
    server.start();
    InetSocketAddress address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
    url = new HttpUrl.Builder().scheme("http").host("127.0.0.1").port(address.getPort()).build();
  }

  /**
   * The server's base URL.
   *
   * @return {@code http://127.0.0.1:<port>/}
   */
  public HttpUrl url() {
    return url;
  }

  private static void handle(HttpServerExchange exchange) {
    if (!Fixtures.TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Plex-Token"))) {
      exchange.setStatusCode(401);
      exchange.endExchange();
      return;
    }
    byte[] answer = Fixtures.answerFor(exchange.getRequestPath());
    if (answer == null) {
      exchange.setStatusCode(404);
      exchange.endExchange();
      return;
    }
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json; charset=utf-8");
    exchange.getResponseSender().send(ByteBuffer.wrap(answer));
  }

  @Override
  public void close() {
    server.stop();
  }
}
