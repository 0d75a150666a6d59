package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.ACCESS_TOKEN;
import static dev.plexauth.FacadeTestSupport.CALLER_TOKEN;
import static dev.plexauth.FacadeTestSupport.CLIENT_ID;
import static dev.plexauth.FacadeTestSupport.HTML;
import static dev.plexauth.FacadeTestSupport.JSON;
import static dev.plexauth.FacadeTestSupport.SERVER_ID;
import static dev.plexauth.FacadeTestSupport.SOURCE;
import static dev.plexauth.FacadeTestSupport.TRANSIENT_TOKEN;
import static dev.plexauth.FacadeTestSupport.WAIT_SECONDS;
import static dev.plexauth.FacadeTestSupport.assertNoSecrets;
import static dev.plexauth.FacadeTestSupport.builderFor;
import static dev.plexauth.FacadeTestSupport.fixture;
import static dev.plexauth.FacadeTestSupport.json;
import static dev.plexauth.FacadeTestSupport.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import okhttp3.logging.HttpLoggingInterceptor.Level;
import okhttp3.mockwebserver.MockResponse;
import okio.Buffer;
import okio.GzipSink;
import okio.Okio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * HTTP logging through a caller's sink: each level logs what OkHttp's logging interceptor promises,
 * and at no level does a line carry the caller's token or a transient token.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoggingTest extends MockServerTest {
  /** What OkHttp's {@code redactHeader} and the SDK's masking put in place of a secret. */
  private static final String MASK = "██";

  /**
   * Every secret the exchanges carry, plus the UUID parts of the transient tokens, so that a mask
   * that dropped only the {@code transient-} prefix would still be caught.
   */
  private static final String[] LOGGED_SECRETS = {
    CALLER_TOKEN,
    "Zq81xYw3",
    TRANSIENT_TOKEN,
    TRANSIENT_TOKEN.substring("transient-".length()),
    ACCESS_TOKEN,
    ACCESS_TOKEN.substring("transient-".length()),
    "transient-",
  };

  private static final String TOKEN_PATH = "/security/token?type=delegation&scope=all";
  private static final String SOURCE_PATH = "/security/resources?source=server%3A%2F%2F" + SERVER_ID;

  private final List<String> lines = new CopyOnWriteArrayList<>();

  @ParameterizedTest
  @EnumSource(Level.class)
  void noLevelLogsTheCallersTokenOrAnyTransientToken(Level level) {
    try (PlexAuthClient client = clientLoggingAt(level)) {
      runBothOperationsAnUnauthorizedAndAnXmlAnswer(client);
    }

    assertNoSecretIn(lines, LOGGED_SECRETS);
    assertEquals(4, server.getRequestCount());
  }

  @Test
  void noneLogsNothing() {
    try (PlexAuthClient client = clientLoggingAt(Level.NONE)) {
      runBothOperationsAnUnauthorizedAndAnXmlAnswer(client);
    }

    assertEquals(List.of(), lines);
  }

  @Test
  void withoutALevelTheCallersSinkGetsNothing() {
    try (PlexAuthClient client = builderFor(server).logger(lines::add).build()) {
      runBothOperationsAnUnauthorizedAndAnXmlAnswer(client);
    }

    assertEquals(List.of(), lines);
    assertEquals(4, server.getRequestCount());
  }

  @Test
  void basicLogsRequestAndStatusLinesButNoHeadersOrBodies() {
    try (PlexAuthClient client = clientLoggingAt(Level.BASIC)) {
      runBothOperationsAnUnauthorizedAndAnXmlAnswer(client);
    }

    assertLogged(l -> l.startsWith("--> GET ") && l.contains(TOKEN_PATH), "the token request line");
    assertLogged(l -> l.startsWith("--> GET ") && l.contains(SOURCE_PATH), "the source request line");
    assertLogged(l -> l.startsWith("<-- 200 "), "a 200 status line");
    assertLogged(l -> l.startsWith("<-- 401 "), "the 401 status line");
    assertNotLogged(l -> l.startsWith("X-Plex-"), "headers at BASIC");
    assertNotLogged(l -> l.contains("MediaContainer") || l.contains("<html>"), "bodies at BASIC");
  }

  @Test
  void headersLogsTheSentHeadersWithTheTokenRedactedButNoBodies() {
    try (PlexAuthClient client = clientLoggingAt(Level.HEADERS)) {
      runBothOperationsAnUnauthorizedAndAnXmlAnswer(client);
    }

    assertLogged(l -> l.startsWith("--> GET ") && l.contains(SOURCE_PATH), "the request line");
    assertEquals(4, count("X-Plex-Token: " + MASK), "one redacted token header per request");
    assertEquals(4, count("X-Plex-Client-Identifier: " + CLIENT_ID));
    assertEquals(4, count("X-Plex-Product: My App"));
    assertEquals(4, count("Accept: application/json"));
    assertLogged(l -> l.equals("Content-Type: " + HTML), "the 401 answer's content type");
    assertLogged(l -> l.equals("Content-Type: text/xml;charset=utf-8"), "the XML content type");
    assertNotLogged(l -> l.contains("MediaContainer") || l.contains("<html>"), "bodies at HEADERS");
  }

  @Test
  void bodyLogsEveryBodyWithTokenValuesMasked() {
    try (PlexAuthClient client = clientLoggingAt(Level.BODY)) {
      runBothOperationsAnUnauthorizedAndAnXmlAnswer(client);
    }

    assertEquals(4, count("X-Plex-Token: " + MASK));
    assertLogged(l -> l.contains("{\"MediaContainer\":{\"size\":0,\"token\":\"" + MASK + "\"}}"),
        "the transient token body, masked");
    assertLogged(l -> l.contains("\"accessToken\":\"" + MASK + "\"")
            && l.contains("\"clientIdentifier\":\"" + SERVER_ID + "\"")
            && l.contains("https://10-0-2-123.93b10b279ff8456686414add109854cd.plex.direct:32400"),
        "the source body, its accessToken masked and the rest intact");
    assertLogged(l -> l.contains("<MediaContainer size=\"0\" token=\"" + MASK + "\">"),
        "the XML body, its token attribute masked");
    assertLogged(l -> l.contains("<h1>401 Unauthorized</h1>"), "the 401 HTML body");
  }

  @Test
  void asyncCallsLogToTheSameSinkWithTokensMasked() throws Exception {
    server.enqueue(json(fixture("transient-token.json")));
    server.enqueue(json(fixture("source-connection-information.json")));

    try (PlexAuthClient client = clientLoggingAt(Level.BODY)) {
      assertEquals(TRANSIENT_TOKEN,
          client.getTransientTokenAsync().get(WAIT_SECONDS, TimeUnit.SECONDS).token());
      assertEquals(ACCESS_TOKEN, client.getSourceConnectionInformationAsync(SOURCE)
          .get(WAIT_SECONDS, TimeUnit.SECONDS).accessToken());
    }

    assertEquals(2, count("X-Plex-Token: " + MASK));
    assertLogged(l -> l.contains("\"token\":\"" + MASK + "\""), "the masked transient token");
    assertLogged(l -> l.contains("\"accessToken\":\"" + MASK + "\""), "the masked accessToken");
    assertNoSecretIn(lines, LOGGED_SECRETS);
  }

  @Test
  void gzippedBodiesAreLoggedDecodedAndMaskedEvenWithoutTheTransientPrefix() throws IOException {
    Buffer gzipped = new Buffer();
    try (var sink = Okio.buffer(new GzipSink(gzipped))) {
      sink.writeUtf8("{\"MediaContainer\":{\"size\":0,\"token\":\"gz-minted-4Fq9\"}}");
    }
    server.enqueue(new MockResponse()
        .setHeader("Content-Type", JSON)
        .setHeader("Content-Encoding", "gzip")
        .setBody(gzipped));

    try (PlexAuthClient client = clientLoggingAt(Level.BODY)) {
      assertEquals("gz-minted-4Fq9", client.getTransientToken().token());
    }

    assertLogged(l -> l.contains("\"token\":\"" + MASK + "\""), "the decoded body, masked");
    assertNoSecretIn(lines, CALLER_TOKEN, "gz-minted-4Fq9");
  }

  @Test
  void aServerEchoingTokensInHeadersBodiesAndRedirectsCannotGetThemLogged() {
    server.enqueue(new MockResponse()
        .setResponseCode(302)
        .setHeader("Location", "http://127.0.0.2:1/steal?X-Plex-Token=" + CALLER_TOKEN)
        .setHeader("X-Echo", "your token is " + CALLER_TOKEN));
    server.enqueue(status(500, HTML,
        "<html><body>token " + CALLER_TOKEN + " minted transient-5e1c7a10-echoed</body></html>"));

    try (PlexAuthClient client = clientLoggingAt(Level.BODY)) {
      assertNoSecrets(assertThrows(PlexHttpException.class, client::getTransientToken));
      assertNoSecrets(assertThrows(PlexHttpException.class, client::getTransientToken),
          "transient-5e1c7a10-echoed");
    }

    assertLogged(l -> l.startsWith("<-- 302 "), "the refused redirect");
    assertLogged(l -> l.startsWith("Location: http://127.0.0.2:1/steal?X-Plex-Token=" + MASK),
        "the Location header, its token masked");
    assertLogged(l -> l.contains("<html><body>token " + MASK + " minted " + MASK),
        "the 500 body, masked");
    assertNoSecretIn(lines, CALLER_TOKEN, "Zq81xYw3", "transient-", "5e1c7a10");
  }

  private PlexAuthClient clientLoggingAt(Level level) {
    return builderFor(server).product("My App").logLevel(level).logger(lines::add).build();
  }

  /**
   * Both operations with the official fixtures, then the PMS 401 HTML answer and a 200 XML answer
   * (what PMS sends without {@code Accept: application/json}), each checked for its outcome.
   */
  private void runBothOperationsAnUnauthorizedAndAnXmlAnswer(PlexAuthClient client) {
    server.enqueue(json(fixture("transient-token.json")));
    server.enqueue(json(fixture("source-connection-information.json")));
    server.enqueue(status(401, HTML, fixture("unauthorized.html")));
    server.enqueue(status(200, "text/xml;charset=utf-8", fixture("transient-token.xml")));

    assertEquals(TRANSIENT_TOKEN, client.getTransientToken().token());
    assertEquals(ACCESS_TOKEN, client.getSourceConnectionInformation(SOURCE).accessToken());
    PlexUnauthorizedException unauthorized =
        assertThrows(PlexUnauthorizedException.class, client::getTransientToken);
    assertEquals(401, unauthorized.code());
    assertNoSecrets(unauthorized);
    assertNoSecrets(assertThrows(PlexDecodingException.class, client::getTransientToken));
  }

  private static void assertNoSecretIn(List<String> logged, String... secrets) {
    for (String line : logged) {
      for (String secret : secrets) {
        assertFalse(line.contains(secret), "a secret (" + secret.length()
            + " chars) leaked into the log line: " + line.replace(secret, "<SECRET>"));
      }
    }
  }

  private void assertLogged(Predicate<String> wanted, String what) {
    assertTrue(lines.stream().anyMatch(wanted), "expected " + what + " in the log:\n" + logText());
  }

  private void assertNotLogged(Predicate<String> unwanted, String what) {
    assertFalse(lines.stream().anyMatch(unwanted), "unexpected " + what + " in the log:\n" + logText());
  }

  private long count(String line) {
    return lines.stream().filter(line::equals).count();
  }

  private String logText() {
    return String.join("\n", lines);
  }
}
