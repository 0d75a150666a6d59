package dev.plexauth;

import dev.plexauth.contract.ContractInterceptor;
import static dev.plexauth.FacadeTestSupport.CALLER_TOKEN;
import static dev.plexauth.FacadeTestSupport.CLIENT_ID;
import static dev.plexauth.FacadeTestSupport.SECRETS;
import static dev.plexauth.FacadeTestSupport.WAIT_SECONDS;
import static dev.plexauth.FacadeTestSupport.always;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.function.Executable;

/**
 * One fault scenario's servers, clients and outcomes. The caller's OkHttpClient is fresh per run,
 * so that its connection pool shows only this scenario's connections.
 */
final class FaultRun {
  /** The two operations, called through the facade. */
  enum Operation {
    TOKEN,
    SOURCE;

    Object call(PlexAuthClient client) {
      return this == TOKEN ? client.getTransientToken()
          : client.getSourceConnectionInformation(FacadeTestSupport.SOURCE);
    }

    CompletableFuture<?> callAsync(PlexAuthClient client) {
      return this == TOKEN ? client.getTransientTokenAsync()
          : client.getSourceConnectionInformationAsync(FacadeTestSupport.SOURCE);
    }
  }

  final OkHttpClient shared = new OkHttpClient();
  final List<Throwable> outcomes = new ArrayList<>();
  final Set<String> secrets = new LinkedHashSet<>(Arrays.asList(SECRETS));
  private final List<MockWebServer> mocks = new ArrayList<>();
  private final List<RawHttpServer> raws = new ArrayList<>();
  private final List<PlexAuthClient> clients = new ArrayList<>();
  private final Set<Integer> ports = new LinkedHashSet<>();

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

  private MockWebServer started(MockWebServer server) throws IOException {
    server.start(InetAddress.getLoopbackAddress(), 0);
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

  /** The test defaults, on the caller's shared OkHttpClient, without retries. */
  PlexAuthClient.Builder builder(String baseUrl) {
    return PlexAuthClient.builder()
        .wireObserver(ContractInterceptor.requestsOnly()) // every request checked against the spec
        .okHttpClient(shared)
        .maxRetries(0)
        .baseUrl(baseUrl)
        .token(CALLER_TOKEN)
        .clientIdentifier(CLIENT_ID)
        .connectTimeout(Duration.ofSeconds(5))
        .readTimeout(Duration.ofSeconds(5))
        .callTimeout(Duration.ofSeconds(WAIT_SECONDS));
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

  /** Runs what must throw, and records what it threw. */
  Throwable expectFailure(Executable call) {
    try {
      call.execute();
    } catch (Throwable t) {
      outcomes.add(t);
      return t;
    }
    outcomes.add(null);
    return null;
  }

  Throwable sync(PlexAuthClient client, Operation operation) {
    try {
      Object result = operation.call(client);
      throw new AssertionError(operation + " returned " + result + " instead of failing");
    } catch (AssertionError e) {
      throw e;
    } catch (Throwable t) {
      outcomes.add(t);
      return t;
    }
  }

  Throwable async(PlexAuthClient client, Operation operation) throws InterruptedException {
    try {
      Object result = operation.callAsync(client).get(WAIT_SECONDS, TimeUnit.SECONDS);
      throw new AssertionError(operation + " async returned " + result + " instead of failing");
    } catch (ExecutionException e) {
      outcomes.add(e.getCause());
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError(operation + " async did not complete", e);
    }
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
