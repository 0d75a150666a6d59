package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.CALLER_TOKEN;
import static dev.plexauth.FacadeTestSupport.HTML;
import static dev.plexauth.FacadeTestSupport.JSON;
import static dev.plexauth.FacadeTestSupport.assertNoSecrets;
import static dev.plexauth.FacadeTestSupport.builderFor;
import static dev.plexauth.FacadeTestSupport.json;
import static dev.plexauth.FacadeTestSupport.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.function.Predicate;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.Arguments.ArgumentSet;
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

  /** Each value of each operation's example that {@code which} picks, in each call mode. */
  private static Stream<ArgumentSet> sites(Predicate<SpecJson.Site> which) {
    return SpecCall.all().flatMap(call -> SpecJson
        .sites(call.fixture().okJson(), call.fixture().okSchema()).stream().filter(which)
        .map(site -> Arguments.argumentSet(call + " " + site, call, site)));
  }

  static Stream<ArgumentSet> requiredValues() {
    return sites(SpecJson.Site::required);
  }

  @ParameterizedTest
  @MethodSource("requiredValues")
  void requiredValueMissingNullOrOfAnotherTypeBecomesDecodingExceptionNamingItsPath(
      SpecCall call, SpecJson.Site site) {
    String example = call.fixture().okJson();
    Map<String, String> bodies = new LinkedHashMap<>();
    bodies.put(SpecJson.remove(example, site), site.jsonPath());
    bodies.put(SpecJson.replace(example, site, NODES.nullNode()), site.jsonPath());
    for (JsonNode wrong : SpecJson.notOfItsType(site.schema(), site.value())) {
      bodies.put(SpecJson.replace(example, site, wrong), site.jsonPath());
    }

    SpecAnswers.assertEachFailsNaming(server, call, bodies);
  }

  static Stream<ArgumentSet> constrainedStrings() {
    return sites(site -> !brokenValues(site).isEmpty());
  }

  /** What breaks the site's length or pattern, made from its example's value. */
  private static List<String> brokenValues(SpecJson.Site site) {
    return SpecJson.breakingItsConstraints(site.schema(),
        site.value().isTextual() ? site.value().asText() : null);
  }

  @ParameterizedTest
  @MethodSource("constrainedStrings")
  void valueBreakingItsLengthOrPatternBecomesDecodingExceptionNamingItsPath(
      SpecCall call, SpecJson.Site site) {
    String example = call.fixture().okJson();
    Map<String, String> bodies = new LinkedHashMap<>();
    for (String broken : brokenValues(site)) {
      bodies.put(SpecJson.replace(example, site, NODES.textNode(broken)), site.jsonPath());
    }

    SpecAnswers.assertEachFailsNaming(server, call, bodies);
  }

  /** Each property declared as one object that has a required value of its own. */
  static Stream<ArgumentSet> objectsWithRequiredValues() {
    return sites(site -> "object".equals(site.type()) && site.name() != null
        && site.schema().getRequired() != null && !site.schema().getRequired().isEmpty());
  }

  @ParameterizedTest
  @MethodSource("objectsWithRequiredValues")
  void objectSentAsAOneElementArrayStillNeedsItsRequiredValues(SpecCall call,
      SpecJson.Site object) {
    String example = call.fixture().okJson();
    Map<String, String> bodies = new LinkedHashMap<>();
    for (SpecJson.Site inner : SpecJson.sites(example, call.fixture().okSchema())) {
      if (inner.required() && inner.steps().size() == object.steps().size() + 1
          && inner.steps().subList(0, object.steps().size()).equals(object.steps())) {
        JsonNode stripped = SpecJson.tree(SpecJson.remove(example, inner));
        JsonNode wrapped = NODES.arrayNode().add(object.in(stripped));
        // The element's own index, although Moshi has counted it by the time the adapter finds
        // the value missing.
        bodies.put(SpecJson.replace(example, object, wrapped),
            object.jsonPath() + "[0]." + inner.name());
      }
    }

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
