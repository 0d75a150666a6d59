package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.CALLER_TOKEN;
import static dev.plexauth.FacadeTestSupport.CLIENT_ID;
import static dev.plexauth.FacadeTestSupport.SERVER_ID;
import static dev.plexauth.FacadeTestSupport.SOURCE;
import static dev.plexauth.FacadeTestSupport.WAIT_SECONDS;
import static dev.plexauth.FacadeTestSupport.builderFor;
import static dev.plexauth.FacadeTestSupport.fixture;
import static dev.plexauth.FacadeTestSupport.json;
import static dev.plexauth.FacadeTestSupport.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Redirects are followed only on the configured server's origin: the Plex token and identity
 * never leave it (plex-auth-facts.md section 5: OkHttp alone would carry custom headers along),
 * and no other host can substitute its answer for the server's.
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

  @Test
  void redirectToAnotherPortIsNotFollowedAndReportedAsHttpFailure() throws Exception {
    assertNotEquals(plex.getPort(), elsewhere.getPort());
    plex.enqueue(new MockResponse().setResponseCode(302)
        .setHeader("Location", elsewhere.url("/moved/security/token?type=delegation&scope=all")));
    elsewhere.enqueue(json(fixture("transient-token.json")));

    PlexHttpException e = assertThrows(PlexHttpException.class, client::getTransientToken);

    assertEquals(302, e.code());
    assertTrue(e.getMessage().contains("is not followed"), e.getMessage());
    assertTrue(e.getMessage().contains(":" + elsewhere.getPort()), e.getMessage());
    RecordedRequest first = take(plex);
    assertEquals(CALLER_TOKEN, first.getHeader("X-Plex-Token"));
    assertEquals(CLIENT_ID, first.getHeader("X-Plex-Client-Identifier"));
    assertEquals(0, elsewhere.getRequestCount(), "nothing, least of all the token, goes elsewhere");
  }

  @Test
  void asyncRedirectToAnotherPortIsNotFollowedEither() throws Exception {
    plex.enqueue(new MockResponse().setResponseCode(307)
        .setHeader("Location",
            elsewhere.url("/security/resources?source=server%3A%2F%2F" + SERVER_ID)));
    elsewhere.enqueue(json(fixture("source-connection-information.json")));

    ExecutionException e = assertThrows(ExecutionException.class,
        () -> client.getSourceConnectionInformationAsync(SOURCE).get(WAIT_SECONDS, TimeUnit.SECONDS));

    assertInstanceOf(PlexHttpException.class, e.getCause());
    assertEquals(307, ((PlexHttpException) e.getCause()).code());
    assertEquals(CALLER_TOKEN, take(plex).getHeader("X-Plex-Token"));
    assertEquals(0, elsewhere.getRequestCount());
  }

  @Test
  void redirectFromHttpsToHttpOnTheSameHostIsRefused() throws Exception {
    plex.enqueue(new MockResponse().setResponseCode(301)
        .setHeader("Location", "https://" + plex.getHostName() + ":" + plex.getPort()
            + "/security/token?type=delegation&scope=all"));

    PlexHttpException e = assertThrows(PlexHttpException.class, client::getTransientToken);

    assertEquals(301, e.code());
    assertEquals(1, plex.getRequestCount(), "the scheme change is another origin: not followed");
  }

  @Test
  void sameOriginRedirectLoopEndsAsIoException() {
    for (int i = 0; i <= 21; i++) {
      plex.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", "/loop/" + i));
    }

    PlexIoException e = assertThrows(PlexIoException.class, client::getTransientToken);

    assertTrue(e.getMessage().contains("too many redirects"), e.getMessage());
  }

  @Test
  void redirectWithoutLocationIsReportedAsHttpFailure() {
    plex.enqueue(new MockResponse().setResponseCode(302));

    PlexHttpException e = assertThrows(PlexHttpException.class, client::getTransientToken);

    assertEquals(302, e.code());
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

  @Test
  void anAuthenticatorsFollowUpToAnotherOriginGetsNoToken() throws Exception {
    // OkHttp sends an Authenticator's follow-up itself, past the application interceptors: the
    // network-side origin guard must take the token off.
    plex.enqueue(new MockResponse().setResponseCode(401));
    elsewhere.enqueue(json(fixture("transient-token.json")));
    okhttp3.OkHttpClient callers = new okhttp3.OkHttpClient.Builder()
        .authenticator((route, response) -> response.request().newBuilder()
            .url(elsewhere.url("/security/token?type=delegation&scope=all")).build())
        .build();
    // Not builderFor: its contract check would (rightly) refuse the token-less follow-up.
    PlexAuthClient authenticating = PlexAuthClient.builder().baseUrl(plex.url("/").toString())
        .token(CALLER_TOKEN).clientIdentifier(CLIENT_ID).maxRetries(0).okHttpClient(callers)
        .build();

    authenticating.getTransientToken();

    assertEquals(CALLER_TOKEN, take(plex).getHeader("X-Plex-Token"));
    RecordedRequest followUp = take(elsewhere);
    assertEquals(null, followUp.getHeader("X-Plex-Token"), "the token never goes elsewhere");
    assertEquals(CLIENT_ID, followUp.getHeader("X-Plex-Client-Identifier"));
    authenticating.close();
  }
}
