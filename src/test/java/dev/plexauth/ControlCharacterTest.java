package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.HTML;
import static dev.plexauth.FacadeTestSupport.builderFor;
import static dev.plexauth.FacadeTestSupport.json;
import static dev.plexauth.FacadeTestSupport.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.plexauth.internal.ControlCharacters;
import dev.plexauth.testing.SpecFixture;
import dev.plexauth.testing.SpecJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.logging.HttpLoggingInterceptor;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Text a server chose never reaches a message, a log line or a {@code toString()} with a control
 * character in it: an escape sequence could clear the caller's terminal, a line break forge a line
 * such as {@code plex-auth: all good}, a bidirectional override reorder what is read. What callers
 * read as data ({@code body()}, {@code errors()}, the models' values) stays as sent.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ControlCharacterTest extends MockServerTest {
  /** Clears the screen, sets the window title, forges a line, and reverses what follows. */
  static final String FORGERY = "\u001b[2J\u001b]0;owned\u0007\r\nplex-auth: all good\u202e\u009b31m"
      + "\u007f\u0000\u2028\u2066";

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void reasonPhraseReachesTheMessageEscaped(SpecCall call) {
    // A status line ends at its line feed, so everything else a reason phrase can carry.
    String reason = "Bad Gateway" + FORGERY.replace("\r\n", " ");
    server.enqueue(status(500, HTML, "<h1>500</h1>").setStatus("HTTP/1.1 500 " + reason));

    PlexHttpException e =
        assertThrows(PlexHttpException.class, () -> call.call(builderFor(server).build()));

    assertNoControlCharacter(e.getMessage());
    assertTrue(e.getMessage().contains("Bad Gateway\\u001B[2J\\u001B]0;owned\\u0007 plex-auth: all"
        + " good\\u202E\\u009B31m\\u007F\\u0000\\u2028\\u2066"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void plexTvErrorMessageReachesTheMessageEscapedAndTheErrorsAsSent(SpecCall call) {
    String body = "{\"errors\":[{\"code\":1001,\"message\":\"User could not be authenticated"
        + jsonEscaped(FORGERY) + "\",\"status\":401}]}";
    server.enqueue(status(401, "application/json", body));

    PlexUnauthorizedException e =
        assertThrows(PlexUnauthorizedException.class, () -> call.call(builderFor(server).build()));

    assertNoControlCharacter(e.getMessage());
    assertTrue(e.getMessage().contains("authenticated\\u001B[2J"), e.getMessage());
    assertEquals("User could not be authenticated" + FORGERY, e.errors().get(0).message());
    assertEquals(body, e.body());
  }

  @Test
  void everyExceptionEscapesItsMessageAndKeepsItsData() {
    Headers headers = Headers.of("WWW-Authenticate", "x");
    List<PlexException> all = List.of(
        new PlexIoException("io " + FORGERY, new IOException("cause")),
        new PlexDecodingException("decoding " + FORGERY, 200, "text/html" + FORGERY, null),
        new PlexHttpException("http " + FORGERY, 500, headers, FORGERY,
            Collections.emptyList(), -1),
        new PlexUnauthorizedException("unauthorized " + FORGERY, 401, headers, FORGERY,
            Collections.emptyList(), -1));

    for (PlexException e : all) {
      assertNoControlCharacter(e.getMessage());
      assertNoControlCharacter(e.toString());
      assertTrue(e.getMessage().endsWith(" \\u001B[2J\\u001B]0;owned\\u0007\\u000D\\u000A"
          + "plex-auth: all good\\u202E\\u009B31m\\u007F\\u0000\\u2028\\u2066"), e.getMessage());
    }
    assertEquals(FORGERY, ((PlexHttpException) all.get(2)).body());
  }

  @Test
  void certificateNamesInTheCauseAreEscapedToo() throws Exception {
    // A certificate that the client trusts but that names another host: OkHttp's message quotes
    // its names, which the server chose.
    HeldCertificate forged = new HeldCertificate.Builder()
        .commonName("evil" + FORGERY).addSubjectAlternativeName("other.example").build();
    HandshakeCertificates serverSide =
        new HandshakeCertificates.Builder().heldCertificate(forged).build();
    HandshakeCertificates trusting = new HandshakeCertificates.Builder()
        .addTrustedCertificate(forged.certificate()).build();
    server.useHttps(serverSide.sslSocketFactory(), false);
    OkHttpClient caller = new OkHttpClient.Builder()
        .sslSocketFactory(trusting.sslSocketFactory(), trusting.trustManager()).build();

    PlexIoException e = assertThrows(PlexIoException.class,
        () -> builderFor(server).okHttpClient(caller).build().getTransientToken());

    assertTrue(e.getMessage().contains("evil\\u001B[2J"), e.getMessage());
    assertNoControlCharacter(e.getMessage());
    // The cause keeps its type, and OkHttp's line breaks, but not the server's controls.
    assertInstanceOf(SSLPeerUnverifiedException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("evil\\u001B[2J"), e.getCause().getMessage());
    assertNoControlCharacter(e.getCause().getMessage().replace("\n", ""));
  }

  /**
   * Each free-text string of each operation's example (no pattern or enum refuses a control
   * character there) given the forgery: the model keeps it, its {@code toString()} escapes it.
   */
  @Test
  void modelToStringEscapesEachFreeTextValue() {
    int checked = 0;
    for (SpecFixture fixture : SpecFixture.all()) {
      checked += checkFreeText(fixture);
    }
    assertTrue(checked > 0, "the spec's examples hold no free-text value to check");
  }

  private static int checkFreeText(SpecFixture fixture) {
    int checked = 0;
    for (SpecJson.Site site : SpecJson.sites(fixture)) {
      if (!site.value().isTextual() || site.schema().getPattern() != null
          || site.schema().getEnum() != null || site.schema().getMaxLength() != null
          || site.schema().getExtensions() != null
              && site.schema().getExtensions().containsKey("x-secret")) {
        continue;
      }
      String value = site.value().asText() + FORGERY;
      Object model = fixture.decode(SpecJson.replace(fixture.okJson(), site, new TextNode(value)));

      String shown = model.toString();
      assertNoControlCharacter(shown);
      assertTrue(shown.contains("\\u001B[2J"), site.jsonPath() + ": " + shown);
      assertNotEquals(fixture.expected(), model, site.jsonPath() + " kept as sent");
      checked++;
    }
    return checked;
  }

  @Test
  void logLinesEscapeControlCharactersButKeepTheLinesOfABody() {
    List<String> lines = new ArrayList<>();
    server.enqueue(status(500, "text/plain", "first line\nsecond" + FORGERY)
        .setStatus("HTTP/1.1 500 Oops" + FORGERY.replace("\r\n", "")));
    PlexAuthClient client = builderFor(server)
        .logLevel(HttpLoggingInterceptor.Level.BODY).logger(lines::add).build();

    assertThrows(PlexHttpException.class, client::getTransientToken);

    String bodyLine = lines.stream().filter(line -> line.startsWith("first line")).findFirst()
        .orElseThrow(() -> new AssertionError("the body was not logged: " + lines));
    assertTrue(bodyLine.startsWith("first line\nsecond\\u001B[2J"), bodyLine);
    for (String line : lines) {
      assertNoControlCharacter(line.replace("\n", ""));
    }
    assertTrue(lines.stream().anyMatch(line -> line.contains("Oops\\u001B[2J")), lines.toString());
  }

  @Test
  void escapingKeepsOrdinaryTextAndNonAsciiLettersAsTheyAre() {
    String text = "Wohnzimmer — Plex Média Server 東京 ☃ \\u001B stays";
    assertTrue(text == ControlCharacters.escape(text), "unchanged text is the same instance");
    assertEquals("a\\u0009b\\u000Ac", ControlCharacters.escape("a\tb\nc"));
    assertEquals("a\tb\nc\\u000D", ControlCharacters.escapeKeepingLines("a\tb\nc\r"));
    assertEquals(null, ControlCharacters.escape(null));
  }

  /** Fails when {@code text} holds any character that escaping must have replaced. */
  static void assertNoControlCharacter(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u061c' || c == '\u200e'
          || c == '\u200f' || (c >= '\u2028' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
      assertFalse(control, "U+" + String.format("%04X", (int) c) + " at " + i + " in: " + text);
    }
  }

  private static String jsonEscaped(String text) {
    StringBuilder out = new StringBuilder();
    for (char c : text.toCharArray()) {
      out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return out.toString();
  }
}
