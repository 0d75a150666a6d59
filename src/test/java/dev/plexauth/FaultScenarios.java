package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.CALLER_TOKEN;
import static dev.plexauth.FacadeTestSupport.CLIENT_ID;
import static dev.plexauth.FacadeTestSupport.HTML;
import static dev.plexauth.FacadeTestSupport.JSON;
import static dev.plexauth.FacadeTestSupport.SOURCE;
import static dev.plexauth.FacadeTestSupport.TRANSIENT_TOKEN;
import static dev.plexauth.FacadeTestSupport.fixture;
import static dev.plexauth.FacadeTestSupport.json;
import static dev.plexauth.FacadeTestSupport.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;

/**
 * The scenario of every row of {@code docs/RELIABILITY.md}, under the row's id, in the document's
 * order. Each sets up its fault on loopback (MockWebServer, or {@link RawHttpServer} for what
 * MockWebServer cannot do) and provokes it through the facade, sync and for some async, leaving
 * every exception in the {@link FaultRun}; {@link FaultMatrixTest} checks them against the row.
 */
final class FaultScenarios {
  /** Every scenario by id. */
  static final Map<String, Scenario> ALL = new LinkedHashMap<>();

  /** A fault, set up and provoked through the facade; every exception goes to the run. */
  @FunctionalInterface
  interface Scenario {
    void run(FaultRun run) throws Exception;
  }

  private static final String TOKEN_JSON = fixture("transient-token.json");
  private static final String SOURCE_JSON = fixture("source-connection-information.json");
  private static final String OK_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
      + "Connection: close\r\n";

  /** Retries without waiting, for the rows that need them. */
  private static final RetryScheduler NO_WAIT =
      new RetryScheduler() {
        @Override
        public void sleep(Duration delay) {}

        @Override
        public Executor after(Duration delay) {
          return Runnable::run;
        }
      };

  private FaultScenarios() {}

  private static void add(String id, Scenario scenario) {
    if (ALL.put(id, scenario) != null) {
      throw new IllegalStateException("duplicate scenario " + id);
    }
  }

  static {
    networkFaults();
    unusableSuccessAnswers();
    httpErrors();
    badInput();
  }

  private static void networkFaults() {
    add("connection-refused", run -> {
      int port;
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = probe.getLocalPort();
      }
      run.port(port);
      PlexAuthClient client = run.client(run.builder("http://127.0.0.1:" + port + "/"));
      run.sync(client, FaultRun.Operation.TOKEN);
      run.async(client, FaultRun.Operation.SOURCE);
    });
    add("disconnect-at-start", run -> {
      MockWebServer server =
          run.mock(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
      PlexAuthClient client = run.client(run.builder(server));
      run.sync(client, FaultRun.Operation.TOKEN);
      run.sync(client, FaultRun.Operation.SOURCE);
    });
    add("disconnect-after-request", run -> {
      MockWebServer server =
          run.mock(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
      PlexAuthClient client = run.client(run.builder(server));
      run.sync(client, FaultRun.Operation.TOKEN);
      run.sync(client, FaultRun.Operation.SOURCE);
    });
    add("disconnect-during-body", run -> {
      MockWebServer tokenServer = run.mock(
          json(TOKEN_JSON).setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
      MockWebServer sourceServer = run.mock(
          json(SOURCE_JSON).setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
      run.sync(run.client(run.builder(tokenServer)), FaultRun.Operation.TOKEN);
      run.async(run.client(run.builder(sourceServer)), FaultRun.Operation.SOURCE);
    });
    add("body-shorter-than-content-length", run -> {
      RawHttpServer server = run.raw(exchange ->
          exchange.write(OK_HEAD + "Content-Length: 1000\r\n\r\n" + TOKEN_JSON));
      run.sync(run.client(run.builder(server)), FaultRun.Operation.TOKEN);
    });
    add("stalled-headers", run -> {
      RawHttpServer server = run.raw(RawHttpServer.Exchange::stallUntilClosed);
      PlexAuthClient client =
          run.client(run.builder(server).readTimeout(Duration.ofMillis(250)));
      run.sync(client, FaultRun.Operation.TOKEN);
    });
    add("stalled-body", run -> {
      RawHttpServer server = run.raw(exchange -> {
        exchange.write(OK_HEAD + "Content-Length: 1000\r\n\r\n{\"MediaContainer\":{");
        exchange.stallUntilClosed();
      });
      PlexAuthClient client =
          run.client(run.builder(server).readTimeout(Duration.ofMillis(250)));
      run.sync(client, FaultRun.Operation.SOURCE);
    });
    add("reset", run -> {
      RawHttpServer server = run.raw(RawHttpServer.Exchange::reset);
      PlexAuthClient client = run.client(run.builder(server));
      run.sync(client, FaultRun.Operation.TOKEN);
      run.async(client, FaultRun.Operation.SOURCE);
    });
    add("malformed-status-line", run -> {
      MockWebServer server =
          run.mock(new MockResponse().setStatus("HTTP/1.1 2x0 " + TRANSIENT_TOKEN));
      run.sync(run.client(run.builder(server)), FaultRun.Operation.TOKEN);
    });
    add("negative-status-code", run -> {
      MockWebServer server = run.mock(new MockResponse().setStatus("HTTP/1.1 -20 Odd"));
      PlexAuthClient client = run.client(run.builder(server));
      run.sync(client, FaultRun.Operation.TOKEN);
      run.async(client, FaultRun.Operation.SOURCE);
    });
    add("corrupt-gzip", run -> {
      MockWebServer server = run.mock(new MockResponse()
          .setHeader("Content-Type", JSON)
          .setHeader("Content-Encoding", "gzip")
          .setBody(new Buffer().writeUtf8("this is not gzip, it only says so: " + TOKEN_JSON)));
      PlexAuthClient client = run.client(run.builder(server));
      run.sync(client, FaultRun.Operation.TOKEN);
      run.sync(client, FaultRun.Operation.SOURCE);
    });
  }

  private static void unusableSuccessAnswers() {
    add("html-200", run -> {
      MockWebServer server = run.mock(status(200, HTML,
          "<html><head><title>Plex</title></head><body><div id=\"plex\"></div></body></html>"));
      PlexAuthClient client = run.client(run.builder(server));
      run.sync(client, FaultRun.Operation.TOKEN);
      run.async(client, FaultRun.Operation.SOURCE);
    });
    add("xml-200", run -> {
      MockWebServer server =
          run.mock(status(200, "text/xml;charset=utf-8", fixture("transient-token.xml")));
      run.sync(run.client(run.builder(server)), FaultRun.Operation.TOKEN);
    });
    add("no-content-204", run -> {
      MockWebServer server = run.mock(new MockResponse().setResponseCode(204));
      PlexAuthClient client = run.client(run.builder(server));
      run.sync(client, FaultRun.Operation.TOKEN);
      run.sync(client, FaultRun.Operation.SOURCE);
    });
    add("empty-200", run -> {
      MockWebServer server = run.mock(status(200, JSON, ""));
      PlexAuthClient client = run.client(run.builder(server));
      run.sync(client, FaultRun.Operation.TOKEN);
      run.sync(client, FaultRun.Operation.SOURCE);
    });
    add("invalid-utf8", run -> {
      MockWebServer tokenServer = run.mock(jsonBytes(withByteAfter(TOKEN_JSON, "transient-")));
      MockWebServer sourceServer = run.mock(jsonBytes(withByteAfter(SOURCE_JSON, "transient-")));
      run.sync(run.client(run.builder(tokenServer)), FaultRun.Operation.TOKEN);
      run.sync(run.client(run.builder(sourceServer)), FaultRun.Operation.SOURCE);
    });
    add("token-null", run -> {
      MockWebServer server = run.mock(json("{\"MediaContainer\":{\"size\":0,\"token\":null}}"));
      PlexAuthClient client = run.client(run.builder(server));
      run.sync(client, FaultRun.Operation.TOKEN);
      run.async(client, FaultRun.Operation.TOKEN);
    });
    add("token-number", run -> {
      MockWebServer server = run.mock(json("{\"MediaContainer\":{\"size\":0,\"token\":12345}}"));
      run.sync(run.client(run.builder(server)), FaultRun.Operation.TOKEN);
    });
    add("token-object", run -> {
      MockWebServer server = run.mock(json(
          "{\"MediaContainer\":{\"size\":0,\"token\":{\"value\":\"" + TRANSIENT_TOKEN + "\"}}}"));
      PlexAuthClient client = run.client(run.builder(server));
      run.sync(client, FaultRun.Operation.TOKEN);
      run.async(client, FaultRun.Operation.TOKEN);
    });
    add("media-container-array", run -> {
      String token = "{\"size\":0,\"token\":\"" + TRANSIENT_TOKEN + "\"}";
      MockWebServer tokenServer = run.mock(json(
          "{\"MediaContainer\":[" + token + "," + token + "]}"));
      String device = "{" + SOURCE_JSON.substring(
          SOURCE_JSON.indexOf("\"Device\""), SOURCE_JSON.lastIndexOf('}') - 1) + "}";
      MockWebServer sourceServer = run.mock(json(
          "{\"MediaContainer\":[" + device + "," + device + "]}"));
      run.sync(run.client(run.builder(tokenServer)), FaultRun.Operation.TOKEN);
      run.sync(run.client(run.builder(sourceServer)), FaultRun.Operation.SOURCE);
    });
    add("deeply-nested-junk", run -> {
      String junk = "[".repeat(10_000) + "]".repeat(10_000);
      MockWebServer tokenServer = run.mock(json("{\"junk\":" + junk + ","
          + TOKEN_JSON.trim().substring(1)));
      MockWebServer sourceServer = run.mock(json("{\"MediaContainer\":{\"junk\":" + junk
          + "," + SOURCE_JSON.trim().substring(SOURCE_JSON.indexOf("\"Device\""))));
      run.sync(run.client(run.builder(tokenServer)), FaultRun.Operation.TOKEN);
      run.sync(run.client(run.builder(sourceServer)), FaultRun.Operation.SOURCE);
    });
    add("oversized-success-body", run -> {
      long size = 40L * 1024 * 1024;
      byte[] chunk = " ".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
      RawHttpServer server = run.raw(exchange -> {
        exchange.write(OK_HEAD + "Content-Length: " + size + "\r\n\r\n"
            + "{\"MediaContainer\":{\"token\":\"" + TRANSIENT_TOKEN + "\",\"padding\":\"");
        exchange.writeRepeated(chunk, size);
      });
      PlexAuthClient client = run.client(run.builder(server));
      run.sync(client, FaultRun.Operation.TOKEN);
      run.async(client, FaultRun.Operation.SOURCE);
    });
  }

  private static void httpErrors() {
    add("unauthorized-401", run -> {
      MockWebServer server = run.mock(status(401, HTML, fixture("unauthorized.html")));
      run.sync(run.client(run.builder(server)), FaultRun.Operation.TOKEN);
    });
    add("forbidden-403", run -> {
      MockWebServer server = run.mock(status(403, HTML, fixture("forbidden.html")));
      run.sync(run.client(run.builder(server)), FaultRun.Operation.SOURCE);
    });
    add("server-error-500", run -> {
      MockWebServer server = run.mock(status(500, HTML,
          "<html><head><title>Internal Server Error</title></head><body><h1>500</h1></body></html>"));
      PlexAuthClient client = run.client(run.builder(server));
      run.sync(client, FaultRun.Operation.TOKEN);
      run.async(client, FaultRun.Operation.SOURCE);
    });
    add("oversized-error-body", run -> {
      long size = 24L * 1024 * 1024;
      byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
      RawHttpServer server = run.raw(exchange -> {
        exchange.write("HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/html\r\n"
            + "Connection: close\r\nContent-Length: " + (size + 6) + "\r\n\r\n<html>");
        exchange.writeRepeated(chunk, size);
      });
      PlexHttpException e = assertInstanceOf(PlexHttpException.class,
          run.sync(run.client(run.builder(server)), FaultRun.Operation.TOKEN));
      assertEquals(Outcomes.MAX_ERROR_BODY_CHARS, e.body().length());
      assertTrue(e.body().startsWith("<html>xxx"), e.body().substring(0, 10));
    });
    add("corrupt-gzip-error", run -> {
      MockWebServer server = run.mock(new MockResponse()
          .setResponseCode(401)
          .setHeader("Content-Type", HTML)
          .setHeader("Content-Encoding", "gzip")
          .setBody(new Buffer().writeUtf8("<html>not gzip</html>")));
      PlexHttpException e = assertInstanceOf(PlexHttpException.class,
          run.sync(run.client(run.builder(server)), FaultRun.Operation.TOKEN));
      assertEquals("", e.body());
    });
    add("redirect-to-other-origin", run -> {
      MockWebServer elsewhere = run.mock(json(TOKEN_JSON));
      MockWebServer server = run.mock(new MockResponse()
          .setResponseCode(302)
          .setHeader("Location", elsewhere.url("/security/token?type=delegation&scope=all")));
      run.sync(run.client(run.builder(server)), FaultRun.Operation.TOKEN);
      assertEquals(0, elsewhere.getRequestCount(), "the redirect was followed");
    });
    add("retry-after-beyond-int-range", run -> {
      MockWebServer server = run.mock(
          status(503, HTML, "<html>busy</html>").setHeader("Retry-After", "99999999999"));
      PlexHttpException e = assertInstanceOf(PlexHttpException.class, run.sync(
          run.client(run.builder(server).maxRetries(2).scheduler(NO_WAIT)), FaultRun.Operation.TOKEN));
      // Beyond any sane wait: the exact value may be clamped, but never below the int range.
      assertTrue(e.retryAfter().orElseThrow().getSeconds() >= Integer.MAX_VALUE,
          "retryAfter " + e.retryAfter());
    });
    add("retried-statuses", run -> {
      MockWebServer server = run.mockSequence(
          status(429, HTML, ""), status(502, HTML, ""), status(504, HTML, ""),
          status(503, HTML, "<html>still busy</html>"));
      run.sync(run.client(run.builder(server).maxRetries(3).scheduler(NO_WAIT)),
          FaultRun.Operation.TOKEN);
    });
  }

  private static void badInput() {
    add("token-missing", run -> {
      String url = run.mock(json(TOKEN_JSON)).url("/").toString();
      run.expectFailure(() -> run.builder(url).token(null).build());
      run.expectFailure(() -> PlexAuthClient.builder().baseUrl(url).clientIdentifier(CLIENT_ID)
          .build());
    });
    add("token-blank", run -> {
      String url = run.mock(json(TOKEN_JSON)).url("/").toString();
      for (String token : List.of("", "   ", "\t")) {
        run.expectFailure(() -> run.builder(url).token(token).build());
      }
    });
    add("token-control-char", run -> {
      String url = run.mock(json(TOKEN_JSON)).url("/").toString();
      for (String token : List.of("bad-token-\u0000-Zq81", "bad-token-\t-Zq81", "bad-token-\u007f")) {
        run.secrets.add(token);
        run.expectFailure(() -> run.builder(url).token(token).build());
      }
    });
    add("token-crlf", run -> {
      String url = run.mock(json(TOKEN_JSON)).url("/").toString();
      for (String token : List.of("bad-token\r\nX-Evil: 1", "bad-token\nX-Evil: 1")) {
        run.secrets.add(token);
        run.expectFailure(() -> run.builder(url).token(token).build());
      }
    });
    add("client-identifier-missing", run -> {
      String url = run.mock(json(TOKEN_JSON)).url("/").toString();
      run.expectFailure(() -> run.builder(url).clientIdentifier(null).build());
      run.expectFailure(() -> PlexAuthClient.builder().baseUrl(url).token(CALLER_TOKEN).build());
    });
    add("client-identifier-blank", run -> {
      String url = run.mock(json(TOKEN_JSON)).url("/").toString();
      for (String id : List.of("", "   ")) {
        run.expectFailure(() -> run.builder(url).clientIdentifier(id).build());
      }
    });
    add("client-identifier-crlf", run -> {
      String url = run.mock(json(TOKEN_JSON)).url("/").toString();
      for (String id : List.of("abc\r\nX-Plex-Token: x", "abc\ndef", "abc\rdef")) {
        run.expectFailure(() -> run.builder(url).clientIdentifier(id).build());
      }
    });
    add("identity-header-blank", run -> identityHeaders(run, List.of(" ", "")));
    add("identity-header-crlf", run ->
        identityHeaders(run, List.of("My App\r\nX-Plex-Token: x", "My\nApp", "My\u0001App")));
    add("source-null", run -> badSources(run, Arrays.asList((String) null)));
    add("source-blank", run -> badSources(run, List.of("", "   ")));
    add("source-control-char", run ->
        badSources(run, List.of("server://abc\r\ndef", "server://a b", "server://a\u0000")));
    add("source-wrong-scheme", run ->
        badSources(run, List.of("http://host", SOURCE.substring("server://".length()),
            "server://", "provider://")));
    add("base-url-missing", run -> {
      run.mock(json(TOKEN_JSON));
      run.expectFailure(() -> PlexAuthClient.builder().token(CALLER_TOKEN)
          .clientIdentifier(CLIENT_ID).build());
      run.expectFailure(() -> PlexAuthClient.builder().baseUrl((String) null));
      run.expectFailure(() -> PlexAuthClient.builder().baseUrl((okhttp3.HttpUrl) null));
    });
    add("base-url-not-http", run -> {
      run.mock(json(TOKEN_JSON));
      for (String url : List.of("ftp://127.0.0.1/", "file:///etc/passwd", "localhost:32400",
          "http:///security", "ws://127.0.0.1:32400/")) {
        run.expectFailure(() -> run.builder(url).build());
      }
    });
    add("base-url-with-query", run -> {
      String url = run.mock(json(TOKEN_JSON)).url("/").toString();
      run.expectFailure(() -> run.builder(url + "?X-Plex-Token=" + CALLER_TOKEN).build());
      run.expectFailure(() -> run.builder(url).baseUrl(
          okhttp3.HttpUrl.get(url).newBuilder().addQueryParameter("a", "b").build()).build());
    });
    add("base-url-with-fragment", run -> {
      String url = run.mock(json(TOKEN_JSON)).url("/").toString();
      run.expectFailure(() -> run.builder(url + "#frag").build());
    });
    add("base-url-control-char", run -> {
      String url = run.mock(json(TOKEN_JSON)).url("/").toString();
      for (String bad : List.of(url + "a\r\nb", url + "a\tb", url + "a b")) {
        run.expectFailure(() -> run.builder(bad).build());
      }
    });
  }

  /** Every identity setter, with each value: each must be refused and name its setter. */
  private static void identityHeaders(FaultRun run, List<String> values) throws IOException {
    String url = run.mock(json(TOKEN_JSON)).url("/").toString();
    Map<String, BiFunction<PlexAuthClient.Builder, String, PlexAuthClient.Builder>> setters =
        new LinkedHashMap<>();
    setters.put("product", PlexAuthClient.Builder::product);
    setters.put("version", PlexAuthClient.Builder::version);
    setters.put("platform", PlexAuthClient.Builder::platform);
    setters.put("platformVersion", PlexAuthClient.Builder::platformVersion);
    setters.put("device", PlexAuthClient.Builder::device);
    setters.put("deviceName", PlexAuthClient.Builder::deviceName);
    setters.put("model", PlexAuthClient.Builder::model);
    setters.put("deviceVendor", PlexAuthClient.Builder::deviceVendor);
    for (Map.Entry<String, BiFunction<PlexAuthClient.Builder, String, PlexAuthClient.Builder>>
        setter : setters.entrySet()) {
      for (String value : values) {
        Throwable t = run.expectFailure(
            () -> setter.getValue().apply(run.builder(url), value).build());
        assertNotNull(t, setter.getKey() + " accepted " + value);
        assertTrue(String.valueOf(t.getMessage()).startsWith(setter.getKey() + " "),
            "the message must name " + setter.getKey() + ": " + t.getMessage());
      }
    }
  }

  /** Each source refused by both operations' sync and async forms, before any request. */
  private static void badSources(FaultRun run, List<String> sources) throws IOException {
    PlexAuthClient client = run.client(run.builder(run.mock(json(SOURCE_JSON))));
    for (String source : sources) {
      run.expectFailure(() -> client.getSourceConnectionInformation(source));
      run.expectFailure(() -> client.getSourceConnectionInformation(source, true));
      run.expectFailure(() -> client.getSourceConnectionInformationAsync(source));
      run.expectFailure(() -> client.getSourceConnectionInformationAsync(source, false));
    }
  }

  private static MockResponse jsonBytes(byte[] body) {
    return new MockResponse().setHeader("Content-Type", JSON).setBody(new Buffer().write(body));
  }

  /** The text as UTF-8 with an invalid byte (0xFF) right after the first {@code marker}. */
  private static byte[] withByteAfter(String text, String marker) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    int at = text.indexOf(marker) + marker.length();
    byte[] result = new byte[utf8.length + 1];
    System.arraycopy(utf8, 0, result, 0, at);
    result[at] = (byte) 0xFF;
    System.arraycopy(utf8, at, result, at + 1, utf8.length - at);
    return result;
  }
}
