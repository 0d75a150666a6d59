package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.ACCESS_TOKEN;
import static dev.plexauth.FacadeTestSupport.CALLER_TOKEN;
import static dev.plexauth.FacadeTestSupport.CLIENT_ID;
import static dev.plexauth.FacadeTestSupport.HTML;
import static dev.plexauth.FacadeTestSupport.assertNoSecrets;
import static dev.plexauth.FacadeTestSupport.builderFor;
import static dev.plexauth.FacadeTestSupport.status;
import static dev.plexauth.FacadeTestSupport.TRANSIENT_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.Cache;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Tokens stay out of caches, bodies and messages even in the corners a new user found. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TokenSafetyTest extends MockServerTest {

  @Test
  void callersHttpCacheNeverServesOrStoresTransientTokens(@TempDir Path cacheDir)
      throws IOException {
    for (int i = 1; i <= 2; i++) {
      server.enqueue(new MockResponse()
          .setHeader("Content-Type", "application/json")
          .setHeader("Cache-Control", "max-age=600")
          .setBody("{\"MediaContainer\":{\"size\":0,\"token\":\"transient-cached-" + i + "\"}}"));
    }
    Cache cache = new Cache(cacheDir.toFile(), 1 << 20);
    OkHttpClient callers = new OkHttpClient.Builder().cache(cache).build();
    PlexAuthClient client = builderFor(server).okHttpClient(callers).build();

    String first = client.getTransientToken().token();
    String second = client.getTransientToken().token();

    assertNotEquals(first, second, "every call mints a new token");
    assertEquals(2, server.getRequestCount());
    try (var files = Files.walk(cacheDir)) {
      assertTrue(files.filter(Files::isRegularFile).noneMatch(TokenSafetyTest::containsTransient));
    }
    cache.close();
  }

  private static boolean containsTransient(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains("transient-");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void tokensAServerEchoesInHeadersAreMaskedInHeadersToo(SpecCall call) {
    String echoed = "Bearer realm=\"plex\", token=\"" + CALLER_TOKEN + "\"";
    server.enqueue(new MockResponse().setResponseCode(401)
        .setHeader("Content-Type", "text/html")
        .setHeader("WWW-Authenticate", echoed)
        .addHeader("X-Echo", "next=" + TRANSIENT_TOKEN)
        .addHeader("X-Echo", "plain")
        .setHeader("Location", "/?X-Plex-Token=" + ACCESS_TOKEN)
        .setBody("<h1>401</h1>"));

    PlexUnauthorizedException e = assertThrows(PlexUnauthorizedException.class,
        () -> call.call(builderFor(server).build()));

    assertEquals("Bearer realm=\"plex\", token=\"\u2588\u2588\"",
        e.headers().get("WWW-Authenticate"));
    assertEquals(List.of("next=\u2588\u2588", "plain"), e.headers().values("X-Echo"),
        "every value masked, in order");
    assertEquals("/?X-Plex-Token=\u2588\u2588", e.headers().get("Location"));
    assertEquals("text/html", e.headers().get("Content-Type"), "other headers as sent");
    String all = e.headers().toString();
    for (String secret : FacadeTestSupport.SECRETS) {
      assertFalse(all.contains(secret), all);
    }
  }

  @Test
  void tokenStraddlingTheBodyLimitLeavesNoPrefixBehind() {
    String body = "x".repeat(Outcomes.MAX_ERROR_BODY_CHARS - 5) + CALLER_TOKEN + " tail";
    server.enqueue(status(500, HTML, body));
    PlexAuthClient client = builderFor(server).build();

    PlexHttpException e = assertThrows(PlexHttpException.class, client::getTransientToken);

    assertFalse(e.body().contains(CALLER_TOKEN.substring(0, 5)), e.body().substring(16370));
    assertTrue(e.body().length() <= Outcomes.MAX_ERROR_BODY_CHARS);
  }

  @Test
  void urlEncodedAndUnusualTransientTokensAreRedactedFromBodies() {
    String token = "tok/en+with=specials";
    String weird = "transient-abc_def.ghi~jkl";
    server.enqueue(status(401, HTML, "<p>" + URLEncoder.encode(token, StandardCharsets.UTF_8)
        + " and " + weird + "</p>"));
    PlexAuthClient client = builderFor(server).token(token).build();

    PlexUnauthorizedException e =
        assertThrows(PlexUnauthorizedException.class, client::getTransientToken);

    assertEquals("<p>██ and ██</p>", e.body());
    assertNoSecrets(e, token, weird);
  }

  @Test
  void ipv6AddressesAreBracketedInMessages() throws IOException {
    MockWebServer v6 = new MockWebServer();
    v6.start(java.net.InetAddress.getByName("::1"), 0);
    try {
      v6.enqueue(status(500, HTML, "<h1>500</h1>"));
      PlexAuthClient client = PlexAuthClient.builder()
          .baseUrl("http://[::1]:" + v6.getPort())
          .token(CALLER_TOKEN).clientIdentifier(CLIENT_ID).build();

      PlexHttpException e = assertThrows(PlexHttpException.class, client::getTransientToken);

      assertTrue(e.getMessage().contains("http://[::1]:" + v6.getPort()), e.getMessage());
    } finally {
      v6.shutdown();
    }
  }

  @Test
  void baseUrlWithLineBreaksOrNoHostIsRefusedNotRewritten() {
    IllegalArgumentException lineBreak = assertThrows(IllegalArgumentException.class,
        () -> PlexAuthClient.builder().baseUrl("http://host/pl\r\nex"));
    IllegalArgumentException noHost = assertThrows(IllegalArgumentException.class,
        () -> PlexAuthClient.builder().baseUrl("http:///path"));

    assertTrue(lineBreak.getMessage().startsWith("baseUrl"), lineBreak.getMessage());
    assertTrue(noHost.getMessage().startsWith("baseUrl"), noHost.getMessage());
  }

  @Test
  void baseUrlSettersRefuseQueryFragmentAndUserInfoAtOnce() {
    HttpUrl withQuery = HttpUrl.get("http://host:32400/?X-Plex-Token=" + CALLER_TOKEN);
    PlexAuthClient.Builder builder = PlexAuthClient.builder();

    IllegalArgumentException fromHttpUrl =
        assertThrows(IllegalArgumentException.class, () -> builder.baseUrl(withQuery));
    IllegalArgumentException fromString = assertThrows(IllegalArgumentException.class,
        () -> builder.baseUrl("http://user:pass@host:32400"));

    assertTrue(fromHttpUrl.getMessage().contains("query"), fromHttpUrl.getMessage());
    assertTrue(fromString.getMessage().contains("user name"), fromString.getMessage());
    assertNoSecrets(fromHttpUrl);
  }

  @Test
  void headerValuesWithOuterSpacesAreRefusedBecauseOkHttpWouldTrimThem() {
    PlexAuthClient.Builder padded = builderFor(server).clientIdentifier(" cid ");
    PlexAuthClient.Builder product = builderFor(server).product("My App ");

    IllegalArgumentException id = assertThrows(IllegalArgumentException.class, padded::build);
    IllegalArgumentException name = assertThrows(IllegalArgumentException.class, product::build);

    assertTrue(id.getMessage().startsWith("clientIdentifier"), id.getMessage());
    assertTrue(name.getMessage().startsWith("product"), name.getMessage());
    assertEquals(0, server.getRequestCount());
  }
}
