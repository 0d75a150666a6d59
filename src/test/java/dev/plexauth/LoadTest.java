package dev.plexauth;

import dev.plexauth.contract.ContractInterceptor;
import static dev.plexauth.FacadeTestSupport.WAIT_SECONDS;
import static dev.plexauth.ResourceChecks.awaitEnd;
import static dev.plexauth.ResourceChecks.canCountConnections;
import static dev.plexauth.ResourceChecks.names;
import static dev.plexauth.ResourceChecks.okHttpThreads;
import static dev.plexauth.ResourceChecks.openConnectionsTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plexauth.tools.standin.PlexStandIn;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many calls through one shared client against the embedded Plex stand-in: no failures, no leaked
 * connections, and {@link PlexAuthClient#close()} releases what the client owns. Times are printed,
 * never asserted.
 */
class LoadTest {
  private static final int CALLS = 20_000;
  private static final int THREADS = 32;

  private final PlexStandIn plex = PlexStandIn.builder().build();

  @BeforeEach
  void start() throws IOException {
    ConnectionLeakCheck.install();
    plex.start();
  }

  @AfterEach
  void stop() {
    plex.close();
  }

  private PlexAuthClient.Builder builder() {
    return PlexAuthClient.builder()
        .wireObserver(ContractInterceptor.requestsOnly()) // every request checked against the spec
        .baseUrl(plex.baseUrl())
        .token(plex.ownerToken())
        .clientIdentifier("load-test");
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void twentyThousandMixedCallsFromThirtyTwoThreadsAllSucceedAndLeakNoConnection()
      throws Exception {
    OkHttpClient caller = new OkHttpClient();
    Set<String> tokens = ConcurrentHashMap.newKeySet();
    Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    ExecutorService workers = Executors.newFixedThreadPool(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    long elapsed;
    try (PlexAuthClient client = builder().okHttpClient(caller).build()) {
      for (int t = 0; t < THREADS; t++) {
        int first = t * (CALLS / THREADS);
        workers.execute(() -> runCalls(client, go, first, CALLS / THREADS, tokens, failures));
      }
      long started = System.nanoTime();
      go.countDown();
      workers.shutdown();
      assertTrue(workers.awaitTermination(4, TimeUnit.MINUTES), "the calls did not finish");
      elapsed = System.nanoTime() - started;
    } finally {
      workers.shutdownNow();
    }
    System.out.printf("LoadTest: %d calls from %d threads in %d ms%n",
        CALLS, THREADS, TimeUnit.NANOSECONDS.toMillis(elapsed));

    assertTrue(failures.isEmpty(), () -> failures.size() + " calls failed, the first: "
        + failures.stream().limit(5).map(Throwable::toString).collect(Collectors.toList()));
    assertEquals(CALLS, tokens.size(), "every call returns a transient token no other returned");
    assertEquals(CALLS, plex.requestCount(), "requests beyond one per call are retries");
    // The SDK's client shares the caller's pool: a response it left open is a connection still in
    // use there or, once collected, a leak OkHttp reports.
    assertEquals(List.of(), ConnectionLeakCheck.problems(caller, List.of(plex.port())));
    assertTrue(caller.connectionPool().connectionCount() > 0, "the client used the caller's pool");
    caller.dispatcher().executorService().shutdown();
    caller.connectionPool().evictAll();
  }

  /** Runs a share of the calls: every other one async, both operations in turn. */
  private void runCalls(PlexAuthClient client, CountDownLatch go, int first, int count,
      Set<String> tokens, Queue<Throwable> failures) {
    try {
      go.await();
      for (int i = first; i < first + count; i++) {
        String token = call(client, i);
        if (!token.startsWith("transient-") || !tokens.add(token)) {
          failures.add(new AssertionError("call " + i + " got a repeated or foreign token"));
        }
      }
    } catch (Throwable e) {
      failures.add(e);
    }
  }

  private String call(PlexAuthClient client, int i) throws Exception {
    boolean async = i % 2 == 1;
    String source = plex.defaultSource();
    try {
      if ((i / 2) % 2 == 0) {
        return async
            ? client.getTransientTokenAsync().get(WAIT_SECONDS, TimeUnit.SECONDS).token()
            : client.getTransientToken().token();
      }
      return async
          ? client.getSourceConnectionInformationAsync(source)
              .get(WAIT_SECONDS, TimeUnit.SECONDS).accessToken()
          : client.getSourceConnectionInformation(source).accessToken();
    } catch (ExecutionException e) {
      throw new AssertionError("call " + i + " failed", e.getCause());
    }
  }

  @Test
  void leakCheckSeesAResponseLeftOpen() throws Exception {
    OkHttpClient caller = new OkHttpClient();

    List<String> problems = ConnectionLeakCheck.ofDeliberateLeak(() -> {
      leaveAResponseOpen(caller);
      return ConnectionLeakCheck.problems(caller, List.of(plex.port()));
    });

    assertEquals(1, problems.size(), () -> "one leak report: " + problems);
    assertTrue(problems.get(0).contains("was leaked"), problems.get(0));
    caller.connectionPool().evictAll();
  }

  private void leaveAResponseOpen(OkHttpClient caller) throws IOException {
    Request identity = new Request.Builder().url(plex.baseUrl() + "identity").build();
    assertEquals(200, caller.newCall(identity).execute().code());
  }

  @Test
  void closeEndsTheDispatcherThreadsOfTheOkHttpClientItOwns() throws Exception {
    Set<Thread> baseline = okHttpThreads();
    PlexAuthClient client = builder().build();
    awaitAll(asyncCalls(client, 40));
    Set<Thread> dispatcher = okHttpThreads().stream()
        .filter(t -> ResourceChecks.isDispatcher(t) && !baseline.contains(t))
        .collect(Collectors.toSet());
    assertFalse(dispatcher.isEmpty(), "the async calls ran on the client's own dispatcher");

    long closed = System.nanoTime();
    client.close();

    assertEquals(List.of(), names(awaitEnd(dispatcher, closed, WAIT_SECONDS)),
        "dispatcher threads alive " + WAIT_SECONDS + " s after close()");
    // Not counted: OkHttp's TaskRunner threads (they run pool cleanups). Every OkHttpClient in the
    // JVM shares them and none can end them; idle, they end after a fixed 60 s keep-alive, or they
    // live on serving other clients' pools. That the pool is empty, the connections test shows.
  }

  @Test
  void closeClosesTheConnectionsOfTheOkHttpClientItOwns() throws Exception {
    assumeTrue(canCountConnections(), "counts sockets in Linux's /proc/net/tcp");
    PlexAuthClient client = builder().build();
    awaitAll(asyncCalls(client, 40));
    assertTrue(openConnectionsTo(plex.port()) > 0, "the client keeps idle connections open");

    client.close();

    assertEquals(0, openConnectionsTo(plex.port()), "connections open after close()");
  }

  @Test
  void closeWithAsyncCallsStillQueuedCompletesEveryFuture() throws Exception {
    PlexAuthClient client = builder().build();
    List<CompletableFuture<?>> futures = asyncCalls(client, 40);

    client.close();

    int succeeded = 0;
    for (CompletableFuture<?> future : futures) {
      try {
        future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        succeeded++;
      } catch (ExecutionException e) {
        // A call still queued when the dispatcher shut down is refused before it is sent.
        assertInstanceOf(PlexIoException.class, e.getCause());
      }
    }
    assertEquals(succeeded, plex.requestCount(), "a refused call sends nothing, none is retried");
    if (canCountConnections()) {
      assertEquals(0, openConnectionsTo(plex.port()),
          "a call running across close() closes its connection when it ends");
    }
  }

  @Test
  void closeLeavesTheCallersOkHttpClientUsable() throws Exception {
    OkHttpClient caller = new OkHttpClient();
    PlexAuthClient client = builder().okHttpClient(caller).build();
    client.getTransientTokenAsync().get(WAIT_SECONDS, TimeUnit.SECONDS);

    client.close();

    assertFalse(caller.dispatcher().executorService().isShutdown());
    CompletableFuture<Integer> status = new CompletableFuture<>();
    Request identity = new Request.Builder().url(plex.baseUrl() + "identity").build();
    caller.newCall(identity).enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        status.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call call, Response response) {
        try (response) {
          status.complete(response.code());
        }
      }
    });
    assertEquals(200, status.get(WAIT_SECONDS, TimeUnit.SECONDS));
    try (PlexAuthClient again = builder().okHttpClient(caller).build()) {
      assertTrue(again.getTransientTokenAsync().get(WAIT_SECONDS, TimeUnit.SECONDS).token()
          .startsWith("transient-"));
    }
    caller.dispatcher().executorService().shutdown();
    caller.connectionPool().evictAll();
  }

  @Test
  void callsAfterCloseThrowIllegalStateExceptionAndSendNothing() {
    PlexAuthClient client = builder().build();
    client.close();
    client.close();
    String source = plex.defaultSource();

    assertThrows(IllegalStateException.class, client::getTransientToken);
    assertThrows(IllegalStateException.class, client::getTransientTokenAsync);
    assertThrows(IllegalStateException.class, () -> client.getSourceConnectionInformation(source));
    assertThrows(IllegalStateException.class,
        () -> client.getSourceConnectionInformation(source, true));
    assertThrows(IllegalStateException.class,
        () -> client.getSourceConnectionInformationAsync(source));
    assertThrows(IllegalStateException.class,
        () -> client.getSourceConnectionInformationAsync(source, false));
    assertEquals(0, plex.requestCount());
  }

  private List<CompletableFuture<?>> asyncCalls(PlexAuthClient client, int count) {
    List<CompletableFuture<?>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      futures.add(i % 2 == 0 ? client.getTransientTokenAsync()
          : client.getSourceConnectionInformationAsync(plex.defaultSource()));
    }
    return futures;
  }

  private static void awaitAll(List<CompletableFuture<?>> futures) throws Exception {
    for (CompletableFuture<?> future : futures) {
      future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }
}
