package dev.plexauth.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import com.squareup.moshi.Types;
import dev.plexauth.tools.standin.PlexStandIn;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plex-auth connect} in-process: against the embedded stand-in, whose default source has
 * real loopback connections (stalled, slow, plain http, fast, refusing, another server, relay),
 * and against a started stand-in given as {@code --server}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectCommandTest {
  private final JsonAdapter<Map<String, Object>> jsonObject = new Moshi.Builder().build()
      .adapter(Types.newParameterizedType(Map.class, String.class, Object.class));

  @TempDir Path configDir;
  private final Map<String, String> env = new HashMap<>();
  private PlexStandIn plex;
  private String stdout;
  private String stderr;

  @BeforeEach
  void isolateConfigDir() {
    env.put("PLEX_AUTH_CONFIG_DIR", configDir.toString());
  }

  @AfterEach
  void stop() {
    if (plex != null) {
      plex.close();
    }
  }

  /**
   * A long grace period and a short probe timeout make the outcome independent of the machine's
   * speed: the stalled connection times out, and by then the slow one has answered.
   */
  private static final String[] STEADY = {"--probe-timeout", "2000", "--grace-period", "20000"};

  @Test
  void theDefaultRunChoosesTheSlowLocalHttpsConnectionAndSaysWhatBecameOfEveryOther()
      throws IOException {
    int status = run(with("connect", "--json"));

    assertEquals(0, status, stderr);
    Map<String, Object> result = onlyObject();
    assertEquals("connect", result.get("operation"));
    List<Map<String, Object>> candidates = candidates(result);
    List<String> outcomes = new ArrayList<>();
    for (Map<String, Object> candidate : candidates) {
      outcomes.add((String) candidate.get("outcome"));
      for (String key : List.of("uri", "local", "relay", "outcome", "millis")) {
        assertTrue(candidate.containsKey(key), key + " in " + candidate);
      }
    }
    // The stalled local one holds the choice until its probe times out; the slow local https one
    // that answered meanwhile wins over the remote and relay ones that answered first.
    assertEquals(List.of("failed", "chosen", "http-not-allowed", "answered", "failed",
        "other-server", "answered"), outcomes, stdout);
    assertEquals(candidates.get(1).get("uri"), result.get("uri"));
    assertTrue(((String) result.get("uri")).matches(
        "https://127-0-0-3\\.[0-9a-f]{32}\\.plex\\.direct:[0-9]+/"), stdout);
    assertEquals(true, candidates.get(1).get("local"));
    assertEquals(true, candidates.get(6).get("relay"));
    double slowMillis = (Double) candidates.get(1).get("millis");
    assertTrue(slowMillis >= 250, "the slow candidate answers after 250 ms: " + slowMillis);
    assertFalse(stdout.contains("owner-"), "no token in the connect output: " + stdout);
    assertFalse(stdout.contains("transient-"), stdout);
  }

  @Test
  void allowHttpProbesThePlainHttpConnectionToo() throws IOException {
    int status = run(with("connect", "--allow-http", "--json"));

    assertEquals(0, status, stderr);
    List<Map<String, Object>> candidates = candidates(onlyObject());
    Map<String, Object> http = candidates.get(2);
    assertTrue(((String) http.get("uri")).startsWith("http://127.0.0.4:"), stdout);
    assertEquals("answered", http.get("outcome"), stdout);
    assertEquals("chosen", candidates.get(1).get("outcome"), stdout);
  }

  @Test
  void theStandInRunAloneIsReachedThroughServerWithItsCaFile() throws IOException {
    plex = PlexStandIn.builder().build().start();
    Path ca = configDir.resolve("standin-ca.pem");
    Files.writeString(ca, plex.rootCaPem(), StandardCharsets.US_ASCII);

    // plex.direct names resolve from the name itself, as Plex's DNS answers them: no DNS asked.
    int status = run(with("connect", "--json", "--server", plex.baseUrl(), "--token",
        plex.ownerToken(), "--source", plex.defaultSource(), "--ca-file", ca.toString()));

    assertEquals(0, status, stderr);
    List<Map<String, Object>> candidates = candidates(onlyObject());
    assertEquals("chosen", candidates.get(1).get("outcome"), stdout);
    assertEquals("answered", candidates.get(3).get("outcome"), stdout);
  }

  @Test
  void badProbeSettingsAndCaFilesAreUsageErrors() throws IOException {
    assertEquals(2, run("connect", "--probe-timeout", "0"));
    assertTrue(stderr.contains("--probe-timeout must be a whole number of milliseconds from 1"),
        stderr);
    assertEquals(2, run("connect", "--grace-period", "-5"));
    assertTrue(stderr.contains("--grace-period must be a whole number of milliseconds from 0"),
        stderr);
    assertEquals(2, run("token", "--grace-period", "10"));
    assertTrue(stderr.contains("--grace-period is an option of connect only"), stderr);
    Path notPem = configDir.resolve("not.pem");
    Files.writeString(notPem, "hello", StandardCharsets.US_ASCII);
    assertEquals(2, run("connect", "--ca-file", notPem.toString()));
    assertTrue(stderr.contains("holds no PEM certificate"), stderr);
    assertEquals(2, run("connect", "--ca-file", configDir.resolve("missing.pem").toString()));
    assertTrue(stderr.contains("--ca-file"), stderr);
  }

  @Test
  void theTextOutputNamesTheChoiceThenEveryCandidateByRank() {
    int status = run(with("connect"));

    assertEquals(0, status, stderr);
    String[] lines = stdout.split("\n");
    assertTrue(lines[0].matches("connect server://[0-9a-f]+: https://127-0-0-3\\..*plex\\.direct:"
        + "[0-9]+/ \\(rank 2, chosen in [0-9]+ ms\\)"), stdout);
    assertEquals(8, lines.length, stdout);
    assertTrue(lines[1].matches(" +1\\. local +failed +[0-9]+ ms +https://127-0-0-2\\..*"),
        lines[1]);
    assertTrue(lines[3].matches(" +3\\. local +http-not-allowed +0 ms +http://127\\.0\\.0\\.4:.*"),
        lines[3]);
    assertTrue(lines[6].contains("other-server") && lines[6].contains("answered as"), lines[6]);
    assertTrue(lines[7].matches(" +7\\. relay +answered .*"), lines[7]);
  }

  @Test
  void whenNoConnectionWorksItExitsFiveListingEveryCandidate() throws Exception {
    int closed;
    int closedToo;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
      closedToo = other.getLocalPort();
    }
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          String base = "127.0.0.1:" + server.getPort();
          if (request.getPath().startsWith("/security/resources")) {
            // IP literals only: nothing here needs a DNS lookup.
            return json("{\"MediaContainer\":{\"size\":1,\"Device\":{\"name\":\"Office\","
                + "\"clientIdentifier\":\"abc\",\"accessToken\":\"transient-2\",\"Connection\":["
                + "{\"protocol\":\"http\",\"uri\":\"http://127.0.0.1:" + closed + "\",\"local\":1},"
                + "{\"protocol\":\"https\",\"uri\":\"https://127.0.0.1:" + closedToo
                + "\",\"local\":0},"
                + "{\"protocol\":\"http\",\"uri\":\"http://" + base + "\",\"relay\":1}]}}}");
          }
          return json("{\"MediaContainer\":{\"size\":0,\"machineIdentifier\":\"not-abc\"}}");
        }
      });
      server.start(InetAddress.getLoopbackAddress(), 0);

      int status = run("connect", "--json", "--allow-http", "--server",
          "http://127.0.0.1:" + server.getPort(), "--token", "caller-secret-token-0000",
          "--source", "server://abc");

      assertEquals(5, status, stderr);
      Map<String, Object> error = onlyObject();
      assertEquals("connect", error.get("operation"));
      assertTrue(error.containsKey("uri") && error.get("uri") == null, stdout);
      assertEquals("PlexNoConnectionException", error.get("error"));
      List<String> outcomes = new ArrayList<>();
      for (Map<String, Object> candidate : candidates(error)) {
        outcomes.add((String) candidate.get("outcome"));
      }
      // local http and remote https refused; relay answering as not-abc
      assertEquals(List.of("failed", "failed", "other-server"), outcomes, stdout);
      assertTrue(stderr.contains("connect failed: PlexNoConnectionException"), stderr);
      assertFalse(stdout.contains("caller-secret-token-0000"), stdout);
      assertFalse(stderr.contains("caller-secret-token-0000"), stderr);
    }
  }

  private static MockResponse json(String body) {
    return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
  }

  @Test
  void theResourcesCallsOwnFailureKeepsItsStatus() throws IOException {
    plex = PlexStandIn.builder().build().start();

    int status = run("connect", "--json", "--server", plex.baseUrl(), "--token",
        plex.sharedUserToken(), "--source", plex.defaultSource());

    assertEquals(3, status, stderr);
    Map<String, Object> error = onlyObject();
    assertEquals("connect", error.get("operation"));
    assertEquals("PlexUnauthorizedException", error.get("error"));
  }

  @Test
  void allowHttpIsAnOptionOfConnectOnly() {
    assertEquals(2, run("token", "--allow-http"));
    assertTrue(stderr.contains("--allow-http is an option of connect only"), stderr);
  }

  private static String[] with(String... args) {
    String[] all = new String[args.length + STEADY.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(STEADY, 0, all, args.length, STEADY.length);
    return all;
  }

  private int run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = PlexAuthCli.run(args, env, new PrintWriter(out), new PrintWriter(err));
    stdout = out.toString();
    stderr = err.toString();
    return status;
  }

  private Map<String, Object> onlyObject() throws IOException {
    String[] lines = stdout.split("\n");
    assertEquals(1, lines.length, "one JSON object: " + stdout);
    return jsonObject.fromJson(lines[0]);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> candidates(Map<String, Object> object) {
    return (List<Map<String, Object>>) object.get("candidates");
  }
}
