package dev.plexauth.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.plexauth.BenchHooks;
import dev.plexauth.PlexAuthClient;
import dev.plexauth.model.SourceConnectionInformation;
import dev.plexauth.model.TransientToken;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The benchmark harness compares like with like: the SDK, {@link HandRetrofitPlex} and {@link
 * RawPlex} send the same requests and get the same values, in memory and over {@link
 * LoopbackServer}, the baselines check what they get as the SDK does, and the cold-start launches
 * succeed only when they really got a transient token. No benchmark is run.
 */
class BenchHarnessTest {
  /** The headers whose values every side must send, as the caller set them. */
  private static final List<String> COMPARED_HEADERS = List.of("X-Plex-Token",
      "X-Plex-Client-Identifier", "X-Plex-Product", "X-Plex-Version", "Accept");
  /** Generous for a JVM launch on a busy two-CPU machine; a launch normally takes about 1 s. */
  private static final long LAUNCH_SECONDS = 60;

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  // In memory: both answered by FixtureInterceptor, as InMemoryBenchmark does.

  @Test
  void inMemoryEverySideReturnsEqualValuesThoseOfTheFixtures() throws IOException {
    Recording sdkWire = new Recording();
    Recording retrofitWire = new Recording();
    Recording rawWire = new Recording();
    PlexAuthClient sdk = inMemorySdk(sdkWire);
    HandRetrofitPlex retrofit = new HandRetrofitPlex(retrofitClient(retrofitWire),
        InMemoryBenchmark.SERVER);
    RawPlex raw = new RawPlex(rawClient(rawWire), InMemoryBenchmark.SERVER);

    TransientToken sdkToken = sdk.getTransientToken();
    assertEquals(Fixtures.TRANSIENT_TOKEN_VALUE, sdkToken.token(),
        "the SDK returns the fixture's transient token");
    assertEquals(retrofit.transientToken(), sdkToken,
        "SDK and Retrofit by hand return equal transient tokens");
    assertEquals(raw.transientToken(), sdkToken, "SDK and raw return equal transient tokens");

    SourceConnectionInformation sdkSource = sdk.getSourceConnectionInformation(Fixtures.SOURCE);
    assertEquals("243b471948ace337a8f92f129ec97d1902fcb1df", sdkSource.clientIdentifier(),
        "the SDK returns the fixture's device");
    assertEquals(3, sdkSource.connections().size(), "the fixture's device has 3 connections");
    assertEquals(retrofit.sourceConnectionInformation(Fixtures.SOURCE), sdkSource,
        "SDK and Retrofit by hand return equal source connection information");
    assertEquals(raw.sourceConnectionInformation(Fixtures.SOURCE), sdkSource,
        "SDK and raw return equal source connection information");

    assertEquals(2, sdkWire.requests.size(),
        "the SDK's two calls were both answered in memory, once each: " + sdkWire.requests);
    assertEquals(2, retrofitWire.requests.size(),
        "Retrofit's two calls were both answered in memory, once each: " + retrofitWire.requests);
    assertEquals(2, rawWire.requests.size(),
        "the raw client's two calls were both answered in memory, once each: " + rawWire.requests);
  }

  @Test
  void inMemoryEverySideSendsTheSameRequestForTheTransientToken() throws IOException {
    Recording sdkWire = new Recording();
    Recording retrofitWire = new Recording();
    Recording rawWire = new Recording();
    inMemorySdk(sdkWire).getTransientToken();
    new HandRetrofitPlex(retrofitClient(retrofitWire), InMemoryBenchmark.SERVER).transientToken();
    new RawPlex(rawClient(rawWire), InMemoryBenchmark.SERVER).transientToken();

    Request sdk = only(sdkWire, "SDK");
    assertSameRequest(sdk, only(retrofitWire, "Retrofit by hand"));
    assertSameRequest(sdk, only(rawWire, "raw"));
    assertEquals("/security/token", sdk.url().encodedPath(), "the transient token path");
    assertEquals("delegation", sdk.url().queryParameter("type"), "the transient token type");
    assertEquals("all", sdk.url().queryParameter("scope"), "the transient token scope");
  }

  @Test
  void inMemoryEverySideSendsTheSameRequestForTheSourceConnectionInformation()
      throws IOException {
    Recording sdkWire = new Recording();
    Recording retrofitWire = new Recording();
    Recording rawWire = new Recording();
    inMemorySdk(sdkWire).getSourceConnectionInformation(Fixtures.SOURCE);
    new HandRetrofitPlex(retrofitClient(retrofitWire), InMemoryBenchmark.SERVER)
        .sourceConnectionInformation(Fixtures.SOURCE);
    new RawPlex(rawClient(rawWire), InMemoryBenchmark.SERVER)
        .sourceConnectionInformation(Fixtures.SOURCE);

    Request sdk = only(sdkWire, "SDK");
    assertSameRequest(sdk, only(retrofitWire, "Retrofit by hand"));
    assertSameRequest(sdk, only(rawWire, "raw"));
    assertEquals("/security/resources", sdk.url().encodedPath(), "the resources path");
    assertEquals(List.of("source"), new ArrayList<>(sdk.url().queryParameterNames()),
        "the source is the only query parameter");
    assertEquals(Fixtures.SOURCE, sdk.url().queryParameter("source"), "the source asked for");
  }

  @Test
  void fixtureInterceptorAnswersAsPlexDoes() throws IOException {
    OkHttpClient client = rawClient(new Recording());
    HttpUrl server = InMemoryBenchmark.SERVER;
    assertAnswer(client, server, "/security/token", Fixtures.TOKEN, 200, Fixtures.TRANSIENT_TOKEN);
    assertAnswer(client, server, "/security/resources", Fixtures.TOKEN, 200,
        Fixtures.SOURCE_CONNECTION_INFORMATION);
    assertAnswer(client, server, "/security/token", null, 401, new byte[0]);
    assertAnswer(client, server, "/security/token", "not-" + Fixtures.TOKEN, 401, new byte[0]);
    assertAnswer(client, server, "/elsewhere", Fixtures.TOKEN, 404, new byte[0]);
  }

  @Test
  void fixtureBodyGivesBackWhatWasLeftUnreadWhenClosedAsASocketsBodyDoes() throws IOException {
    byte[] answer = Fixtures.TRANSIENT_TOKEN;
    assertEquals('\n', answer[answer.length - 1],
        "the fixture ends with a newline, which a JSON reader leaves unread");
    FixtureInterceptor.FixtureBody body = new FixtureInterceptor.FixtureBody(answer);
    assertEquals(answer.length, body.contentLength());
    assertEquals(FixtureInterceptor.JSON, body.contentType());

    okio.BufferedSource source = body.source();
    source.skip(answer.length - 1);
    assertEquals(1, source.getBuffer().size(), "the final newline, read by nobody");
    body.close();
    assertEquals(0, source.getBuffer().size(), "closing the body clears what was left");
  }

  @Test
  void inMemoryTheRawClientLeavesOkiosSegmentPoolStockedSoTheAnswerCostsNoNewSegment()
      throws IOException {
    // Were the answer's segment never given back, okio's pool (64 KiB per thread bucket, 8 KiB
    // a segment) would be empty after a few calls, and each further call would allocate 8 KiB.
    RawPlex raw = new RawPlex(rawClient(new Recording()), InMemoryBenchmark.SERVER);
    for (int call = 0; call < 20; call++) {
      raw.transientToken();
      assertTrue(okio.SegmentPool.INSTANCE.getByteCount() >= 8192, "after call " + call
          + ", okio's pool keeps a segment: " + okio.SegmentPool.INSTANCE.getByteCount() + " B");
    }
  }

  // Over loopback HTTP: LoopbackServer, as LoopbackBenchmark uses it.

  @Test
  void loopbackServerAnswersTheFixturesWithTheRightTokenOnly() throws IOException {
    LoopbackServer server = loopbackServer();
    OkHttpClient client = okHttp(new OkHttpClient.Builder().build());
    HttpUrl url = server.url();

    assertEquals("127.0.0.1", url.host(), "the server listens on loopback");
    assertAnswer(client, url, "/security/token", Fixtures.TOKEN, 200, Fixtures.TRANSIENT_TOKEN);
    assertAnswer(client, url, "/security/resources", Fixtures.TOKEN, 200,
        Fixtures.SOURCE_CONNECTION_INFORMATION);
    assertAnswer(client, url, "/security/token", null, 401, new byte[0]);
    assertAnswer(client, url, "/security/token", "not-" + Fixtures.TOKEN, 401, new byte[0]);
    assertAnswer(client, url, "/security/unknown", Fixtures.TOKEN, 404, new byte[0]);
    assertAnswer(client, url, "/", Fixtures.TOKEN, 404, new byte[0]);
  }

  @Test
  void overLoopbackEverySideGetsEqualValues() throws IOException {
    LoopbackServer server = loopbackServer();
    PlexAuthClient sdk = closing(BenchClients.sdk(server.url()).build());
    HandRetrofitPlex retrofit =
        new HandRetrofitPlex(okHttp(HandRetrofitPlex.okHttpClient().build()), server.url());
    RawPlex raw = new RawPlex(okHttp(new OkHttpClient()), server.url());

    TransientToken sdkToken = sdk.getTransientToken();
    assertEquals(Fixtures.TRANSIENT_TOKEN_VALUE, sdkToken.token(),
        "the SDK gets the fixture's transient token from the loopback server");
    assertEquals(retrofit.transientToken(), sdkToken,
        "SDK and Retrofit by hand get equal transient tokens");
    assertEquals(raw.transientToken(), sdkToken, "SDK and raw get equal transient tokens");

    SourceConnectionInformation sdkSource = sdk.getSourceConnectionInformation(Fixtures.SOURCE);
    assertEquals(3, sdkSource.connections().size(), "the fixture's device has 3 connections");
    assertEquals(retrofit.sourceConnectionInformation(Fixtures.SOURCE), sdkSource,
        "SDK and Retrofit by hand get equal source connection information");
    assertEquals(raw.sourceConnectionInformation(Fixtures.SOURCE), sdkSource,
        "SDK and raw get equal source connection information");
  }

  @Test
  void overLoopbackEverySideSendsTheSameHeadersOnTheWire() throws Exception {
    // MockWebServer records what arrives on the socket, after OkHttp's own headers (Host,
    // Connection, Accept-Encoding, User-Agent) were added: the loopback figures compare these.
    MockWebServer server = new MockWebServer();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        byte[] answer = Fixtures.answerFor(request.getRequestUrl().encodedPath());
        return new MockResponse().setHeader("Content-Type", FixtureInterceptor.JSON)
            .setBody(new okio.Buffer().write(answer));
      }
    });
    server.start(InetAddress.getLoopbackAddress(), 0);
    toClose.add(server);
    PlexAuthClient sdk = closing(BenchClients.sdk(server.url("/")).build());
    HandRetrofitPlex retrofit =
        new HandRetrofitPlex(okHttp(HandRetrofitPlex.okHttpClient().build()), server.url("/"));
    RawPlex raw = new RawPlex(okHttp(new OkHttpClient()), server.url("/"));

    sdk.getTransientToken();
    retrofit.transientToken();
    raw.transientToken();
    sdk.getSourceConnectionInformation(Fixtures.SOURCE);
    retrofit.sourceConnectionInformation(Fixtures.SOURCE);
    raw.sourceConnectionInformation(Fixtures.SOURCE);

    String[] operations = {"the transient token", "the source connection information"};
    for (String operation : operations) {
      RecordedRequest sdkRequest = server.takeRequest(0, TimeUnit.SECONDS);
      for (String side : new String[] {"Retrofit by hand", "raw"}) {
        RecordedRequest request = server.takeRequest(0, TimeUnit.SECONDS);
        assertNotNull(request, operation + ": " + side + " reached the server");
        assertEquals(sdkRequest.getRequestLine(), request.getRequestLine(),
            operation + ": " + side + "'s request line");
        assertEquals(sdkRequest.getHeaders().toMultimap(), request.getHeaders().toMultimap(),
            operation + ": " + side + "'s headers on the wire");
      }
    }
    assertEquals(6, server.getRequestCount(), "no retry, no redirect");
  }

  // Cold start: ColdStartMain in a fresh JVM, launched as ColdStartBenchmark launches it.

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sdk", "retrofit", "raw"})
  void coldStartLaunchPrintsOkAndExitsZeroWithATransientToken(String client, @TempDir Path dir)
      throws Exception {
    LoopbackServer server = loopbackServer();

    Launch launch = launch(dir, client, server.url().toString());

    assertEquals("ok", launch.firstLine(), client + " launch: the first line of stdout\n" + launch);
    assertEquals(0, launch.status, client + " launch: the exit status\n" + launch);
  }

  static List<List<String>> badArguments() {
    String url = "http://127.0.0.1:9/";
    return List.of(List.of(), List.of("sdk"), List.of("jvm", url), List.of("sdk", "not a url"),
        List.of("raw", "ftp://127.0.0.1/"), List.of("retrofit", "not a url"),
        List.of("sdk", url, "extra"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badArguments")
  void coldStartLaunchWithBadArgumentsExitsTwoWithUsage(List<String> arguments, @TempDir Path dir)
      throws Exception {
    Launch launch = launch(dir, arguments.toArray(new String[0]));

    assertEquals(2, launch.status, "bad arguments " + arguments + ": the exit status\n" + launch);
    assertEquals("", launch.stdout, "bad arguments " + arguments + ": nothing on stdout\n" + launch);
    assertTrue(launch.stderr.contains("usage: ColdStartMain sdk|retrofit|raw <server base URL>"),
        "bad arguments " + arguments + ": the usage on stderr\n" + launch);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sdk", "retrofit", "raw"})
  void coldStartLaunchAgainstAServerAnswering401FailsWithoutOk(String client, @TempDir Path dir)
      throws Exception {
    // LoopbackServer accepts the launch's token, and an unused port refuses the connection
    // (which the SDK retries) rather than answering: a server that answers 401 to everything.
    MockWebServer server = new MockWebServer();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse().setResponseCode(401);
      }
    });
    server.start(InetAddress.getLoopbackAddress(), 0);
    toClose.add(server);

    Launch launch = launch(dir, client, server.url("/").toString());

    RecordedRequest request = server.takeRequest(0, TimeUnit.SECONDS);
    assertNotNull(request, client + " launch: it asked the server\n" + launch);
    assertEquals("/security/token?type=delegation&scope=all", request.getPath(),
        client + " launch: it asked for a transient token");
    assertEquals(1, launch.status, client + " launch: a failed call exits with status 1\n" + launch);
    assertFalse(launch.stdout.contains("ok"), client + " launch: never prints ok\n" + launch);
    assertEquals(1, server.getRequestCount(), client + " launch: a 401 is not retried");
  }

  // ColdStartBenchmark itself, driven as JMH drives it for one launch.

  @Test
  @Timeout(value = 2 * LAUNCH_SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void coldStartBenchmarkLaunchesOnceAndAwaitsAZeroExit() throws Exception {
    String before = System.getProperty(ColdStartBenchmark.CLASSPATH_PROPERTY);
    ColdStartBenchmark benchmark = coldStart("sdk");
    try {
      benchmark.setUp();
      assertEquals(List.of(javaExecutable(), "-cp", System.getProperty("java.class.path"),
              ColdStartMain.class.getName(), "sdk", benchmark.server.url().toString()),
          benchmark.command, "the launch command: this JVM's java, the property's classpath");

      assertEquals("ok", benchmark.launch(), "the launch returns the line it read");
      benchmark.awaitExit();
      assertFalse(benchmark.process.isAlive(), "after awaitExit the launched JVM has exited");
      assertEquals(0, benchmark.process.exitValue(), "the launched JVM's exit status");
    } finally {
      cleanUp(benchmark, before);
    }
  }

  @Test
  @Timeout(value = 2 * LAUNCH_SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void coldStartBenchmarkRejectsALaunchThatDoesNotPrintOk() throws Exception {
    String before = System.getProperty(ColdStartBenchmark.CLASSPATH_PROPERTY);
    ColdStartBenchmark benchmark = coldStart("raw");
    try {
      benchmark.setUp();
      // The same launch with a client name ColdStartMain refuses: usage, exit status 2.
      List<String> command = new ArrayList<>(benchmark.command);
      command.set(command.size() - 2, "neither");
      benchmark.command = command;

      IllegalStateException launch = assertThrows(IllegalStateException.class, benchmark::launch,
          "a launch that prints no ok is a failure, not a measurement");
      assertTrue(launch.getMessage().contains("instead of ok"), launch.getMessage());
      IllegalStateException exit = assertThrows(IllegalStateException.class,
          benchmark::awaitExit, "a non-zero exit status is a failure");
      assertEquals("the raw launch exited with status 2", exit.getMessage());
    } finally {
      cleanUp(benchmark, before);
    }
  }

  /** A ColdStartBenchmark for the client, with this JVM's classpath as the property. */
  private static ColdStartBenchmark coldStart(String client) {
    System.setProperty(ColdStartBenchmark.CLASSPATH_PROPERTY, System.getProperty("java.class.path"));
    ColdStartBenchmark benchmark = new ColdStartBenchmark();
    benchmark.client = client;
    return benchmark;
  }

  /** Stops what a driven ColdStartBenchmark started and restores the classpath property. */
  private static void cleanUp(ColdStartBenchmark benchmark, String before) {
    if (benchmark.process != null) {
      benchmark.process.destroyForcibly();
    }
    if (benchmark.server != null) {
      benchmark.tearDown();
    }
    restore(before);
  }

  @Test
  void coldStartBenchmarkSetUpNamesTheMissingClasspathProperty() {
    String before = System.getProperty(ColdStartBenchmark.CLASSPATH_PROPERTY);
    try {
      for (String value : new String[] {null, " "}) {
        if (value == null) {
          System.clearProperty(ColdStartBenchmark.CLASSPATH_PROPERTY);
        } else {
          System.setProperty(ColdStartBenchmark.CLASSPATH_PROPERTY, value);
        }
        ColdStartBenchmark benchmark = new ColdStartBenchmark();
        benchmark.client = "sdk";
        IllegalStateException e = assertThrows(IllegalStateException.class, benchmark::setUp,
            "setUp without the classpath property (" + (value == null ? "unset" : "blank") + ")");
        assertEquals("set -D" + ColdStartBenchmark.CLASSPATH_PROPERTY + " (scripts/bench does)",
            e.getMessage(), "the message names the property to set");
        assertNull(benchmark.server, "a failed setUp starts no server");
      }
    } finally {
      restore(before);
    }
  }

  // Helpers.

  /** Records each request it answers with {@link FixtureInterceptor}. */
  private static final class Recording implements Interceptor {
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final FixtureInterceptor answers = new FixtureInterceptor();

    @Override
    public Response intercept(Chain chain) {
      requests.add(chain.request());
      return answers.intercept(chain);
    }
  }

  /** A finished launch of ColdStartMain. */
  private static final class Launch {
    final int status;
    final String stdout;
    final String stderr;

    Launch(int status, String stdout, String stderr) {
      this.status = status;
      this.stdout = stdout;
      this.stderr = stderr;
    }

    String firstLine() {
      return stdout.isEmpty() ? null : stdout.split("\r?\n", -1)[0];
    }

    @Override
    public String toString() {
      return "exit status " + status + "\n--- stdout:\n" + stdout + "--- stderr:\n" + stderr;
    }
  }

  /** Launches ColdStartMain as ColdStartBenchmark does, with this JVM's classpath. */
  private static Launch launch(Path dir, String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(javaExecutable(), "-cp",
        System.getProperty("java.class.path"), ColdStartMain.class.getName()));
    command.addAll(List.of(arguments));
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    Process process = new ProcessBuilder(command)
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
    process.getOutputStream().close();
    if (!process.waitFor(LAUNCH_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(LAUNCH_SECONDS, TimeUnit.SECONDS);
      fail("ColdStartMain " + arguments.length + " argument(s) " + List.of(arguments)
          + " did not exit within " + LAUNCH_SECONDS + " s; stderr:\n"
          + Files.readString(err, StandardCharsets.UTF_8));
    }
    return new Launch(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static String javaExecutable() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void restore(String value) {
    if (value == null) {
      System.clearProperty(ColdStartBenchmark.CLASSPATH_PROPERTY);
    } else {
      System.setProperty(ColdStartBenchmark.CLASSPATH_PROPERTY, value);
    }
  }

  private PlexAuthClient inMemorySdk(Interceptor transport) {
    return closing(BenchHooks.answeredBy(
        BenchClients.sdk(InMemoryBenchmark.SERVER), transport).build());
  }

  /** Retrofit's OkHttp client as InMemoryBenchmark builds it, answered by {@code answers}. */
  private OkHttpClient retrofitClient(Interceptor answers) {
    return okHttp(HandRetrofitPlex.okHttpClient().addInterceptor(answers).build());
  }

  /** The raw client's OkHttp client as InMemoryBenchmark builds it, answered by {@code answers}. */
  private OkHttpClient rawClient(Interceptor answers) {
    return okHttp(new OkHttpClient.Builder().addInterceptor(answers).build());
  }

  private OkHttpClient okHttp(OkHttpClient client) {
    toClose.add(() -> {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    });
    return client;
  }

  private PlexAuthClient closing(PlexAuthClient client) {
    toClose.add(client);
    return client;
  }

  private LoopbackServer loopbackServer() {
    LoopbackServer server = new LoopbackServer();
    toClose.add(server);
    return server;
  }

  private static Request only(Recording recording, String who) {
    assertEquals(1, recording.requests.size(),
        who + ": one request answered, no retry: " + recording.requests);
    return recording.requests.get(0);
  }

  private static void assertSameRequest(Request sdk, Request raw) {
    assertEquals(raw.method(), sdk.method(), "the method");
    assertEquals("GET", sdk.method(), "both GET");
    assertEquals(raw.url().encodedPath(), sdk.url().encodedPath(), "the path");
    assertEquals(queryParameters(raw.url()), queryParameters(sdk.url()), "the query parameters");
    assertEquals(raw.url().encodedQuery(), sdk.url().encodedQuery(), "the query as sent");
    for (String name : COMPARED_HEADERS) {
      assertEquals(raw.headers(name), sdk.headers(name), "the " + name + " header(s)");
    }
    assertEquals(List.of(Fixtures.TOKEN), sdk.headers("X-Plex-Token"), "the caller's token");
    assertEquals(List.of(Fixtures.CLIENT_IDENTIFIER), sdk.headers("X-Plex-Client-Identifier"),
        "the caller's client identifier");
    assertEquals(List.of(Fixtures.PRODUCT), sdk.headers("X-Plex-Product"), "the product");
    assertEquals(List.of(Fixtures.VERSION), sdk.headers("X-Plex-Version"), "the version");
    assertEquals(List.of("application/json"), sdk.headers("Accept"), "exactly one Accept");
    assertEquals(raw.headers().toMultimap(), sdk.headers().toMultimap(),
        "no header that one client sends and the other does not");
    assertNull(sdk.body(), "the SDK's GET has no body");
    assertNull(raw.body(), "the raw GET has no body");
  }

  private static List<String> queryParameters(HttpUrl url) {
    List<String> parameters = new ArrayList<>();
    for (int i = 0; i < url.querySize(); i++) {
      parameters.add(url.queryParameterName(i) + "=" + url.queryParameterValue(i));
    }
    return parameters;
  }

  private static void assertAnswer(OkHttpClient client, HttpUrl server, String path, String token,
      int status, byte[] body) throws IOException {
    Request.Builder request = new Request.Builder().url(server.resolve(path));
    if (token != null) {
      request.header("X-Plex-Token", token);
    }
    String what = path + (token == null ? " without a token" : " with token " + token);
    try (Response response = client.newCall(request.build()).execute()) {
      assertEquals(status, response.code(), what + ": the status");
      byte[] received = response.body().bytes();
      assertEquals(new String(body, StandardCharsets.UTF_8),
          new String(received, StandardCharsets.UTF_8), what + ": the body");
      assertTrue(Arrays.equals(body, received), what + ": the body, byte for byte");
      if (status == 200) {
        MediaType type = MediaType.parse(response.header("Content-Type", ""));
        assertNotNull(type, what + ": a Content-Type");
        assertEquals("application/json", type.type() + "/" + type.subtype(),
            what + ": the Content-Type");
      }
    }
  }

  @Test
  void inMemoryBenchmarkMethodsAllReturnTheFixturesValues() throws Exception {
    InMemoryBenchmark benchmark = new InMemoryBenchmark();
    benchmark.setUp();
    try {
      TransientToken raw = benchmark.rawTransientToken();
      assertEquals(Fixtures.TRANSIENT_TOKEN_VALUE, raw.token());
      assertEquals(raw, benchmark.sdkTransientToken(), "SDK with the default call timeout");
      assertEquals(raw, benchmark.sdkNoCallTimeoutTransientToken(), "SDK with callTimeout(ZERO)");
      assertEquals(raw, benchmark.retrofitTransientToken(), "Retrofit by hand");
      SourceConnectionInformation source = benchmark.rawSourceConnectionInformation();
      assertEquals(3, source.connections().size());
      assertEquals(source, benchmark.sdkSourceConnectionInformation());
      assertEquals(source, benchmark.sdkNoCallTimeoutSourceConnectionInformation());
      assertEquals(source, benchmark.retrofitSourceConnectionInformation());
    } finally {
      benchmark.tearDown();
    }
  }

  @Test
  void loopbackBenchmarkMethodsAllReturnTheFixturesValuesOverOnePooledConnectionEach()
      throws Exception {
    LoopbackBenchmark benchmark = new LoopbackBenchmark();
    benchmark.setUp();
    try {
      for (int call = 0; call < 2; call++) {
        TransientToken raw = benchmark.rawTransientToken();
        assertEquals(Fixtures.TRANSIENT_TOKEN_VALUE, raw.token());
        assertEquals(raw, benchmark.sdkTransientToken(), "the SDK");
        assertEquals(raw, benchmark.retrofitTransientToken(), "Retrofit by hand");
        SourceConnectionInformation source = benchmark.rawSourceConnectionInformation();
        assertEquals(3, source.connections().size());
        assertEquals(source, benchmark.sdkSourceConnectionInformation(), "the SDK");
        assertEquals(source, benchmark.retrofitSourceConnectionInformation(), "Retrofit by hand");
      }
      assertEquals(1, benchmark.retrofitClient.connectionPool().connectionCount(),
          "Retrofit by hand reuses its one connection for four calls");
      assertEquals(1, benchmark.rawClient.connectionPool().connectionCount(),
          "raw OkHttp reuses its one connection for four calls");
    } finally {
      benchmark.tearDown();
    }
  }

  @Test
  void retrofitByHandHasTheSdksDefaultTimeoutsAndItsHeadersBeforeWhatIsAddedAfter() {
    Interceptor added = chain -> chain.proceed(chain.request());
    OkHttpClient client = HandRetrofitPlex.okHttpClient().addInterceptor(added).build();

    assertEquals(BenchHooks.defaultTimeouts(),
        List.of(Duration.ofMillis(client.connectTimeoutMillis()),
            Duration.ofMillis(client.readTimeoutMillis()),
            Duration.ofMillis(client.writeTimeoutMillis()),
            Duration.ofMillis(client.callTimeoutMillis())),
        "connect, read, write and call timeouts: the SDK's defaults");
    assertEquals(Duration.ofSeconds(60), Duration.ofMillis(client.callTimeoutMillis()),
        "the SDK's default call timeout, 60 s");
    assertEquals(2, client.interceptors().size(), "the header interceptor, then the one added");
    assertTrue(client.interceptors().get(0) instanceof HandRetrofitPlex.PlexHeaders,
        "the headers are added before what the caller adds (in memory: the answer)");
    assertEquals(added, client.interceptors().get(1));
    assertEquals(0, new OkHttpClient().callTimeoutMillis(), "raw OkHttp has no call timeout");
  }

  static List<Integer> failureStatuses() {
    return List.of(401, 404, 500);
  }

  @ParameterizedTest(name = "HTTP {0}")
  @MethodSource("failureStatuses")
  void bothBaselinesCheckTheStatusAsTheSdkDoes(int status) {
    Interceptor failing = chain -> new Response.Builder().request(chain.request())
        .protocol(okhttp3.Protocol.HTTP_1_1).code(status).message("No")
        .body(okhttp3.ResponseBody.create("<html>no</html>", MediaType.get("text/html"))).build();
    HandRetrofitPlex retrofit = new HandRetrofitPlex(retrofitClient(failing),
        InMemoryBenchmark.SERVER);
    RawPlex raw = new RawPlex(rawClient(failing), InMemoryBenchmark.SERVER);
    PlexAuthClient sdk = closing(BenchHooks.answeredBy(
        BenchClients.sdk(InMemoryBenchmark.SERVER).maxRetries(0), failing).build());

    assertThrows(dev.plexauth.PlexHttpException.class, sdk::getTransientToken, "the SDK");
    for (IOException failure : List.of(
        assertThrows(IOException.class, retrofit::transientToken, "Retrofit by hand"),
        assertThrows(IOException.class,
            () -> retrofit.sourceConnectionInformation(Fixtures.SOURCE), "Retrofit by hand"),
        assertThrows(IOException.class, raw::transientToken, "raw"),
        assertThrows(IOException.class,
            () -> raw.sourceConnectionInformation(Fixtures.SOURCE), "raw"))) {
      assertEquals("HTTP " + status, failure.getMessage());
    }
  }

  @Test
  void everyBaselineTheReportNamesIsASideEveryFamilyRuns() throws Exception {
    // BenchMain finds results by these names only after the whole run: a mismatch would fail then.
    List<String> coldSides = List.of(ColdStartBenchmark.class.getField("client")
        .getAnnotation(org.openjdk.jmh.annotations.Param.class).value());
    assertEquals(ColdStartMain.SIDES, coldSides, "the cold-start launches take every side");
    for (String against : List.of(BenchmarkReport.RETROFIT, BenchmarkReport.RAW)) {
      String side = BenchMain.side(against);
      assertTrue(coldSides.contains(side), against + " is launched cold as " + side);
      for (String operation : List.of("TransientToken", "SourceConnectionInformation")) {
        assertBenchmark(InMemoryBenchmark.class, "sdkNoCallTimeout" + operation);
        for (String prefix : List.of("sdk", side)) {
          assertBenchmark(InMemoryBenchmark.class, prefix + operation);
          assertBenchmark(LoopbackBenchmark.class, prefix + operation);
        }
      }
    }
    assertThrows(IllegalArgumentException.class, () -> BenchMain.side("gRPC"));
  }

  private static void assertBenchmark(Class<?> family, String method) throws Exception {
    assertNotNull(family.getMethod(method).getAnnotation(org.openjdk.jmh.annotations.Benchmark.class),
        family.getSimpleName() + "." + method + " is a benchmark");
  }
}
