package dev.plexauth.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import com.squareup.moshi.Types;
import dev.plexauth.internal.Redaction;
import dev.plexauth.model.TransientTokenType;
import dev.plexauth.tools.generated.SpecOperations;
import dev.plexauth.tools.spec.Arguments;
import dev.plexauth.tools.spec.SpecOperation;
import dev.plexauth.tools.spec.SpecParameter;
import dev.plexauth.tools.standin.PlexStandIn;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.QueueDispatcher;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the CLI in-process, against its embedded stand-in, a started stand-in or MockWebServer. */
class PlexAuthCliTest {
  private static final String TRANSIENT = "transient-[0-9a-fA-F-]+";
  private static final String UNKNOWN_TOKEN = "caller-secret-token-0000";
  private static final String TOKEN_JSON =
      "{\"MediaContainer\":{\"size\":1,\"token\":\"transient-11111111-2222-3333-4444-555555555555\"}}";
  private static final String SOURCE_JSON = "{\"MediaContainer\":{\"size\":1,\"Device\":{"
      + "\"name\":\"Office\",\"clientIdentifier\":\"abc\",\"accessToken\":\"transient-2\","
      + "\"Connection\":[]}}}";

  private final JsonAdapter<Map<String, Object>> jsonObject = new Moshi.Builder().build()
      .adapter(Types.newParameterizedType(Map.class, String.class, Object.class));

  @TempDir Path configDir;
  private final Map<String, String> env = new HashMap<>();
  private PlexStandIn plex;
  private MockWebServer mock;

  private String stdout;
  private String stderr;

  @BeforeEach
  void isolateConfigDir() {
    env.put("PLEX_AUTH_CONFIG_DIR", configDir.toString());
  }

  @AfterEach
  void stopServers() throws IOException {
    if (plex != null) {
      plex.close();
    }
    if (mock != null) {
      mock.shutdown();
    }
  }

  @Test
  void defaultModePrintsTransientTokenAndStandInSourceAsTwoJsonObjects() throws IOException {
    int status = run("--json");

    assertEquals(0, status, stderr);
    List<Map<String, Object>> objects = jsonLines();
    assertEquals(2, objects.size(), stdout);
    Map<String, Object> token = objects.get(0);
    assertEquals(List.of("operation", "size", "token"), new ArrayList<>(token.keySet()));
    assertEquals("getTransientToken", token.get("operation"));
    assertEquals(0.0, token.get("size"));
    assertTrue(((String) token.get("token")).matches(TRANSIENT), stdout);
    Map<String, Object> source = objects.get(1);
    assertEquals(List.of("operation", "name", "clientIdentifier", "accessToken", "connections"),
        new ArrayList<>(source.keySet()));
    assertEquals("getSourceConnectionInformation", source.get("operation"));
    assertEquals(PlexStandIn.builder().build().defaultSource(),
        "server://" + source.get("clientIdentifier"));
    assertTrue(((String) source.get("accessToken")).matches(TRANSIENT), stdout);
    List<?> connections = (List<?>) source.get("connections");
    assertFalse(connections.isEmpty(), stdout);
    Map<?, ?> first = (Map<?, ?>) connections.get(0);
    assertEquals(List.of("protocol", "address", "port", "uri", "local", "relay"),
        new ArrayList<>(first.keySet()));
  }

  @Test
  void defaultModeTextNamesEachOperationAndItsPropertiesWithTheTokensMasked() {
    int status = run();

    assertEquals(0, status, stderr);
    List<String> lines = List.of(stdout.split("\n"));
    assertEquals(List.of("getTransientToken", "  size: 0", "  token: \u2588\u2588",
        "getSourceConnectionInformation", "  name: Plex stand-in",
        "  clientIdentifier: "
            + PlexStandIn.builder().build().defaultSource().substring("server://".length()),
        "  accessToken: \u2588\u2588", "  connections:"), lines.subList(0, 8), stdout);
    assertTrue(lines.get(8).startsWith("    - protocol: "), stdout);
    assertTrue(lines.get(9).startsWith("      address: "), stdout);
    assertFalse(stdout.contains("transient-"), stdout);
    assertTrue(stderr.contains("embedded Plex stand-in"), stderr);
    assertTrue(stderr.contains("--json prints them"), stderr);
  }

  @Test
  void unknownTokenAgainstStandInExitsThreeWithUnauthorizedJson() throws IOException {
    int status = run("--json", "--token", UNKNOWN_TOKEN);

    assertEquals(3, status, stderr);
    List<Map<String, Object>> objects = jsonLines();
    assertEquals(2, objects.size(), "all runs every operation, failures included: " + stdout);
    List<String> operations = List.of("getTransientToken", "getSourceConnectionInformation");
    for (int i = 0; i < 2; i++) {
      Map<String, Object> error = objects.get(i);
      assertEquals(operations.get(i), error.get("operation"));
      assertEquals("PlexUnauthorizedException", error.get("error"));
      assertEquals(401.0, error.get("status"));
      assertNotNull(error.get("message"));
    }
    assertTokenNeverPrinted(UNKNOWN_TOKEN);
  }

  @Test
  void allExitsWithTheFirstFailuresStatusAfterRunningEveryOperation() throws IOException {
    // A source the stand-in does not know: the token call succeeds, the resources call fails.
    int status = run("--json", "--source", "server://0000000000000000000000000000000000000000");

    List<Map<String, Object>> objects = jsonLines();
    assertEquals(2, objects.size(), stdout);
    assertEquals("getTransientToken", objects.get(0).get("operation"));
    assertNotNull(objects.get(0).get("token"), stdout);
    assertEquals("getSourceConnectionInformation", objects.get(1).get("operation"));
    assertNotNull(objects.get(1).get("error"), stdout);
    assertEquals(404.0, objects.get(1).get("status"), stdout);
    assertEquals(4, status, stderr);
  }

  @Test
  void badValuesFromTheEnvironmentNameTheirVariableBeforeAnythingElseIsPrinted() {
    String[][] cases = {
      {"PLEX_SERVER", "ftp://192.168.1.10:32400", "must start with http:// or https://"},
      {"PLEX_TOKEN", "abc", "token must have at least 16 characters"},
      {"PLEX_CLIENT_ID", "id\u0007with-bell", "printable ASCII"},
    };
    for (String[] bad : cases) {
      env.remove("PLEX_SERVER");
      env.remove("PLEX_TOKEN");
      env.remove("PLEX_CLIENT_ID");
      env.put("PLEX_SERVER", "http://127.0.0.1:9");
      env.put("PLEX_TOKEN", UNKNOWN_TOKEN);
      env.put(bad[0], bad[1]);

      int status = run("--json");

      assertEquals(2, status, bad[0] + ": " + stderr);
      assertEquals("", stdout, bad[0]);
      String first = stderr.split("\n")[0];
      assertTrue(first.startsWith("plex-auth: $" + bad[0] + " is not usable: "), first);
      assertTrue(first.contains(bad[2]), first);
      assertTokenNeverPrinted(UNKNOWN_TOKEN);
    }
  }

  @Test
  void aWhitespaceOnlyVariableIsAUsageErrorNamingItAndAnEmptyOneCountsAsUnset() throws Exception {
    startMock();
    String server = mock.url("/").toString();
    String[][] cases = {
      {"PLEX_SERVER", "baseUrl must not be blank"},
      {"PLEX_TOKEN", "token must not be blank"},
      {"PLEX_CLIENT_ID", "clientIdentifier must not be blank"},
    };
    for (String[] blank : cases) {
      for (String value : List.of(" ", "   ", "\t", " \t ")) {
        env.put("PLEX_SERVER", server);
        env.put("PLEX_TOKEN", UNKNOWN_TOKEN);
        env.put(blank[0], value);

        assertEquals(2, run("--json", "token"), blank[0] + ": " + stderr);
        assertEquals("", stdout);
        assertTrue(stderr.startsWith("plex-auth: $" + blank[0] + " is not usable: " + blank[1]),
            stderr);
      }
      env.remove(blank[0]);
    }
    assertEquals(0, mock.getRequestCount(), "nothing may be sent");

    // Empty: unset. No server, so the stand-in; no token, so a usage error; no id, the stored one.
    env.put("PLEX_SERVER", "");
    env.put("PLEX_TOKEN", "");
    env.put("PLEX_CLIENT_ID", "");
    assertEquals(0, run("--json", "token"), stderr);
    assertTrue(stderr.contains("using the embedded Plex stand-in"), stderr);
    assertEquals(2, run("--server", server, "token"));
    assertTrue(stderr.startsWith("plex-auth: --server needs a token: "), stderr);
    mock.enqueue(tokenResponse());
    assertEquals(0, run("--server", server, "--token", UNKNOWN_TOKEN, "token"), stderr);
    assertEquals(Files.readString(configDir.resolve("client-identifier")).strip(),
        mock.takeRequest().getHeader("X-Plex-Client-Identifier"));
    assertTokenNeverPrinted(UNKNOWN_TOKEN);
  }

  @Test
  void tokenFileGivesTheTokenAsTokenWouldWithoutItInTheArguments() throws IOException {
    Path file = configDir.resolve("token.txt");
    Files.writeString(file, UNKNOWN_TOKEN + "\r\nsecond line ignored\n");

    int status = run("--json", "--token-file", file.toString());

    // The stand-in does not know this token: the same 401 as with --token.
    assertEquals(3, status, stderr);
    assertEquals("PlexUnauthorizedException", jsonLines().get(0).get("error"));
    assertTokenNeverPrinted(UNKNOWN_TOKEN);
  }

  @Test
  void everyBadTokenIsAUsageErrorNamingWhereItCameFrom() throws IOException {
    startMock();
    String server = mock.url("/").toString();
    // Clearly shorter than any token the SDK accepts, whatever its exact minimum.
    String tooShort = "abc";
    Path shortFile = Files.writeString(configDir.resolve("short.txt"), tooShort + "\n");
    Path spaced = Files.writeString(configDir.resolve("spaced.txt"), "caller secret token\n");
    String tooShortRule = "token must have at least ";
    String spaceRule = "token must not contain whitespace";

    assertEquals(2, run("--server", server, "--token", tooShort, "token"));
    assertTrue(stderr.startsWith("plex-auth: --token is not usable: " + tooShortRule), stderr);
    assertEquals(2, run("--server", server, "--token-file", shortFile.toString(), "token"));
    assertTrue(stderr.startsWith("plex-auth: the token in --token-file "
        + Arguments.quoted(shortFile.toString()) + " is not usable: " + tooShortRule), stderr);
    assertEquals(2, run("--server", server, "--token-file", spaced.toString(), "token"));
    assertTrue(stderr.startsWith("plex-auth: the token in --token-file "
        + Arguments.quoted(spaced.toString()) + " is not usable: " + spaceRule), stderr);
    assertEquals(2, runWithInput(new ByteArrayInputStream((tooShort + "\n").getBytes(
        StandardCharsets.US_ASCII)), "--server", server, "--token-file", "-", "token"));
    assertTrue(stderr.startsWith("plex-auth: the token on standard input (--token-file -) is not"
        + " usable: " + tooShortRule), stderr);
    env.put("PLEX_TOKEN", tooShort);
    assertEquals(2, run("--server", server, "token"));
    assertTrue(stderr.startsWith("plex-auth: $PLEX_TOKEN is not usable: " + tooShortRule), stderr);
    env.remove("PLEX_TOKEN");
    // Without a server, an explicit token is sent to the stand-in: checked and named all the same.
    assertEquals(2, run("--token-file", shortFile.toString(), "token"));
    assertTrue(stderr.startsWith("plex-auth: the token in --token-file "), stderr);

    assertEquals("", stdout);
    assertEquals(0, mock.getRequestCount(), "nothing may be sent");
  }

  @Test
  void aTokenLineIsTrimmedOfTheSpacesTabsAndCarriageReturnAroundIt() throws Exception {
    startMock();
    mock.enqueue(tokenResponse());
    mock.enqueue(tokenResponse());
    String server = mock.url("/").toString();
    Path file = Files.writeString(configDir.resolve("padded.txt"),
        " \t" + UNKNOWN_TOKEN + " \t\r\nsecond line ignored\n");

    assertEquals(0, run("--server", server, "--token-file", file.toString(), "token"), stderr);
    assertEquals(0, runWithInput(new ByteArrayInputStream(("\t " + UNKNOWN_TOKEN + "\r\n")
        .getBytes(StandardCharsets.US_ASCII)), "--server", server, "--token-file", "-", "token"),
        stderr);

    assertEquals(UNKNOWN_TOKEN, mock.takeRequest().getHeader("X-Plex-Token"));
    assertEquals(UNKNOWN_TOKEN, mock.takeRequest().getHeader("X-Plex-Token"));
    Files.writeString(file, " \t\r\n" + UNKNOWN_TOKEN + "\n");
    assertEquals(2, run("--server", server, "--token-file", file.toString(), "token"));
    assertTrue(stderr.startsWith("plex-auth: --token-file " + Arguments.quoted(file.toString())
        + " has no token on its first line"), stderr);
    assertTokenNeverPrinted(UNKNOWN_TOKEN);
  }

  @Test
  void unusableTokenFilesAreUsageErrorsNamingTheFile() throws IOException {
    Path empty = Files.writeString(configDir.resolve("empty.txt"), "\n");
    Path huge = Files.writeString(configDir.resolve("huge.txt"),
        "x".repeat(PlexAuthCli.MAX_TOKEN_FILE_BYTES + 1));
    Map<String, String> expected = new java.util.LinkedHashMap<>();
    expected.put(configDir.resolve("missing.txt").toString(), "is not a readable regular file");
    expected.put(configDir.toString(), "is not a readable regular file");
    expected.put("/dev/zero", "is not a readable regular file");
    expected.put(empty.toString(), "has no token on its first line");
    expected.put(huge.toString(), "is longer than any Plex token");
    for (Map.Entry<String, String> bad : expected.entrySet()) {
      int status = run("--token-file", bad.getKey());

      assertEquals(2, status, bad.getKey() + ": " + stderr);
      assertEquals("", stdout, bad.getKey());
      assertTrue(stderr.contains("--token-file \"" + bad.getKey() + "\" " + bad.getValue()),
          stderr);
    }
    int both = run("--token", UNKNOWN_TOKEN, "--token-file", empty.toString());
    assertEquals(2, both, stderr);
    assertTrue(stderr.contains("--token and --token-file both give the token"), stderr);
    assertTokenNeverPrinted(UNKNOWN_TOKEN);
  }

  @Test
  void standardInputIsReadUpToItsFirstLineFeedWithoutWaitingForItsEnd() throws Exception {
    plex = PlexStandIn.builder().build().start();
    // The token's line, then a writer that stays open: like (echo TOKEN; sleep 15) | plex-auth.
    CountDownLatch writerDone = new CountDownLatch(1);
    AtomicBoolean readPastTheLine = new AtomicBoolean();
    InputStream stdin = new InputStream() {
      private final byte[] line = (plex.ownerToken() + "\n").getBytes(StandardCharsets.US_ASCII);
      private boolean given;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (!given) {
          given = true;
          int n = Math.min(len, line.length);
          System.arraycopy(line, 0, b, off, n);
          return n;
        }
        readPastTheLine.set(true);
        try {
          writerDone.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return -1;
      }
    };
    ExecutorService cli = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> status = cli.submit(() -> runWithInput(stdin, "--json", "--server",
          plex.baseUrl(), "--token-file", "-", "token"));

      assertEquals(0, status.get(20, TimeUnit.SECONDS), stderr);
      assertFalse(readPastTheLine.get(), "the CLI asked for more input after the line feed");
    } catch (TimeoutException e) {
      fail("the CLI waited for the end of standard input after its first line");
    } finally {
      writerDone.countDown();
      cli.shutdownNow();
    }
    assertTrue(stdout.contains("\"token\":\"transient-"), stdout);
    assertTokenNeverPrinted(plex.ownerToken());
  }

  @Test
  void unusableStandardInputIsAUsageErrorSayingWhatItHeld() throws IOException {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("", "is empty: it ended before any token");
    expected.put("\n" + UNKNOWN_TOKEN + "\n", "has no token on its first line");
    expected.put("x".repeat(PlexAuthCli.MAX_TOKEN_FILE_BYTES + 1) + "\n",
        "has a first line longer than any Plex token (more than "
            + PlexAuthCli.MAX_TOKEN_FILE_BYTES + " bytes before a line feed)");
    for (Map.Entry<String, String> bad : expected.entrySet()) {
      InputStream stdin = new ByteArrayInputStream(bad.getKey().getBytes(StandardCharsets.UTF_8));

      int status = runWithInput(stdin, "--token-file", "-");

      assertEquals(2, status, stderr);
      assertEquals("", stdout);
      assertTrue(stderr.startsWith("plex-auth: standard input (--token-file -) " + bad.getValue()
          + "\n"), stderr);
    }
    assertEquals(2, runWithInput(null, "--token-file", "-"));
    assertTrue(stderr.startsWith("plex-auth: standard input (--token-file -) is closed: "), stderr);
    assertTokenNeverPrinted(UNKNOWN_TOKEN);
  }

  /** In a JVM of its own: System.in itself, from a pipe left open, and closed (<&-). */
  @Test
  void theCliProcessReadsOnlyTheFirstLineOfAnOpenPipeAndNamesAClosedStandardInput(
      @TempDir Path scratch) throws Exception {
    plex = PlexStandIn.builder().build().start();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"),
        PlexAuthCli.class.getName(), "--server", plex.baseUrl(), "--token-file", "-", "--json",
        "token");
    ProcessBuilder open = new ProcessBuilder(command)
        .redirectOutput(scratch.resolve("open.stdout").toFile())
        .redirectError(scratch.resolve("open.stderr").toFile());
    isolate(open);
    Process process = open.start();
    try {
      process.getOutputStream().write((plex.ownerToken() + "\n").getBytes(StandardCharsets.US_ASCII));
      process.getOutputStream().flush();
      // The pipe stays open until the CLI has ended.
      assertTrue(process.waitFor(30, TimeUnit.SECONDS),
          "the CLI waited for the end of standard input after its first line");
    } finally {
      process.destroyForcibly();
      process.getOutputStream().close();
    }
    String errors = Files.readString(scratch.resolve("open.stderr"));
    assertEquals(0, process.exitValue(), errors);
    assertTrue(Files.readString(scratch.resolve("open.stdout")).contains("\"token\":\"transient-"));
    assertFalse(errors.contains(plex.ownerToken()), errors);

    ProcessBuilder closed = new ProcessBuilder("bash", "-c", "exec \"$@\" <&-", "bash")
        .redirectOutput(scratch.resolve("closed.stdout").toFile())
        .redirectError(scratch.resolve("closed.stderr").toFile());
    closed.command().addAll(command);
    isolate(closed);
    Process noInput = closed.start();
    try {
      assertTrue(noInput.waitFor(30, TimeUnit.SECONDS), "the CLI did not end");
    } finally {
      noInput.destroyForcibly();
    }
    errors = Files.readString(scratch.resolve("closed.stderr"));
    assertEquals(2, noInput.exitValue(), errors);
    assertTrue(errors.lines().anyMatch(line -> line.startsWith(
        "plex-auth: standard input (--token-file -) is closed: ")), errors);
    assertEquals("", Files.readString(scratch.resolve("closed.stdout")));
  }

  @Test
  void aFailedWriteOfTheResultsIsExitOneWithAMessage() {
    java.io.OutputStream full = new java.io.OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("No space left on device");
      }
    };
    StringWriter err = new StringWriter();

    int status = PlexAuthCli.run(new String[] {"--json"}, Map.of(),
        new PrintWriter(new java.io.OutputStreamWriter(full, java.nio.charset.StandardCharsets.UTF_8)),
        new PrintWriter(err));

    assertEquals(1, status, err.toString());
    assertTrue(err.toString().contains("could not write the results to standard output"),
        err.toString());
  }

  @Test
  void plexTokenFromEnvironmentIsLeftForRealServersAndTheStandInUsesItsOwn() {
    env.put("PLEX_TOKEN", UNKNOWN_TOKEN);

    int status = run("--json", "token");

    assertEquals(0, status, stderr);
    assertTrue(stdout.contains("\"token\":\"transient-"), stdout);
    assertTokenNeverPrinted(UNKNOWN_TOKEN);
  }

  @Test
  void unknownTokenFromEnvironmentIsNeverPrintedInText() throws IOException {
    plex = PlexStandIn.builder().build().start();
    env.put("PLEX_SERVER", plex.baseUrl());
    env.put("PLEX_TOKEN", UNKNOWN_TOKEN);

    int status = run("token");

    assertEquals(3, status, stderr);
    assertEquals("", stdout);
    assertTrue(stderr.contains("PlexUnauthorizedException (HTTP 401)"), stderr);
    assertTokenNeverPrinted(UNKNOWN_TOKEN);
  }

  @Test
  void unknownOptionIsUsageError() {
    int status = run("--bogus");

    assertEquals(2, status);
    assertEquals("", stdout);
    assertTrue(stderr.contains("--bogus"), stderr);
  }

  @Test
  void unknownOperationIsUsageErrorListingTheValidNames() {
    assertEquals(2, run("tokens"));
    assertEquals("", stdout);
    assertTrue(stderr.contains("unknown operation 'tokens': expected token, resources, all, connect or an"
        + " operationId of the spec: getSourceConnectionInformation, getTransientToken"), stderr);
  }

  @Test
  void serverWithoutTokenIsUsageError() {
    int status = run("--server", "http://127.0.0.1:9", "token");

    assertEquals(2, status);
    assertEquals("", stdout);
    assertTrue(stderr.contains("--token"), stderr);
  }

  @Test
  void serverWithoutSourceIsUsageErrorForResourcesAndAll() {
    assertEquals(2, run("--server", "http://127.0.0.1:9", "--token", UNKNOWN_TOKEN));
    assertTrue(stderr.contains("--source"), stderr);
    assertEquals(2, run("--server", "http://127.0.0.1:9", "--token", UNKNOWN_TOKEN, "resources"));
    assertEquals("", stdout);
  }

  @Test
  void malformedSourceIsUsageErrorBeforeAnyCallIsMade() throws IOException {
    startMock();

    assertEquals(2, run("--server", mock.url("/").toString(), "--token", UNKNOWN_TOKEN,
        "--source", "shared-server", "--json", "all"));
    assertEquals(2, run("--server", mock.url("/").toString(), "--token", UNKNOWN_TOKEN,
        "--source", "server://a\u0001b", "--json", "all"));

    assertEquals("", stdout);
    assertTrue(stderr.contains("invalid arguments for getSourceConnectionInformation: source must"
        + " be a Plex source"), stderr);
    assertEquals(0, mock.getRequestCount(), "no token may be minted before the usage error");
  }

  @Test
  void badRefreshWithAllIsUsageErrorBeforeAnyCallIsMade() throws IOException {
    startMock();

    assertEquals(2, run("--server", mock.url("/").toString(), "--token", UNKNOWN_TOKEN,
        "--source", "server://abc", "--refresh", "maybe", "all"));

    assertEquals("", stdout);
    assertTrue(stderr.contains(
        "plex-auth: --refresh must be true, false, 1 or 0, got \"maybe\""), stderr);
    assertEquals(0, mock.getRequestCount(), "no token may be minted before the usage error");
    assertEquals(2, run("--server", mock.url("/").toString(), "--token", UNKNOWN_TOKEN,
        "--source", "server://abc", "--refresh", UNKNOWN_TOKEN, "all"));
    assertTokenNeverPrinted(UNKNOWN_TOKEN);
    assertEquals(0, mock.getRequestCount());
  }

  @Test
  void flagTakesExactlyTrueFalseOneOrZero() throws Exception {
    startMock();
    String server = mock.url("/").toString();
    for (String bad : List.of("yes", "no", " true", "false ", "TRUE", "False", "on", "01", "")) {
      assertEquals(2, run("--server", server, "--token", UNKNOWN_TOKEN,
          "getSourceConnectionInformation", "--source", "server://abc", "--refresh", bad), bad);
      assertTrue(stderr.contains("plex-auth: --refresh must be true, false, 1 or 0, got "
          + Arguments.quoted(bad) + "\n"), stderr);
    }
    assertEquals(0, mock.getRequestCount());

    Map<String, String> wire = Map.of("true", "1", "1", "1", "false", "0", "0", "0");
    for (Map.Entry<String, String> good : wire.entrySet()) {
      mock.enqueue(jsonResponse(SOURCE_JSON));
      assertEquals(0, run("--json", "--server", server, "--token", UNKNOWN_TOKEN,
          "getSourceConnectionInformation", "--source", "server://abc", "--refresh",
          good.getKey()), stderr);
      assertEquals(good.getValue(), mock.takeRequest().getRequestUrl().queryParameter("refresh"),
          good.getKey());
    }
  }

  @Test
  void operationIdRunsThatOperationWithItsParameterOptions() throws Exception {
    startMock().enqueue(jsonResponse(SOURCE_JSON));

    int status = run("--json", "--server", mock.url("/").toString(), "--token", UNKNOWN_TOKEN,
        "getSourceConnectionInformation", "--source", "server://abc", "--refresh", "true");

    assertEquals(0, status, stderr);
    List<Map<String, Object>> objects = jsonLines();
    assertEquals(1, objects.size(), stdout);
    assertEquals("getSourceConnectionInformation", objects.get(0).get("operation"));
    assertEquals("abc", objects.get(0).get("clientIdentifier"));
    RecordedRequest request = mock.takeRequest();
    assertEquals("/security/resources", request.getRequestUrl().encodedPath());
    assertEquals("server://abc", request.getRequestUrl().queryParameter("source"));
    assertEquals("1", request.getRequestUrl().queryParameter("refresh"));
    assertEquals(1, mock.getRequestCount());
  }

  @Test
  void requiredParametersWithOneAllowedValueNeedNoOption() throws Exception {
    startMock().enqueue(tokenResponse());
    mock.enqueue(tokenResponse());
    String server = mock.url("/").toString();

    assertEquals(0, run("--json", "--server", server, "--token", UNKNOWN_TOKEN,
        "getTransientToken"), stderr);
    assertEquals(0, run("--json", "--server", server, "--token", UNKNOWN_TOKEN,
        "getTransientToken", "--type", "delegation", "--scope", "all"), stderr);
    assertEquals(2, run("--server", server, "--token", UNKNOWN_TOKEN, "getTransientToken",
        "--type", "permanent"));
    assertTrue(stderr.contains(
        "plex-auth: --type must be one of: delegation, got \"permanent\"\n"), stderr);

    for (int i = 0; i < 2; i++) {
      RecordedRequest request = mock.takeRequest();
      assertEquals("/security/token", request.getRequestUrl().encodedPath());
      assertEquals("delegation", request.getRequestUrl().queryParameter("type"));
      assertEquals("all", request.getRequestUrl().queryParameter("scope"));
    }
    assertEquals(2, mock.getRequestCount());
  }

  @Test
  void operationIdWithoutServerUsesTheStandInsSource() throws IOException {
    assertEquals(0, run("--json", "getSourceConnectionInformation"), stderr);

    Map<String, Object> source = jsonLines().get(0);
    assertEquals(PlexStandIn.builder().build().defaultSource(),
        "server://" + source.get("clientIdentifier"));
  }

  @Test
  void optionNoneOfTheChosenOperationsTakesIsUsageErrorAndSendsNothing() throws IOException {
    startMock();
    String server = mock.url("/").toString();

    assertEquals(2, run("--server", server, "--token", UNKNOWN_TOKEN, "token", "--refresh", "1"));
    assertTrue(stderr.contains("--refresh is not a parameter of getTransientToken"), stderr);
    assertEquals(2, run("--server", server, "--token", UNKNOWN_TOKEN, "getTransientToken",
        "--source", "server://abc"));
    assertTrue(stderr.contains("--source is not a parameter of getTransientToken"), stderr);
    assertEquals(2, run("--server", server, "--token", UNKNOWN_TOKEN, "--source", "server://abc",
        "resources", "--scope", "all"));
    assertTrue(stderr.contains("--scope is not a parameter of getSourceConnectionInformation"),
        stderr);

    assertEquals("", stdout);
    assertEquals(0, mock.getRequestCount());
  }

  @Test
  void missingRequiredParameterWithServerIsUsageErrorNamingIt() throws IOException {
    startMock();

    assertEquals(2, run("--server", mock.url("/").toString(), "--token", UNKNOWN_TOKEN,
        "getSourceConnectionInformation", "--refresh", "1"));

    assertEquals("", stdout);
    assertTrue(stderr.contains("getSourceConnectionInformation needs --source"), stderr);
    assertEquals(0, mock.getRequestCount());
  }

  @Test
  void secretsAreMaskedInTextButExactInJson() throws IOException {
    // Not token-shaped: only the spec's x-secret marks them as secrets.
    String token = "minted-secret-value-0001";
    String accessToken = "source-secret-value-0002";
    String name = "Echo " + UNKNOWN_TOKEN + " transient-1234abcd";
    String uri = "https://10-0-0-2.x.plex.direct:32400/?X-Plex-Token=leaked-value-123";
    String body = "{\"MediaContainer\":{\"size\":1,\"Device\":{\"name\":\"" + name + "\","
        + "\"clientIdentifier\":\"abc\",\"accessToken\":\"" + accessToken + "\","
        + "\"Connection\":[{\"protocol\":\"https\",\"uri\":\"" + uri + "\"}]}}}";
    String tokenBody = "{\"MediaContainer\":{\"size\":0,\"token\":\"" + token + "\"}}";
    startMock();
    mock.enqueue(jsonResponse(tokenBody));
    mock.enqueue(jsonResponse(body));
    mock.enqueue(jsonResponse(tokenBody));
    mock.enqueue(jsonResponse(body));
    String server = mock.url("/").toString();

    assertEquals(0, run("--server", server, "--token", UNKNOWN_TOKEN, "--source", "server://abc"),
        stderr);

    assertTrue(stdout.contains("\n  token: \u2588\u2588\n"), stdout);
    assertTrue(stdout.contains("\n  accessToken: \u2588\u2588\n"), stdout);
    assertTrue(stdout.contains("\n  name: Echo \u2588\u2588 \u2588\u2588\n"), stdout);
    assertTrue(stdout.contains(
        "uri: https://10-0-0-2.x.plex.direct:32400/?X-Plex-Token=\u2588\u2588\n"), stdout);
    assertFalse(stdout.contains("secret-value"), stdout);
    assertFalse(stdout.contains("transient-"), stdout);
    assertFalse(stdout.contains("leaked-value-123"), stdout);
    assertTokenNeverPrinted(UNKNOWN_TOKEN);
    assertEquals(1, stderr.split("--json prints them", -1).length - 1, stderr);

    assertEquals(0, run("--json", "--server", server, "--token", UNKNOWN_TOKEN,
        "--source", "server://abc"), stderr);

    List<Map<String, Object>> objects = jsonLines();
    assertEquals(token, objects.get(0).get("token"));
    Map<String, Object> source = objects.get(1);
    assertEquals(accessToken, source.get("accessToken"));
    assertEquals(name, source.get("name"));
    assertEquals(uri, ((Map<?, ?>) ((List<?>) source.get("connections")).get(0)).get("uri"));
    assertFalse(stderr.contains("prints them"), stderr);
  }

  @Test
  void nestedModelsPrintAsIndentedItemsAndNestedJson() throws IOException {
    String body = "{\"MediaContainer\":{\"size\":1,\"Device\":{\"name\":\"Office\","
        + "\"clientIdentifier\":\"abc\",\"Connection\":["
        + "{\"protocol\":\"https\",\"address\":\"10.0.0.2\",\"port\":32400,"
        + "\"uri\":\"https://10-0-0-2.x.plex.direct:32400\",\"local\":true},"
        + "{\"protocol\":\"http\",\"port\":\"8443\",\"uri\":\"http://relay.example:8443\","
        + "\"relay\":\"1\"}]}}}";
    startMock();
    mock.enqueue(jsonResponse(body));
    mock.enqueue(jsonResponse(body));
    mock.enqueue(jsonResponse("{\"MediaContainer\":{\"Device\":{\"clientIdentifier\":\"abc\"}}}"));
    String server = mock.url("/").toString();

    assertEquals(0, run("--server", server, "--token", UNKNOWN_TOKEN, "--source", "server://abc",
        "resources"), stderr);
    assertEquals(String.join("\n",
        "getSourceConnectionInformation",
        "  name: Office",
        "  clientIdentifier: abc",
        "  accessToken: (none)",
        "  connections:",
        "    - protocol: https",
        "      address: 10.0.0.2",
        "      port: 32400",
        "      uri: https://10-0-0-2.x.plex.direct:32400",
        "      local: true",
        "      relay: false",
        "    - protocol: http",
        "      address: (none)",
        "      port: 8443",
        "      uri: http://relay.example:8443",
        "      local: false",
        "      relay: true",
        ""), stdout);
    assertFalse(stderr.contains("prints them"), "nothing was masked: " + stderr);

    assertEquals(0, run("--json", "--server", server, "--token", UNKNOWN_TOKEN,
        "--source", "server://abc", "resources"), stderr);
    assertEquals("{\"operation\":\"getSourceConnectionInformation\",\"name\":\"Office\","
        + "\"clientIdentifier\":\"abc\",\"accessToken\":null,\"connections\":["
        + "{\"protocol\":\"https\",\"address\":\"10.0.0.2\",\"port\":32400,"
        + "\"uri\":\"https://10-0-0-2.x.plex.direct:32400\",\"local\":true,\"relay\":false},"
        + "{\"protocol\":\"http\",\"address\":null,\"port\":8443,"
        + "\"uri\":\"http://relay.example:8443\",\"local\":false,\"relay\":true}]}\n", stdout);

    assertEquals(0, run("--server", server, "--token", UNKNOWN_TOKEN, "--source", "server://abc",
        "resources"), stderr);
    assertEquals(String.join("\n", "getSourceConnectionInformation", "  name: (none)",
        "  clientIdentifier: abc", "  accessToken: (none)", "  connections: (none)", ""), stdout);
  }

  @Test
  void parameterNamedLikeACliOptionIsAnInternalError() {
    SpecOperation clashing = new SpecOperation("getClash", "GET", "/clash", false,
        List.of(new SpecParameter("token", false, null, null, null, String.class)), Object.class,
        Object.class, answer -> answer, (client, args) -> null, (client, args) -> null,
        (client, args, callback) -> null);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int status = PlexAuthCli.run(new String[] {"getClash"}, env, new PrintWriter(out),
        new PrintWriter(err), List.of(clashing));

    assertEquals(1, status, err.toString());
    assertEquals("", out.toString());
    assertTrue(err.toString().contains("internal error: the spec parameter 'token' of getClash"
        + " clashes with the CLI's own --token option"), err.toString());
  }

  @Test
  void badValuesAreUsageErrorsThatNeverEchoTheToken() {
    assertEquals(2, run("--timeout", "0"));
    assertEquals(2, run("--timeout", "soon"));
    assertEquals(2, run("--timeout", "3000000"));
    assertTrue(stderr.contains("--timeout"), stderr);
    assertEquals(2, run("--server", "ftp://127.0.0.1:9", "--token", UNKNOWN_TOKEN, "token"));
    assertTrue(stderr.contains("baseUrl"), stderr);
    assertTokenNeverPrinted(UNKNOWN_TOKEN);
    assertEquals(2, run("--server", "http://127.0.0.1:9", "--token", "tab\t" + UNKNOWN_TOKEN,
        "token"));
    assertTrue(stderr.contains("token must not contain"), stderr);
    assertTokenNeverPrinted(UNKNOWN_TOKEN);
    assertEquals(2, run("--token", UNKNOWN_TOKEN, "--timeout", UNKNOWN_TOKEN));
    assertTrue(stderr.contains("--timeout"), stderr);
    assertTrue(stderr.contains(Redaction.MASK), "the SDK's one mask: " + stderr);
    assertTokenNeverPrinted(UNKNOWN_TOKEN);
  }

  @Test
  void aTokenTooShortToBeSentIsRefusedWithoutMaskingOrdinaryWords() {
    // The builder refuses it, and its message never quotes a token: masking "short" in it would
    // only corrupt the message.
    assertEquals(2, run("--server", "http://127.0.0.1:9", "--token", "short", "token"));
    assertTrue(stderr.startsWith(
        "plex-auth: --token is not usable: token must have at least 16 characters"), stderr);
  }

  @Test
  void badTimeoutSaysWhatIsValidAndWhatWasGiven() {
    String valid = "plex-auth: --timeout must be a whole number of seconds from 1 to "
        + PlexAuthCli.MAX_TIMEOUT_SECONDS + ", got ";
    for (String bad : List.of("abc", "0", "-1", "+5", " 5", "1.5", "3000000", "99999999999")) {
      assertEquals(2, run("--timeout", bad), bad);
      assertTrue(stderr.startsWith(valid + Arguments.quoted(bad) + "\n"), stderr);
      assertFalse(stderr.contains("is not an int"), stderr);
    }
  }

  @Test
  void badNumberOrEnumValueSaysWhatIsValidInTheCliWords() {
    SpecOperation counted = new SpecOperation("getCounted", "GET", "/counted", false,
        List.of(new SpecParameter("count", false, "3", null, null, Integer.class),
            new SpecParameter("total", false, "3", null, null, Long.class),
            new SpecParameter("ratio", false, "0.5", null, null, Double.class),
            new SpecParameter("type", false, "delegation", null, null,
                TransientTokenType.class)),
        Object.class, Object.class, answer -> answer,
        (client, args) -> new Object[] {args.value("count", Arguments::integer),
            args.value("total", Arguments::longInteger), args.value("ratio", Arguments::number),
            args.value("type", text -> Arguments.oneOf(text, TransientTokenType.values()))},
        (client, args) -> null,
        (client, args, callback) -> null);
    Map<List<String>, String> messages = new LinkedHashMap<>();
    messages.put(List.of("--count", "abc"), "--count must be an integer, got \"abc\"");
    messages.put(List.of("--count", " 3"), "--count must be an integer, got \" 3\"");
    messages.put(List.of("--count", "3000000000"),
        "--count must be an integer from -2147483648 to 2147483647, got \"3000000000\"");
    messages.put(List.of("--total", "1e3"), "--total must be an integer, got \"1e3\"");
    messages.put(List.of("--ratio", "nan"), "--ratio must be a number, got \"nan\"");
    messages.put(List.of("--ratio", "1e999"), "--ratio must be a number, got \"1e999\"");
    messages.put(List.of("--ratio", "1d"), "--ratio must be a number, got \"1d\"");
    messages.put(List.of("--type", "permanent"),
        "--type must be one of: delegation, got \"permanent\"");
    messages.put(List.of("--type", "a\tb"),
        "--type must be one of: delegation, got \"a\\u0009b\"");
    for (Map.Entry<List<String>, String> entry : messages.entrySet()) {
      List<String> args = new ArrayList<>(List.of("getCounted"));
      args.addAll(entry.getKey());
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int status = PlexAuthCli.run(args.toArray(new String[0]), env, new PrintWriter(out),
          new PrintWriter(err), List.of(counted));
      assertEquals(2, status, err.toString());
      assertTrue(err.toString().startsWith("plex-auth: " + entry.getValue() + "\n"),
          err.toString());
      assertFalse(err.toString().contains("For input string")
          || err.toString().contains("TransientTokenType"), err.toString());
    }
  }

  @Test
  void serverFlagWithOwnerTokenSucceeds() throws IOException {
    plex = PlexStandIn.builder().build().start();

    int status = run("--json", "--server", plex.baseUrl(), "--token", plex.ownerToken(),
        "--source", plex.defaultSource());

    assertEquals(0, status, stderr);
    assertEquals(2, jsonLines().size(), stdout);
    assertFalse(stderr.contains("embedded"), stderr);
  }

  @Test
  void serverAndTokenComeFromTheEnvironment() throws IOException {
    plex = PlexStandIn.builder().build().start();
    env.put("PLEX_SERVER", plex.baseUrl());
    env.put("PLEX_TOKEN", plex.ownerToken());

    int status = run("--json", "token");

    assertEquals(0, status, stderr);
    assertEquals(1, jsonLines().size(), stdout);
  }

  @Test
  void sharedUserTokenMayNotReadResources() throws IOException {
    plex = PlexStandIn.builder().build().start();

    int status = run("--json", "--server", plex.baseUrl(), "--token", plex.sharedUserToken(),
        "--source", plex.defaultSource(), "resources");

    assertEquals(3, status, stderr);
    assertEquals("getSourceConnectionInformation", jsonLines().get(0).get("operation"));
    assertTokenNeverPrinted(plex.sharedUserToken());
  }

  @Test
  void closedLoopbackPortExitsFiveWithoutStatus() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }

    int status = run("--json", "--timeout", "5", "--server", "http://127.0.0.1:" + port,
        "--token", UNKNOWN_TOKEN, "--source", "server://abc");

    assertEquals(5, status, stderr);
    List<Map<String, Object>> objects = jsonLines();
    assertEquals(2, objects.size(), "one object per operation of all: " + stdout);
    for (Map<String, Object> object : objects) {
      assertEquals("PlexIoException", object.get("error"));
      assertFalse(object.containsKey("status"), stdout);
    }
    assertTokenNeverPrinted(UNKNOWN_TOKEN);
  }

  @Test
  void non2xxOtherThanUnauthorizedExitsFour() throws IOException {
    startMock().enqueue(new MockResponse().setResponseCode(500).setBody("<html>oops</html>"));

    assertEquals(4, run("--json", "--server", mock.url("/").toString(), "--token", UNKNOWN_TOKEN,
        "token"));
    assertEquals(500.0, jsonLines().get(0).get("status"));
  }

  @Test
  void unusable2xxBodyExitsFive() throws IOException {
    startMock().enqueue(new MockResponse().setBody("<MediaContainer/>")
        .setHeader("Content-Type", "application/xml"));

    assertEquals(5, run("--json", "--server", mock.url("/").toString(), "--token", UNKNOWN_TOKEN,
        "token"));
    assertEquals("PlexDecodingException", jsonLines().get(0).get("error"));
  }

  @Test
  void clientIdentifierIsCreatedOnceInTheConfigDirAndReused() throws Exception {
    startMock();
    mock.enqueue(tokenResponse());
    mock.enqueue(tokenResponse());
    String server = mock.url("/").toString();

    assertEquals(0, run("--server", server, "--token", UNKNOWN_TOKEN, "token"), stderr);
    Path file = configDir.resolve("client-identifier");
    String stored = Files.readString(file, StandardCharsets.UTF_8).strip();
    assertEquals(0, run("--server", server, "--token", UNKNOWN_TOKEN, "token"), stderr);

    assertTrue(stored.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
    assertEquals(stored, Files.readString(file, StandardCharsets.UTF_8).strip());
    RecordedRequest first = mock.takeRequest();
    RecordedRequest second = mock.takeRequest();
    assertEquals(stored, first.getHeader("X-Plex-Client-Identifier"));
    assertEquals(stored, second.getHeader("X-Plex-Client-Identifier"));
    assertEquals("plex-auth CLI", first.getHeader("X-Plex-Product"));
    assertEquals(PlexAuthCli.VERSION, first.getHeader("X-Plex-Version"));
    assertTrue(PlexAuthCli.VERSION.matches("\\d+\\.\\d+\\.\\d+.*"), PlexAuthCli.VERSION);
    assertEquals(UNKNOWN_TOKEN, first.getHeader("X-Plex-Token"));
  }

  @Test
  void clientIdentifierDefaultsToXdgConfigHome() throws Exception {
    env.remove("PLEX_AUTH_CONFIG_DIR");
    env.put("XDG_CONFIG_HOME", configDir.toString());
    startMock().enqueue(tokenResponse());

    assertEquals(0, run("--server", mock.url("/").toString(), "--token", UNKNOWN_TOKEN, "token"));

    String stored = Files.readString(configDir.resolve("plex-auth/client-identifier")).strip();
    assertEquals(stored, mock.takeRequest().getHeader("X-Plex-Client-Identifier"));
  }

  @Test
  void explicitClientIdentifierWinsAndStoresNothing() throws Exception {
    startMock();
    mock.enqueue(tokenResponse());
    mock.enqueue(tokenResponse());
    String server = mock.url("/").toString();
    env.put("PLEX_CLIENT_ID", "from-env");

    assertEquals(0, run("--server", server, "--token", UNKNOWN_TOKEN, "token"));
    assertEquals(0, run("--server", server, "--token", UNKNOWN_TOKEN, "--client-id", "from-flag",
        "token"));

    assertEquals("from-env", mock.takeRequest().getHeader("X-Plex-Client-Identifier"));
    assertEquals("from-flag", mock.takeRequest().getHeader("X-Plex-Client-Identifier"));
    assertFalse(Files.exists(configDir.resolve("client-identifier")));
  }

  @Test
  void jsonValuesAreEscapedByTheWriter() throws IOException {
    String name = "Quote \" back\\slash \u00e9 \n line";
    startMock().enqueue(new MockResponse().setHeader("Content-Type", "application/json")
        .setBody("{\"MediaContainer\":{\"size\":1,\"Device\":[{\"name\":"
            + "\"Quote \\\" back\\\\slash \u00e9 \\n line\",\"clientIdentifier\":\"abc\","
            + "\"accessToken\":\"transient-1\",\"Connection\":[{\"protocol\":\"http\","
            + "\"address\":\"::1\",\"port\":32400,\"uri\":\"http://[::1]:32400\"}]}]}}"));

    assertEquals(0, run("--json", "--server", mock.url("/").toString(), "--token", UNKNOWN_TOKEN,
        "--source", "server://abc", "resources"), stderr);

    Map<String, Object> source = jsonLines().get(0);
    assertEquals(name, source.get("name"));
    Map<?, ?> connection = (Map<?, ?>) ((List<?>) source.get("connections")).get(0);
    assertEquals(32400.0, connection.get("port"));
    assertEquals(false, connection.get("local"));
    assertEquals(false, connection.get("relay"));
    assertNull(jsonLines().get(0).get("status"));
  }

  @Test
  void helpPrintsUsageWithEveryParameterOptionAndExitsZero() {
    assertEquals(0, run("--help"));
    assertTrue(stdout.contains("[token|resources|all|connect|<operationId>]"), stdout);
    String options = stdout.replaceAll("\\s+", " ");
    assertTrue(options.contains("by its operationId: getSourceConnectionInformation,"
        + " getTransientToken, getServerCapabilities, getServerIdentity."), stdout);
    // Each option's help is the spec's description, then which operations take it.
    assertTrue(options.contains("--source=SOURCE The source: server:"), stdout);
    assertTrue(options.contains("Parameter of getSourceConnectionInformation (required)."), stdout);
    assertTrue(options.contains("Parameter of getSourceConnectionInformation (optional)."), stdout);
    assertTrue(options.contains("--refresh=REFRESH 1 makes newer servers refresh"), stdout);
    assertTrue(options.contains("--type=TYPE The kind of transient token; delegation is the only"
        + " value. Parameter of getTransientToken (required; its only value: delegation)."), stdout);
    assertTrue(options.contains("--scope=SCOPE The scope of the transient token"), stdout);
  }

  @Test
  void helpShowsAFlagsExampleAsTrueOrFalseNotItsWireValue() {
    assertEquals(0, run("--help"));
    String options = stdout.replaceAll("\\s+", " ");
    assertTrue(options.contains("Parameter of getSourceConnectionInformation (optional)."
        + " Example: false."), stdout);
    assertFalse(options.contains("Example: 0"), stdout);

    SpecOperation verbose = new SpecOperation("getVerbose", "GET", "/verbose", false,
        List.of(new SpecParameter("verbose", false, "1", null, null, Boolean.class),
            new SpecParameter("level", false, "1", null, null, Integer.class)),
        Object.class, Object.class, answer -> answer, (client, args) -> null,
        (client, args) -> null,
        (client, args, callback) -> null);
    StringWriter out = new StringWriter();
    int status = PlexAuthCli.run(new String[] {"--help"}, env, new PrintWriter(out),
        new PrintWriter(new StringWriter()), List.of(verbose));
    assertEquals(0, status);
    String help = out.toString().replaceAll("\\s+", " ");
    assertTrue(help.contains(
        "--verbose=VERBOSE Parameter of getVerbose (optional). Example: true."), help);
    assertTrue(help.contains(
        "--level=LEVEL Parameter of getVerbose (optional). Example: 1."), help);
  }

  @Test
  void helpNeverBreaksALineInsideAUrlOrSource() {
    assertEquals(0, run("--help"));
    for (String token : List.of("http://192.168.1.10:32400", "server://<clientIdentifier>",
        "provider://<id>", "server://243b471948ace337a8f92f129ec97d1902fcb1df")) {
      assertTrue(stdout.contains(token), token + " in\n" + stdout);
    }
    for (String line : stdout.split("\n")) {
      assertTrue(line.length() <= 80, line);
    }

    String longWord = "provider://" + "x".repeat(70);
    SpecOperation wordy = new SpecOperation("getWordy", "GET", "/wordy", false,
        List.of(new SpecParameter("where", false, null, null, "Either " + longWord + " or"
            + " server://abc, which fits.", String.class)),
        Object.class, Object.class, answer -> answer, (client, args) -> null,
        (client, args) -> null,
        (client, args, callback) -> null);
    StringWriter out = new StringWriter();
    assertEquals(0, PlexAuthCli.run(new String[] {"--help"}, env, new PrintWriter(out),
        new PrintWriter(new StringWriter()), List.of(wordy)));
    String help = out.toString();
    assertTrue(help.replaceAll("\\s+", "").contains(longWord), help);
    assertTrue(help.contains("server://abc, which fits."), help);
  }

  private int run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = PlexAuthCli.run(args, env, new PrintWriter(out), new PrintWriter(err));
    stdout = out.toString();
    stderr = err.toString();
    return status;
  }

  /** The child's environment: none of the caller's Plex settings, and the test's config dir. */
  private void isolate(ProcessBuilder child) {
    child.environment().keySet().removeIf(name -> name.startsWith("PLEX_"));
    child.environment().put("PLEX_AUTH_CONFIG_DIR", configDir.toString());
  }

  /** As {@link #run}, with {@code stdin} as standard input (null: closed). */
  private int runWithInput(InputStream stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = PlexAuthCli.run(args, env, stdin, new PrintWriter(out), new PrintWriter(err),
        SpecOperations.all());
    stdout = out.toString();
    stderr = err.toString();
    return status;
  }

  private List<Map<String, Object>> jsonLines() throws IOException {
    List<Map<String, Object>> objects = new ArrayList<>();
    for (String line : stdout.split("\n")) {
      if (!line.isEmpty()) {
        objects.add(jsonObject.fromJson(line));
      }
    }
    return objects;
  }

  private void assertTokenNeverPrinted(String callerToken) {
    assertFalse(stdout.contains(callerToken), stdout);
    assertFalse(stderr.contains(callerToken), stderr);
  }

  private MockWebServer startMock() throws IOException {
    mock = new MockWebServer();
    // A request the test did not expect gets a 404 at once instead of waiting for the timeout.
    ((QueueDispatcher) mock.getDispatcher()).setFailFast(true);
    mock.start(InetAddress.getLoopbackAddress(), 0);
    return mock;
  }

  private static MockResponse tokenResponse() {
    return jsonResponse(TOKEN_JSON);
  }

  private static MockResponse jsonResponse(String body) {
    return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
  }
}
