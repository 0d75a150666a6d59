package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.CALLER_TOKEN;
import static dev.plexauth.FacadeTestSupport.HTML;
import static dev.plexauth.FacadeTestSupport.JSON;
import static dev.plexauth.FacadeTestSupport.always;
import static dev.plexauth.FacadeTestSupport.assertNoSecrets;
import static dev.plexauth.FacadeTestSupport.builderFor;
import static dev.plexauth.FacadeTestSupport.failureOf;
import static dev.plexauth.FacadeTestSupport.fixture;
import static dev.plexauth.FacadeTestSupport.json;
import static dev.plexauth.FacadeTestSupport.status;
import static dev.plexauth.FacadeTestSupport.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.model.PlexError;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * The exception table of DESIGN.md, checked for one operation: every way a call can fail, sync and
 * async, maps to the same exception type, and no exception text ever contains a token. Each
 * operation's test class extends this and adds its own request and decoding checks.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
abstract class PlexOperationContract {
  protected MockWebServer server;
  protected PlexAuthClient client;

  /** Makes the operation's synchronous call. */
  abstract Object call(PlexAuthClient client);

  /** Makes the operation's asynchronous call. */
  abstract CompletableFuture<?> callAsync(PlexAuthClient client);

  /** The official JSON example of the operation's 200 answer. */
  abstract String okBody();

  /** The XML form of the operation's 200 answer, as PMS sends it without the Accept header. */
  abstract String xmlBody();

  /** The path and query the operation must request. */
  abstract String expectedTarget();

  @BeforeEach
  void startServer() throws IOException {
    server = new MockWebServer();
    server.start();
    client = builderFor(server).build();
  }

  @AfterEach
  void stopServer() throws IOException {
    client.close();
    server.shutdown();
  }

  @Test
  void htmlUnauthorizedBecomesUnauthorizedExceptionWithStatusHeadersAndBody() throws Exception {
    String html = fixture("unauthorized.html");
    server.enqueue(status(401, HTML, html).setHeader("X-Plex-Protocol", "1.0"));

    PlexUnauthorizedException e = assertThrows(PlexUnauthorizedException.class, () -> call(client));

    assertEquals(401, e.code());
    assertTrue(e.body().contains("<h1>401 Unauthorized</h1>"), e.body());
    assertEquals(List.of(), e.errors());
    assertEquals(HTML, e.headers().get("Content-Type"));
    assertEquals("1.0", e.headers().get("X-Plex-Protocol"));
    assertTrue(e.getMessage().contains("401"), e.getMessage());
    assertNoSecrets(e);
    assertEquals(expectedTarget(), take(server).getPath());
  }

  @Test
  void htmlForbiddenBecomesUnauthorizedException() {
    server.enqueue(status(403, HTML, fixture("forbidden.html")));

    PlexUnauthorizedException e = assertThrows(PlexUnauthorizedException.class, () -> call(client));

    assertEquals(403, e.code());
    assertTrue(e.body().contains("403 Forbidden"), e.body());
    assertEquals(List.of(), e.errors());
    assertNoSecrets(e);
  }

  @Test
  void jsonErrorListOfAnUnauthorizedAnswerIsParsed() {
    server.enqueue(status(401, JSON, fixture("unauthorized-errors.json")));

    PlexUnauthorizedException e = assertThrows(PlexUnauthorizedException.class, () -> call(client));

    assertEquals(401, e.code());
    assertEquals(List.of(TestModels.error(1001, "User could not be authenticated", 401)), e.errors());
    assertTrue(e.body().contains("User could not be authenticated"), e.body());
    assertNoSecrets(e);
  }

  @Test
  void serverErrorHtmlBecomesHttpExceptionButNotUnauthorized() {
    String html = "<html><head><title>Internal Server Error</title></head>"
        + "<body><h1>500 Internal Server Error</h1></body></html>";
    server.enqueue(status(500, HTML, html));

    PlexHttpException e = assertThrows(PlexHttpException.class, () -> call(client));

    assertFalse(e instanceof PlexUnauthorizedException, "500 is not an authorization failure");
    assertEquals(500, e.code());
    assertEquals(html, e.body());
    assertEquals(List.of(), e.errors());
    assertNoSecrets(e);
  }

  @Test
  void notFoundBecomesHttpException() {
    server.enqueue(status(404, HTML, "<html><body><h1>404 Not Found</h1></body></html>"));

    PlexHttpException e = assertThrows(PlexHttpException.class, () -> call(client));

    assertFalse(e instanceof PlexUnauthorizedException);
    assertEquals(404, e.code());
    assertTrue(e.body().contains("404 Not Found"), e.body());
    assertNoSecrets(e);
  }

  @Test
  void rateLimitKeepsTheRetryAfterHeader() {
    server.enqueue(status(429, HTML, "").setHeader("Retry-After", "7"));

    PlexHttpException e = assertThrows(PlexHttpException.class, () -> call(client));

    assertEquals(429, e.code());
    assertEquals("7", e.headers().get("Retry-After"));
    assertEquals("", e.body());
    assertNoSecrets(e);
  }

  @Test
  void errorBodyThatEchoesTokensIsRedacted() {
    server.enqueue(status(401, HTML,
        "<html><body>token " + CALLER_TOKEN + " or " + FacadeTestSupport.TRANSIENT_TOKEN
            + " rejected</body></html>"));

    PlexUnauthorizedException e = assertThrows(PlexUnauthorizedException.class, () -> call(client));

    assertFalse(e.body().contains(CALLER_TOKEN), e.body());
    assertFalse(e.body().contains(FacadeTestSupport.TRANSIENT_TOKEN), e.body());
    assertTrue(e.body().contains("rejected"), e.body());
    assertNoSecrets(e);
  }

  @Test
  void reasonPhraseThatEchoesATokenIsRedacted() {
    server.enqueue(
        new MockResponse().setStatus("HTTP/1.1 401 " + FacadeTestSupport.TRANSIENT_TOKEN));
    server.enqueue(new MockResponse().setStatus("HTTP/1.1 502 bad " + CALLER_TOKEN));

    PlexUnauthorizedException unauthorized =
        assertThrows(PlexUnauthorizedException.class, () -> call(client));
    PlexHttpException badGateway = assertThrows(PlexHttpException.class, () -> call(client));

    assertEquals(401, unauthorized.code());
    assertEquals(502, badGateway.code());
    assertNoSecrets(unauthorized);
    assertNoSecrets(badGateway);
  }

  @Test
  void errorListWithNullEntriesStillBecomesHttpException() {
    server.enqueue(status(401, JSON, "{\"errors\":[null]}"));
    server.enqueue(status(500, JSON, "{\"errors\":[{\"code\":1000},null]}"));

    PlexUnauthorizedException unauthorized =
        assertThrows(PlexUnauthorizedException.class, () -> call(client));
    PlexHttpException serverError = assertThrows(PlexHttpException.class, () -> call(client));

    assertEquals(401, unauthorized.code());
    assertEquals("{\"errors\":[null]}", unauthorized.body());
    assertEquals(List.of(), unauthorized.errors());
    assertEquals(500, serverError.code());
    assertEquals(List.of(TestModels.error(1000, null, null)), serverError.errors());
  }

  @Test
  void singleErrorObjectInsteadOfAListIsParsed() {
    server.enqueue(status(403, JSON,
        "{\"errors\":{\"code\":1001,\"message\":\"User could not be authenticated\","
            + "\"status\":403}}"));

    PlexUnauthorizedException e = assertThrows(PlexUnauthorizedException.class, () -> call(client));

    assertEquals(List.of(TestModels.error(1001, "User could not be authenticated", 403)), e.errors());
    assertTrue(e.getMessage().contains("User could not be authenticated"), e.getMessage());
  }

  @Test
  void errorBodyThatIsNotPlexErrorShapeKeepsTheRawBody() {
    server.enqueue(status(400, JSON, "{\"errors\":\"nope\",\"detail\":[1,2]}"));

    PlexHttpException e = assertThrows(PlexHttpException.class, () -> call(client));

    assertEquals(400, e.code());
    assertEquals(List.of(), e.errors());
    assertEquals("{\"errors\":\"nope\",\"detail\":[1,2]}", e.body());
  }

  @Test
  void oversizedErrorBodyIsBounded() {
    String huge = "<html>" + "x".repeat(100_000) + "</html>";
    server.enqueue(status(500, HTML, huge));

    PlexHttpException e = assertThrows(PlexHttpException.class, () -> call(client));

    assertTrue(e.body().startsWith("<html>xxx"), e.body().substring(0, 20));
    assertTrue(e.body().length() <= Outcomes.MAX_ERROR_BODY_CHARS, "length " + e.body().length());
  }

  @Test
  void malformedJsonAroundABareTokenDoesNotEchoIt() {
    server.enqueue(json("{\"MediaContainer\":{\"token\":" + FacadeTestSupport.TRANSIENT_TOKEN
        + ",\"accessToken\":" + CALLER_TOKEN + "}}"));

    PlexDecodingException e = assertThrows(PlexDecodingException.class, () -> call(client));

    assertEquals(200, e.code());
    assertNoSecrets(e);
  }

  @Test
  void xmlAnswerBecomesDecodingExceptionThatNamesTheAcceptHeader() {
    server.enqueue(status(200, "text/xml;charset=utf-8", xmlBody()));

    PlexDecodingException e = assertThrows(PlexDecodingException.class, () -> call(client));

    assertEquals(200, e.code());
    assertEquals("text/xml;charset=utf-8", e.contentType());
    assertTrue(e.getMessage().contains("Accept"), e.getMessage());
    assertNoSecrets(e);
  }

  @Test
  void xmlAnswerWithoutContentTypeIsStillRecognisedAsXml() {
    server.enqueue(new MockResponse().setBody(xmlBody()));

    PlexDecodingException e = assertThrows(PlexDecodingException.class, () -> call(client));

    assertTrue(e.getMessage().contains("Accept"), e.getMessage());
    assertNoSecrets(e);
  }

  @Test
  void htmlPageWithOkStatusBecomesDecodingException() {
    server.enqueue(status(200, HTML, "<html><body>Plex Web</body></html>"));

    PlexDecodingException e = assertThrows(PlexDecodingException.class, () -> call(client));

    assertEquals(200, e.code());
    assertEquals(HTML, e.contentType());
    assertNoSecrets(e);
  }

  @Test
  void emptyOkBodyBecomesDecodingException() {
    server.enqueue(status(200, JSON, ""));

    PlexDecodingException e = assertThrows(PlexDecodingException.class, () -> call(client));

    assertEquals(200, e.code());
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
    assertNoSecrets(e);
  }

  @Test
  void noContentBecomesDecodingExceptionWithItsStatus() {
    server.enqueue(new MockResponse().setResponseCode(204));

    PlexDecodingException e = assertThrows(PlexDecodingException.class, () -> call(client));

    assertEquals(204, e.code());
    assertNoSecrets(e);
  }

  @Test
  void malformedJsonBecomesDecodingException() {
    String truncated = okBody().substring(0, okBody().length() / 2);
    server.enqueue(json(truncated));
    server.enqueue(json("{\"MediaContainer\": {size: 0,, }"));

    PlexDecodingException first = assertThrows(PlexDecodingException.class, () -> call(client));
    PlexDecodingException second = assertThrows(PlexDecodingException.class, () -> call(client));

    assertEquals(200, first.code());
    assertEquals(200, second.code());
    assertNoSecrets(first);
    assertNoSecrets(second);
  }

  @Test
  void mediaContainerAsArrayBecomesDecodingException() {
    server.enqueue(json("{\"MediaContainer\":[" + okBody().trim() + "]}"));

    PlexDecodingException e = assertThrows(PlexDecodingException.class, () -> call(client));

    assertTrue(e.getMessage().contains("MediaContainer"), e.getMessage());
    assertNoSecrets(e);
  }

  @Test
  void missingOrNullMediaContainerBecomesDecodingException() {
    server.enqueue(json("{\"size\":0}"));
    server.enqueue(json("{\"MediaContainer\":null}"));
    server.enqueue(json("null"));
    server.enqueue(json("[]"));

    for (int i = 0; i < 4; i++) {
      PlexDecodingException e = assertThrows(PlexDecodingException.class, () -> call(client));
      assertNoSecrets(e);
    }
    assertEquals(4, server.getRequestCount());
  }

  @Test
  void connectionDroppedBeforeTheRequestBecomesIoException() {
    server.setDispatcher(
        always(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START)));

    PlexIoException e = assertThrows(PlexIoException.class, () -> call(client));

    assertInstanceOf(IOException.class, e.getCause());
    assertNoSecrets(e);
  }

  @Test
  void connectionDroppedAfterTheRequestBecomesIoException() throws Exception {
    server.setDispatcher(
        always(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST)));

    PlexIoException e = assertThrows(PlexIoException.class, () -> call(client));

    assertInstanceOf(IOException.class, e.getCause());
    assertEquals(expectedTarget(), take(server).getPath());
    assertNoSecrets(e);
  }

  @Test
  void connectionRefusedBecomesIoException() throws IOException {
    MockWebServer closed = new MockWebServer();
    closed.start();
    String url = closed.url("/").toString();
    closed.shutdown();
    PlexAuthClient refused = builderFor(server).baseUrl(url).build();

    PlexIoException e = assertThrows(PlexIoException.class, () -> call(refused));

    assertInstanceOf(IOException.class, e.getCause());
    assertNoSecrets(e);
    refused.close();
  }

  @Test
  void readTimeoutBecomesIoExceptionWithTimeoutCause() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    PlexAuthClient impatient = builderFor(server).readTimeout(Duration.ofMillis(500)).build();

    PlexIoException e = assertThrows(PlexIoException.class, () -> call(impatient));

    assertInstanceOf(SocketTimeoutException.class, e.getCause());
    assertNoSecrets(e);
    impatient.close();
  }

  @Test
  void callTimeoutBecomesIoExceptionWithTimeoutCause() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    PlexAuthClient impatient = builderFor(server).callTimeout(Duration.ofMillis(500)).build();

    PlexIoException e = assertThrows(PlexIoException.class, () -> call(impatient));

    assertInstanceOf(InterruptedIOException.class, e.getCause());
    assertNoSecrets(e);
    impatient.close();
  }

  @Test
  void bodyCutShortBecomesIoException() {
    server.enqueue(
        json(okBody()).setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));

    PlexIoException e = assertThrows(PlexIoException.class, () -> call(client));

    assertInstanceOf(IOException.class, e.getCause());
    assertNoSecrets(e);
  }

  @Test
  void bodyThatStallsPastTheReadTimeoutBecomesIoException() {
    server.enqueue(json(okBody()).throttleBody(16, 2, TimeUnit.SECONDS));
    PlexAuthClient impatient = builderFor(server).readTimeout(Duration.ofMillis(500)).build();

    PlexIoException e = assertThrows(PlexIoException.class, () -> call(impatient));

    assertInstanceOf(SocketTimeoutException.class, e.getCause());
    assertNoSecrets(e);
    impatient.close();
  }

  @Test
  void asyncVariantReturnsWhatTheSyncCallReturns() throws Exception {
    server.enqueue(json(okBody()));
    server.enqueue(json(okBody()));

    Object sync = call(client);
    Object async = callAsync(client).get(FacadeTestSupport.WAIT_SECONDS, TimeUnit.SECONDS);

    assertNotNull(sync);
    assertNotSame(sync, async);
    assertEquals(sync, async);
    assertEquals(take(server).getHeaders(), take(server).getHeaders());
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of("html 401", status(401, HTML, fixture("unauthorized.html")),
            PlexUnauthorizedException.class),
        Arguments.of("html 403", status(403, HTML, fixture("forbidden.html")),
            PlexUnauthorizedException.class),
        Arguments.of("json 401", status(401, JSON, fixture("unauthorized-errors.json")),
            PlexUnauthorizedException.class),
        Arguments.of("html 500", status(500, HTML, "<html>500</html>"), PlexHttpException.class),
        Arguments.of("404", status(404, HTML, ""), PlexHttpException.class),
        Arguments.of("xml 200", status(200, "text/xml;charset=utf-8",
            fixture("transient-token.xml")), PlexDecodingException.class),
        Arguments.of("empty 200", status(200, JSON, ""), PlexDecodingException.class),
        Arguments.of("204", new MockResponse().setResponseCode(204), PlexDecodingException.class),
        Arguments.of("malformed", json("{\"MediaContainer\":"), PlexDecodingException.class),
        Arguments.of("array container", json("{\"MediaContainer\":[]}"),
            PlexDecodingException.class),
        Arguments.of("dropped at start",
            new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START),
            PlexIoException.class),
        Arguments.of("dropped after request",
            new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST),
            PlexIoException.class),
        Arguments.of("truncated body",
            json(fixture("source-connection-information.json"))
                .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY),
            PlexIoException.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void asyncVariantFailsWithTheSameExceptionTypeAsTheSyncCall(
      String scenario, MockResponse answer, Class<? extends PlexException> expected)
      throws Exception {
    server.setDispatcher(always(answer));

    PlexException sync = assertThrows(expected, () -> call(client));
    PlexException async = failureOf(callAsync(client), expected);

    assertEquals(sync.getClass(), async.getClass(), scenario);
    if (sync instanceof PlexHttpException) {
      assertEquals(((PlexHttpException) sync).code(), ((PlexHttpException) async).code());
    }
    if (sync instanceof PlexIoException) {
      assertInstanceOf(IOException.class, async.getCause());
    }
    assertNoSecrets(sync);
    assertNoSecrets(async);
  }

  @Test
  void asyncTimeoutCompletesExceptionallyWithIoException() throws Exception {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    PlexAuthClient impatient = builderFor(server).readTimeout(Duration.ofMillis(500)).build();

    PlexIoException e = failureOf(callAsync(impatient), PlexIoException.class);

    assertInstanceOf(SocketTimeoutException.class, e.getCause());
    assertNoSecrets(e);
    impatient.close();
  }
}
