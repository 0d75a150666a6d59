package dev.plexauth.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.PlexAuthClient;
import dev.plexauth.PlexDecodingException;
import dev.plexauth.PlexUnauthorizedException;
import dev.plexauth.contract.StandInContract;
import dev.plexauth.model.SourceConnectionInformation;
import dev.plexauth.testing.MutableClock;
import dev.plexauth.tools.standin.PlexStandIn;
import dev.plexauth.tools.standin.StandInSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The embedded Plex stand-in, exercised through the SDK as a user would. */
class StandInThroughFacadeTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  /** Every request here comes from the facade, so requests are checked as well as answers. */
  private final StandInContract contract = StandInContract.requestsAndResponses();
  private final PlexStandIn plex =
      PlexStandIn.builder().clock(clock).contractObserver(contract).build();

  @BeforeEach
  void start() throws IOException {
    plex.start();
  }

  @AfterEach
  void stop() {
    plex.close();
    contract.assertNoViolations();
  }

  private PlexAuthClient clientWith(String token) {
    return PlexAuthClient.builder()
        .baseUrl(plex.baseUrl())
        .token(token)
        .clientIdentifier("standin-facade-test")
        .build();
  }

  private PlexAuthClient owner() {
    return clientWith(plex.ownerToken());
  }

  @Test
  void ownerGetsATransientTokenThatWorksAsAToken() {
    String minted = owner().getTransientToken().token();

    SourceConnectionInformation source =
        clientWith(minted).getSourceConnectionInformation(plex.defaultSource());

    assertTrue(minted.startsWith("transient-"), "a transient-<uuid> token");
    StandInSource expected = plex.sources().get(0);
    assertEquals(expected.clientIdentifier(), source.clientIdentifier());
    assertEquals(expected.name(), source.name());
    assertEquals(expected.connections().size(), source.connections().size());
    assertTrue(source.accessToken().startsWith("transient-"));
  }

  @Test
  void accessTokenOfTheSourceWorksAgainstTheStandIn() {
    String accessToken =
        owner().getSourceConnectionInformation(plex.defaultSource()).accessToken();

    assertTrue(clientWith(accessToken).getTransientToken().token().startsWith("transient-"));
  }

  @Test
  void refreshFlagTravelsEndToEndSyncAndAsync() throws Exception {
    PlexAuthClient owner = owner();
    int before = plex.requestCount();

    SourceConnectionInformation refreshed =
        owner.getSourceConnectionInformation(plex.defaultSource(), true);
    SourceConnectionInformation notRefreshed = owner
        .getSourceConnectionInformationAsync(plex.defaultSource(), false)
        .get(10, java.util.concurrent.TimeUnit.SECONDS);

    assertEquals(plex.sources().get(0).clientIdentifier(), refreshed.clientIdentifier());
    assertEquals(refreshed.clientIdentifier(), notRefreshed.clientIdentifier());
    assertEquals(before + 2, plex.requestCount(), "both requests reached the stand-in");
  }

  @Test
  void eachCallMintsANewTransientToken() {
    PlexAuthClient client = owner();

    assertNotEquals(client.getTransientToken().token(), client.getTransientToken().token());
  }

  @Test
  void sharedUserMayMintButNotReadSources() {
    PlexAuthClient shared = clientWith(plex.sharedUserToken());
    String sharedTransient = shared.getTransientToken().token();

    PlexUnauthorizedException direct = assertThrows(PlexUnauthorizedException.class,
        () -> shared.getSourceConnectionInformation(plex.defaultSource()));
    PlexUnauthorizedException viaTransient = assertThrows(PlexUnauthorizedException.class,
        () -> clientWith(sharedTransient).getSourceConnectionInformation(plex.defaultSource()));

    assertEquals(403, direct.code());
    assertEquals(403, viaTransient.code());
    assertTrue(direct.body().contains("Forbidden"), direct.body());
  }

  @Test
  void unknownTokenIsUnauthorizedWithTheHtmlBody() {
    PlexUnauthorizedException e = assertThrows(PlexUnauthorizedException.class,
        () -> clientWith("not-a-plex-token").getTransientToken());

    assertEquals(401, e.code());
    assertTrue(e.body().contains("<h1>401 Unauthorized</h1>"), e.body());
    assertTrue(e.errors().isEmpty());
  }

  @Test
  void transientTokenExpiresAfter48Hours() {
    String minted = owner().getTransientToken().token();
    PlexAuthClient withTransient = clientWith(minted);

    clock.advance(Duration.ofHours(47).plusMinutes(59));
    assertTrue(withTransient.getTransientToken().token().startsWith("transient-"));

    clock.advance(Duration.ofMinutes(2));
    PlexUnauthorizedException e =
        assertThrows(PlexUnauthorizedException.class, withTransient::getTransientToken);
    assertEquals(401, e.code());
  }

  @Test
  void restartForgetsTransientTokensButNotTheOwnerToken() {
    PlexAuthClient owner = owner();
    PlexAuthClient withTransient = clientWith(owner.getTransientToken().token());

    plex.restart();

    assertThrows(PlexUnauthorizedException.class, withTransient::getTransientToken);
    assertTrue(owner.getTransientToken().token().startsWith("transient-"));
  }

  @Test
  void answersXmlWhenAProxyDropsTheAcceptHeaderAndTheSdkSaysSo() throws Exception {
    // The proxy's request (no Accept, no client identifier) is off-spec by design; the stand-in's
    // XML answer to it is still checked.
    contract.stopCheckingRequests();
    try (MockWebServer proxy = new MockWebServer()) {
      proxy.setDispatcher(new AcceptDroppingProxy(plex.baseUrl()));
      proxy.start();
      PlexAuthClient client = PlexAuthClient.builder()
          .baseUrl(proxy.url("/"))
          .token(plex.ownerToken())
          .clientIdentifier("standin-facade-test")
          .build();

      PlexDecodingException e =
          assertThrows(PlexDecodingException.class, client::getTransientToken);

      assertEquals(200, e.code());
      assertTrue(e.contentType().startsWith("text/xml"), e.contentType());
      assertTrue(e.getMessage().contains("Accept"), e.getMessage());
      assertTrue(!e.getMessage().contains("transient-") && !e.getMessage().contains(plex.ownerToken()),
          e.getMessage());
    }
  }

  /** Forwards to the stand-in without the Accept header, as a misconfigured proxy would. */
  private static final class AcceptDroppingProxy extends Dispatcher {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String target;

    AcceptDroppingProxy(String target) {
      this.target = target;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
      HttpRequest.Builder forward = HttpRequest.newBuilder(
          URI.create(target).resolve(request.getPath().substring(1)));
      String token = request.getHeader("X-Plex-Token");
      if (token != null) {
        forward.header("X-Plex-Token", token);
      }
      try {
        HttpResponse<String> answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofString());
        return new MockResponse()
            .setResponseCode(answer.statusCode())
            .setHeader("Content-Type", answer.headers().firstValue("Content-Type").orElse(""))
            .setBody(answer.body());
      } catch (IOException e) {
        return new MockResponse().setResponseCode(502);
      }
    }
  }
}
