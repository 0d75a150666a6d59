package dev.plexauth.tools.standin;

import static dev.plexauth.tools.standin.PlexStandInWireTest.MINT;
import static dev.plexauth.tools.standin.PlexStandInWireTest.header;
import static dev.plexauth.tools.standin.PlexStandInWireTest.mediaContainer;
import static dev.plexauth.tools.standin.PlexStandInWireTest.send;
import static dev.plexauth.tools.standin.PlexStandInWireTest.xml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.plexauth.contract.StandInContract;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;

/**
 * {@code GET /}, the root Media Container: what python-plexapi's {@code PlexServer(url, token)}
 * reads first, before any other call. Debian's packages carry no python-plexapi, so this test reads
 * the answer the way its {@code PlexServer._loadData} does (XML attributes of the root element,
 * flags through {@code utils.cast(bool, ...)}, which accepts only 0, 1, true and false).
 */
class PlexStandInRootTest {
  private static final String OWNER = "owner-root-test-token";
  private static final String SHARED = "shared-root-test-token";
  /** The flags PlexServer._loadData casts with utils.cast(bool, value). */
  private static final List<String> PLEXAPI_FLAGS = List.of("allowCameraUpload",
      "allowChannelAccess", "allowMediaDeletion", "allowSharing", "allowSync",
      "backgroundProcessing", "certificate", "companionProxy", "eventStream", "hubSearch",
      "multiuser", "myPlex", "myPlexSubscription", "photoAutoTag", "pluginHost",
      "requestParametersInCookie", "sync", "transcoderAudio", "transcoderLyrics",
      "transcoderPhoto", "transcoderSubtitles", "transcoderVideo", "updater", "voiceSearch",
      "claimed");
  /** Attributes it casts with int(...). */
  private static final List<String> PLEXAPI_INTEGERS =
      List.of("readOnlyLibraries", "transcoderActiveVideoSessions", "updatedAt", "size");

  private final StandInContract contract = StandInContract.responsesOnly();
  private PlexStandIn plex;

  @BeforeEach
  void start() throws Exception {
    plex = PlexStandIn.builder().ownerToken(OWNER).sharedUserToken(SHARED)
        .contractObserver(contract).build().start();
  }

  @AfterEach
  void close() {
    plex.close();
    contract.assertNoViolations();
  }

  @Test
  void plexApiReadsTheRootAsXmlWithTheAttributesItLoads() throws Exception {
    // What requests sends for PlexServer(url, token): Accept */*, the token as a header.
    HttpResponse<String> response = send(root().header("Accept", "*/*")
        .header("X-Plex-Token", OWNER).header("X-Plex-Product", "PlexAPI"));

    assertEquals(200, response.statusCode(), response.body());
    assertEquals("text/xml;charset=utf-8", header(response, "Content-Type"));
    Element container = xml(response.body());
    assertEquals("MediaContainer", container.getTagName());
    assertEquals("Plex stand-in", container.getAttribute("friendlyName"));
    assertEquals(plex.defaultSource(), "server://" + container.getAttribute("machineIdentifier"));
    assertEquals(StandInHandler.VERSION, container.getAttribute("version"));
    assertEquals("owner@plex-standin.invalid", container.getAttribute("myPlexUsername"));
    assertEquals(System.getProperty("os.name"), container.getAttribute("platform"));
    assertEquals(System.getProperty("os.version"), container.getAttribute("platformVersion"));
    assertEquals(Boolean.TRUE, plexApiFlag(container, "claimed"));
    assertEquals(Boolean.TRUE, plexApiFlag(container, "myPlex"));
    for (String flag : PLEXAPI_FLAGS) {
      plexApiFlag(container, flag); // fails on a value plexapi's cast would raise on
    }
    for (String number : PLEXAPI_INTEGERS) {
      if (container.hasAttribute(number)) {
        Integer.parseInt(container.getAttribute(number));
      }
    }
    assertEquals("0", container.getAttribute("size"));
  }

  @Test
  void theRootIsJsonOnExactlyAcceptApplicationJsonAndNamesTheSameServerAsIdentity()
      throws Exception {
    Map<?, ?> root = mediaContainer(send(root().header("X-Plex-Token", OWNER)
        .header("Accept", "application/json")).body());
    Map<?, ?> identity = mediaContainer(send(HttpRequest.newBuilder(
        URI.create(plex.baseUrl() + "identity")).header("Accept", "application/json")).body());

    assertEquals(identity.get("machineIdentifier"), root.get("machineIdentifier"));
    assertEquals(identity.get("version"), root.get("version"));
    assertEquals(Set.of("size", "friendlyName", "machineIdentifier", "version", "claimed",
        "myPlexUsername", "myPlex", "platform", "platformVersion"), root.keySet());
    assertEquals(true, root.get("claimed"));
    assertEquals(true, root.get("myPlex"));
    assertEquals(0.0, root.get("size"));
    assertEquals("Plex stand-in", root.get("friendlyName"));
    assertTrue(contract.checkedResponses() >= 2, "both answers were checked against the spec");
  }

  @ParameterizedTest
  @ValueSource(strings = {"owner", "shared", "transient"})
  void everyValidTokenMayReadTheRoot(String who) throws Exception {
    String token = switch (who) {
      case "owner" -> OWNER;
      case "shared" -> SHARED;
      default -> xml(send(HttpRequest.newBuilder(URI.create(plex.baseUrl() + MINT))
          .header("X-Plex-Token", SHARED)).body()).getAttribute("token");
    };

    HttpResponse<String> response = send(root().header("X-Plex-Token", token));

    assertEquals(200, response.statusCode(), response.body());
    assertEquals("1", xml(response.body()).getAttribute("claimed"));
  }

  @Test
  void withoutAValidTokenTheRootIs401HtmlAndAfterARestartATransientTokenIsToo() throws Exception {
    String minted = xml(send(HttpRequest.newBuilder(URI.create(plex.baseUrl() + MINT))
        .header("X-Plex-Token", OWNER)).body()).getAttribute("token");
    plex.restart();

    for (HttpRequest.Builder request : List.of(root(), root().header("X-Plex-Token", "nobody"),
        root().header("X-Plex-Token", minted).header("Accept", "application/json"))) {
      HttpResponse<String> response = send(request);
      assertEquals(401, response.statusCode());
      assertEquals("text/html", header(response, "Content-Type"));
      assertTrue(response.body().contains("401 Unauthorized"), response.body());
    }
  }

  @Test
  void otherVerbsOnTheRootGet405WithAllow() throws Exception {
    HttpResponse<String> response = send(root().header("X-Plex-Token", OWNER)
        .method("DELETE", HttpRequest.BodyPublishers.noBody()));

    assertEquals(405, response.statusCode());
    assertEquals("GET, HEAD, OPTIONS", header(response, "Allow"));
  }

  private HttpRequest.Builder root() {
    return HttpRequest.newBuilder(URI.create(plex.baseUrl()));
  }

  /** As plexapi's utils.cast(bool, value): null when absent, an error on anything but 0/1. */
  private static Boolean plexApiFlag(Element container, String name) {
    if (!container.hasAttribute(name)) {
      return null;
    }
    String value = container.getAttribute(name);
    assertNotNull(value);
    switch (value) {
      case "1":
      case "true":
        return true;
      case "0":
      case "false":
        return false;
      default:
        return fail(name + "=\"" + value + "\" would make plexapi raise ValueError");
    }
  }
}
