package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.CALLER_TOKEN;
import static dev.plexauth.FacadeTestSupport.CLIENT_ID;
import static dev.plexauth.FacadeTestSupport.assertNoSecrets;
import static dev.plexauth.FacadeTestSupport.builderFor;
import static dev.plexauth.FacadeTestSupport.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.contract.ContractInterceptor;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A server that stalls, before the headers or in the middle of the body, ends the call in a
 * {@link PlexIoException} with a timeout cause, for every operation of the spec (see {@link
 * SpecCall}), sync and async, its example answer cut where the stall begins; and the timeouts have
 * their documented defaults. Timeouts here are short so that nothing waits long; no assertion
 * measures elapsed time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StallTest {
  private static final Duration SHORT = Duration.ofMillis(300);

  private MockWebServer server;
  private final List<PlexAuthClient> clients = new ArrayList<>();
  private final List<SilentAfter> rawServers = new ArrayList<>();

  @BeforeEach
  void startServer() throws IOException {
    server = new MockWebServer();
    server.start();
    UnansweredRequests.expectedOn(server);
  }

  @AfterEach
  void stopServer() throws IOException {
    clients.forEach(PlexAuthClient::close);
    for (SilentAfter raw : rawServers) {
      raw.close();
    }
    server.shutdown();
  }

  static Stream<SpecCall> calls() {
    return SpecCall.all();
  }

  /** Answers every connection with {@code prefix}, then says nothing until the client leaves. */
  private static final class SilentAfter implements Closeable {
    private final ServerSocket listener =
        new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    final AtomicInteger requests = new AtomicInteger();

    SilentAfter(String prefix) throws IOException {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            Socket socket = listener.accept();
            accepted.add(socket);
            Thread serve = new Thread(() -> serve(socket, prefix), "silent-after-serve");
            serve.setDaemon(true);
            serve.start();
          }
        } catch (IOException closed) {
          // The test is over.
        }
      }, "silent-after-accept");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    private void serve(Socket socket, String prefix) {
      try (socket) {
        InputStream in = socket.getInputStream();
        int matched = 0;
        // Read the request head (a GET has no body), up to the blank line.
        for (int b; matched < 4 && (b = in.read()) != -1; ) {
          matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        requests.incrementAndGet();
        OutputStream out = socket.getOutputStream();
        out.write(prefix.getBytes(StandardCharsets.UTF_8));
        out.flush();
        // Silence: block until the client gives up and closes the connection.
        while (in.read() != -1) {
          // Discard.
        }
      } catch (IOException gone) {
        // The client closed the connection: what a stalled server waits for.
      }
    }

    String url() {
      return "http://127.0.0.1:" + listener.getLocalPort() + "/";
    }

    @Override
    public void close() throws IOException {
      listener.close();
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }

  /** A stalling server's first words: a name and the bytes it sends before going silent. */
  private static Stream<Arguments> stalledBodies() {
    List<Arguments> all = new ArrayList<>();
    SpecCall.all().forEach(call -> {
      String body = call.fixture.okJson();
      String half = body.substring(0, body.length() / 2);
      all.add(Arguments.of("half the body, then silence", call,
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
              + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + half));
      all.add(Arguments.of("a first chunk, then silence", call,
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
              + "Transfer-Encoding: chunked\r\n\r\n"
              + Integer.toHexString(half.getBytes(StandardCharsets.UTF_8).length) + "\r\n"
              + half + "\r\n"));
      all.add(Arguments.of("headers without a body", call,
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n"));
    });
    return all.stream();
  }

  private static Stream<Arguments> stalledHeaders() {
    List<Arguments> all = new ArrayList<>();
    SpecCall.all().forEach(call -> {
      all.add(Arguments.of("no response", call, null,
          new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE)));
      all.add(Arguments.of("socket stalled at start", call, null,
          new MockResponse().setSocketPolicy(SocketPolicy.STALL_SOCKET_AT_START)));
      all.add(Arguments.of("a status line, then silence", call, "HTTP/1.1 200 OK\r\n", null));
      all.add(Arguments.of("half the headers, then silence", call,
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Le", null));
    });
    return all.stream();
  }

  /** The base URL of a server that stalls: the raw one when a prefix is given, else the mock. */
  private String stalling(String prefix, MockResponse answer) throws IOException {
    if (prefix != null) {
      SilentAfter raw = new SilentAfter(prefix);
      rawServers.add(raw);
      return raw.url();
    }
    server.enqueue(answer);
    return server.url("/").toString();
  }

  private PlexAuthClient build(PlexAuthClient.Builder builder) {
    PlexAuthClient client = builder.build();
    clients.add(client);
    return client;
  }

  private static void assertTimeoutCause(SpecCall call, PlexIoException e) {
    InterruptedIOException cause = assertInstanceOf(InterruptedIOException.class, e.getCause());
    String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
    assertTrue(message.contains("timeout") || message.contains("timed out"), "cause " + cause);
    assertTrue(e.getMessage().contains(call.fixture.path()), e.getMessage());
    assertNoSecrets(e, call.secrets());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("stalledHeaders")
  void stalledHeadersEndInIoExceptionWithReadTimeoutCause(
      String stall, SpecCall call, String prefix, MockResponse answer) throws Exception {
    String url = stalling(prefix, answer);
    PlexAuthClient client = build(builderFor(server).baseUrl(url).readTimeout(SHORT));

    PlexIoException e = assertThrows(PlexIoException.class, () -> call.run(client));

    assertInstanceOf(SocketTimeoutException.class, e.getCause(), stall);
    assertTimeoutCause(call, e);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("stalledHeaders")
  void stalledHeadersEndInIoExceptionAtTheCallTimeout(
      String stall, SpecCall call, String prefix, MockResponse answer) throws Exception {
    String url = stalling(prefix, answer);
    PlexAuthClient client = build(builderFor(server)
        .baseUrl(url)
        .readTimeout(Duration.ofSeconds(30))
        .callTimeout(SHORT));

    PlexIoException e = assertThrows(PlexIoException.class, () -> call.run(client));

    // The call timeout, not the 30 s read timeout, ended it: OkHttp reports that as a plain
    // InterruptedIOException("timeout"), not a SocketTimeoutException.
    assertTimeoutCause(call, e);
    assertFalse(e.getCause() instanceof SocketTimeoutException, stall + ": " + e.getCause());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("stalledBodies")
  void stalledBodyEndsInIoExceptionWithReadTimeoutCause(String stall, SpecCall call, String prefix)
      throws Exception {
    SilentAfter raw = new SilentAfter(prefix);
    rawServers.add(raw);
    PlexAuthClient client = build(builderFor(server).baseUrl(raw.url()).readTimeout(SHORT));

    PlexIoException e = assertThrows(PlexIoException.class, () -> call.run(client));

    assertInstanceOf(SocketTimeoutException.class, e.getCause(), stall);
    assertTimeoutCause(call, e);
    assertEquals(1, raw.requests.get());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("stalledBodies")
  void stalledBodyEndsInIoExceptionAtTheCallTimeout(String stall, SpecCall call, String prefix)
      throws Exception {
    SilentAfter raw = new SilentAfter(prefix);
    rawServers.add(raw);
    PlexAuthClient client = build(builderFor(server)
        .baseUrl(raw.url())
        .readTimeout(Duration.ofSeconds(30))
        .callTimeout(SHORT));

    PlexIoException e = assertThrows(PlexIoException.class, () -> call.run(client));

    assertTimeoutCause(call, e);
    assertFalse(e.getCause() instanceof SocketTimeoutException, stall + ": " + e.getCause());
  }

  @ParameterizedTest
  @MethodSource("calls")
  void bodyThatKeepsTricklingEndsInIoExceptionAtTheCallTimeout(SpecCall call) throws Exception {
    // A byte every 100 ms never trips the read timeout; only the call timeout ends it.
    server.enqueue(call.ok().throttleBody(1, 100, TimeUnit.MILLISECONDS));
    PlexAuthClient client = build(builderFor(server)
        .readTimeout(Duration.ofSeconds(30))
        .callTimeout(SHORT));

    PlexIoException e = assertThrows(PlexIoException.class, () -> call.run(client));

    assertTimeoutCause(call, e);
    assertFalse(e.getCause() instanceof SocketTimeoutException, "cause " + e.getCause());
    assertEquals(1, server.getRequestCount());
    call.assertRequest(take(server));
  }

  @ParameterizedTest
  @MethodSource("calls")
  void stalledBodyIsNotRetriedEvenWithRetriesOn(SpecCall call) throws Exception {
    String body = call.fixture.okJson();
    SilentAfter raw = new SilentAfter("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n"
        + body.substring(0, 10));
    rawServers.add(raw);
    List<Duration> waits = new CopyOnWriteArrayList<>();
    PlexAuthClient client = build(builderFor(server)
        .baseUrl(raw.url())
        .maxRetries(2)
        .readTimeout(SHORT)
        .scheduler(recording(waits)));

    PlexIoException e = assertThrows(PlexIoException.class, () -> call.run(client));

    assertInstanceOf(SocketTimeoutException.class, e.getCause());
    assertTimeoutCause(call, e);
    assertEquals(1, raw.requests.get());
    assertEquals(List.of(), waits);
  }

  @ParameterizedTest
  @MethodSource("calls")
  void stalledHeadersAreRetriedWhenRetriesAreOn(SpecCall call) throws Exception {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    server.enqueue(call.ok());
    List<Duration> waits = new CopyOnWriteArrayList<>();
    PlexAuthClient client = build(builderFor(server)
        .maxRetries(2)
        .readTimeout(SHORT)
        .scheduler(recording(waits)));

    call.assertOk(call.run(client));

    assertEquals(2, server.getRequestCount());
    call.assertRequest(take(server));
    call.assertRequest(take(server));
    assertEquals(1, waits.size());
  }

  private static RetryScheduler recording(List<Duration> waits) {
    return new RetryScheduler() {
      @Override
      public void sleep(long delayNanos) {
        waits.add(Duration.ofNanos(delayNanos));
      }

      @Override
      public Executor after(long delayNanos) {
        waits.add(Duration.ofNanos(delayNanos));
        return Runnable::run;
      }
    };
  }

  // --- the defaults ----------------------------------------------------------------------------

  /** The timeouts OkHttp applies to a call, as an interceptor of the caller's client sees them. */
  private static final class Timeouts {
    final long connectMillis;
    final long readMillis;
    final long writeMillis;
    final long callNanos;

    Timeouts(Interceptor.Chain chain) {
      connectMillis = chain.connectTimeoutMillis();
      readMillis = chain.readTimeoutMillis();
      writeMillis = chain.writeTimeoutMillis();
      callNanos = chain.call().timeout().timeoutNanos();
    }
  }

  /** Makes one call through a client built on {@code base}, and returns the timeouts it had. */
  private Timeouts timeoutsOf(SpecCall call, PlexAuthClient.Builder builder, OkHttpClient base)
      throws Exception {
    AtomicReference<Timeouts> seen = new AtomicReference<>();
    OkHttpClient observed = base.newBuilder()
        .addInterceptor(chain -> {
          seen.set(new Timeouts(chain));
          return chain.proceed(chain.request());
        })
        .build();
    server.enqueue(call.ok());
    PlexAuthClient client = build(builder.okHttpClient(observed));

    call.assertOk(call.run(client));

    assertNotNull(seen.get(), "the interceptor saw no call");
    return seen.get();
  }

  private PlexAuthClient.Builder plain() {
    return PlexAuthClient.builder()
        .wireObserver(ContractInterceptor.requestsOnly()) // every request checked against the spec
        .baseUrl(server.url("/").toString())
        .token(CALLER_TOKEN)
        .clientIdentifier(CLIENT_ID);
  }

  @ParameterizedTest
  @MethodSource("calls")
  void defaultTimeoutsAreTenSecondsConnectThirtyReadThirtyWriteSixtyCall(SpecCall call) throws Exception {
    Timeouts timeouts = timeoutsOf(call, plain(), new OkHttpClient());

    assertEquals(10_000, timeouts.connectMillis);
    assertEquals(30_000, timeouts.readMillis);
    assertEquals(30_000, timeouts.writeMillis);
    // Each attempt gets what is left of the one 60 s call timeout.
    assertTrue(timeouts.callNanos > TimeUnit.SECONDS.toNanos(30)
        && timeouts.callNanos <= TimeUnit.SECONDS.toNanos(60), "call " + timeouts.callNanos);
    assertTrue(plain().build().toString().contains("callTimeout=60000ms"), plain().build().toString());
  }

  @ParameterizedTest
  @MethodSource("calls")
  void defaultTimeoutsReplaceThoseOfTheCallersClient(SpecCall call) throws Exception {
    OkHttpClient impatient = new OkHttpClient.Builder()
        .connectTimeout(Duration.ofMillis(1))
        .readTimeout(Duration.ofMillis(2))
        .writeTimeout(Duration.ofMillis(3))
        .callTimeout(Duration.ofMillis(4))
        .build();

    Timeouts timeouts = timeoutsOf(call, plain(), impatient);

    assertEquals(10_000, timeouts.connectMillis);
    assertEquals(30_000, timeouts.readMillis);
    assertEquals(30_000, timeouts.writeMillis);
    assertTrue(timeouts.callNanos > TimeUnit.SECONDS.toNanos(30), "call " + timeouts.callNanos);
  }

  @ParameterizedTest
  @MethodSource("calls")
  void configuredTimeoutsReachOkHttp(SpecCall call) throws Exception {
    Timeouts timeouts = timeoutsOf(call, plain()
        .connectTimeout(Duration.ofSeconds(7))
        .readTimeout(Duration.ofSeconds(8))
        .writeTimeout(Duration.ofSeconds(9))
        .callTimeout(Duration.ofSeconds(40)), new OkHttpClient());

    assertEquals(7_000, timeouts.connectMillis);
    assertEquals(8_000, timeouts.readMillis);
    assertEquals(9_000, timeouts.writeMillis);
    assertTrue(timeouts.callNanos > TimeUnit.SECONDS.toNanos(20)
        && timeouts.callNanos <= TimeUnit.SECONDS.toNanos(40), "call " + timeouts.callNanos);
  }

  @ParameterizedTest
  @MethodSource("calls")
  void zeroCallTimeoutMeansNone(SpecCall call) throws Exception {
    Timeouts timeouts = timeoutsOf(call, plain().callTimeout(Duration.ZERO), new OkHttpClient());

    assertEquals(0, timeouts.callNanos);
  }

  @Test
  void negativeTimeoutsAreRejectedByName() {
    for (String name : List.of("connectTimeout", "readTimeout", "writeTimeout", "callTimeout")) {
      PlexAuthClient.Builder builder = plain();
      Duration negative = Duration.ofMillis(-1);
      switch (name) {
        case "connectTimeout": builder.connectTimeout(negative); break;
        case "readTimeout": builder.readTimeout(negative); break;
        case "writeTimeout": builder.writeTimeout(negative); break;
        default: builder.callTimeout(negative); break;
      }
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
      assertTrue(e.getMessage().contains(name), e.getMessage());
    }
    assertEquals(0, server.getRequestCount());
  }
}
