package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.JSON;
import static dev.plexauth.FacadeTestSupport.builderFor;
import static dev.plexauth.FacadeTestSupport.json;
import static dev.plexauth.FacadeTestSupport.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plexauth.internal.PlexMoshi;
import dev.plexauth.testing.LooseJson;
import dev.plexauth.testing.SpecFixture;
import dev.plexauth.testing.SpecJson;
import dev.plexauth.tools.generated.ModelProperties;
import dev.plexauth.tools.spec.ModelProperty;
import io.swagger.v3.oas.models.media.Schema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.Arguments.ArgumentSet;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real Plex payloads are looser than the spec, and the SDK reads every looseness the same as the
 * strict form, for every operation's example, guided by its schema with nothing written per
 * operation: a declared array sent as one value or holding nulls or absent, a declared object sent
 * as a one-element array, numbers as strings, flags in every form Plex sends, unknown properties
 * at every level. It still refuses what means nothing (an empty or longer array where one object
 * is declared, a value that is no value of its type), naming where. The error bodies' JSON reads
 * loosely too. A few answers seen from real servers are kept as data.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TolerantReadingTest extends MockServerTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Fields newer servers add (names from real answers), put at every level of every example. */
  private static final Map<String, JsonNode> EXTRA_FIELDS = extraFields();

  /**
   * Answers seen from real servers, each beside the strict form it must read as: operationId,
   * what the server sent, the spec's form of the same data.
   */
  private static final String[][] REAL_SERVER_ANSWERS = {
    {"getSourceConnectionInformation",
        "{\"MediaContainer\":{\"size\":\"1\",\"Device\":[{\"name\":\"n\",\"clientIdentifier\":"
            + "\"abc\",\"accessToken\":\"transient-fa75f159-b9d2-42b6-8fbd-1761c7a4195a\","
            + "\"Connection\":{\"protocol\":\"http\",\"address\":\"10.0.0.2\",\"port\":\"32400\","
            + "\"local\":\"1\",\"relay\":0,\"uri\":\"http://10.0.0.2:32400\"}}]}}",
        "{\"MediaContainer\":{\"size\":1,\"Device\":{\"name\":\"n\",\"clientIdentifier\":"
            + "\"abc\",\"accessToken\":\"transient-fa75f159-b9d2-42b6-8fbd-1761c7a4195a\","
            + "\"Connection\":[{\"protocol\":\"http\",\"address\":\"10.0.0.2\",\"port\":32400,"
            + "\"local\":true,\"relay\":false,\"uri\":\"http://10.0.0.2:32400\"}]}}}"},
    {"getSourceConnectionInformation",
        "{\"unknownTop\":{\"nested\":[1,2,{\"x\":null}]},"
            + "\"MediaContainer\":{\"size\":1,\"allowSync\":true,\"identifier\":\"com.plexapp\","
            + "\"Extra\":[{\"a\":1}],"
            + "\"Device\":{\"name\":\"PlexCorp (plex-corp)\",\"product\":\"Plex Media Server\","
            + "\"provides\":\"server\",\"owned\":1,\"presence\":true,\"lastSeenAt\":\"1700000000\","
            + "\"clientIdentifier\":\"243b471948ace337a8f92f129ec97d1902fcb1df\","
            + "\"accessToken\":\"transient-fa75f159-b9d2-42b6-8fbd-1761c7a4195a\","
            + "\"Connection\":[{\"protocol\":\"https\",\"address\":\"10.0.2.123\",\"port\":32400,"
            + "\"uri\":\"https://10-0-2-123.93b10b279ff8456686414add109854cd.plex.direct:32400\","
            + "\"local\":true,\"IPv6\":false,\"priority\":{\"a\":[]}}],"
            + "\"trailing\":null},\"zzz\":\"last\"},\"after\":[]}",
        "{\"MediaContainer\":{\"size\":1,\"Device\":{\"name\":\"PlexCorp (plex-corp)\","
            + "\"clientIdentifier\":\"243b471948ace337a8f92f129ec97d1902fcb1df\","
            + "\"accessToken\":\"transient-fa75f159-b9d2-42b6-8fbd-1761c7a4195a\","
            + "\"Connection\":[{\"protocol\":\"https\",\"address\":\"10.0.2.123\",\"port\":32400,"
            + "\"uri\":\"https://10-0-2-123.93b10b279ff8456686414add109854cd.plex.direct:32400\","
            + "\"local\":true}]}}}"},
    {"getTransientToken",
        "{\"v\":2,\"MediaContainer\":{\"size\":0,\"expiresAt\":\"later\",\"scopes\":[\"all\"],"
            + "\"token\":\"transient-90904684-f91a-4391-8bf7-e0dfa7240285\",\"meta\":{\"a\":1}}}",
        "{\"MediaContainer\":{\"size\":0,"
            + "\"token\":\"transient-90904684-f91a-4391-8bf7-e0dfa7240285\"}}"},
  };

  static Stream<SpecFixture> operations() {
    return SpecFixture.all().stream();
  }

  static Stream<ArgumentSet> realServerAnswers() {
    return Stream.of(REAL_SERVER_ANSWERS).map(row -> Arguments.argumentSet(
        row[0] + " " + row[1], SpecFixture.of(row[0]), row[1], row[2]));
  }

  @ParameterizedTest
  @MethodSource("realServerAnswers")
  void realServerAnswerReadsAsItsStrictForm(SpecFixture fixture, String sent, String strict) {
    assertEachReadsAs(fixture, Map.of(sent, fixture.decode(strict)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void declaredArraySentAsItsOnlyItemIsRead(SpecFixture fixture) {
    Map<String, Object> bodies = new LinkedHashMap<>();
    String example = fixture.okJson();
    for (SpecJson.Site site : sitesOfType(fixture, "array")) {
      JsonNode first = site.in(SpecJson.tree(example)).get(0);
      if (first != null) {
        bodies.put(SpecJson.replace(example, site, first),
            fixture.decode(SpecJson.replace(example, site, NODES.arrayNode().add(first))));
      }
    }
    assertEachReadsAs(fixture, bodies);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void nullItemsOfADeclaredArrayAreDropped(SpecFixture fixture) {
    Map<String, Object> bodies = new LinkedHashMap<>();
    String example = fixture.okJson();
    for (SpecJson.Site site : sitesOfType(fixture, "array")) {
      ArrayNode withNulls = NODES.arrayNode().addNull();
      for (JsonNode item : site.in(SpecJson.tree(example))) {
        withNulls.add(item).addNull();
      }
      bodies.put(SpecJson.replace(example, site, withNulls), fixture.expected());
    }
    assertEachReadsAs(fixture, bodies);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void absentOrNullDeclaredArrayIsAnEmptyList(SpecFixture fixture) throws IOException {
    String example = fixture.okJson();
    try (PlexAuthClient client = builderFor(server).build()) {
      for (SpecJson.Site site : sitesOfType(fixture, "array")) {
        String empty = SpecJson.replace(example, site, NODES.arrayNode());
        for (String body : List.of(SpecJson.remove(example, site),
            SpecJson.replace(example, site, NODES.nullNode()))) {
          server.enqueue(json(body));

          assertEquals(fixture.decode(empty), fixture.call(client), body);
          assertEquals(List.of(), valueAt(answerOf(fixture, body), site), body);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void declaredObjectSentAsAOneElementArrayIsRead(SpecFixture fixture) {
    Map<String, Object> bodies = new LinkedHashMap<>();
    String example = fixture.okJson();
    for (SpecJson.Site site : objectProperties(fixture)) {
      JsonNode wrapped = NODES.arrayNode().add(site.in(SpecJson.tree(example)));
      bodies.put(SpecJson.replace(example, site, wrapped), fixture.expected());
    }
    assertFalse(bodies.isEmpty(), "every answer has a Media Container");
    assertEachReadsAs(fixture, bodies);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void declaredObjectSentAsAnEmptyArrayOrOnlyNullIsAbsent(SpecFixture fixture) {
    String example = fixture.okJson();
    Map<String, Object> optional = new LinkedHashMap<>();
    Map<String, String> required = new LinkedHashMap<>();
    for (SpecJson.Site site : objectProperties(fixture)) {
      for (JsonNode absent : List.of(NODES.arrayNode(), NODES.arrayNode().addNull())) {
        String body = SpecJson.replace(example, site, absent);
        if (site.required()) {
          required.put(body, site.jsonPath());
        } else {
          optional.put(body, fixture.decode(SpecJson.remove(example, site)));
        }
      }
    }
    assertEachReadsAs(fixture, optional);
    SpecAnswers.assertEachFailsNaming(server, new SpecCall(fixture, false), required);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void declaredObjectSentAsSeveralBecomesDecodingExceptionEvenWhenOneIsTheExample(
      SpecFixture fixture) {
    String example = fixture.okJson();
    Map<String, String> bodies = new LinkedHashMap<>();
    List<String> otherSecrets = new ArrayList<>();
    for (SpecJson.Site site : objectProperties(fixture)) {
      JsonNode object = site.in(SpecJson.tree(example));
      JsonNode other = otherOf(object, site.schema(), otherSecrets);
      // Which one was meant is not guessed, not even when one of them is the expected one.
      for (ArrayNode several : List.of(NODES.arrayNode().add(other).add(object),
          NODES.arrayNode().add(object).add(object), NODES.arrayNode().add(object).addNull())) {
        bodies.put(SpecJson.replace(example, site, several), site.jsonPath());
      }
    }
    SpecAnswers.assertEachFailsNaming(server, new SpecCall(fixture, false), bodies,
        otherSecrets.toArray(new String[0]));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void numbersSentAsStringsAreRead(SpecFixture fixture) {
    Map<String, Object> bodies = new LinkedHashMap<>();
    String example = fixture.okJson();
    for (String type : List.of("integer", "number")) {
      for (SpecJson.Site site : sitesOfType(fixture, type)) {
        String text = site.in(SpecJson.tree(example)).asText();
        for (String form : List.of(text, " " + text + " ")) {
          bodies.put(SpecJson.replace(example, site, NODES.textNode(form)), fixture.expected());
        }
      }
    }
    assertEachReadsAs(fixture, bodies);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void flagsAreReadInEveryFormPlexSends(SpecFixture fixture) {
    Map<String, Object> bodies = new LinkedHashMap<>();
    String example = fixture.okJson();
    List<Function<Boolean, JsonNode>> forms = List.of(
        NODES::booleanNode,
        value -> NODES.numberNode(value ? 1 : 0),
        value -> NODES.textNode(value ? "1" : "0"),
        value -> NODES.textNode(value.toString()),
        value -> NODES.textNode(value ? "TRUE" : "False"));
    for (SpecJson.Site site : sitesOfType(fixture, "boolean")) {
      for (boolean value : List.of(true, false)) {
        Object expected = fixture.decode(SpecJson.replace(example, site, NODES.booleanNode(value)));
        for (Function<Boolean, JsonNode> form : forms) {
          bodies.put(SpecJson.replace(example, site, form.apply(value)), expected);
        }
      }
    }
    assertEachReadsAs(fixture, bodies);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void absentOrNullFlagMeansItsDefaultFalse(SpecFixture fixture) {
    Map<String, Object> bodies = new LinkedHashMap<>();
    String example = fixture.okJson();
    for (SpecJson.Site site : sitesOfType(fixture, "boolean")) {
      assertEquals(Boolean.FALSE, site.schema().getDefault(), site + ": the spec says false");
      Object expected = fixture.decode(SpecJson.replace(example, site, NODES.booleanNode(false)));
      bodies.put(SpecJson.remove(example, site), expected);
      bodies.put(SpecJson.replace(example, site, NODES.nullNode()), expected);
    }
    assertEachReadsAs(fixture, bodies);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void unknownPropertiesAreIgnoredAtEveryLevel(SpecFixture fixture) {
    JsonNode tree = SpecJson.tree(fixture.okJson());
    addExtraFields(tree, fixture.okSchema());

    assertEachReadsAs(fixture, Map.of(SpecJson.text(tree), fixture.expected()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void valueThatMeansNothingForItsTypeBecomesDecodingExceptionNamingIt(SpecFixture fixture) {
    Map<String, String> bodies = new LinkedHashMap<>();
    String example = fixture.okJson();
    for (SpecJson.Site site : SpecJson.sites(example, fixture.okSchema())) {
      for (JsonNode wrong : SpecJson.notOfItsType(site.schema())) {
        bodies.put(SpecJson.replace(example, site, wrong), site.jsonPath());
      }
    }
    SpecAnswers.assertEachFailsNaming(server, new SpecCall(fixture, false), bodies);
  }

  /** Every JSON error example of every operation, in every loose form. */
  static Stream<ArgumentSet> looseErrorExamples() {
    List<ArgumentSet> sets = new ArrayList<>();
    for (SpecFixture fixture : SpecFixture.all()) {
      fixture.spec().getResponses().forEach((code, answer) -> {
        if (code.startsWith("2") || answer.getContent() == null
            || answer.getContent().get(JSON) == null) {
          return;
        }
        Schema<?> schema = answer.getContent().get(JSON).getSchema();
        for (LooseJson.Form form : LooseJson.forms()) {
          sets.add(Arguments.argumentSet(fixture + " " + code + " " + form, fixture,
              Integer.parseInt(code), LooseJson.loosen(fixture.errorExample(code, JSON), schema,
                  form), fixture.errorExample(code, JSON)));
        }
      });
    }
    return sets.stream();
  }

  @ParameterizedTest
  @MethodSource("looseErrorExamples")
  void looseFormOfAJsonErrorExampleGivesTheSameErrors(
      SpecFixture fixture, int code, String loose, String strict) {
    server.enqueue(status(code, JSON, strict));
    server.enqueue(status(code, JSON, loose));

    try (PlexAuthClient client = builderFor(server).build()) {
      PlexHttpException expected = assertThrows(PlexHttpException.class, () -> fixture.call(client));
      PlexHttpException actual = assertThrows(PlexHttpException.class, () -> fixture.call(client));

      assertFalse(expected.errors().isEmpty(), strict);
      assertEquals(expected.errors(), actual.errors(), loose);
      assertEquals(expected.getMessage(), actual.getMessage());
    }
  }

  /** Answers each body (JSON, 200) and checks that the client returns what the map says. */
  private void assertEachReadsAs(SpecFixture fixture, Map<String, Object> bodies) {
    try (PlexAuthClient client = builderFor(server).build()) {
      bodies.forEach((body, expected) -> {
        server.enqueue(json(body));

        assertEquals(expected, fixture.call(client), body);
      });
    }
  }

  private static List<SpecJson.Site> sitesOfType(SpecFixture fixture, String type) {
    List<SpecJson.Site> sites = new ArrayList<>();
    for (SpecJson.Site site : SpecJson.sites(fixture.okJson(), fixture.okSchema())) {
      if (site.type().equals(type)) {
        sites.add(site);
      }
    }
    return sites;
  }

  /** The properties declared as one object (array items excluded: they are objects by right). */
  private static List<SpecJson.Site> objectProperties(SpecFixture fixture) {
    List<SpecJson.Site> sites = new ArrayList<>();
    for (SpecJson.Site site : sitesOfType(fixture, "object")) {
      if (site.name() != null) {
        sites.add(site);
      }
    }
    return sites;
  }

  /** A copy of an object with every string of it changed; its secrets go to {@code secrets}. */
  private static JsonNode otherOf(JsonNode object, Schema<?> schema, List<String> secrets) {
    String text = SpecJson.text(object);
    for (SpecJson.Site site : SpecJson.sites(text, schema)) {
      if ("string".equals(site.type()) && site.schema().getEnum() == null) {
        String other = site.in(SpecJson.tree(text)).asText() + "-other";
        if (site.secret()) {
          secrets.add(other);
        }
        text = SpecJson.replace(text, site, NODES.textNode(other));
      }
    }
    return SpecJson.tree(text);
  }

  /** Puts {@link #EXTRA_FIELDS} first and last in every object the schema declares. */
  private static void addExtraFields(JsonNode node, Schema<?> schema) {
    if (node == null || schema == null) {
      return;
    }
    if (node.isArray()) {
      node.forEach(item -> addExtraFields(item, schema.getItems()));
      return;
    }
    if (!node.isObject() || schema.getProperties() == null) {
      return;
    }
    ObjectNode object = (ObjectNode) node;
    Map<String, JsonNode> known = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      known.put(field.getKey(), field.getValue());
      addExtraFields(field.getValue(), schema.getProperties().get(field.getKey()));
    }
    object.removeAll();
    int half = EXTRA_FIELDS.size() / 2;
    int i = 0;
    for (Map.Entry<String, JsonNode> extra : EXTRA_FIELDS.entrySet()) {
      if (i++ == half) {
        object.setAll(known);
      }
      if (!schema.getProperties().containsKey(extra.getKey())) {
        object.set(extra.getKey(), extra.getValue().deepCopy());
      }
    }
  }

  private static Map<String, JsonNode> extraFields() {
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    fields.put("allowSync", NODES.booleanNode(true));
    fields.put("identifier", NODES.textNode("com.plexapp.system"));
    fields.put("product", NODES.textNode("Plex Media Server"));
    fields.put("owned", NODES.numberNode(1));
    fields.put("lastSeenAt", NODES.textNode("1700000000"));
    fields.put("IPv6", NODES.booleanNode(false));
    fields.put("priority", NODES.objectNode().set("a", NODES.arrayNode()));
    fields.put("Extra", NODES.arrayNode().add(NODES.objectNode().put("a", 1)).add("two"));
    fields.put("nested", NODES.objectNode().set("deeper", NODES.objectNode().putNull("x")));
    fields.put("trailing", NODES.nullNode());
    return fields;
  }

  /** The whole answer, decoded by the SDK's adapters but not unwrapped. */
  private static Object answerOf(SpecFixture fixture, String body) throws IOException {
    return PlexMoshi.moshi().adapter(fixture.operation().answerType()).fromJson(body);
  }

  /** The model value at a site of the answer, found through the generated property table. */
  private static Object valueAt(Object answer, SpecJson.Site site) {
    Object value = answer;
    for (Object step : site.steps()) {
      if (step instanceof Integer) {
        value = ((List<?>) value).get((Integer) step);
        continue;
      }
      Object model = value;
      value = ModelProperties.of(model.getClass()).stream()
          .filter(property -> property.wireName().equals(step)).findFirst()
          .map((ModelProperty property) -> property.of(model))
          .orElseThrow(() -> new AssertionError("no property " + step + " in " + model));
    }
    return value;
  }
}
