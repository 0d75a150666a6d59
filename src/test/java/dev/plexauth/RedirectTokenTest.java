package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.CALLER_TOKEN;
import static dev.plexauth.FacadeTestSupport.CLIENT_ID;
import static dev.plexauth.FacadeTestSupport.SERVER_ID;
import static dev.plexauth.FacadeTestSupport.SOURCE;
import static dev.plexauth.FacadeTestSupport.TRANSIENT_TOKEN;
import static dev.plexauth.FacadeTestSupport.WAIT_SECONDS;
import static dev.plexauth.FacadeTestSupport.builderFor;
import static dev.plexauth.FacadeTestSupport.fixture;
import static dev.plexauth.FacadeTestSupport.json;
import static dev.plexauth.FacadeTestSupport.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A redirect to another origin is followed, but the Plex token and identity never leave the
 * configured server (plex-auth-facts.md section 5: OkHttp alone would carry custom headers along).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RedirectTokenTest {
  private MockWebServer plex;
  private MockWebServer elsewhere;
  private PlexAuthClient client;

  @BeforeEach
  void startServers() throws IOException {
    plex = new MockWebServer();
    plex.start();
    elsewhere = new MockWebServer();
    elsewhere.start();
    client = builderFor(plex).product("My App").deviceName("Test Box").build();
  }

  @AfterEach
  void stopServers() throws IOException {
    client.close();
    plex.shutdown();
    elsewhere.shutdown();
  }

  private static void assertCarriesNoPlexSecrets(RecordedRequest request) {
    assertNull(request.getHeader("X-Plex-Token"), "token sent to another origin");
    assertNull(request.getHeader("X-Plex-Client-Identifier"), "client id sent to another origin");
    assertNull(request.getHeader("X-Plex-Product"));
    assertNull(request.getHeader("X-Plex-Device-Name"));
    assertFalse(request.getRequestUrl().toString().contains(CALLER_TOKEN));
    assertFalse(request.getHeaders().toString().contains(CALLER_TOKEN));
  }

  @Test
  void redirectToAnotherPortIsFollowedWithoutTheTokenOrClientIdentifier() throws Exception {
    assertNotEquals(plex.getPort(), elsewhere.getPort());
    plex.enqueue(new MockResponse().setResponseCode(302)
        .setHeader("Location", elsewhere.url("/moved/security/token?type=delegation&scope=all")));
    elsewhere.enqueue(json(fixture("transient-token.json")));

    String token = client.getTransientToken().token();

    assertEquals(TRANSIENT_TOKEN, token);
    RecordedRequest first = take(plex);
    assertEquals(CALLER_TOKEN, first.getHeader("X-Plex-Token"));
    assertEquals(CLIENT_ID, first.getHeader("X-Plex-Client-Identifier"));
    RecordedRequest second = take(elsewhere);
    assertEquals("/moved/security/token?type=delegation&scope=all", second.getPath());
    assertCarriesNoPlexSecrets(second);
    assertEquals(1, elsewhere.getRequestCount());
  }

  @Test
  void asyncRedirectToAnotherPortAlsoDropsTheToken() throws Exception {
    plex.enqueue(new MockResponse().setResponseCode(307)
        .setHeader("Location",
            elsewhere.url("/security/resources?source=server%3A%2F%2F" + SERVER_ID)));
    elsewhere.enqueue(json(fixture("source-connection-information.json")));

    String id = client.getSourceConnectionInformationAsync(SOURCE)
        .get(WAIT_SECONDS, TimeUnit.SECONDS).clientIdentifier();

    assertEquals(SERVER_ID, id);
    assertEquals(CALLER_TOKEN, take(plex).getHeader("X-Plex-Token"));
    assertCarriesNoPlexSecrets(take(elsewhere));
  }

  @Test
  void redirectBackToTheConfiguredServerKeepsTheToken() throws Exception {
    plex.enqueue(new MockResponse().setResponseCode(301)
        .setHeader("Location", plex.url("/other/security/token?type=delegation&scope=all")));
    plex.enqueue(json(fixture("transient-token.json")));

    client.getTransientToken();

    take(plex);
    RecordedRequest again = take(plex);
    assertEquals("/other/security/token?type=delegation&scope=all", again.getPath());
    assertEquals(CALLER_TOKEN, again.getHeader("X-Plex-Token"));
    assertEquals(CLIENT_ID, again.getHeader("X-Plex-Client-Identifier"));
    assertEquals(0, elsewhere.getRequestCount());
  }
}
