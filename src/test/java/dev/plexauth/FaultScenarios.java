package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.CALLER_TOKEN;
import static dev.plexauth.FacadeTestSupport.CLIENT_ID;
import static dev.plexauth.FacadeTestSupport.HTML;
import static dev.plexauth.FacadeTestSupport.JSON;
import static dev.plexauth.FacadeTestSupport.fixture;
import static dev.plexauth.FacadeTestSupport.json;
import static dev.plexauth.FacadeTestSupport.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.plexauth.testing.SpecFixture;
import dev.plexauth.testing.SpecJson;
import dev.plexauth.tools.spec.Arguments;
import dev.plexauth.tools.spec.SpecParameter;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import okio.Buffer;

/**
 * The scenario of every row of {@code docs/RELIABILITY.md}, under the row's id, in the document's
 * order. Each sets up its fault on loopback (MockWebServer, or {@link RawHttpServer} for what
 * MockWebServer cannot do) and provokes it through the facade, leaving every exception in the
 * {@link FaultRun}; {@link FaultMatrixTest} checks them against the row.
 *
 * <p>Nothing here names an operation, a path, a parameter or a model: every scenario about calls
 * runs every operation of the spec ({@link SpecFixture#all()}), sync and async, and the faults
 * about one part of an answer or an argument are derived from the spec, case by case: each
 * required property of an example, each {@code x-secret} string, each property or parameter rule.
 * A case notes what it broke ({@link FaultRun#about}) for the row's {@code <placeholder>} facts.
 */
final class FaultScenarios {
  /** Every scenario by id. */
  static final Map<String, Scenario> ALL = new LinkedHashMap<>();

  /** A fault, set up and provoked through the facade; every exception goes to the run. */
  @FunctionalInterface
  interface Scenario {
    void run(FaultRun run) throws Exception;
  }

  private static final String OK_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
      + "Connection: close\r\n";
  /** The name of the unknown property the junk scenarios add. */
  private static final String JUNK = "plexAuthJunk";
  /** Values of at least this length are checked not to be echoed in any message. */
  private static final int ECHO_CHECK_LENGTH = 12;

  /** Retries without waiting, for the rows that need them. */
  private static final RetryScheduler NO_WAIT =
      new RetryScheduler() {
        @Override
        public void sleep(long delayNanos) {}

        @Override
        public Executor after(long delayNanos) {
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
      run.everyOperation(run.client(run.builder("http://127.0.0.1:" + port + "/")));
    });
    add("disconnect-at-start", run -> run.everyOperation(run.client(run.builder(
        run.mock(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START))))));
    add("disconnect-after-request", run -> run.everyOperation(run.client(run.builder(
        run.mock(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST))))));
    add("disconnect-during-body", run -> {
      for (SpecFixture fixture : SpecFixture.all()) {
        MockWebServer server = run.mock(json(fixture.okJson())
            .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
        run.syncAndAsync(run.client(run.builder(server)), fixture);
      }
    });
    add("body-shorter-than-content-length", run -> {
      for (SpecFixture fixture : SpecFixture.all()) {
        byte[] body = fixture.okJson().getBytes(StandardCharsets.UTF_8);
        RawHttpServer server = run.raw(exchange -> {
          exchange.write(OK_HEAD + "Content-Length: " + (body.length + 1000) + "\r\n\r\n");
          exchange.write(body);
        });
        run.syncAndAsync(run.client(run.builder(server)), fixture);
      }
    });
    add("stalled-headers", run -> {
      RawHttpServer server = run.raw(RawHttpServer.Exchange::stallUntilClosed);
      run.everyOperation(run.client(run.builder(server).readTimeout(Duration.ofMillis(250))));
    });
    add("stalled-body", run -> {
      for (SpecFixture fixture : SpecFixture.all()) {
        byte[] body = fixture.okJson().getBytes(StandardCharsets.UTF_8);
        RawHttpServer server = run.raw(exchange -> {
          exchange.write(OK_HEAD + "Content-Length: " + body.length + "\r\n\r\n");
          exchange.write(java.util.Arrays.copyOf(body, body.length / 2));
          exchange.stallUntilClosed();
        });
        run.syncAndAsync(
            run.client(run.builder(server).readTimeout(Duration.ofMillis(250))), fixture);
      }
    });
    add("reset", run ->
        run.everyOperation(run.client(run.builder(run.raw(RawHttpServer.Exchange::reset)))));
    add("malformed-status-line", run -> {
      for (SpecFixture fixture : SpecFixture.all()) {
        List<String> echoed = new ArrayList<>(SpecFixture.secretsIn(fixture.expected()));
        echoed.add(CALLER_TOKEN);
        for (String secret : echoed) {
          MockWebServer server = run.mock(new MockResponse().setStatus("HTTP/1.1 2x0 " + secret));
          run.syncAndAsync(run.client(run.builder(server)), fixture);
        }
      }
    });
    add("negative-status-code", run -> run.everyOperation(run.client(run.builder(
        run.mock(new MockResponse().setStatus("HTTP/1.1 -20 Odd"))))));
    add("corrupt-gzip", run -> {
      for (SpecFixture fixture : SpecFixture.all()) {
        MockWebServer server = run.mock(new MockResponse()
            .setHeader("Content-Type", JSON)
            .setHeader("Content-Encoding", "gzip")
            .setBody(new Buffer().writeUtf8(
                "this is not gzip, it only says so: " + fixture.okJson())));
        run.syncAndAsync(run.client(run.builder(server)), fixture);
      }
    });
  }

  private static void unusableSuccessAnswers() {
    add("html-200", run -> run.everyOperation(run.client(run.builder(run.mock(status(200, HTML,
        "<html><head><title>Plex</title></head><body><div id=\"plex\"></div></body></html>"))))));
    add("xml-200", run -> {
      for (SpecFixture fixture : SpecFixture.all()) {
        String xml = fixture.okXml() != null ? fixture.okXml()
            : "<MediaContainer size=\"0\"></MediaContainer>";
        MockWebServer server = run.mock(status(200, "text/xml;charset=utf-8", xml));
        run.syncAndAsync(run.client(run.builder(server)), fixture);
      }
    });
    add("no-content-204", run -> run.everyOperation(
        run.client(run.builder(run.mock(new MockResponse().setResponseCode(204))))));
    add("empty-200", run ->
        run.everyOperation(run.client(run.builder(run.mock(status(200, JSON, ""))))));
    add("invalid-utf8", run -> eachValue(run, site -> site.value().isTextual(),
        (fixture, site) -> Map.of("0xFF inside",
            jsonBytes(SpecJson.withByteInside(fixture.okJson(), site, (byte) 0xFF)))));
    add("required-property-absent", run -> eachValue(run, SpecJson.Site::required,
        (fixture, site) -> Map.of("absent", json(SpecJson.remove(fixture.okJson(), site)))));
    add("required-property-null", run -> eachValue(run, SpecJson.Site::required,
        (fixture, site) -> Map.of("null",
            json(SpecJson.replace(fixture.okJson(), site, NullNode.getInstance())))));
    add("required-property-wrong-type", run -> eachValue(run, SpecJson.Site::required,
        (fixture, site) -> {
          Map<String, MockResponse> answers = new LinkedHashMap<>();
          for (JsonNode wrong : SpecJson.notOfItsType(site.schema(), site.value())) {
            // Named by kind and place: the value may hold the example's secret.
            answers.put(wrong.getNodeType() + " " + (answers.size() + 1),
                json(SpecJson.replace(fixture.okJson(), site, wrong)));
          }
          return answers;
        }));
    add("answer-value-breaks-rule", run -> eachValue(run,
        site -> "string".equals(site.type()) && site.value().isTextual()
            || ("integer".equals(site.type()) || "number".equals(site.type()))
                && site.value().isNumber(),
        (fixture, site) -> {
          Map<String, MockResponse> answers = new LinkedHashMap<>();
          if (site.value().isNumber()) {
            for (String value : SpecJson.outOfRange(site.schema())) {
              answers.put(value, json(SpecJson.replace(fixture.okJson(), site,
                  JsonNodeFactory.instance.numberNode(new java.math.BigDecimal(value)))));
            }
            return answers;
          }
          for (String value : SpecJson.breakingItsConstraints(site.schema(),
              site.value().asText())) {
            mustNotEcho(run, value);
            answers.put(SpecJson.describe(value),
                json(SpecJson.replace(fixture.okJson(), site, TextNode.valueOf(value))));
          }
          return answers;
        }));
    add("object-as-array-of-two", run -> eachValue(run,
        site -> "object".equals(site.type()) && site.value().isObject(),
        (fixture, site) -> Map.of("two copies", json(SpecJson.replace(fixture.okJson(), site,
            JsonNodeFactory.instance.arrayNode().add(site.value().deepCopy())
                .add(site.value().deepCopy()))))));
    add("deeply-nested-junk", run -> {
      String junk = "[".repeat(10_000) + "]".repeat(10_000);
      for (SpecFixture fixture : SpecFixture.all()) {
        for (String object : SpecJson.objectPaths(fixture.okJson())) {
          MockWebServer server = run.mock(json(SpecJson.withUnknownProperty(
              fixture.okJson(), object, JUNK, junk)));
          PlexAuthClient client = run.client(run.builder(server));
          run.about(() -> run.syncAndAsync(client, fixture), "object", object);
        }
      }
    });
    add("oversized-success-body", run -> {
      long size = 40L * 1024 * 1024;
      byte[] chunk = " ".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
      for (SpecFixture fixture : SpecFixture.all()) {
        String example = fixture.okJson();
        byte[] head = (example.substring(0, example.lastIndexOf('}')) + ",\"padding\":\"")
            .getBytes(StandardCharsets.UTF_8);
        RawHttpServer server = run.raw(exchange -> {
          exchange.write(OK_HEAD + "Content-Length: " + (head.length + size) + "\r\n\r\n");
          exchange.write(head);
          exchange.writeRepeated(chunk, size);
        });
        run.syncAndAsync(run.client(run.builder(server)), fixture);
      }
    });
  }

  private static void httpErrors() {
    add("unauthorized-401", run -> declaredErrors(run, "401", fixture("unauthorized.html")));
    add("forbidden-403", run -> declaredErrors(run, "403", fixture("forbidden.html")));
    add("declared-error-statuses", run -> {
      for (SpecFixture fixture : SpecFixture.all()) {
        for (String code : fixture.spec().getResponses().keySet()) {
          if (code.matches("[3-5][0-9][0-9]") && !code.equals("401") && !code.equals("403")) {
            run.about(() -> errorExamples(run, fixture, code,
                "<html><body><h1>" + code + "</h1></body></html>"), "status", code);
          }
        }
      }
    });
    add("server-error-500", run -> run.everyOperation(run.client(run.builder(run.mock(status(500,
        HTML, "<html><head><title>Internal Server Error</title></head><body><h1>500</h1></body>"
            + "</html>"))))));
    add("oversized-error-body", run -> {
      long size = 24L * 1024 * 1024;
      byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
      RawHttpServer server = run.raw(exchange -> {
        exchange.write("HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/html\r\n"
            + "Connection: close\r\nContent-Length: " + (size + 6) + "\r\n\r\n<html>");
        exchange.writeRepeated(chunk, size);
      });
      for (Throwable thrown : run.everyOperation(run.client(run.builder(server)))) {
        PlexHttpException e = assertInstanceOf(PlexHttpException.class, thrown);
        assertEquals(Outcomes.MAX_ERROR_BODY_CHARS, e.body().length());
        assertTrue(e.body().startsWith("<html>xxx"), e.body().substring(0, 10));
      }
    });
    add("corrupt-gzip-error", run -> {
      MockWebServer server = run.mock(new MockResponse()
          .setResponseCode(401)
          .setHeader("Content-Type", HTML)
          .setHeader("Content-Encoding", "gzip")
          .setBody(new Buffer().writeUtf8("<html>not gzip</html>")));
      for (Throwable thrown : run.everyOperation(run.client(run.builder(server)))) {
        assertEquals("", assertInstanceOf(PlexHttpException.class, thrown).body());
      }
    });
    add("redirect-to-other-origin", run -> {
      for (SpecFixture fixture : SpecFixture.all()) {
        MockWebServer elsewhere = run.mock(json(fixture.okJson()));
        HttpUrl.Builder target = elsewhere.url(fixture.path()).newBuilder();
        Arguments args = fixture.arguments();
        for (String name : args.names()) {
          target.addQueryParameter(name, args.text(name));
        }
        MockWebServer server = run.mock(new MockResponse()
            .setResponseCode(302)
            .setHeader("Location", target.build()));
        run.syncAndAsync(run.client(run.builder(server)), fixture);
        assertEquals(0, elsewhere.getRequestCount(), fixture + ": the redirect was followed");
      }
    });
    add("retry-after-beyond-int-range", run -> {
      MockWebServer server = run.mock(
          status(503, HTML, "<html>busy</html>").setHeader("Retry-After", "99999999999"));
      for (Throwable thrown : run.everyOperation(
          run.client(run.builder(server).maxRetries(2).scheduler(NO_WAIT)))) {
        PlexHttpException e = assertInstanceOf(PlexHttpException.class, thrown);
        // Beyond any sane wait: the exact value may be clamped, but never below the int range.
        assertTrue(e.retryAfter().orElseThrow().getSeconds() >= Integer.MAX_VALUE,
            "retryAfter " + e.retryAfter());
      }
    });
    add("retried-statuses", run -> {
      MockWebServer server = run.mock(inTurn(
          status(429, HTML, ""), status(502, HTML, ""), status(504, HTML, ""),
          status(503, HTML, "<html>still busy</html>")));
      run.everyOperation(run.client(run.builder(server).maxRetries(3).scheduler(NO_WAIT)));
    });
  }

  private static void badInput() {
    add("token-missing", run -> {
      String url = neverAsked(run);
      run.expectFailure(() -> run.builder(url).token(null).build());
      run.expectFailure(() -> PlexAuthClient.builder().baseUrl(url).clientIdentifier(CLIENT_ID)
          .build());
    });
    add("token-blank", run -> {
      String url = neverAsked(run);
      for (String token : List.of("", "   ", "\t")) {
        run.expectFailure(() -> run.builder(url).token(token).build());
      }
    });
    add("token-control-char", run -> {
      String url = neverAsked(run);
      for (String token : List.of("bad-token-\u0000-Zq81", "bad-token-\t-Zq81", "bad-token-\u007f")) {
        run.secrets.add(token);
        run.expectFailure(() -> run.builder(url).token(token).build());
      }
    });
    add("token-crlf", run -> {
      String url = neverAsked(run);
      for (String token : List.of("bad-token\r\nX-Evil: 1", "bad-token\nX-Evil: 1")) {
        run.secrets.add(token);
        run.expectFailure(() -> run.builder(url).token(token).build());
      }
    });
    add("client-identifier-missing", run -> {
      String url = neverAsked(run);
      run.expectFailure(() -> run.builder(url).clientIdentifier(null).build());
      run.expectFailure(() -> PlexAuthClient.builder().baseUrl(url).token(CALLER_TOKEN).build());
    });
    add("client-identifier-blank", run -> {
      String url = neverAsked(run);
      for (String id : List.of("", "   ")) {
        run.expectFailure(() -> run.builder(url).clientIdentifier(id).build());
      }
    });
    add("client-identifier-crlf", run -> {
      String url = neverAsked(run);
      for (String id : List.of("abc\r\nX-Plex-Token: x", "abc\ndef", "abc\rdef")) {
        run.expectFailure(() -> run.builder(url).clientIdentifier(id).build());
      }
    });
    add("identity-header-blank", run -> identityHeaders(run, List.of(" ", "")));
    add("identity-header-crlf", run ->
        identityHeaders(run, List.of("My App\r\nX-Plex-Token: x", "My\nApp", "My\u0001App")));
    add("required-parameter-missing", run -> {
      PlexAuthClient client = run.client(run.builder(neverAsked(run)));
      for (SpecFixture fixture : SpecFixture.all()) {
        for (SpecParameter parameter : fixture.operation().parameters()) {
          if (parameter.required()) {
            run.about(() -> refused(run, client, fixture,
                args -> args.remove(parameter.name())),
                "operation", fixture.operationId(), "parameter", parameter.name());
          }
        }
      }
    });
    add("parameter-out-of-bounds", run -> brokenParameters(run, (schema, example) -> {
      String type = SpecJson.typeOf(schema);
      if ("string".equals(type)) {
        return SpecJson.outOfLength(schema, example);
      }
      if (!"integer".equals(type) && !"number".equals(type)) {
        return List.of();
      }
      List<String> values = new ArrayList<>(SpecJson.outOfRange(schema));
      values.addAll(SpecJson.notFinite(schema));
      return values;
    }));
    add("parameter-breaks-pattern", run -> brokenParameters(run, (schema, example) ->
        "string".equals(SpecJson.typeOf(schema))
            ? SpecJson.breakingPattern(schema, example) : List.of()));
    add("base-url-missing", run -> {
      neverAsked(run);
      run.expectFailure(() -> PlexAuthClient.builder().token(CALLER_TOKEN)
          .clientIdentifier(CLIENT_ID).build());
      run.expectFailure(() -> PlexAuthClient.builder().baseUrl((String) null));
      run.expectFailure(() -> PlexAuthClient.builder().baseUrl((okhttp3.HttpUrl) null));
    });
    add("base-url-not-http", run -> {
      neverAsked(run);
      for (String url : List.of("ftp://127.0.0.1/", "file:///etc/passwd", "localhost:32400",
          "http:///security", "ws://127.0.0.1:32400/")) {
        run.expectFailure(() -> run.builder(url).build());
      }
    });
    add("base-url-with-query", run -> {
      String url = neverAsked(run);
      run.expectFailure(() -> run.builder(url + "?X-Plex-Token=" + CALLER_TOKEN).build());
      run.expectFailure(() -> run.builder(url).baseUrl(
          okhttp3.HttpUrl.get(url).newBuilder().addQueryParameter("a", "b").build()).build());
    });
    add("base-url-with-fragment", run -> {
      String url = neverAsked(run);
      run.expectFailure(() -> run.builder(url + "#frag").build());
    });
    add("base-url-control-char", run -> {
      String url = neverAsked(run);
      for (String bad : List.of(url + "a\r\nb", url + "a\tb", url + "a b")) {
        run.expectFailure(() -> run.builder(bad).build());
      }
    });
  }

  // --- cases derived from the spec -------------------------------------------------------------

  /** The answers, each under what it did, that break one value of one operation's example. */
  @FunctionalInterface
  private interface Answers {
    Map<String, MockResponse> of(SpecFixture fixture, SpecJson.Site site) throws IOException;
  }

  /**
   * For every operation and every value of its example that {@code which} selects (a property or
   * an array item, see {@link SpecJson#sites}), each answer {@code answers} makes, called sync and
   * async, noted with the value's JSON path (and, for diagnosis, what the answer did).
   */
  private static void eachValue(FaultRun run, java.util.function.Predicate<SpecJson.Site> which,
      Answers answers) throws Exception {
    for (SpecFixture fixture : SpecFixture.all()) {
      for (SpecJson.Site site : SpecJson.sites(fixture)) {
        if (!which.test(site)) {
          continue;
        }
        for (Map.Entry<String, MockResponse> answer : answers.of(fixture, site).entrySet()) {
          PlexAuthClient client = run.client(run.builder(run.mock(answer.getValue())));
          run.about(() -> run.syncAndAsync(client, fixture), "path", site.jsonPath(),
              "answer", answer.getKey());
        }
      }
    }
  }

  /**
   * For every operation, each status's declared examples (by media type), or {@code fallback}
   * as HTML when it declares none; each call must fail with the example as its body.
   */
  private static void declaredErrors(FaultRun run, String code, String fallback)
      throws Exception {
    for (SpecFixture fixture : SpecFixture.all()) {
      errorExamples(run, fixture, code, fallback);
    }
  }

  private static void errorExamples(FaultRun run, SpecFixture fixture, String code,
      String fallback) throws Exception {
    Map<String, String> examples = new LinkedHashMap<>();
    ApiResponse response = fixture.spec().getResponses().get(code);
    if (response != null && response.getContent() != null) {
      for (Map.Entry<String, MediaType> media : response.getContent().entrySet()) {
        String example = fixture.errorExample(code, media.getKey());
        if (example != null) {
          examples.put(media.getKey(), example);
        }
      }
    }
    if (examples.isEmpty()) {
      examples.put("text/html", fallback);
    }
    for (Map.Entry<String, String> example : examples.entrySet()) {
      MockWebServer server = run.mock(
          status(Integer.parseInt(code), example.getKey(), example.getValue()));
      for (Throwable thrown : run.syncAndAsync(run.client(run.builder(server)), fixture)) {
        PlexHttpException e = assertInstanceOf(PlexHttpException.class, thrown, fixture + " " + code);
        assertEquals(example.getValue(), e.body(), fixture + " " + code + " body");
        if (example.getKey().contains("json") && example.getValue().contains("\"errors\"")) {
          assertFalse(e.errors().isEmpty(), fixture + " " + code + ": the errors were not read");
        }
      }
    }
  }

  /** Values that break a parameter's rules, given its schema and example. */
  @FunctionalInterface
  private interface Breakers {
    List<String> of(Schema<?> schema, String example);
  }

  /**
   * For every operation and every parameter with a schema of its own (not an enum, not a flag),
   * each value {@code breakers} gives, refused sync and async with and without the optional
   * arguments, noted with the parameter's name.
   */
  private static void brokenParameters(FaultRun run, Breakers breakers) throws Exception {
    PlexAuthClient client = run.client(run.builder(neverAsked(run)));
    for (SpecFixture fixture : SpecFixture.all()) {
      for (SpecParameter parameter : fixture.operation().parameters()) {
        Schema<?> schema = schemaOf(fixture, parameter.name());
        if (schema == null || schema.getEnum() != null) {
          continue;
        }
        for (String value : breakers.of(schema, parameter.example())) {
          mustNotEcho(run, value);
          run.about(() -> refused(run, client, fixture, args -> args.put(parameter.name(), value)),
              "operation", fixture.operationId(), "parameter", parameter.name(),
              "value", SpecJson.describe(value));
        }
      }
    }
  }

  /**
   * The operation called sync and async, with its required arguments and with every argument,
   * each changed by {@code change}: every form must throw before anything is sent.
   */
  private static void refused(FaultRun run, PlexAuthClient client, SpecFixture fixture,
      java.util.function.UnaryOperator<Arguments> change) {
    List<Supplier<Arguments>> bases = List.of(fixture::arguments, fixture::allArguments);
    for (Supplier<Arguments> base : bases) {
      run.expectFailure(() -> fixture.operation().call().call(client, change.apply(base.get())));
      run.expectFailure(
          () -> fixture.operation().callAsync().call(client, change.apply(base.get())));
    }
  }

  /** The parameter's schema in the resolved spec, or null when it has none. */
  private static Schema<?> schemaOf(SpecFixture fixture, String name) {
    List<Parameter> parameters = fixture.spec().getParameters();
    if (parameters == null) {
      return null;
    }
    for (Parameter parameter : parameters) {
      if (name.equals(parameter.getName())) {
        Map<String, Object> extensions = parameter.getExtensions();
        boolean flag = extensions != null && Boolean.TRUE.equals(extensions.get("x-flag"));
        return flag ? null : parameter.getSchema();
      }
    }
    return null;
  }

  /** A value long enough that finding it in a message means it was echoed there. */
  private static void mustNotEcho(FaultRun run, String value) {
    if (value.trim().length() >= ECHO_CHECK_LENGTH) {
      run.secrets.add(value);
    }
  }

  // --- servers and answers ---------------------------------------------------------------------

  /** The URL of a server that no case reaches: each fails before a request (`requests=0`). */
  private static String neverAsked(FaultRun run) throws IOException {
    return run.mock(status(500, HTML, "<html>no request was expected</html>")).url("/")
        .toString();
  }

  /** A dispatcher giving the answers in turn, over and over, one call after another. */
  private static Dispatcher inTurn(MockResponse... answers) {
    AtomicInteger next = new AtomicInteger();
    return new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return answers[next.getAndIncrement() % answers.length].clone();
      }
    };
  }

  /** Every identity setter, with each value: each must be refused and name its setter. */
  private static void identityHeaders(FaultRun run, List<String> values) throws IOException {
    String url = neverAsked(run);
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

  private static MockResponse jsonBytes(byte[] body) {
    return new MockResponse().setHeader("Content-Type", JSON).setBody(new Buffer().write(body));
  }
}
