package dev.plexauth.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import com.squareup.moshi.Types;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server's text cannot forge the CLI's human output: control characters in a device name or a
 * reason phrase print as Java escapes, while {@code --json} keeps the value exact (escaped as JSON).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ForgedOutputTest {
  private static final String TOKEN = "caller-secret-token-0000";
  /** Clears the screen, forges a line, reverses what follows. */
  private static final String FORGERY = "\u001b[2J\r\nplex-auth: all good\u202e\u009b";
  private static final String FORGERY_JSON = "\\u001b[2J\\r\\nplex-auth: all good\\u202e\\u009b";

  @TempDir Path configDir;
  private final MockWebServer server = new MockWebServer();
  private String stdout;
  private String stderr;

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  @Test
  void deviceAndConnectionTextPrintEscapedAndJsonExact() throws IOException {
    String body = "{\"MediaContainer\":{\"size\":1,\"Device\":{\"name\":\"Office" + FORGERY_JSON
        + "\",\"clientIdentifier\":\"abc\",\"accessToken\":\"transient-2\",\"Connection\":"
        + "[{\"protocol\":\"https\",\"address\":\"10.0.0.2" + FORGERY_JSON + "\","
        + "\"port\":32400,\"uri\":\"https://10.0.0.2:32400\",\"local\":true}]}}}";
    server.enqueue(json(body));
    server.enqueue(json(body));

    assertEquals(0, run("getSourceConnectionInformation", "--source", "server://abc"), stderr);
    assertNoControlCharacter(stdout);
    assertNoControlCharacter(stderr);
    assertTrue(stdout.contains("name: Office\\u001B[2J\\u000D\\u000Aplex-auth: all good\\u202E"
        + "\\u009B\n"), stdout);
    assertTrue(stdout.contains("10.0.0.2\\u001B[2J"), stdout);

    assertEquals(0, run("--json", "getSourceConnectionInformation", "--source", "server://abc"),
        stderr);
    JsonAdapter<Map<String, Object>> adapter = new Moshi.Builder().build()
        .adapter(Types.newParameterizedType(Map.class, String.class, Object.class));
    Map<String, Object> result = adapter.fromJson(stdout.trim());
    assertEquals("Office" + FORGERY, result.get("name"), stdout);
    assertEquals("10.0.0.2" + FORGERY,
        ((Map<?, ?>) ((List<?>) result.get("connections")).get(0)).get("address"), stdout);
  }

  @Test
  void reasonPhraseInAFailurePrintsEscaped() {
    server.enqueue(new MockResponse().setStatus("HTTP/1.1 500 Oops" + FORGERY.replace("\r\n", ""))
        .setHeader("Content-Type", "text/html").setBody("<h1>500</h1>"));

    assertEquals(4, run("token"), stderr);

    assertNoControlCharacter(stdout);
    assertNoControlCharacter(stderr);
    assertTrue(stderr.contains("Oops\\u001B[2Jplex-auth: all good\\u202E\\u009B"), stderr);
  }

  private int run(String... operationArgs) {
    String[] args = new String[operationArgs.length + 4];
    args[0] = "--server";
    args[1] = server.url("/").toString();
    args[2] = "--token";
    args[3] = TOKEN;
    System.arraycopy(operationArgs, 0, args, 4, operationArgs.length);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = PlexAuthCli.run(args, Map.of("PLEX_AUTH_CONFIG_DIR", configDir.toString()),
        new PrintWriter(out), new PrintWriter(err));
    stdout = out.toString();
    stderr = err.toString();
    return status;
  }

  private static MockResponse json(String body) {
    return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
  }

  /** Line feeds end the CLI's own lines; every other control character must have been escaped. */
  private static void assertNoControlCharacter(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = c != '\n' && c < 0x20 || c >= 0x7f && c <= 0x9f
          || c >= '\u2028' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069';
      assertFalse(control, "U+" + String.format("%04X", (int) c) + " at " + i + " in: " + text);
    }
  }
}
