package dev.plexauth.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * Lets a request that failed on a reused pooled connection, before any answer came, be sent again
 * at once: the one case of OkHttp's own {@code retryOnConnectionFailure} that the SDK keeps.
 * Not part of the API. Thread-safe; one per client.
 *
 * <p>Why: a server that drops idle keep-alive connections without telling (it rebooted, or a
 * proxy cut them) leaves dead sockets in the connection pool, and the next request on one fails
 * as soon as it is written. OkHttp resends such a request by itself, but the SDK turns that off
 * ({@code retryOnConnectionFailure(false)}), because the same switch makes OkHttp resend 408s and
 * requests the server did read, outside {@code maxRetries}. Left to the retry policy, a dead
 * pooled socket costs a backoff delay and one of the call's retries (with {@code maxRetries(0)}
 * the call fails), and a same-origin redirect whose hop lands on one fails. So such a failure is
 * resent here, at once (no backoff, no retry scheduler), without counting against {@code
 * maxRetries}, within the same OkHttp call and so within its call timeout.
 *
 * <p>Two halves:
 *
 * <ul>
 *   <li>The network half, {@link #intercept}: the client's last network interceptor, so that
 *       what it sees is the socket's own doing ({@code chain.proceed} returns once the answer's
 *       headers are read, before any logging interceptor reads a body). It remembers every
 *       connection that has carried an answered exchange, and marks a failure thrown before the
 *       answer's headers on such a connection. "Reused" thus means: a connection that already
 *       gave an SDK client an answer. A pooled connection that only the caller's own requests
 *       used is not known as reused; its failure keeps the retry policy. (An {@code
 *       EventListener} would see every reuse, but wrapping the caller's listener means forwarding
 *       each of its methods, and one that a later OkHttp adds would silently not reach it.)
 *   <li>The application half, {@link #deadPooledConnection}: {@link SameOriginRedirects} asks it
 *       when a hop fails, and sends the hop again, once for each dead pooled connection (within
 *       one attempt of the retry policy, all its redirect hops together).
 * </ul>
 *
 * <p>"On a fresh connection": after the failure, OkHttp takes the dead connection out of use
 * (HTTP/1 marks it for no new exchanges), so the resend gets a new connection unless the pool holds
 * another idle one to the same server. That one may be dead too: a restarted server dropped them
 * all, and a pool keeps up to five idle connections by default. So the hop is sent again once for
 * each dead pooled connection it meets, as OkHttp itself does, until it reaches a new connection
 * or one that answers; on a dead socket no request reaches the server, so the server sees one
 * request. The set of connections found dead bounds it: one that fails a second time (an HTTP/2
 * connection is not taken out of use by a stream's failure) ends the resends, and that failure,
 * like a new connection's, goes to the retry policy (backoff, counted in {@code maxRetries}). Not
 * resent here either: a timeout, a cancelled call, a closed client's call, a protocol violation, a
 * rejected certificate, or a request whose body can be sent only once.
 *
 * <p>The ambiguity: a server that reads the request on a reused connection and then closes it
 * without a byte of answer is indistinguishable from a dead socket, and that request is sent again
 * (as OkHttp, and browsers, would), once per such pooled connection. This is the one way in which
 * {@code maxRetries(0)} can let more than one request of a call reach a server; for an operation that mints a transient token, the first
 * token is then never received by anyone. Likewise "before any answer" means before the answer's
 * headers were read: OkHttp does not tell whether part of a status line came before the end of
 * the stream.
 *
 * <p>Cost: one more network interceptor per exchange (a chain copy) and one short synchronized
 * map update once the headers have come.
 */
public final class StaleConnections implements Interceptor {
  /**
   * Every connection that has carried an answered exchange through any SDK client of this JVM
   * (clients built from one OkHttpClient share its pool), weakly held so that a closed connection
   * is forgotten. OkHttp's connections keep {@code Object}'s identity equality. Guarded by itself.
   */
  private static final Map<Connection, Boolean> ANSWERED = new WeakHashMap<>();

  /**
   * The failures the network half marked, each with the dead connection it came from, until the
   * application half takes them; guarded by itself.
   */
  private final Map<IOException, Connection> marked = new WeakHashMap<>();
  private volatile boolean closed;

  /** Creates the two halves of one client. */
  StaleConnections() {}

  /**
   * The network half: sends the request, remembers the connection once it has answered, and marks
   * a failure before the answer's headers on a connection that had answered before.
   *
   * @param chain the network chain
   * @return the answer, as the chain gives it
   * @throws IOException as the chain throws it
   */
  @Override
  public Response intercept(Chain chain) throws IOException {
    Connection connection = chain.connection();
    if (connection == null) {
      return chain.proceed(chain.request()); // in memory (benchmarks, tests): no socket
    }
    Response response;
    try {
      response = chain.proceed(chain.request());
    } catch (IOException e) {
      if (looksLikeADeadSocket(e) && answeredBefore(connection)) {
        synchronized (marked) {
          marked.put(e, connection);
        }
      }
      throw e;
    }
    synchronized (ANSWERED) {
      ANSWERED.put(connection, Boolean.TRUE);
    }
    return response;
  }

  /**
   * The application half: the dead pooled connection a hop failed on, when the hop may be sent
   * again at once. Takes the network half's mark, so ask once per failure. The caller sends the
   * hop again once per dead connection (OkHttp takes a failed HTTP/1 connection out of use, so
   * the next try gets another pooled connection or a new one).
   *
   * @param chain the application chain the hop was sent on
   * @param hop the request as it was sent
   * @param failure what {@code chain.proceed} threw
   * @return the connection, when the failure came from a reused connection before any answer,
   *     the call is neither cancelled nor its client closed, and the request may be sent again;
   *     else null
   */
  @Nullable Connection deadPooledConnection(Chain chain, Request hop, IOException failure) {
    Connection dead;
    synchronized (marked) {
      dead = marked.remove(failure);
    }
    if (dead == null || closed || chain.call().isCanceled()) {
      return null;
    }
    RequestBody body = hop.body();
    return body == null || !body.isOneShot() ? dead : null;
  }

  /** The client was closed: its calls resend nothing more. */
  public void close() {
    closed = true;
  }

  private static boolean answeredBefore(Connection connection) {
    synchronized (ANSWERED) {
      return ANSWERED.containsKey(connection);
    }
  }

  /**
   * A failure a dead socket gives (end of stream, reset, broken pipe), as opposed to a timeout, a
   * cancellation or an interrupt (the server may still be working on the request, or the caller
   * decided), a protocol violation, or a certificate the client rejects: the same classes the retry
   * policy treats as final, and those OkHttp's own recovery leaves alone.
   */
  private static boolean looksLikeADeadSocket(IOException e) {
    return !(e instanceof InterruptedIOException)
        && !(e instanceof ProtocolException)
        && !(e instanceof SSLHandshakeException)
        && !(e instanceof SSLPeerUnverifiedException);
  }
}
