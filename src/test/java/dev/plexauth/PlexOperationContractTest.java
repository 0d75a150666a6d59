package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.CALLER_TOKEN;
import static dev.plexauth.FacadeTestSupport.HTML;
import static dev.plexauth.FacadeTestSupport.JSON;
import static dev.plexauth.FacadeTestSupport.always;
import static dev.plexauth.FacadeTestSupport.assertNoSecrets;
import static dev.plexauth.FacadeTestSupport.builderFor;
import static dev.plexauth.FacadeTestSupport.failureOf;
import static dev.plexauth.FacadeTestSupport.json;
import static dev.plexauth.FacadeTestSupport.status;
import static dev.plexauth.FacadeTestSupport.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plexauth.model.PlexError;
import dev.plexauth.testing.SpecFixture;
import dev.plexauth.testing.SpecJson;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.Arguments.ArgumentSet;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exception table of {@link PlexException}, for every operation of the spec, sync and async,
 * with nothing written per operation: each error status (the spec's own error examples first) and
 * each transport failure maps to its exception type with its status, headers and bounded body, and
 * no exception text ever contains a token. Unusable 2xx answers are {@link
 * PlexOperationDecodingTest}'s.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PlexOperationContractTest extends MockServerTest {
  private static final String SERVER_ERROR_PAGE = "<html><head><title>Internal Server Error"
      + "</title></head><body><h1>500 Internal Server Error</h1></body></html>";
  private static final String NOT_FOUND_PAGE =
      "<html><head><title>Not Found</title></head><body><h1>404 Not Found</h1></body></html>";

  /** Every error answer the spec declares with an example: operation, status, media type. */
  static Stream<ArgumentSet> declaredErrors() {
    List<ArgumentSet> sets = new ArrayList<>();
    SpecCall.all().forEach(call -> call.fixture().spec().getResponses().forEach((code, answer) -> {
      if (code.startsWith("2") || answer.getContent() == null) {
        return;
      }
      answer.getContent().keySet().forEach(type -> sets.add(Arguments.argumentSet(
          call + " " + code + " " + type, call, Integer.parseInt(code), type)));
    }));
    return sets.stream();
  }

  @ParameterizedTest
  @MethodSource("declaredErrors")
  void declaredErrorExampleBecomesItsExceptionWithItsBodyAndErrors(
      SpecCall call, int code, String type) throws Exception {
    String body = call.fixture().errorExample(Integer.toString(code), type);
    assertNotNull(body, "the spec declares no example for " + code + " " + type);
    server.enqueue(status(code, type, body));

    PlexHttpException e = failure(call, PlexHttpException.class);

    assertEquals(code, e.code());
    assertEquals(code == 401 || code == 403, e instanceof PlexUnauthorizedException);
    assertEquals(body, e.body());
    assertEquals(type, e.headers().get("Content-Type"));
    if (type.equals(JSON)) {
      assertEquals(errorsIn(SpecJson.tree(body)), e.errors());
      assertTrue(e.getMessage().contains(e.errors().get(0).message()), e.getMessage());
    } else {
      assertEquals(List.of(), e.errors());
    }
    assertTrue(e.getMessage().contains(Integer.toString(code)), e.getMessage());
    assertNoSecrets(e, SpecCall.exampleSecrets());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void htmlUnauthorizedExampleKeepsTheAnswersHeadersAndIsAskedOfTheOperationsPath(SpecCall call)
      throws Exception {
    String page = errorExamplesOf(call.fixture()).errorExample("401", "text/html");
    assertNotNull(page, "every operation that takes a token declares PMS's HTML 401 page");
    server.enqueue(status(401, HTML, page).setHeader("X-Plex-Protocol", "1.0"));

    PlexUnauthorizedException e = failure(call, PlexUnauthorizedException.class);

    assertEquals(401, e.code());
    assertEquals(page, e.body());
    assertEquals(HTML, e.headers().get("Content-Type"));
    assertEquals("1.0", e.headers().get("X-Plex-Protocol"));
    assertNoSecrets(e, SpecCall.exampleSecrets());
    assertEquals(call.fixture().path(), take(server).getRequestUrl().encodedPath());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void singleErrorObjectInsteadOfAListIsParsed(SpecCall call) throws Exception {
    List<Integer> codes = new ArrayList<>();
    SpecFixture examples = errorExamplesOf(call.fixture());
    for (String code : examples.spec().getResponses().keySet()) {
      String body = examples.errorExample(code, JSON);
      if (body == null || code.startsWith("2")) {
        continue;
      }
      ObjectNode single = (ObjectNode) SpecJson.tree(body);
      single.set("errors", single.get("errors").get(0));
      server.enqueue(status(Integer.parseInt(code), JSON, SpecJson.text(single)));

      PlexHttpException e = failure(call, PlexHttpException.class);

      assertEquals(errorsIn(SpecJson.tree(body)), e.errors(), code);
      assertTrue(e.getMessage().contains(e.errors().get(0).message()), e.getMessage());
      codes.add(e.code());
    }
    assertFalse(codes.isEmpty(), "the spec declares JSON errors for every operation");
  }

  /**
   * Where an operation's error examples come from: its own; for one that declares {@code
   * security: []} and so no error at all (PMS answers it to anyone), the first operation's that
   * declares them, since a proxy or a future server may still send one.
   */
  private static SpecFixture errorExamplesOf(SpecFixture fixture) {
    boolean needsNoToken = fixture.spec().getSecurity() != null
        && fixture.spec().getSecurity().isEmpty();
    if (!needsNoToken || fixture.errorExample("401", "text/html") != null) {
      return fixture;
    }
    return SpecFixture.all().stream()
        .filter(other -> other.errorExample("401", "text/html") != null).findFirst()
        .orElse(fixture);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void serverErrorPageBecomesHttpExceptionButNotUnauthorized(SpecCall call) throws Exception {
    server.enqueue(status(500, HTML, SERVER_ERROR_PAGE));

    PlexHttpException e = failure(call, PlexHttpException.class);

    assertFalse(e instanceof PlexUnauthorizedException, "500 is not an authorization failure");
    assertEquals(500, e.code());
    assertEquals(SERVER_ERROR_PAGE, e.body());
    assertEquals(List.of(), e.errors());
    assertNoSecrets(e);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void notFoundBecomesHttpExceptionWhetherTheSpecDeclaresItOrNot(SpecCall call) throws Exception {
    server.enqueue(status(404, HTML, NOT_FOUND_PAGE));

    PlexHttpException e = failure(call, PlexHttpException.class);

    assertFalse(e instanceof PlexUnauthorizedException);
    assertEquals(404, e.code());
    assertEquals(NOT_FOUND_PAGE, e.body());
    assertNoSecrets(e);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void rateLimitKeepsTheRetryAfterHeader(SpecCall call) throws Exception {
    server.enqueue(status(429, HTML, "").setHeader("Retry-After", "7"));

    PlexHttpException e = failure(call, PlexHttpException.class);

    assertEquals(429, e.code());
    assertEquals("7", e.headers().get("Retry-After"));
    assertEquals(Duration.ofSeconds(7), e.retryAfter().orElseThrow());
    assertEquals("", e.body());
    assertNoSecrets(e);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void errorBodyThatEchoesTokensIsRedacted(SpecCall call) throws Exception {
    StringBuilder echo = new StringBuilder("<html><body>token ").append(CALLER_TOKEN);
    for (String secret : SpecCall.exampleSecrets()) {
      echo.append(" or ").append(secret);
    }
    server.enqueue(status(401, HTML, echo.append(" rejected</body></html>").toString()));

    PlexUnauthorizedException e = failure(call, PlexUnauthorizedException.class);

    assertFalse(e.body().contains(CALLER_TOKEN), e.body());
    for (String secret : SpecCall.exampleSecrets()) {
      assertFalse(e.body().contains(secret), e.body());
    }
    assertTrue(e.body().contains("rejected"), e.body());
    assertNoSecrets(e, SpecCall.exampleSecrets());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void reasonPhraseThatEchoesATokenIsRedacted(SpecCall call) throws Exception {
    for (String secret : SpecCall.exampleSecrets()) {
      server.enqueue(new MockResponse().setStatus("HTTP/1.1 401 " + secret));
    }
    server.enqueue(new MockResponse().setStatus("HTTP/1.1 502 bad " + CALLER_TOKEN));

    for (String secret : SpecCall.exampleSecrets()) {
      PlexUnauthorizedException unauthorized = failure(call, PlexUnauthorizedException.class);
      assertEquals(401, unauthorized.code());
      assertNoSecrets(unauthorized, secret);
    }
    PlexHttpException badGateway = failure(call, PlexHttpException.class);

    assertEquals(502, badGateway.code());
    assertNoSecrets(badGateway);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void errorListWithNullEntriesStillBecomesHttpException(SpecCall call) throws Exception {
    server.enqueue(status(401, JSON, "{\"errors\":[null]}"));
    server.enqueue(status(500, JSON, "{\"errors\":[{\"code\":1000},null]}"));

    PlexUnauthorizedException unauthorized = failure(call, PlexUnauthorizedException.class);
    PlexHttpException serverError = failure(call, PlexHttpException.class);

    assertEquals(401, unauthorized.code());
    assertEquals("{\"errors\":[null]}", unauthorized.body());
    assertEquals(List.of(), unauthorized.errors());
    assertEquals(500, serverError.code());
    assertEquals(List.of(TestModels.error(1000, null, null)), serverError.errors());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void errorBodyThatIsNotPlexErrorShapeKeepsTheRawBody(SpecCall call) throws Exception {
    server.enqueue(status(400, JSON, "{\"errors\":\"nope\",\"detail\":[1,2]}"));

    PlexHttpException e = failure(call, PlexHttpException.class);

    assertEquals(400, e.code());
    assertEquals(List.of(), e.errors());
    assertEquals("{\"errors\":\"nope\",\"detail\":[1,2]}", e.body());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void oversizedErrorBodyIsBounded(SpecCall call) throws Exception {
    String huge = "<html>" + "x".repeat(100_000) + "</html>";
    server.enqueue(status(500, HTML, huge));

    PlexHttpException e = failure(call, PlexHttpException.class);

    assertEquals(huge.substring(0, Outcomes.MAX_ERROR_BODY_CHARS), e.body());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void connectionDroppedBeforeTheRequestBecomesIoException(SpecCall call) throws Exception {
    server.setDispatcher(
        always(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START)));

    PlexIoException e = failure(call, PlexIoException.class);

    assertInstanceOf(IOException.class, e.getCause());
    assertNoSecrets(e);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void connectionDroppedAfterTheRequestBecomesIoException(SpecCall call) throws Exception {
    server.setDispatcher(
        always(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST)));

    PlexIoException e = failure(call, PlexIoException.class);

    assertInstanceOf(IOException.class, e.getCause());
    assertEquals(call.fixture().path(), take(server).getRequestUrl().encodedPath());
    assertNoSecrets(e);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void connectionRefusedBecomesIoException(SpecCall call) throws IOException {
    MockWebServer closed = new MockWebServer();
    closed.start();
    String url = closed.url("/").toString();
    closed.shutdown();

    try (PlexAuthClient refused = builderFor(server).baseUrl(url).build()) {
      PlexIoException e = assertThrows(PlexIoException.class, () -> call.call(refused));

      assertInstanceOf(ConnectException.class, e.getCause());
      assertNoSecrets(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void readTimeoutBecomesIoExceptionWithTimeoutCause(SpecCall call) {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));

    try (PlexAuthClient impatient =
        builderFor(server).readTimeout(Duration.ofMillis(500)).build()) {
      PlexIoException e = assertThrows(PlexIoException.class, () -> call.call(impatient));

      assertInstanceOf(SocketTimeoutException.class, e.getCause());
      assertNoSecrets(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void callTimeoutBecomesIoExceptionWithTimeoutCause(SpecCall call) {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));

    try (PlexAuthClient impatient =
        builderFor(server).callTimeout(Duration.ofMillis(500)).build()) {
      PlexIoException e = assertThrows(PlexIoException.class, () -> call.call(impatient));

      // The call timeout's own exception, not a read timeout's subclass of it.
      assertEquals(InterruptedIOException.class, e.getCause().getClass());
      assertNoSecrets(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void bodyCutShortBecomesIoException(SpecCall call) throws Exception {
    server.enqueue(json(call.fixture().okJson())
        .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));

    PlexIoException e = failure(call, PlexIoException.class);

    assertInstanceOf(IOException.class, e.getCause());
    assertNoSecrets(e, SpecCall.exampleSecrets());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void bodyThatStallsPastTheReadTimeoutBecomesIoException(SpecCall call) {
    server.enqueue(json(call.fixture().okJson()).throttleBody(16, 2, TimeUnit.SECONDS));

    try (PlexAuthClient impatient =
        builderFor(server).readTimeout(Duration.ofMillis(500)).build()) {
      PlexIoException e = assertThrows(PlexIoException.class, () -> call.call(impatient));

      assertInstanceOf(SocketTimeoutException.class, e.getCause());
      assertNoSecrets(e, SpecCall.exampleSecrets());
    }
  }

  /** One answer of each row of the exception table, built from each operation's examples. */
  static Stream<ArgumentSet> failures() {
    List<ArgumentSet> sets = new ArrayList<>();
    for (SpecFixture fixture : SpecFixture.all()) {
      String xml = fixture.okXml() != null ? fixture.okXml() : "<MediaContainer size=\"0\"/>";
      // The declared error examples; a row whose example the operation lacks is left out.
      MockResponse html401 = example(fixture, 401, "text/html");
      MockResponse json401 = example(fixture, 401, JSON);
      MockResponse html403 = example(fixture, 403, "text/html");
      String truncated = fixture.okJson().substring(0, fixture.okJson().length() / 2);
      String container = fixture.okSchema().getRequired().get(0);
      Object[][] rows = {
        {"html 401", html401, PlexUnauthorizedException.class},
        {"html 403", html403, PlexUnauthorizedException.class},
        {"json 401", json401, PlexUnauthorizedException.class},
        {"html 500", status(500, HTML, SERVER_ERROR_PAGE), PlexHttpException.class},
        {"404", status(404, HTML, ""), PlexHttpException.class},
        {"xml 200", status(200, "text/xml;charset=utf-8", xml), PlexDecodingException.class},
        {"empty 200", status(200, JSON, ""), PlexDecodingException.class},
        {"204", new MockResponse().setResponseCode(204), PlexDecodingException.class},
        {"malformed", json(truncated), PlexDecodingException.class},
        {"empty array container", json("{\"" + container + "\":[]}"),
            PlexDecodingException.class},
        {"dropped at start",
            new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START),
            PlexIoException.class},
        {"dropped after request",
            new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST),
            PlexIoException.class},
        {"truncated body", json(fixture.okJson())
            .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY),
            PlexIoException.class},
      };
      for (Object[] row : rows) {
        if (row[1] != null) {
          sets.add(Arguments.argumentSet(fixture + " " + row[0], fixture, row[1], row[2]));
        }
      }
    }
    return sets.stream();
  }

  @ParameterizedTest
  @MethodSource("failures")
  void asyncVariantFailsWithTheSameExceptionTypeAsTheSyncCall(
      SpecFixture fixture, MockResponse answer, Class<? extends PlexException> expected)
      throws Exception {
    server.setDispatcher(always(answer));

    try (PlexAuthClient client = builderFor(server).build()) {
      PlexException sync = assertThrows(expected, () -> fixture.call(client));
      PlexException async = failureOf(fixture.callAsync(client), expected);

      assertEquals(sync.getClass(), async.getClass());
      if (sync instanceof PlexHttpException) {
        assertEquals(((PlexHttpException) sync).code(), ((PlexHttpException) async).code());
      }
      if (sync instanceof PlexIoException) {
        assertInstanceOf(IOException.class, async.getCause());
      }
      assertNoSecrets(sync, SpecCall.exampleSecrets());
      assertNoSecrets(async, SpecCall.exampleSecrets());
    }
  }

  /** The spec's example of an error answer as a response, or null when it declares none. */
  private static MockResponse example(SpecFixture fixture, int code, String type) {
    String body = fixture.errorExample(Integer.toString(code), type);
    return body == null ? null : status(code, type, body);
  }

  /** Calls the way {@code call} does on a fresh client and returns what it threw. */
  private <T extends Throwable> T failure(SpecCall call, Class<T> type) {
    try (PlexAuthClient client = builderFor(server).build()) {
      return assertThrows(type, () -> call.call(client));
    }
  }

  /** The errors of a plex.tv error body, read with Jackson: what {@code errors()} must hold. */
  private static List<PlexError> errorsIn(JsonNode body) {
    List<PlexError> errors = new ArrayList<>();
    for (JsonNode error : body.get("errors")) {
      errors.add(TestModels.error(error.get("code").intValue(), error.get("message").textValue(),
          error.get("status").intValue()));
    }
    return errors;
  }
}
