package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.HTML;
import static dev.plexauth.FacadeTestSupport.WAIT_SECONDS;
import static dev.plexauth.FacadeTestSupport.assertNoSecrets;
import static dev.plexauth.FacadeTestSupport.status;
import static dev.plexauth.FacadeTestSupport.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.RetryTest.RecordingScheduler;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A server that drops idle keep-alive connections without telling (a reboot, a proxy's idle cut)
 * leaves dead sockets in the pool: a request that fails on one before any answer is sent again at
 * once on another connection, once per attempt, without a retry pause and without counting
 * against {@code maxRetries}; any other failure keeps the retry policy. Every test runs for every
 * operation of the spec, through its blocking method, its future and its callback form ({@link
 * SpecCall}).
 *
 * <p>What happened on the wire is read from the caller's OkHttpClient's {@link EventListener} (an
 * exchange is a request written, a connection is a new socket) and from MockWebServer, which
 * numbers the requests of each connection; waits come from a recording {@link RetryScheduler}.
 * Nothing sleeps: the two tests about a stall end on a read timeout (250 ms) or the call timeout
 * (1 s).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StaleConnectionTest {
  static Stream<SpecCall> calls() {
    return Stream.concat(SpecCall.all(), SpecCall.callbacks());
  }

  static Stream<SpecCall> asyncCalls() {
    return SpecCall.async();
  }

  /** What the caller's OkHttpClient did on the wire, for all calls. */
  static final class Wire extends EventListener {
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger exchanges = new AtomicInteger();
    final AtomicInteger answers = new AtomicInteger();
    final BlockingQueue<Call> ended = new LinkedBlockingQueue<>();

    @Override
    public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
      connections.incrementAndGet();
    }

    @Override
    public void requestHeadersStart(Call call) {
      exchanges.incrementAndGet();
    }

    @Override
    public void responseHeadersEnd(Call call, Response response) {
      answers.incrementAndGet();
    }

    @Override
    public void callEnd(Call call) {
      ended.add(call);
    }

    @Override
    public void callFailed(Call call, IOException e) {
      ended.add(call);
    }

    /** Waits until this many more OkHttp calls have ended, successfully or not. */
    void awaitEnded(int calls) throws InterruptedException {
      for (int i = 0; i < calls; i++) {
        assertNotNull(ended.poll(WAIT_SECONDS, TimeUnit.SECONDS), "an OkHttp call did not end");
      }
    }

    /** The counts since the last reset: new connections, requests written, answers read. */
    List<Integer> counts() {
      return List.of(connections.get(), exchanges.get(), answers.get());
    }

    void reset() {
      connections.set(0);
      exchanges.set(0);
      answers.set(0);
      ended.clear();
    }
  }

  private MockWebServer server;
  private RecordingScheduler scheduler;
  private Wire wire;
  private OkHttpClient callers;
  private final List<PlexAuthClient> clients = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
    // The dropped connections these tests provoke are not clients that sent nothing.
    UnansweredRequests.expectedOn(server);
    scheduler = new RecordingScheduler();
    wire = new Wire();
    callers = new OkHttpClient.Builder().eventListener(wire).build();
  }

  @AfterEach
  void stop() throws IOException {
    clients.forEach(PlexAuthClient::close);
    server.shutdown();
    callers.dispatcher().executorService().shutdown();
    callers.connectionPool().evictAll();
  }

  /** A client on the caller's OkHttpClient, with the recording scheduler and no retries. */
  private PlexAuthClient.Builder builder() {
    return FacadeTestSupport.builderFor(server).okHttpClient(callers).scheduler(scheduler);
  }

  private PlexAuthClient build(PlexAuthClient.Builder builder) {
    PlexAuthClient client = builder.build();
    clients.add(client);
    return client;
  }

  /**
   * One successful call whose keep-alive connection the server then closes without a word: the
   * pool keeps a dead socket that already answered. Counts start afresh after it.
   */
  private void answerThenDropTheConnection(SpecCall call, PlexAuthClient client)
      throws Exception {
    server.enqueue(call.ok().setSocketPolicy(SocketPolicy.DISCONNECT_AT_END));
    call.assertOk(call.run(client));
    call.assertRequest(take(server));
    wire.awaitEnded(1);
    assertEquals(List.of(1, 1, 1), wire.counts(), "the first call: connections, requests, answers");
    wire.reset();
  }

  /** Asserts that the next recorded request is the operation's, first on a new connection. */
  private void assertOnANewConnection(SpecCall call) throws InterruptedException {
    RecordedRequest request = take(server);
    call.assertRequest(request);
    assertEquals(0, request.getSequenceNumber(), "the request's number on its connection");
  }

  // --- resent at once ------------------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("calls")
  void aCallOnADroppedConnectionIsResentAtOnceOnANewOneWithoutRetries(SpecCall call)
      throws Exception {
    PlexAuthClient client = build(builder());
    answerThenDropTheConnection(call, client);
    server.enqueue(call.ok());

    call.assertOk(call.run(client));

    wire.awaitEnded(1);
    assertEquals(List.of(1, 2, 1), wire.counts(),
        "connections, requests written (the dead socket's and the resend), answers");
    assertEquals(2, server.getRequestCount(), "one request reached the server for this call");
    assertOnANewConnection(call);
    assertEquals(List.of(), scheduler.delays(), "no retry pause");
  }

  @ParameterizedTest
  @MethodSource("calls")
  void theResendDoesNotUseUpTheRetryOfA503(SpecCall call) throws Exception {
    PlexAuthClient client = build(builder().maxRetries(1));
    answerThenDropTheConnection(call, client);
    server.enqueue(status(503, HTML, "<html>busy</html>"));
    server.enqueue(call.ok());

    call.assertOk(call.run(client));

    assertEquals(3, server.getRequestCount(), "the 503, then its retry");
    assertOnANewConnection(call);
    call.assertRequest(take(server));
    assertEquals(1, scheduler.delays().size(), "one retry pause, the 503's " + scheduler.delays());
  }

  @ParameterizedTest
  @MethodSource("calls")
  void aSameOriginRedirectAfterADroppedConnectionIsFollowed(SpecCall call) throws Exception {
    PlexAuthClient client = build(builder());
    answerThenDropTheConnection(call, client);
    server.setDispatcher(redirectOnce(null, call.ok()));

    call.assertOk(call.run(client));

    assertEquals(3, server.getRequestCount(), "the redirect, then its target");
    assertOnANewConnection(call);
    RecordedRequest target = take(server);
    assertTrue(target.getPath().startsWith("/moved/"), target.getPath());
    assertEquals(call.expectedToken(), target.getHeader("X-Plex-Token"));
    assertEquals(List.of(), scheduler.delays());
  }

  @ParameterizedTest
  @MethodSource("calls")
  void aRedirectHopOnTheConnectionTheServerDroppedAfterTheRedirectIsResent(SpecCall call)
      throws Exception {
    // The 302 comes on a new connection, which the server then closes without a word: the
    // redirect's hop goes out on it, as it already answered, and dies.
    PlexAuthClient client = build(builder());
    server.setDispatcher(redirectOnce(SocketPolicy.DISCONNECT_AT_END, call.ok()));

    call.assertOk(call.run(client));

    wire.awaitEnded(1);
    assertEquals(List.of(2, 3, 2), wire.counts(),
        "connections, requests written (the 302's, the dead hop's, the resend), answers");
    assertEquals(2, server.getRequestCount());
    call.assertRequest(take(server));
    RecordedRequest target = take(server);
    assertTrue(target.getPath().startsWith("/moved/"), target.getPath());
    assertEquals(0, target.getSequenceNumber(), "the hop was resent on a new connection");
    assertEquals(List.of(), scheduler.delays());
  }

  @ParameterizedTest
  @MethodSource("calls")
  void aConnectionThatAnsweredAnotherClientOfTheSameOkHttpClientCountsAsReused(SpecCall call)
      throws Exception {
    PlexAuthClient first = build(builder());
    PlexAuthClient second = build(builder().product("Another Client"));
    answerThenDropTheConnection(call, first);
    server.enqueue(call.ok());

    call.assertOk(call.run(second));

    assertEquals(2, server.getRequestCount());
    assertOnANewConnection(call);
    assertEquals(List.of(), scheduler.delays());
  }

  // --- once ----------------------------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("calls")
  void everyDeadPooledSocketIsSkippedAndTheCallEndsOnANewConnectionWithoutRetries(SpecCall call)
      throws Exception {
    // Three calls at once leave three keep-alive connections, which the server then drops (as a
    // restart does): the next call meets each dead one in turn, and ends on a new connection.
    int pooled = 3;
    PlexAuthClient client = build(builder());
    CountDownLatch allArrived = new CountDownLatch(pooled);
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        allArrived.countDown();
        assertTrue(allArrived.await(WAIT_SECONDS, TimeUnit.SECONDS), "the other calls came");
        return call.ok().setSocketPolicy(SocketPolicy.DISCONNECT_AT_END);
      }
    });
    List<CompletableFuture<?>> calls = new ArrayList<>();
    for (int i = 0; i < pooled; i++) {
      calls.add(call.fixture.callAsync(client));
    }
    for (CompletableFuture<?> started : calls) {
      call.assertOk(started.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }
    wire.awaitEnded(pooled);
    assertEquals(pooled, wire.connections.get(), "three keep-alive connections");
    wire.reset();
    server.setDispatcher(FacadeTestSupport.always(call.ok()));

    call.assertOk(call.run(client));

    wire.awaitEnded(1);
    assertEquals(List.of(1, pooled + 1, 1), wire.counts(),
        "connections, requests written (each dead socket, then the new connection), answers");
    assertEquals(pooled + 1, server.getRequestCount(), "one request reached the server");
    assertEquals(List.of(), scheduler.delays(), "no retry, no pause");
  }

  @ParameterizedTest
  @MethodSource("calls")
  void theResendFailingOnItsNewConnectionIsFinalWithMaxRetriesZero(SpecCall call)
      throws Exception {
    PlexAuthClient client = build(builder());
    answerThenDropTheConnection(call, client);
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    server.enqueue(call.ok());

    PlexIoException e = assertThrows(PlexIoException.class, () -> call.run(client));

    assertInstanceOf(IOException.class, e.getCause());
    assertEquals(2, server.getRequestCount(), "one request reached the server for this call");
    assertOnANewConnection(call);
    assertEquals(List.of(), scheduler.delays());
    assertNoSecrets(e, call.secrets());
  }

  // --- not resent ----------------------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("calls")
  void aNewConnectionsFailureIsNotResent(SpecCall call) throws Exception {
    PlexAuthClient client = build(builder());
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    server.enqueue(call.ok());

    PlexIoException e = assertThrows(PlexIoException.class, () -> call.run(client));

    assertInstanceOf(IOException.class, e.getCause());
    wire.awaitEnded(1);
    assertEquals(List.of(1, 1, 0), wire.counts(), "connections, requests written, answers");
    assertEquals(1, server.getRequestCount());
    assertEquals(List.of(), scheduler.delays());
    assertNoSecrets(e, call.secrets());
  }

  @ParameterizedTest
  @MethodSource("calls")
  void aReusedConnectionThatTimesOutIsNotResent(SpecCall call) throws Exception {
    // The server may be working on a request that timed out: only the retry policy decides.
    PlexAuthClient client = build(builder().readTimeout(Duration.ofMillis(250)));
    server.enqueue(call.ok());
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    call.assertOk(call.run(client));
    wire.awaitEnded(1);
    wire.reset();

    PlexIoException e = assertThrows(PlexIoException.class, () -> call.run(client));

    assertInstanceOf(SocketTimeoutException.class, e.getCause());
    wire.awaitEnded(1);
    assertEquals(List.of(0, 1, 0), wire.counts(), "connections, requests written, answers");
    assertEquals(2, server.getRequestCount());
    assertEquals(List.of(), scheduler.delays());
  }

  /**
   * A call in flight on a reused connection whose server stays silent: the first call answers and
   * keeps its connection, on which the call started here waits. Returns the running call.
   */
  private CompletableFuture<?> inFlightOnAReusedConnection(SpecCall call, PlexAuthClient client)
      throws Exception {
    server.enqueue(call.ok());
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    call.assertOk(call.run(client));
    call.assertRequest(take(server));
    wire.awaitEnded(1);
    wire.reset();
    CompletableFuture<?> running = call.async ? call.start(client) : onAnotherThread(call, client);
    assertEquals(1, take(server).getSequenceNumber(), "the call went out on the reused connection");
    return running;
  }

  @ParameterizedTest
  @MethodSource("calls")
  void aCallCancelledByItsOkHttpClientIsNotResent(SpecCall call) throws Exception {
    // Cancelling closes the socket of a reused connection before any answer: what a dead one
    // looks like, but the caller's decision.
    PlexAuthClient client = build(builder());
    CompletableFuture<?> running = inFlightOnAReusedConnection(call, client);

    callers.dispatcher().cancelAll();

    wire.awaitEnded(1);
    assertEquals(List.of(0, 1, 0), wire.counts(), "connections, requests written, answers");
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> running.get(WAIT_SECONDS, TimeUnit.SECONDS));
    PlexIoException failure = assertInstanceOf(PlexIoException.class, e.getCause());
    // What the cancellation did to the socket, not a "Canceled" from a second try.
    assertInstanceOf(SocketException.class, failure.getCause());
    assertEquals(2, server.getRequestCount());
    assertEquals(List.of(), scheduler.delays());
  }

  @ParameterizedTest
  @MethodSource("asyncCalls")
  void aCancelledFutureIsNotResent(SpecCall call) throws Exception {
    PlexAuthClient client = build(builder());
    CompletableFuture<?> running = inFlightOnAReusedConnection(call, client);

    assertTrue(running.cancel(true));

    wire.awaitEnded(1);
    assertEquals(List.of(0, 1, 0), wire.counts(), "connections, requests written, answers");
    assertThrows(CancellationException.class, () -> running.get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals(2, server.getRequestCount());
    assertEquals(List.of(), scheduler.delays());
  }

  @ParameterizedTest
  @MethodSource("calls")
  void aClosedClientsCallIsNotResent(SpecCall call) throws Exception {
    PlexAuthClient client = build(builder());
    CompletableFuture<?> running = inFlightOnAReusedConnection(call, client);

    client.close();
    server.shutdown(); // drops the connection before any answer: the call fails as on a dead one

    wire.awaitEnded(1);
    assertEquals(List.of(0, 1, 0), wire.counts(), "connections, requests written, answers");
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> running.get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertInstanceOf(PlexIoException.class, e.getCause());
    assertNoSecrets(e.getCause(), call.secrets());
    assertEquals(List.of(), scheduler.delays());
  }

  // --- within the call timeout ---------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("calls")
  void theResendRunsWithinTheOneCallTimeout(SpecCall call) throws Exception {
    PlexAuthClient client = build(builder().callTimeout(Duration.ofSeconds(1)));
    answerThenDropTheConnection(call, client);
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));

    PlexIoException e = assertThrows(PlexIoException.class, () -> call.run(client));

    // The call timeout (1 s), not the read timeout (5 s), ended the resend.
    InterruptedIOException cause = assertInstanceOf(InterruptedIOException.class, e.getCause());
    assertFalse(cause instanceof SocketTimeoutException, "cause " + cause);
    wire.awaitEnded(1);
    assertEquals(List.of(1, 2, 0), wire.counts(), "connections, requests written, answers");
    assertOnANewConnection(call);
    assertEquals(List.of(), scheduler.delays());
  }

  // --- the ambiguity -------------------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("calls")
  void aServerThatReadsTheRequestOnAReusedConnectionAndClosesGetsItAgain(SpecCall call)
      throws Exception {
    // Indistinguishable from a dead socket: the one way maxRetries(0) lets two requests of a call
    // reach the server (documented in StaleConnections).
    PlexAuthClient client = build(builder());
    server.enqueue(call.ok());
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    server.enqueue(call.ok());
    call.assertOk(call.run(client));
    call.assertRequest(take(server));

    call.assertOk(call.run(client));

    assertEquals(3, server.getRequestCount());
    assertEquals(1, take(server).getSequenceNumber(), "read on the reused connection");
    assertOnANewConnection(call);
    assertEquals(List.of(), scheduler.delays());
  }

  /**
   * A server that answers the first request with a 302 to {@code /moved} followed by the same path
   * and query (with the given socket policy, or none), and every later one with {@code target}.
   */
  private static Dispatcher redirectOnce(SocketPolicy policy, MockResponse target) {
    AtomicInteger seen = new AtomicInteger();
    return new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        if (seen.getAndIncrement() > 0) {
          return target.clone();
        }
        MockResponse redirect = new MockResponse()
            .setResponseCode(302)
            .setHeader("Location", "/moved" + request.getPath());
        return policy == null ? redirect : redirect.setSocketPolicy(policy);
      }
    };
  }

  /** Runs a blocking call on another thread, so that the test can act while it is in flight. */
  private static CompletableFuture<?> onAnotherThread(SpecCall call, PlexAuthClient client) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return call.run(client);
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    });
  }
}
