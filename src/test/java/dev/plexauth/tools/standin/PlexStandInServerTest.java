package dev.plexauth.tools.standin;

import static dev.plexauth.tools.standin.PlexStandInWireTest.MINT;
import static dev.plexauth.tools.standin.PlexStandInWireTest.NOT_FOUND_HTML;
import static dev.plexauth.tools.standin.PlexStandInWireTest.OWNER;
import static dev.plexauth.tools.standin.PlexStandInWireTest.TRANSIENT;
import static dev.plexauth.tools.standin.PlexStandInWireTest.header;
import static dev.plexauth.tools.standin.PlexStandInWireTest.mediaContainer;
import static dev.plexauth.tools.standin.PlexStandInWireTest.send;
import static dev.plexauth.tools.standin.PlexStandInWireTest.xml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.contract.StandInContract;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The stand-in as a server: identity probe, HEAD, configuration, concurrency and shutdown. */
class PlexStandInServerTest {
  private final List<PlexStandIn> started = new ArrayList<>();
  /** Answers only: these tests send requests without the facade's headers. */
  private final StandInContract contract = StandInContract.responsesOnly();

  @AfterEach
  void closeAll() {
    started.forEach(PlexStandIn::close);
    contract.assertNoViolations();
  }

  @Test
  void identityNeedsNoTokenAndNamesTheFirstSource() throws Exception {
    PlexStandIn plex = start(PlexStandIn.builder());

    Map<?, ?> json =
        mediaContainer(send(request(plex, "identity").header("Accept", "application/json")).body());
    Element xml = xml(send(request(plex, "identity")).body());

    assertEquals(plex.defaultSource(), "server://" + json.get("machineIdentifier"));
    assertEquals(true, json.get("claimed"));
    assertEquals(0.0, json.get("size"));
    assertEquals("1.41.0.0000-standin", json.get("version"));
    assertEquals(json.get("machineIdentifier"), xml.getAttribute("machineIdentifier"));
    assertEquals("1", xml.getAttribute("claimed"));
  }

  @Test
  void unknownPathGets404Html() throws Exception {
    PlexStandIn plex = start(PlexStandIn.builder());

    HttpResponse<String> response =
        send(request(plex, "library/sections").header("X-Plex-Token", plex.ownerToken()));

    assertEquals(404, response.statusCode());
    assertEquals(NOT_FOUND_HTML, response.body());
  }

  @Test
  void headGetsHeadersOnlyWithTheLengthGetWouldSend() throws Exception {
    PlexStandIn plex = start(PlexStandIn.builder());

    HttpResponse<String> head =
        send(request(plex, "identity").method("HEAD", BodyPublishers.noBody()));
    byte[] getBody = send(request(plex, "identity")).body().getBytes(StandardCharsets.UTF_8);

    assertEquals(200, head.statusCode());
    assertEquals("", head.body());
    assertEquals(String.valueOf(getBody.length), header(head, "Content-Length"));
  }

  @Test
  void defaultSourceListsItsCandidatesAndWithoutAnyTheMainListenerAlone() throws Exception {
    PlexStandIn plex = start(PlexStandIn.builder());
    PlexStandIn bare = start(PlexStandIn.builder().candidates(List.of()));

    StandInSource source = plex.sources().get(0);
    assertEquals(1, plex.sources().size());
    assertEquals("http://127.0.0.1:" + plex.port() + "/", plex.baseUrl());
    assertEquals("server://" + source.clientIdentifier(), plex.defaultSource());
    assertTrue(source.clientIdentifier().matches("[0-9a-f]{40}"));
    assertEquals(StandInCandidate.defaults().size(), source.connections().size());
    assertTrue(source.connections().get(0).uri()
        .matches("https://127-0-0-2\\.[0-9a-f]{32}\\.plex\\.direct:\\d+"));
    assertEquals(List.of(StandInConnection.of("http", "127.0.0.1", bare.port(),
        "http://127.0.0.1:" + bare.port(), true, false)), bare.sources().get(0).connections());
    assertEquals(List.of(), bare.listeners());
    assertEquals(plex.defaultSource(), bare.defaultSource());
  }

  @Test
  void configuredSourcesAreServedWithNamesEscapedInJsonAndXml() throws Exception {
    String name = "Tom's \"<Den>\" & \\ caf\u00e9 \u2028\t\n";
    StandInSource den = StandInSource.of(name, "abc123", List.of(StandInConnection.of("https",
        "10.0.0.2", 32400, "https://10-0-0-2.0123456789abcdef.plex.direct:32400", true, false)));
    PlexStandIn plex = start(PlexStandIn.builder().ownerToken(OWNER).source(den));
    HttpRequest.Builder request = request(plex, "security/resources?source=server://abc123")
        .header("X-Plex-Token", OWNER);

    Map<?, ?> json =
        mediaContainer(send(request.copy().header("Accept", "application/json")).body());
    Element xml = xml(send(request).body());

    assertEquals(name, ((Map<?, ?>) json.get("Device")).get("name"));
    assertEquals(name, ((Element) xml.getElementsByTagName("Device").item(0)).getAttribute("name"));
    assertEquals(List.of(den), plex.sources());
    assertEquals("server://abc123", plex.defaultSource());
  }

  @Test
  void thirtyTwoConcurrentClientsEachGetTheirOwnToken() throws Exception {
    PlexStandIn plex = start(PlexStandIn.builder().ownerToken(OWNER));
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest mint = request(plex, MINT).header("X-Plex-Token", OWNER).build();
      calls.add(client.sendAsync(mint, HttpResponse.BodyHandlers.ofString()));
    }

    Set<String> tokens = new HashSet<>();
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      HttpResponse<String> response = call.join();
      assertEquals(200, response.statusCode());
      tokens.add(xml(response.body()).getAttribute("token"));
    }
    assertEquals(32, tokens.size());
    assertEquals(32, plex.requestCount());
  }

  @Test
  void requestCountCountsEveryAnsweredRequestIncludingErrorsAndPreflights() throws Exception {
    PlexStandIn plex = start(PlexStandIn.builder());

    send(request(plex, MINT));
    send(request(plex, "nowhere"));
    send(request(plex, MINT).method("OPTIONS", BodyPublishers.noBody()));

    assertEquals(3, plex.requestCount());
  }

  @Test
  void closeStopsListeningAndReleasesEveryHandlerThread() throws Exception {
    PlexStandIn plex = start(PlexStandIn.builder());
    send(request(plex, "identity"));
    String prefix = "plex-standin-" + plex.port() + "-";
    HttpRequest.Builder identity = request(plex, "identity");

    plex.close();

    assertTrue(Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().startsWith(prefix) && t.isAlive()));
    HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    assertThrows(IOException.class,
        () -> fresh.send(identity.build(), HttpResponse.BodyHandlers.ofString()));
    assertThrows(IllegalStateException.class, plex::start);
  }

  @Test
  void defaultTokensAreRandomWhileTheDefaultSourceIsFixed() {
    PlexStandIn one = PlexStandIn.builder().build();
    PlexStandIn two = PlexStandIn.builder().build();

    assertTrue(one.ownerToken().startsWith("owner-"));
    assertTrue(one.sharedUserToken().startsWith("shared-"));
    assertNotEquals(one.ownerToken(), two.ownerToken());
    assertEquals(one.defaultSource(), two.defaultSource());
  }

  @Test
  void builderRejectsBadConfigurationAndAccessorsNeedAStart() {
    StandInSource source = StandInSource.of("a", "id", List.of());
    PlexStandIn notStarted = PlexStandIn.builder().build();

    assertThrows(IllegalArgumentException.class,
        () -> PlexStandIn.builder().ownerToken("t").sharedUserToken("t").build());
    assertThrows(IllegalArgumentException.class,
        () -> PlexStandIn.builder().source(source).source(source).build());
    assertThrows(IllegalArgumentException.class, () -> PlexStandIn.builder().port(65536));
    assertThrows(IllegalArgumentException.class, () -> PlexStandIn.builder().ownerToken(" "));
    assertThrows(IllegalStateException.class, notStarted::baseUrl);
    assertThrows(IllegalStateException.class, notStarted::sources);
  }

  private PlexStandIn start(PlexStandIn.Builder builder) throws IOException {
    PlexStandIn plex = builder.contractObserver(contract).build();
    started.add(plex);
    return plex.start();
  }

  private static HttpRequest.Builder request(PlexStandIn plex, String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(plex.baseUrl() + pathAndQuery));
  }
}
