package dev.plexauth.contract;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.tools.standin.ContractObserver.ReceivedRequest;
import dev.plexauth.tools.standin.PlexStandIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The contract checker itself: it passes what the spec allows and rejects, with a clear message, what it does not. */
class SpecContractTest {
  private static final String TOKEN = "fake-owner-token-Zq81xYw3";
  private static final String MINTED = "transient-90904684-f91a-4391-8bf7-e0dfa7240285";

  private final SpecContract spec = SpecContract.plexAuth();

  @Test
  void requestsShapedLikeTheFacadesPass() {
    assertDoesNotThrow(() -> spec.validateRequest(mint("type=delegation&scope=all", headers())));
    assertDoesNotThrow(() -> spec.validateRequest(
        ContractRequest.of("GET", "/security/resources", "source=server%3A%2F%2Fabc&refresh=1",
            headers())));
  }

  @Test
  void requestWithoutClientIdentifierIsRejectedNamingTheRequestAndTheHeader() {
    Map<String, List<String>> headers = headers();
    headers.remove("X-Plex-Client-Identifier");

    AssertionError e = assertThrows(AssertionError.class,
        () -> spec.validateRequest(mint("type=delegation&scope=all", headers)));

    assertMessage(e, "GET /security/token breaks openapi/plex-auth.yaml",
        "[validation.request.security.missing]", "X-Plex-Client-Identifier");
  }

  @Test
  void requestWithAnEmptyClientIdentifierOrNoTokenIsRejected() {
    Map<String, List<String>> empty = headers();
    empty.put("X-Plex-Client-Identifier", List.of(""));
    Map<String, List<String>> tokenless = headers();
    tokenless.remove("X-Plex-Token");

    assertMessage(assertThrows(AssertionError.class,
            () -> spec.validateRequest(mint("type=delegation&scope=all", empty))),
        "[validation.request.security.missing]", "X-Plex-Client-Identifier");
    assertMessage(assertThrows(AssertionError.class,
            () -> spec.validateRequest(mint("type=delegation&scope=all", tokenless))),
        "[validation.request.security.missing]", "[X-Plex-Token]");
  }

  @Test
  void requestWithTypeOtherIsRejectedNamingTheEnumRule() {
    AssertionError e = assertThrows(AssertionError.class,
        () -> spec.validateRequest(mint("type=other&scope=all", headers())));

    assertMessage(e, "GET /security/token", "[validation.request.parameter.schema.enum]",
        "\"other\"", "delegation");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/security/token|scope=all|validation.request.parameter.query.missing",
      "/security/token|type=delegation&scope=some|validation.request.parameter.schema.enum",
      "/security/resources|source=server%3A%2F%2Fabc&refresh=2|validation.request.parameter.schema.enum",
      "/security/resources|refresh=1|validation.request.parameter.query.missing",
      "/security/resources|source=server%3A%2F%2Fabc&verbose=1|validation.request.parameter.query.unexpected",
      "/identity||validation.request.path.missing"})
  void offSpecQueriesAndPathsAreRejected(String path, String query, String rule) {
    AssertionError e = assertThrows(AssertionError.class,
        () -> spec.validateRequest(ContractRequest.of("GET", path, query, headers())));

    assertMessage(e, "GET " + path + " breaks", "[" + rule + "]");
  }

  @Test
  void tokenInTheQueryIsRejectedWithoutRepeatingIt() {
    AssertionError e = assertThrows(AssertionError.class, () -> spec.validateRequest(
        mint("type=delegation&scope=all&X-Plex-Token=" + TOKEN, headers())));

    assertMessage(e, "[validation.request.parameter.query.unexpected]", "'X-Plex-Token'");
  }

  @Test
  void otherVerbsAndAcceptListsAreRejected() {
    Map<String, List<String>> acceptList = headers();
    acceptList.put("Accept", List.of("application/json, */*"));

    assertMessage(assertThrows(AssertionError.class, () -> spec.validateRequest(
            ContractRequest.of("POST", "/security/token", "type=delegation&scope=all", headers()))),
        "POST /security/token", "[validation.request.operation.notAllowed]");
    assertMessage(assertThrows(AssertionError.class,
            () -> spec.validateRequest(mint("type=delegation&scope=all", acceptList))),
        "[" + SpecContract.ACCEPT_RULE + "]", "exactly 'application/json'");
  }

  @Test
  void answerWithAnUndeclaredStatusIsRejected() {
    AssertionError e = assertThrows(AssertionError.class, () -> spec.validateResponse(
        "GET", "/security/token", 418, "text/html", Map.of(), "<h1>418 I'm a teapot</h1>"));

    assertMessage(e, "answer 418 (text/html) to GET /security/token breaks",
        "[validation.response.status.unknown]");
  }

  @Test
  void jsonAnswerWithTheTokenAsANumberIsRejectedNamingTheField() {
    AssertionError e = assertThrows(AssertionError.class, () -> spec.validateResponse(
        "GET", "/security/token", 200, "application/json", Map.of(),
        "{\"MediaContainer\":{\"size\":0,\"token\":90904684}}"));

    assertMessage(e, "answer 200 (application/json) to GET /security/token",
        "[validation.response.body.schema.type]", "/MediaContainer/token", "\"string\"");
  }

  @Test
  void answersWithUndeclaredOrMissingContentTypesAreRejected() {
    assertMessage(assertThrows(AssertionError.class, () -> spec.validateResponse("GET",
            "/security/token", 200, "text/html", Map.of(), "<html></html>")),
        "[validation.response.contentType.notAllowed]");
    assertMessage(assertThrows(AssertionError.class, () -> spec.validateResponse("GET",
            "/security/token", 200, null, Map.of(), "{\"MediaContainer\":{\"token\":\"t\"}}")),
        "[" + SpecContract.CONTENT_TYPE_RULE + "]");
  }

  @Test
  void transientTokensInAnswersNeverReachTheMessage() {
    AssertionError e = assertThrows(AssertionError.class, () -> spec.validateResponse("GET",
        "/security/token", 200, "application/json", Map.of(),
        "{\"MediaContainer\":{\"token\":{\"value\":\"" + MINTED + "\"}}}"));

    assertMessage(e, "[validation.response.body.schema.type]");
  }

  @Test
  void specPathsAreFoundBelowABasePathAndRedirectTargetsAreNot() {
    assertEquals(Optional.of("/security/token"), spec.specPath("/plex/security/token"));
    assertEquals(Optional.of("/security/resources"), spec.specPath("/security/resources"));
    assertEquals(Optional.empty(), spec.specPath("/moved/elsewhere"));
    assertEquals("/security/token", ContractRequest.of("GET", "/plex/security/token", null,
        headers()).withoutBasePath("/plex/").path());
  }

  @Test
  void okHttpRequestsAreCheckedBelowTheirBasePath() {
    Request.Builder request = new Request.Builder()
        .url("https://10-0-2-123.abc.plex.direct:32400/plex/security/resources?source=server%3A%2F%2Fabc")
        .header("X-Plex-Token", TOKEN)
        .header("X-Plex-Client-Identifier", "cid");

    assertDoesNotThrow(() -> spec.validateRequest(
        request.header("Accept", "application/json").build(), "/plex"));
    assertMessage(assertThrows(AssertionError.class, () -> spec.validateRequest(
            request.removeHeader("Accept").build(), "/plex/")),
        "GET /security/resources breaks", "[" + SpecContract.ACCEPT_RULE + "]", "found none");
  }

  @Test
  void standInStyleAnswersThatBreakTheSpecAreCollectedAndReported() {
    StandInContract contract = StandInContract.responsesOnly();
    ReceivedRequest mint =
        new ReceivedRequest("GET", "/security/token", "type=delegation&scope=all", headers());
    ReceivedRequest identity = new ReceivedRequest("GET", "/identity", null, headers());

    contract.onResponse(mint, 418, Map.of("Content-Type", List.of("text/html")), "<h1>418</h1>");
    contract.onResponse(mint, 200, Map.of("Content-Type", List.of("application/json")),
        "{\"MediaContainer\":{\"size\":0,\"token\":7}}");
    contract.onResponse(identity, 200, Map.of("Content-Type", List.of("application/json")), "{}");

    AssertionError e = assertThrows(AssertionError.class, contract::assertNoViolations);
    assertMessage(e, "2 exchange(s) with the stand-in broke the spec",
        "answer 418 (text/html) to GET /security/token", "[validation.response.status.unknown]",
        "answer 200 (application/json) to GET /security/token",
        "[validation.response.body.schema.type]");
    assertEquals(2, contract.checkedResponses(), "/identity is outside the spec");
  }

  @Test
  void liveStandInReportsAnOffSpecRequestItReceived() throws Exception {
    StandInContract contract = StandInContract.requestsAndResponses();
    try (PlexStandIn plex = PlexStandIn.builder().contractObserver(contract).build().start()) {
      HttpRequest noClientId = HttpRequest.newBuilder(
              URI.create(plex.baseUrl() + "security/token?type=delegation&scope=all"))
          .header("X-Plex-Token", plex.ownerToken())
          .header("Accept", "application/json")
          .build();

      HttpResponse<String> response =
          HttpClient.newHttpClient().send(noClientId, HttpResponse.BodyHandlers.ofString());

      assertEquals(200, response.statusCode(), "PMS itself does not insist on the header");
      AssertionError e = assertThrows(AssertionError.class, contract::assertNoViolations);
      assertMessage(e, "GET /security/token breaks", "[validation.request.security.missing]",
          "X-Plex-Client-Identifier");
      assertFalse(e.getMessage().contains(plex.ownerToken()), e.getMessage());
      assertEquals(1, contract.checkedResponses(), "its valid answer was checked too");
    }
  }

  @Test
  void interceptorStopsAnOffSpecRequestBeforeItIsSent() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      OkHttpClient http = new OkHttpClient.Builder()
          .addNetworkInterceptor(ContractInterceptor.requestsOnly()).build();
      Request request = new Request.Builder()
          .url(server.url("/plex/security/token?type=other&scope=all"))
          .header("X-Plex-Token", TOKEN)
          .header("X-Plex-Client-Identifier", "cid")
          .header("Accept", "application/json")
          .build();

      AssertionError e = assertThrows(AssertionError.class, () -> http.newCall(request).execute());

      assertMessage(e, "GET /security/token breaks", "[validation.request.parameter.schema.enum]");
      assertEquals(0, server.getRequestCount());
    }
  }

  @Test
  void interceptorChecksAnswersOnlyWhenAskedAndSkipsRedirectTargets() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse().setResponseCode(418).setBody("teapot"));
      server.enqueue(new MockResponse().setResponseCode(418).setBody("teapot"));
      server.start();
      OkHttpClient http = new OkHttpClient.Builder()
          .addNetworkInterceptor(ContractInterceptor.requestsAndResponses()).build();
      Request.Builder request = new Request.Builder()
          .header("X-Plex-Token", TOKEN)
          .header("X-Plex-Client-Identifier", "cid")
          .header("Accept", "application/json");

      AssertionError e = assertThrows(AssertionError.class, () -> http.newCall(request
          .url(server.url("/security/token?type=delegation&scope=all")).build()).execute());
      try (okhttp3.Response moved =
          http.newCall(request.url(server.url("/moved/elsewhere")).build()).execute()) {
        assertEquals(418, moved.code(), "not a spec path: passed unchecked");
      }

      assertMessage(e, "answer 418", "GET /security/token", "[validation.response.status.unknown]");
    }
  }

  private static ContractRequest mint(String query, Map<String, List<String>> headers) {
    return ContractRequest.of("GET", "/security/token", query, headers);
  }

  private static Map<String, List<String>> headers() {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("X-Plex-Token", List.of(TOKEN));
    headers.put("X-Plex-Client-Identifier", List.of("3f0c2a5e-9b7d-4c1e-8a61-0d2f4b6c8e10"));
    headers.put("Accept", List.of("application/json"));
    return headers;
  }

  /** Asserts the message has every part and no token. */
  private static void assertMessage(AssertionError e, String... parts) {
    String message = e.getMessage();
    for (String part : parts) {
      assertTrue(message.contains(part), "missing \"" + part + "\" in: " + message);
    }
    assertFalse(message.contains(TOKEN), "the caller's token leaked: " + message);
    assertFalse(message.contains(MINTED), "a transient token leaked: " + message);
  }
}
