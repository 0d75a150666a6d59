package dev.plexauth.tools.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.squareup.moshi.Moshi;
import dev.plexauth.contract.StandInContract;
import dev.plexauth.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Talks to a real {@link PlexStandIn} over loopback and checks what goes over the wire. */
class PlexStandInWireTest {
  static final String OWNER = "owner-test-token";
  static final String SHARED = "shared-test-token";
  static final String MINT = "security/token?type=delegation&scope=all";
  static final String TRANSIENT =
      "transient-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  private static final String UNAUTHORIZED_HTML = "<html><head><title>Unauthorized</title></head>"
      + "<body><h1>401 Unauthorized</h1></body></html>";
  private static final String BAD_REQUEST_HTML = "<html><head><title>Bad Request</title></head>"
      + "<body><h1>400 Bad Request</h1></body></html>";
  private static final String FORBIDDEN_HTML = "<html><head><title>Forbidden</title></head>"
      + "<body><h1>403 Forbidden</h1></body></html>";
  static final String NOT_FOUND_HTML = "<html><head><title>Not Found</title></head>"
      + "<body><h1>404 Not Found</h1></body></html>";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  /** Answers only: these tests send malformed requests on purpose. */
  private final StandInContract contract = StandInContract.responsesOnly();
  private PlexStandIn plex;

  @BeforeEach
  void startStandIn() throws Exception {
    plex = PlexStandIn.builder().clock(clock).ownerToken(OWNER).sharedUserToken(SHARED)
        .contractObserver(contract).build().start();
  }

  @AfterEach
  void closeStandIn() {
    plex.close();
    contract.assertNoViolations();
  }

  @Test
  void transientTokenIsJsonWhenAcceptIsExactlyApplicationJson() throws Exception {
    HttpResponse<String> response = send(get(MINT, OWNER).header("Accept", " application/json "));

    assertEquals(200, response.statusCode());
    assertEquals("application/json", header(response, "Content-Type"));
    Map<?, ?> container = mediaContainer(response.body());
    assertEquals(0.0, container.get("size"));
    assertTrue(((String) container.get("token")).matches(TRANSIENT), response.body());
  }

  @Test
  void transientTokenIsXmlWithoutAcceptHeader() throws Exception {
    HttpResponse<String> response = send(get(MINT, OWNER));

    assertEquals(200, response.statusCode());
    assertEquals("text/xml;charset=utf-8", header(response, "Content-Type"));
    Element root = xml(response.body());
    assertEquals("MediaContainer", root.getTagName());
    assertEquals("0", root.getAttribute("size"));
    assertTrue(root.getAttribute("token").matches(TRANSIENT), response.body());
  }

  @Test
  void acceptListContainingJsonStillGetsXml() throws Exception {
    HttpResponse<String> response =
        send(get(MINT, OWNER).header("Accept", "application/json, */*"));

    assertEquals("text/xml;charset=utf-8", header(response, "Content-Type"));
    assertTrue(xml(response.body()).getAttribute("token").matches(TRANSIENT));
  }

  @Test
  void missingTokenGets401HtmlEvenWhenJsonIsAccepted() throws Exception {
    HttpResponse<String> response = send(get(MINT, null).header("Accept", "application/json"));

    assertEquals(401, response.statusCode());
    assertEquals("text/html", header(response, "Content-Type"));
    assertEquals(UNAUTHORIZED_HTML, response.body());
  }

  @Test
  void unknownTokenGets401Html() throws Exception {
    HttpResponse<String> response = send(get(MINT, "transient-never-minted"));

    assertEquals(401, response.statusCode());
    assertEquals(UNAUTHORIZED_HTML, response.body());
  }

  @Test
  void authIsCheckedBeforeParameters() throws Exception {
    assertEquals(401, send(get("security/token?type=bogus", "nope")).statusCode());
    assertEquals(401, send(get("security/resources", null)).statusCode());
  }

  @Test
  void tokenInQueryParameterIsAcceptedLikePms() throws Exception {
    assertEquals(200, send(get(MINT + "&X-Plex-Token=" + OWNER, null)).statusCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "type=delegation", "scope=all", "type=shared&scope=all",
      "type=delegation&scope=some", "type=Delegation&scope=all", "type=&scope=all"})
  void wrongOrMissingTypeOrScopeGets400Html(String query) throws Exception {
    HttpResponse<String> response = send(get("security/token?" + query, OWNER));

    assertEquals(400, response.statusCode());
    assertEquals("text/html", header(response, "Content-Type"));
    assertEquals(BAD_REQUEST_HTML, response.body());
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH"})
  void transientTokenEndpointAnswersEveryVerb(String method) throws Exception {
    HttpRequest.Builder request = get(MINT, OWNER).method(method, BodyPublishers.ofString("x"));

    assertEquals(200, send(request).statusCode());
  }

  @Test
  void everyCallMintsANewTransientTokenThatWorksAsAToken() throws Exception {
    String first = mint(OWNER);
    String second = mint(OWNER);

    assertNotEquals(first, second);
    assertEquals(200, send(get(MINT, first)).statusCode());
  }

  @Test
  void sharedUserTokenGets403HtmlOnResources() throws Exception {
    HttpResponse<String> response =
        send(get(resources(), SHARED).header("Accept", "application/json"));

    assertEquals(403, response.statusCode());
    assertEquals("text/html", header(response, "Content-Type"));
    assertEquals(FORBIDDEN_HTML, response.body());
  }

  @Test
  void transientTokenMintedFromSharedUserTokenGets403OnResources() throws Exception {
    assertEquals(403, send(get(resources(), mint(SHARED))).statusCode());
  }

  @Test
  void transientTokenMintedFromOwnerTokenReadsResources() throws Exception {
    assertEquals(200, send(get(resources(), mint(OWNER))).statusCode());
  }

  @Test
  void resourcesJsonHasOneDeviceObjectAndOmitsRelayWhenFalse() throws Exception {
    HttpResponse<String> response =
        send(get(resources(), OWNER).header("Accept", "application/json"));

    assertEquals(200, response.statusCode());
    assertEquals("application/json", header(response, "Content-Type"));
    Map<?, ?> container = mediaContainer(response.body());
    assertEquals(1.0, container.get("size"));
    Map<?, ?> device = (Map<?, ?>) container.get("Device");
    assertEquals("Plex stand-in", device.get("name"));
    assertEquals(plex.defaultSource(), "server://" + device.get("clientIdentifier"));
    assertTrue(((String) device.get("accessToken")).matches(TRANSIENT));
    List<?> connections = (List<?>) device.get("Connection");
    List<StandInConnection> listed = plex.sources().get(0).connections();
    assertEquals(listed.size(), connections.size());
    StandInConnection http = listed.get(2);
    assertEquals(Map.of("protocol", "http", "address", http.address(), "port",
        (double) http.port(), "uri", "http://" + http.address() + ":" + http.port(),
        "local", true), connections.get(2));
    Map<?, ?> plexDirect = (Map<?, ?>) connections.get(0);
    assertEquals((double) listed.get(0).port(), plexDirect.get("port"));
    assertTrue(((String) plexDirect.get("uri"))
        .matches("https://127-0-0-2\\.[0-9a-f]{32}\\.plex\\.direct:\\d+"));
    assertFalse(plexDirect.containsKey("relay"));
    Map<?, ?> relay = (Map<?, ?>) connections.get(listed.size() - 1);
    assertEquals(false, relay.get("local"));
    assertEquals(true, relay.get("relay"));
  }

  @Test
  void resourcesXmlCarriesFlagsAsOneAndZero() throws Exception {
    HttpResponse<String> response = send(get(resources(), OWNER));

    assertEquals("text/xml;charset=utf-8", header(response, "Content-Type"));
    Element root = xml(response.body());
    assertEquals("1", root.getAttribute("size"));
    Element device = (Element) root.getElementsByTagName("Device").item(0);
    assertTrue(device.getAttribute("accessToken").matches(TRANSIENT));
    NodeList connections = device.getElementsByTagName("Connection");
    List<StandInConnection> listed = plex.sources().get(0).connections();
    assertEquals(listed.size(), connections.getLength());
    Element local = (Element) connections.item(0);
    assertEquals(String.valueOf(listed.get(0).port()), local.getAttribute("port"));
    assertEquals("1", local.getAttribute("local"));
    assertFalse(local.hasAttribute("relay"));
    Element relay = (Element) connections.item(listed.size() - 1);
    assertEquals("0", relay.getAttribute("local"));
    assertEquals("1", relay.getAttribute("relay"));
  }

  @Test
  void accessTokenFromResourcesWorksAsAnOwnerLevelToken() throws Exception {
    String body = send(get(resources(), OWNER).header("Accept", "application/json")).body();
    Map<?, ?> device = (Map<?, ?>) mediaContainer(body).get("Device");
    String accessToken = (String) device.get("accessToken");

    assertEquals(200, send(get(resources(), accessToken)).statusCode());
    assertEquals(200, send(get(MINT, accessToken)).statusCode());
  }

  @Test
  void transientTokenExpires48HoursAfterMinting() throws Exception {
    String token = mint(OWNER);

    clock.advance(Duration.ofHours(48).minusMillis(1));
    assertEquals(200, send(get(resources(), token)).statusCode());
    clock.advance(Duration.ofMillis(1));
    assertEquals(401, send(get(resources(), token)).statusCode());
    assertEquals(401, send(get(MINT, token)).statusCode());
    assertEquals(200, send(get(resources(), OWNER)).statusCode());
  }

  @Test
  void restartForgetsTransientTokensButKeepsListeningWithTheFixedTokens() throws Exception {
    String token = mint(OWNER);
    int port = plex.port();

    plex.restart();

    assertEquals(401, send(get(MINT, token)).statusCode());
    assertEquals(port, plex.port());
    assertEquals(200, send(get(resources(), mint(OWNER))).statusCode());
  }

  @Test
  void unknownSourceGets404Html() throws Exception {
    HttpResponse<String> response = send(get("security/resources?source=server://0bad", OWNER));

    assertEquals(404, response.statusCode());
    assertEquals("text/html", header(response, "Content-Type"));
    assertEquals(NOT_FOUND_HTML, response.body());
    String provider = "security/resources?source=provider://tv.plex.provider.vod";
    assertEquals(404, send(get(provider, OWNER)).statusCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "source=", "source=%20", "source=http://abc", "source=server://",
      "source=provider://", "refresh=1", "refresh=2&source=SOURCE",
      "refresh=true&source=SOURCE", "refresh=&source=SOURCE"})
  void malformedSourceOrRefreshGets400Html(String query) throws Exception {
    String path = "security/resources?" + query.replace("SOURCE", plex.defaultSource());
    HttpResponse<String> response = send(get(path, OWNER));

    assertEquals(400, response.statusCode());
    assertEquals(BAD_REQUEST_HTML, response.body());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "1"})
  void refreshZeroOrOneIsAccepted(String refresh) throws Exception {
    assertEquals(200, send(get(resources() + "&refresh=" + refresh, OWNER)).statusCode());
  }

  @Test
  void resourcesRejectsOtherMethodsWith405() throws Exception {
    HttpResponse<String> response = send(get(resources(), OWNER).POST(BodyPublishers.noBody()));

    assertEquals(405, response.statusCode());
    assertTrue(header(response, "Allow").contains("GET"));
  }

  @Test
  void corsPreflightAnswers204WithoutTokenAndEchoesOriginAndHeaders() throws Exception {
    String asked = "x-plex-token, x-plex-client-identifier, accept";
    HttpResponse<String> response = send(request("security/resources")
        .method("OPTIONS", BodyPublishers.noBody())
        .header("Origin", "http://127.0.0.1:8080")
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", asked));

    assertEquals(204, response.statusCode());
    assertEquals("http://127.0.0.1:8080", header(response, "Access-Control-Allow-Origin"));
    assertEquals(asked, header(response, "Access-Control-Allow-Headers"));
    String methods = header(response, "Access-Control-Allow-Methods");
    for (String method : List.of("GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD")) {
      assertTrue(methods.contains(method), methods);
    }
    assertTrue(Long.parseLong(header(response, "Access-Control-Max-Age")) > 0);
    assertEquals("", response.body());
  }

  @Test
  void corsPreflightWithoutRequestedHeadersAllowsThePlexHeaders() throws Exception {
    HttpResponse<String> response =
        send(request("security/token").method("OPTIONS", BodyPublishers.noBody()));

    assertEquals(204, response.statusCode());
    assertEquals("*", header(response, "Access-Control-Allow-Origin"));
    String allowed = header(response, "Access-Control-Allow-Headers");
    for (String name : List.of("X-Plex-Token", "X-Plex-Client-Identifier", "Accept",
        "X-Plex-Product", "X-Plex-Version", "X-Plex-Device-Name")) {
      assertTrue(allowed.contains(name), allowed);
    }
  }

  @Test
  void crossOriginAnswersCarryAllowOriginEvenOnErrors() throws Exception {
    String origin = "http://localhost:9999";
    HttpResponse<String> ok = send(get(MINT, OWNER).header("Origin", origin));
    HttpResponse<String> unauthorized = send(get(MINT, null).header("Origin", origin));

    assertEquals(origin, header(ok, "Access-Control-Allow-Origin"));
    assertEquals(401, unauthorized.statusCode());
    assertEquals(origin, header(unauthorized, "Access-Control-Allow-Origin"));
  }

  private String resources() {
    return "security/resources?source=" + plex.defaultSource();
  }

  private String mint(String token) throws Exception {
    HttpResponse<String> response = send(get(MINT, token).header("Accept", "application/json"));
    assertEquals(200, response.statusCode());
    return (String) mediaContainer(response.body()).get("token");
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(plex.baseUrl() + pathAndQuery));
  }

  private HttpRequest.Builder get(String pathAndQuery, String token) {
    HttpRequest.Builder request = request(pathAndQuery);
    return token == null ? request : request.header("X-Plex-Token", token);
  }

  static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name)
        .orElseThrow(() -> new AssertionError("no " + name + " header"));
  }

  /** Parses a JSON answer with Moshi (the SDK's own parser); returns its Media Container. */
  static Map<?, ?> mediaContainer(String json) throws Exception {
    Map<?, ?> root = (Map<?, ?>) new Moshi.Builder().build().adapter(Object.class).fromJson(json);
    return (Map<?, ?>) root.get("MediaContainer");
  }

  /** Parses an XML answer with the JDK's parser, which rejects anything not well-formed. */
  static Element xml(String body) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder()
        .parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)))
        .getDocumentElement();
  }
}
