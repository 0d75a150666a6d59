package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.CALLER_TOKEN;
import static dev.plexauth.FacadeTestSupport.CLIENT_ID;
import static dev.plexauth.FacadeTestSupport.always;

import dev.plexauth.contract.ContractInterceptor;
import dev.plexauth.testing.SpecFixture;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.function.Executable;

/**
 * One fault scenario's servers, clients and outcomes. The caller's OkHttpClient is fresh per run,
 * so that its connection pool shows only this scenario's connections. Operations are the spec's
 * ({@link SpecFixture#all()}), called with their example arguments.
 *
 * <p>Each outcome carries the notes that were current when it was recorded (see {@link #about}):
 * what the case broke, for the document's {@code <placeholder>} facts, such as the JSON path a
 * decoding failure must name or the parameter a refused argument must.
 */
final class FaultRun {
  /** What one call or attempt threw (null: nothing), and the notes of its case. */
  record Outcome(Throwable thrown, Map<String, String> notes) {}

  /** Something to run for one case; may throw anything. */
  @FunctionalInterface
  interface Case {
    void run() throws Exception;
  }

  /**
   * How long a call may take, and an async one be waited for, when no row is about timeouts:
   * generous, so that a loaded machine does not turn a slow loopback answer into a fault. Rows
   * about stalls set their own short timeouts.
   */
  static final Duration PATIENCE = Duration.ofSeconds(60);

  final OkHttpClient shared = new OkHttpClient();
  final List<Outcome> outcomes = new ArrayList<>();
  /** The caller's token and every secret of every operation's example: none may leak. */
  final Set<String> secrets = new LinkedHashSet<>();
  private final List<MockWebServer> mocks = new ArrayList<>();
  private final List<RawHttpServer> raws = new ArrayList<>();
  private final List<PlexAuthClient> clients = new ArrayList<>();
  private final Set<Integer> ports = new LinkedHashSet<>();
  private Map<String, String> notes = Map.of();

  FaultRun() {
    secrets.add(CALLER_TOKEN);
    for (SpecFixture fixture : SpecFixture.all()) {
      secrets.addAll(SpecFixture.secretsIn(fixture.expected()));
    }
  }

  /** A MockWebServer giving every request this answer. */
  MockWebServer mock(MockResponse answer) throws IOException {
    MockWebServer server = new MockWebServer();
    server.setDispatcher(always(answer));
    return started(server);
  }

  /** A MockWebServer giving these answers in turn. */
  MockWebServer mockSequence(MockResponse... answers) throws IOException {
    MockWebServer server = new MockWebServer();
    for (MockResponse answer : answers) {
      server.enqueue(answer);
    }
    return started(server);
  }

  /** A MockWebServer whose dispatcher is given. */
  MockWebServer mock(okhttp3.mockwebserver.Dispatcher dispatcher) throws IOException {
    MockWebServer server = new MockWebServer();
    server.setDispatcher(dispatcher);
    return started(server);
  }

  private MockWebServer started(MockWebServer server) throws IOException {
    server.start(InetAddress.getLoopbackAddress(), 0);
    UnansweredRequests.expectedOn(server);
    mocks.add(server);
    ports.add(server.getPort());
    return server;
  }

  RawHttpServer raw(RawHttpServer.Handler handler) throws IOException {
    RawHttpServer server = new RawHttpServer(handler);
    raws.add(server);
    ports.add(server.port());
    return server;
  }

  /** The test defaults ({@link #PATIENCE}), on the caller's shared OkHttpClient, no retries. */
  PlexAuthClient.Builder builder(String baseUrl) {
    return PlexAuthClient.builder()
        .wireObserver(ContractInterceptor.requestsOnly()) // every request checked against the spec
        .okHttpClient(shared)
        .maxRetries(0)
        .baseUrl(baseUrl)
        .token(CALLER_TOKEN)
        .clientIdentifier(CLIENT_ID)
        .connectTimeout(PATIENCE)
        .readTimeout(PATIENCE)
        .callTimeout(PATIENCE);
  }

  PlexAuthClient.Builder builder(MockWebServer server) {
    return builder(server.url("/").toString());
  }

  PlexAuthClient.Builder builder(RawHttpServer server) {
    return builder(server.url().toString());
  }

  PlexAuthClient client(PlexAuthClient.Builder builder) {
    PlexAuthClient client = builder.build();
    clients.add(client);
    return client;
  }

  /**
   * Runs one case with these notes attached to every outcome it records, for example {@code
   * "path", "$.MediaContainer.token"}.
   *
   * @param keysAndValues alternating note names and values
   */
  void about(Case body, String... keysAndValues) throws Exception {
    Map<String, String> previous = notes;
    Map<String, String> current = new LinkedHashMap<>(previous);
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      current.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    notes = Collections.unmodifiableMap(current);
    try {
      body.run();
    } finally {
      notes = previous;
    }
  }

  /** Runs what must throw, and records what it threw. */
  Throwable expectFailure(Executable call) {
    try {
      call.execute();
    } catch (Throwable t) {
      outcomes.add(new Outcome(t, notes));
      return t;
    }
    outcomes.add(new Outcome(null, notes));
    return null;
  }

  /** Calls the operation's blocking method, which must fail, and records what it threw. */
  Throwable sync(PlexAuthClient client, SpecFixture fixture) {
    try {
      Object result = fixture.call(client);
      throw new AssertionError(fixture + " returned " + result + " instead of failing");
    } catch (AssertionError e) {
      throw e;
    } catch (Throwable t) {
      outcomes.add(new Outcome(t, withCall(fixture + " sync")));
      return t;
    }
  }

  /** Calls the operation's {@code Async} method, whose future must fail, and records why. */
  Throwable async(PlexAuthClient client, SpecFixture fixture) throws InterruptedException {
    try {
      Object result = fixture.callAsync(client).get(PATIENCE.toSeconds() + 5, TimeUnit.SECONDS);
      throw new AssertionError(fixture + " async returned " + result + " instead of failing");
    } catch (ExecutionException e) {
      outcomes.add(new Outcome(e.getCause(), withCall(fixture + " async")));
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError(fixture + " async did not complete", e);
    }
  }

  /** The current notes and, for diagnosis, which call it was. */
  private Map<String, String> withCall(String call) {
    Map<String, String> withCall = new LinkedHashMap<>(notes);
    withCall.put("call", call);
    return Collections.unmodifiableMap(withCall);
  }

  /** The operation sync, then async; returns both outcomes. */
  List<Throwable> syncAndAsync(PlexAuthClient client, SpecFixture fixture)
      throws InterruptedException {
    return List.of(sync(client, fixture), async(client, fixture));
  }

  /** Every operation of the spec, each sync and async, on one client; returns every outcome. */
  List<Throwable> everyOperation(PlexAuthClient client) throws InterruptedException {
    List<Throwable> thrown = new ArrayList<>();
    for (SpecFixture fixture : SpecFixture.all()) {
      thrown.addAll(syncAndAsync(client, fixture));
    }
    return thrown;
  }

  /** Requests received by every server of the run. */
  int requests() {
    return mocks.stream().mapToInt(MockWebServer::getRequestCount).sum()
        + raws.stream().mapToInt(RawHttpServer::requestCount).sum();
  }

  /** Adds a port whose connections the leak check must watch. */
  void port(int port) {
    ports.add(port);
  }

  /** The ports of every server of the run. */
  Set<Integer> ports() {
    return ports;
  }

  void close() throws IOException {
    for (PlexAuthClient client : clients) {
      client.close();
    }
    for (MockWebServer server : mocks) {
      server.shutdown();
    }
    for (RawHttpServer server : raws) {
      server.close();
    }
    shared.dispatcher().executorService().shutdown();
    shared.connectionPool().evictAll();
  }
}
