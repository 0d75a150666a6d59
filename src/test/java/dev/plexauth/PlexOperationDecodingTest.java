package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.CALLER_TOKEN;
import static dev.plexauth.FacadeTestSupport.HTML;
import static dev.plexauth.FacadeTestSupport.JSON;
import static dev.plexauth.FacadeTestSupport.assertNoSecrets;
import static dev.plexauth.FacadeTestSupport.builderFor;
import static dev.plexauth.FacadeTestSupport.json;
import static dev.plexauth.FacadeTestSupport.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.plexauth.testing.SpecFixture;
import dev.plexauth.testing.SpecJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exception table's row for 2xx answers whose body is unusable, for every operation of the
 * spec, sync and async, with nothing written per operation: the spec's XML example, HTML, empty and
 * malformed bodies, and the example with each value the schema requires taken out, nulled, of
 * another type or breaking its length or pattern all end in {@link PlexDecodingException} with the
 * status and content type, naming the JSON path that broke and no value (which may be a secret).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PlexOperationDecodingTest extends MockServerTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void xmlExampleBecomesDecodingExceptionThatNamesTheAcceptHeader(SpecCall call) {
    String xml = call.fixture().okXml();
    assertNotNull(xml, "every operation declares PMS's XML form of its answer");
    server.enqueue(status(200, "text/xml;charset=utf-8", xml));

    PlexDecodingException e = failure(call);

    assertEquals("text/xml;charset=utf-8", e.contentType());
    assertTrue(e.getMessage().contains("Accept"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void xmlExampleWithoutContentTypeIsStillRecognisedAsXml(SpecCall call) {
    server.enqueue(new MockResponse().setBody(call.fixture().okXml()));

    PlexDecodingException e = failure(call);

    assertTrue(e.getMessage().contains("Accept"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void htmlPageWithOkStatusBecomesDecodingException(SpecCall call) {
    server.enqueue(status(200, HTML, "<html><body>Plex Web</body></html>"));

    PlexDecodingException e = failure(call);

    assertEquals(HTML, e.contentType());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void emptyOkBodyBecomesDecodingException(SpecCall call) {
    server.enqueue(status(200, JSON, ""));

    PlexDecodingException e = failure(call);

    assertTrue(e.getMessage().contains("empty"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void noContentBecomesDecodingExceptionWithItsStatus(SpecCall call) {
    server.enqueue(new MockResponse().setResponseCode(204));

    try (PlexAuthClient client = builderFor(server).build()) {
      PlexDecodingException e = assertThrows(PlexDecodingException.class, () -> call.call(client));

      assertEquals(204, e.code());
      assertNoSecrets(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void malformedJsonBecomesDecodingException(SpecCall call) {
    String example = call.fixture().okJson();
    for (String body : List.of(example.substring(0, example.length() / 2),
        example.replaceFirst(":", ": {size: 0,, }"), example + "}")) {
      server.enqueue(json(body));

      PlexDecodingException e = failure(call);

      assertEquals(JSON, e.contentType(), body);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void malformedJsonAroundBareTokensDoesNotEchoThem(SpecCall call) {
    String example = call.fixture().okJson();
    List<String> bodies = new ArrayList<>();
    bodies.add(example.replaceFirst("\\{", "{\"echo\":" + CALLER_TOKEN + ","));
    for (String secret : SpecFixture.secretsIn(call.fixture().expected())) {
      bodies.add(example.replace("\"" + secret + "\"", secret));
    }
    for (String body : bodies) {
      server.enqueue(json(body));

      failure(call);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void answerThatIsNoObjectBecomesDecodingException(SpecCall call) {
    for (String body : List.of("null", "[]", "\"text\"", "7", "true")) {
      server.enqueue(json(body));

      failure(call);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void requiredValueMissingNullOrOfAnotherTypeBecomesDecodingExceptionNamingItsPath(
      SpecCall call) {
    Map<String, String> bodies = new LinkedHashMap<>();
    String example = call.fixture().okJson();
    for (SpecJson.Site site : SpecJson.sites(example, call.fixture().okSchema())) {
      if (!site.required()) {
        continue;
      }
      bodies.put(SpecJson.remove(example, site), site.jsonPath());
      bodies.put(SpecJson.replace(example, site, NODES.nullNode()), site.jsonPath());
      for (JsonNode wrong : SpecJson.notOfItsType(site.schema())) {
        bodies.put(SpecJson.replace(example, site, wrong), site.jsonPath());
      }
    }
    assertFalse(bodies.isEmpty(), "every 200 answer requires something: " + call);

    SpecAnswers.assertEachFailsNaming(server, call, bodies);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void valueBreakingItsLengthOrPatternBecomesDecodingExceptionNamingItsPath(SpecCall call) {
    Map<String, String> bodies = new LinkedHashMap<>();
    String example = call.fixture().okJson();
    for (SpecJson.Site site : SpecJson.sites(example, call.fixture().okSchema())) {
      for (String broken : SpecJson.breakingItsConstraints(site.schema())) {
        bodies.put(SpecJson.replace(example, site, NODES.textNode(broken)), site.jsonPath());
      }
    }
    assertFalse(bodies.isEmpty(), "every 200 answer constrains a string: " + call);

    SpecAnswers.assertEachFailsNaming(server, call, bodies);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void objectSentAsAOneElementArrayStillNeedsItsRequiredValues(SpecCall call) {
    Map<String, String> bodies = new LinkedHashMap<>();
    String example = call.fixture().okJson();
    List<SpecJson.Site> sites = SpecJson.sites(example, call.fixture().okSchema());
    for (SpecJson.Site object : sites) {
      if (!"object".equals(object.type()) || object.name() == null) {
        continue;
      }
      for (SpecJson.Site inner : sites) {
        if (inner.required() && inner.steps().size() == object.steps().size() + 1
            && inner.steps().subList(0, object.steps().size()).equals(object.steps())) {
          JsonNode stripped = SpecJson.tree(SpecJson.remove(example, inner));
          JsonNode wrapped = NODES.arrayNode().add(object.in(stripped));
          // Any index: Moshi has counted the element by the time the adapter finds the value
          // missing, so the path says [1] for the only element.
          bodies.put(SpecJson.replace(example, object, wrapped),
              object.jsonPath() + "[*]." + inner.name());
        }
      }
    }
    assertFalse(bodies.isEmpty(), "every 200 answer has an object with a required value");

    SpecAnswers.assertEachFailsNaming(server, call, bodies);
  }

  /** Calls once on a fresh client; the call must fail with a 200 decoding error and no secret. */
  private PlexDecodingException failure(SpecCall call) {
    try (PlexAuthClient client = builderFor(server).build()) {
      PlexDecodingException e = assertThrows(PlexDecodingException.class, () -> call.call(client));
      assertEquals(200, e.code());
      assertNoSecrets(e, SpecCall.exampleSecrets());
      return e;
    }
  }
}
