package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.CALLER_TOKEN;
import static dev.plexauth.FacadeTestSupport.CLIENT_ID;
import static dev.plexauth.FacadeTestSupport.HTML;
import static dev.plexauth.FacadeTestSupport.WAIT_SECONDS;
import static dev.plexauth.FacadeTestSupport.assertNoSecrets;
import static dev.plexauth.FacadeTestSupport.builderFor;
import static dev.plexauth.FacadeTestSupport.failureOf;
import static dev.plexauth.FacadeTestSupport.json;
import static dev.plexauth.FacadeTestSupport.status;
import static dev.plexauth.FacadeTestSupport.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.testing.LooseJson;
import dev.plexauth.testing.SpecFixture;
import dev.plexauth.tools.spec.Arguments;
import dev.plexauth.tools.spec.SpecParameter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.HttpUrl;
import okhttp3.logging.HttpLoggingInterceptor;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments.ArgumentSet;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operation of the spec, through the generated client methods, with nothing written per
 * operation: its example answer comes back as the spec's example says, sync and async; the request
 * carries its path, its arguments and the Plex headers; an HTML 401 becomes {@link
 * PlexUnauthorizedException}; the loose forms of its answer read the same; its secrets stay out of
 * {@code toString()} and BODY logs; a missing required argument fails before anything is sent.
 * {@code scripts/test} also runs this class on a scratch copy of the spec with an operation added.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpecOperationsTest extends MockServerTest {
  static Stream<SpecFixture> operations() {
    return SpecFixture.all().stream();
  }

  static Stream<ArgumentSet> looseForms() {
    return SpecFixture.all().stream().flatMap(fixture -> LooseJson.forms().stream()
        .map(form -> org.junit.jupiter.params.provider.Arguments.argumentSet(
            fixture + " " + form, fixture, form)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void exampleAnswerIsWhatTheClientReturnsSyncAndAsync(SpecFixture fixture) throws Exception {
    server.enqueue(json(fixture.okJson()));
    server.enqueue(json(fixture.okJson()));
    try (PlexAuthClient client = builderFor(server).build()) {
      Object sync = fixture.call(client);
      Object async = fixture.callAsync(client).get(WAIT_SECONDS, TimeUnit.SECONDS);

      assertEquals(fixture.expected(), sync);
      assertEquals(fixture.expected(), async);
      assertInstanceOf(fixture.operation().resultType(), sync);
    }
    for (int i = 0; i < 2; i++) {
      RecordedRequest request = take(server);
      HttpUrl url = request.getRequestUrl();
      assertEquals(fixture.operation().method(), request.getMethod());
      assertEquals(fixture.path(), url.encodedPath());
      Arguments args = fixture.arguments();
      for (String name : args.names()) {
        assertEquals(args.text(name), url.queryParameter(name), name);
      }
      assertEquals(args.names().size(), url.querySize(), "no other query parameter: " + url);
      assertEquals(fixture.operation().withoutToken() ? null : CALLER_TOKEN,
          request.getHeader("X-Plex-Token"));
      assertEquals(CLIENT_ID, request.getHeader("X-Plex-Client-Identifier"));
      assertEquals("application/json", request.getHeader("Accept"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void htmlUnauthorizedBecomesUnauthorizedExceptionSyncAndAsync(SpecFixture fixture)
      throws Exception {
    String html = fixture.errorExample("401", "text/html");
    String page = html != null ? html
        : "<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>";
    server.enqueue(status(401, HTML, page));
    server.enqueue(status(401, HTML, page));
    try (PlexAuthClient client = builderFor(server).build()) {
      PlexUnauthorizedException sync =
          assertThrows(PlexUnauthorizedException.class, () -> fixture.call(client));
      PlexUnauthorizedException async =
          failureOf(fixture.callAsync(client), PlexUnauthorizedException.class);

      for (PlexUnauthorizedException e : List.of(sync, async)) {
        assertEquals(401, e.code());
        assertEquals(page, e.body());
        assertEquals(List.of(), e.errors());
        assertTrue(e.getMessage().contains(fixture.path()), e.getMessage());
        assertNoSecrets(e);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("looseForms")
  void looseFormsOfTheExampleReadAsTheExample(SpecFixture fixture, LooseJson.Form form) {
    String loose = LooseJson.loosen(fixture.okJson(), fixture.okSchema(), form);
    server.enqueue(json(loose));
    try (PlexAuthClient client = builderFor(server).build()) {
      assertEquals(fixture.expected(), fixture.call(client), loose);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void secretsStayOutOfToStringAndBodyLogs(SpecFixture fixture) {
    List<String> lines = new CopyOnWriteArrayList<>();
    server.enqueue(json(fixture.okJson()));
    Object result;
    try (PlexAuthClient client = builderFor(server)
        .logLevel(HttpLoggingInterceptor.Level.BODY).logger(lines::add).build()) {
      result = fixture.call(client);
    }
    String log = String.join("\n", lines);
    assertTrue(log.contains("<-- 200"), "the exchange was logged: " + log);
    assertTrue(log.contains("\"MediaContainer\"") || !fixture.okJson().contains("MediaContainer"),
        "the body was logged: " + log);
    List<String> secrets = SpecFixture.secretsIn(result);
    assertEquals(fixture.exampleSecrets(), secrets, "the model holds the example's x-secret values");
    for (String secret : secrets) {
      assertFalse(result.toString().contains(secret), result.toString());
      assertFalse(log.contains(secret), log);
    }
    assertFalse(log.contains(CALLER_TOKEN), log);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void missingRequiredArgumentFailsBeforeAnythingIsSent(SpecFixture fixture) {
    try (PlexAuthClient client = builderFor(server).build()) {
      for (SpecParameter parameter : fixture.operation().parameters()) {
        if (!parameter.required()) {
          continue;
        }
        Arguments args = fixture.arguments().remove(parameter.name());
        NullPointerException sync = assertThrows(NullPointerException.class,
            () -> fixture.operation().call().call(client, args));
        NullPointerException async = assertThrows(NullPointerException.class,
            () -> fixture.operation().callAsync().call(client, args));
        assertNotNull(sync.getMessage());
        assertTrue(sync.getMessage().startsWith(parameter.name() + " "), sync.getMessage());
        assertEquals(sync.getMessage(), async.getMessage());
      }
    }
    assertEquals(0, server.getRequestCount(), "nothing may be sent");
  }
}
