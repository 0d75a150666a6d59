package dev.plexauth.contract;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.plexauth.testing.SpecFixture;
import dev.plexauth.testing.SpecJson;
import dev.plexauth.tools.spec.Arguments;
import dev.plexauth.tools.spec.SpecParameter;
import dev.plexauth.tools.standin.ContractObserver.ReceivedRequest;
import dev.plexauth.tools.standin.PlexStandIn;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments.ArgumentSet;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract checker itself: for every operation of the spec, it passes what the spec allows
 * and rejects, with a clear message and no token in it, what it does not. The requests and answers
 * it is shown are built from each operation's parameters, examples and schema.
 */
class SpecContractTest {
  private static final String TOKEN = "fake-owner-token-Zq81xYw3";
  /** A path no spec will declare. */
  private static final String OUTSIDE = "/plex-auth-test/not-in-the-spec";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Every x-secret value of the examples: none may reach a message. */
  private static final List<String> EXAMPLE_SECRETS = SpecFixture.all().stream()
      .flatMap(fixture -> SpecFixture.secretsIn(fixture.expected()).stream()).toList();

  private final SpecContract spec = SpecContract.plexAuth();

  static Stream<SpecFixture> operations() {
    return SpecFixture.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void requestsShapedLikeTheFacadesPass(SpecFixture fixture) {
    assertDoesNotThrow(() -> spec.validateRequest(request(fixture, fixture.arguments())));
    assertDoesNotThrow(() -> spec.validateRequest(request(fixture, fixture.allArguments())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void requestWithoutClientIdentifierIsRejectedNamingTheRequestAndTheHeader(SpecFixture fixture) {
    Map<String, List<String>> headers = headers();
    headers.remove("X-Plex-Client-Identifier");
    if (needsNoToken(fixture)) {
      // security: [] asks for neither header (PMS answers /identity to anyone).
      assertDoesNotThrow(() -> spec.validateRequest(request(fixture, fixture.arguments(), headers)));
      return;
    }

    AssertionError e = assertThrows(AssertionError.class,
        () -> spec.validateRequest(request(fixture, fixture.arguments(), headers)));

    assertMessage(e, name(fixture) + " breaks openapi/plex-auth.yaml",
        "[validation.request.security.missing]", "X-Plex-Client-Identifier");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void requestWithAnEmptyClientIdentifierOrNoTokenIsRejected(SpecFixture fixture) {
    Map<String, List<String>> empty = headers();
    empty.put("X-Plex-Client-Identifier", List.of(""));
    Map<String, List<String>> tokenless = headers();
    tokenless.remove("X-Plex-Token");
    if (needsNoToken(fixture)) {
      assertDoesNotThrow(() -> spec.validateRequest(request(fixture, fixture.arguments(), empty)));
      assertDoesNotThrow(
          () -> spec.validateRequest(request(fixture, fixture.arguments(), tokenless)));
      return;
    }

    assertMessage(assertThrows(AssertionError.class,
            () -> spec.validateRequest(request(fixture, fixture.arguments(), empty))),
        "[validation.request.security.missing]", "X-Plex-Client-Identifier");
    assertMessage(assertThrows(AssertionError.class,
            () -> spec.validateRequest(request(fixture, fixture.arguments(), tokenless))),
        "[validation.request.security.missing]", "[X-Plex-Token]");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void valueOutsideAParametersEnumIsRejectedNamingTheRuleAndTheValues(SpecFixture fixture) {
    for (Parameter parameter : SpecJson.parameters(fixture)) {
      List<?> allowed = parameter.getSchema().getEnum();
      if (allowed == null) {
        continue;
      }
      String off = "integer".equals(SpecJson.typeOf(parameter.getSchema()))
          ? Integer.toString(allowed.stream().mapToInt(v -> ((Number) v).intValue()).max()
              .orElse(0) + 1)
          : "other";
      Arguments args = fixture.arguments().put(parameter.getName(), off);

      AssertionError e =
          assertThrows(AssertionError.class, () -> spec.validateRequest(request(fixture, args)));

      assertMessage(e, name(fixture) + " breaks", "[validation.request.parameter.schema.enum]",
          off, String.valueOf(allowed.get(0)));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void requestWithoutARequiredParameterIsRejected(SpecFixture fixture) {
    for (SpecParameter parameter : fixture.operation().parameters()) {
      if (!parameter.required()) {
        continue;
      }
      Arguments args = fixture.allArguments().remove(parameter.name());

      AssertionError e =
          assertThrows(AssertionError.class, () -> spec.validateRequest(request(fixture, args)));

      assertMessage(e, name(fixture) + " breaks", "[validation.request.parameter.query.missing]",
          parameter.name());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void undeclaredQueryParameterOrTokenInTheQueryIsRejectedWithoutRepeatingIt(
      SpecFixture fixture) {
    for (String name : List.of("verbose", "X-Plex-Token")) {
      Arguments args = fixture.arguments().put(name, name.equals("verbose") ? "1" : TOKEN);

      AssertionError e =
          assertThrows(AssertionError.class, () -> spec.validateRequest(request(fixture, args)));

      assertMessage(e, name(fixture) + " breaks",
          "[validation.request.parameter.query.unexpected]", "'" + name + "'");
    }
  }

  @Test
  void pathOutsideTheSpecIsRejected() {
    AssertionError e = assertThrows(AssertionError.class,
        () -> spec.validateRequest(ContractRequest.of("GET", OUTSIDE, null, headers())));

    assertMessage(e, "GET " + OUTSIDE + " breaks", "[validation.request.path.missing]");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void otherVerbsAndAcceptListsAreRejected(SpecFixture fixture) {
    String verb = fixture.operation().method().equals("POST") ? "PUT" : "POST";
    Map<String, List<String>> acceptList = headers();
    acceptList.put("Accept", List.of("application/json, */*"));
    ContractRequest usual = request(fixture, fixture.arguments());

    assertMessage(assertThrows(AssertionError.class, () -> spec.validateRequest(
            new ContractRequest(verb, usual.path(), usual.query(), usual.headers()))),
        verb + " " + fixture.path(), "[validation.request.operation.notAllowed]");
    assertMessage(assertThrows(AssertionError.class,
            () -> spec.validateRequest(request(fixture, fixture.arguments(), acceptList))),
        "[" + SpecContract.ACCEPT_RULE + "]", "exactly 'application/json'");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void answerWithAnUndeclaredStatusIsRejected(SpecFixture fixture) {
    AssertionError e = assertThrows(AssertionError.class, () -> spec.validateResponse(
        fixture.operation().method(), fixture.path(), 418, "text/html", Map.of(),
        "<h1>418 I'm a teapot</h1>"));

    assertMessage(e, "answer 418 (text/html) to " + name(fixture) + " breaks",
        "[validation.response.status.unknown]");
  }

  /** Each string of each operation's example, and each x-secret one. */
  static Stream<ArgumentSet> stringSites() {
    return sites(site -> "string".equals(site.type()));
  }

  static Stream<ArgumentSet> secretSites() {
    return sites(SpecJson.Site::secret);
  }

  private static Stream<ArgumentSet> sites(Predicate<SpecJson.Site> which) {
    return SpecFixture.all().stream().flatMap(fixture -> SpecJson
        .sites(fixture.okJson(), fixture.okSchema()).stream().filter(which)
        .map(site -> org.junit.jupiter.params.provider.Arguments.argumentSet(
            fixture + " " + site, fixture, site)));
  }

  @ParameterizedTest
  @MethodSource("stringSites")
  void jsonAnswerWithAStringAsANumberIsRejectedNamingTheField(SpecFixture fixture,
      SpecJson.Site site) {
    String body = SpecJson.replace(fixture.okJson(), site, NODES.numberNode(90904684));

    AssertionError e = assertThrows(AssertionError.class, () -> spec.validateResponse(
        fixture.operation().method(), fixture.path(), 200, "application/json", Map.of(), body));

    assertMessage(e, "answer 200 (application/json) to " + name(fixture),
        "[validation.response.body.schema.type]", site.pointer(), "\"string\"");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void answersWithUndeclaredOrMissingContentTypesAreRejected(SpecFixture fixture) {
    String method = fixture.operation().method();

    assertMessage(assertThrows(AssertionError.class, () -> spec.validateResponse(method,
            fixture.path(), 200, "text/html", Map.of(), "<html></html>")),
        "[validation.response.contentType.notAllowed]");
    assertMessage(assertThrows(AssertionError.class, () -> spec.validateResponse(method,
            fixture.path(), 200, null, Map.of(), fixture.okJson())),
        "[" + SpecContract.CONTENT_TYPE_RULE + "]");
  }

  @ParameterizedTest
  @MethodSource("secretSites")
  void secretsInAnswersNeverReachTheMessage(SpecFixture fixture, SpecJson.Site site) {
    String secret = site.in(SpecJson.tree(fixture.okJson())).asText();
    String body = SpecJson.replace(fixture.okJson(), site,
        NODES.objectNode().put("value", secret));

    AssertionError e = assertThrows(AssertionError.class, () -> spec.validateResponse(
        fixture.operation().method(), fixture.path(), 200, "application/json", Map.of(), body));

    assertMessage(e, "[validation.response.body.schema.type]", site.pointer());
    assertFalse(e.getMessage().contains(secret), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void specPathsAreFoundBelowABasePathAndRedirectTargetsAreNot(SpecFixture fixture) {
    assertEquals(Optional.of(fixture.path()), spec.specPath("/plex" + fixture.path()));
    assertEquals(Optional.of(fixture.path()), spec.specPath(fixture.path()));
    assertEquals(Optional.empty(), spec.specPath("/moved/elsewhere"));
    assertEquals(fixture.path(), ContractRequest.of("GET", "/plex" + fixture.path(), null,
        headers()).withoutBasePath("/plex/").path());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void okHttpRequestsAreCheckedBelowTheirBasePath(SpecFixture fixture) {
    HttpUrl.Builder url = HttpUrl.get("https://10-0-2-123.abc.plex.direct:32400/plex"
        + fixture.path()).newBuilder();
    Arguments args = fixture.arguments();
    args.names().forEach(name -> url.addQueryParameter(name, args.text(name)));
    Request.Builder request = new Request.Builder()
        .method(fixture.operation().method(), null)
        .url(url.build())
        .header("X-Plex-Token", TOKEN)
        .header("X-Plex-Client-Identifier", "cid");

    assertDoesNotThrow(() -> spec.validateRequest(
        request.header("Accept", "application/json").build(), "/plex"));
    assertMessage(assertThrows(AssertionError.class, () -> spec.validateRequest(
            request.removeHeader("Accept").build(), "/plex/")),
        name(fixture) + " breaks", "[" + SpecContract.ACCEPT_RULE + "]", "found none");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void standInStyleAnswersThatBreakTheSpecAreCollectedAndReported(SpecFixture fixture) {
    StandInContract contract = StandInContract.responsesOnly();
    ReceivedRequest call = new ReceivedRequest(fixture.operation().method(), fixture.path(),
        fixture.arguments().names().isEmpty() ? null : rawQuery(fixture.arguments()), headers());
    ReceivedRequest outside = new ReceivedRequest("GET", OUTSIDE, null, headers());
    SpecJson.Site string = SpecJson.sites(fixture.okJson(), fixture.okSchema()).stream()
        .filter(site -> "string".equals(site.type())).findFirst().orElseThrow();

    contract.onResponse(call, 418, Map.of("Content-Type", List.of("text/html")), "<h1>418</h1>");
    contract.onResponse(call, 200, Map.of("Content-Type", List.of("application/json")),
        SpecJson.replace(fixture.okJson(), string, NODES.numberNode(7)));
    contract.onResponse(call, 200, Map.of("Content-Type", List.of("application/json")),
        fixture.okJson());
    contract.onResponse(outside, 200, Map.of("Content-Type", List.of("application/json")), "{}");

    AssertionError e = assertThrows(AssertionError.class, contract::assertNoViolations);
    assertMessage(e, "2 exchange(s) with the stand-in broke the spec",
        "answer 418 (text/html) to " + name(fixture), "[validation.response.status.unknown]",
        "answer 200 (application/json) to " + name(fixture),
        "[validation.response.body.schema.type]");
    assertEquals(3, contract.checkedResponses(), OUTSIDE + " is outside the spec");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void liveStandInReportsAnOffSpecRequestItReceived(SpecFixture fixture) throws Exception {
    StandInContract contract = StandInContract.requestsAndResponses();
    // An operation that asks for no security headers gets an undeclared query parameter instead.
    boolean open = needsNoToken(fixture);
    Arguments args = open ? fixture.arguments().put("verbose", "1") : fixture.arguments();
    try (PlexStandIn plex = PlexStandIn.builder().contractObserver(contract).build().start()) {
      HttpRequest noClientId = HttpRequest.newBuilder(URI.create(plex.baseUrl()
              + target(fixture, args).substring(1)))
          .method(fixture.operation().method(), HttpRequest.BodyPublishers.noBody())
          .header("X-Plex-Token", plex.ownerToken())
          .header("Accept", "application/json")
          .build();

      HttpResponse<String> response =
          HttpClient.newHttpClient().send(noClientId, HttpResponse.BodyHandlers.ofString());

      assertNotEquals(400, response.statusCode(), "PMS itself does not insist on the header");
      AssertionError e = assertThrows(AssertionError.class, contract::assertNoViolations);
      assertMessage(e, "1 exchange(s) with the stand-in broke the spec",
          name(fixture) + " breaks", open ? "[validation.request.parameter.query.unexpected]"
              : "[validation.request.security.missing]",
          open ? "'verbose'" : "X-Plex-Client-Identifier");
      assertFalse(e.getMessage().contains(plex.ownerToken()), e.getMessage());
      assertEquals(1, contract.checkedResponses(), "its valid answer was checked too");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void interceptorStopsAnOffSpecRequestBeforeItIsSent(SpecFixture fixture) throws Exception {
    // A bare socket rather than MockWebServer: OkHttp connects before a network interceptor runs,
    // so the server sees a connection that sends nothing, which MockWebServer logs as a warning.
    // Here the test reads that connection and checks that not one byte was sent.
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      server.setSoTimeout(10_000);
      OkHttpClient http = new OkHttpClient.Builder()
          .addNetworkInterceptor(ContractInterceptor.requestsOnly()).build();
      Request request = new Request.Builder()
          .url("http://127.0.0.1:" + server.getLocalPort()
              + "/plex" + target(fixture, fixture.arguments().put("verbose", "1")))
          .method(fixture.operation().method(), null)
          .header("X-Plex-Token", TOKEN)
          .header("X-Plex-Client-Identifier", "cid")
          .header("Accept", "application/json")
          .build();

      AssertionError e = assertThrows(AssertionError.class, () -> http.newCall(request).execute());

      assertMessage(e, name(fixture) + " breaks",
          "[validation.request.parameter.query.unexpected]");
      http.connectionPool().evictAll(); // closes the unused connection: the server reads its end
      try (Socket connection = server.accept()) {
        connection.setSoTimeout(10_000);
        assertEquals(-1, connection.getInputStream().read(), "the client sent part of a request");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void interceptorChecksAnswersOnlyWhenAskedAndSkipsRedirectTargets(SpecFixture fixture)
      throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse().setResponseCode(418).setBody("teapot"));
      server.enqueue(new MockResponse().setResponseCode(418).setBody("teapot"));
      server.enqueue(new MockResponse().setResponseCode(418).setBody("teapot"));
      server.start();
      Request.Builder request = new Request.Builder()
          .method(fixture.operation().method(), null)
          .header("X-Plex-Token", TOKEN)
          .header("X-Plex-Client-Identifier", "cid")
          .header("Accept", "application/json");
      HttpUrl call = server.url(target(fixture, fixture.arguments()));
      OkHttpClient checking = new OkHttpClient.Builder()
          .addNetworkInterceptor(ContractInterceptor.requestsAndResponses()).build();
      OkHttpClient requestsOnly = new OkHttpClient.Builder()
          .addNetworkInterceptor(ContractInterceptor.requestsOnly()).build();

      AssertionError e = assertThrows(AssertionError.class,
          () -> checking.newCall(request.url(call).build()).execute());
      try (okhttp3.Response moved =
          checking.newCall(request.url(server.url("/moved/elsewhere")).build()).execute()) {
        assertEquals(418, moved.code(), "not a spec path: passed unchecked");
      }
      try (okhttp3.Response unchecked = requestsOnly.newCall(request.url(call).build()).execute()) {
        assertEquals(418, unchecked.code(), "answers are checked only when asked");
      }

      assertMessage(e, "answer 418", name(fixture), "[validation.response.status.unknown]");
    }
  }

  /** Whether the operation declares {@code security: []}: no token, no client identifier. */
  private static boolean needsNoToken(SpecFixture fixture) {
    return fixture.spec().getSecurity() != null && fixture.spec().getSecurity().isEmpty();
  }

  /** The operation as messages name it: method and path. */
  private static String name(SpecFixture fixture) {
    return fixture.operation().method() + " " + fixture.path();
  }

  private static ContractRequest request(SpecFixture fixture, Arguments args) {
    return request(fixture, args, headers());
  }

  private static ContractRequest request(SpecFixture fixture, Arguments args,
      Map<String, List<String>> headers) {
    return ContractRequest.of(fixture.operation().method(), fixture.path(),
        args.names().isEmpty() ? null : rawQuery(args), headers);
  }

  /** The path and, when there are arguments, the query: what a request line names. */
  private static String target(SpecFixture fixture, Arguments args) {
    return fixture.path() + (args.names().isEmpty() ? "" : "?" + rawQuery(args));
  }

  /** The arguments as a query string, each value encoded as OkHttp encodes a query value. */
  private static String rawQuery(Arguments args) {
    HttpUrl.Builder url = new HttpUrl.Builder().scheme("http").host("localhost");
    args.names().forEach(name -> url.addQueryParameter(name, args.text(name)));
    return url.build().encodedQuery();
  }

  private static Map<String, List<String>> headers() {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("X-Plex-Token", List.of(TOKEN));
    headers.put("X-Plex-Client-Identifier", List.of("3f0c2a5e-9b7d-4c1e-8a61-0d2f4b6c8e10"));
    headers.put("Accept", List.of("application/json"));
    return headers;
  }

  /** Asserts the message has every part and no token: the caller's, nor an example's secret. */
  private static void assertMessage(AssertionError e, String... parts) {
    String message = e.getMessage();
    for (String part : parts) {
      assertTrue(message.contains(part), "missing \"" + part + "\" in: " + message);
    }
    assertFalse(message.contains(TOKEN), "the caller's token leaked: " + message);
    for (String secret : EXAMPLE_SECRETS) {
      assertFalse(message.contains(secret), "a secret leaked: " + message);
    }
  }
}
