package dev.plexauth.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plexauth.PlexAuthClient;
import dev.plexauth.testing.SpecFixture;
import dev.plexauth.testing.SpecJson;
import dev.plexauth.tools.generated.ModelProperties;
import dev.plexauth.tools.spec.ModelProperty;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Every example in openapi/plex-auth.yaml, for every operation: it is valid against its own schema,
 * the XML form carries the data of the JSON form, the JSON example decodes through the SDK to the
 * values it holds, and the examples that Plex itself publishes are kept verbatim (those payloads
 * are the data below, the one place this class names operations).
 */
class SpecExamplesTest {
  /** The official 200 answers, verbatim from Plex's documentation, by operationId. */
  private static final Map<String, String> OFFICIAL_JSON = Map.of(
      "getTransientToken",
      "{\"MediaContainer\":{\"size\":0,"
          + "\"token\":\"transient-90904684-f91a-4391-8bf7-e0dfa7240285\"}}",
      "getSourceConnectionInformation",
      "{\"MediaContainer\":{\"size\":1,\"Device\":{"
          + "\"name\":\"PlexCorp (plex-corp)\","
          + "\"clientIdentifier\":\"243b471948ace337a8f92f129ec97d1902fcb1df\","
          + "\"accessToken\":\"transient-fa75f159-b9d2-42b6-8fbd-1761c7a4195a\","
          + "\"Connection\":["
          + "{\"protocol\":\"https\",\"address\":\"10.0.2.123\",\"port\":32400,\"local\":true,"
          + "\"uri\":\"https://10-0-2-123.93b10b279ff8456686414add109854cd.plex.direct:32400\"},"
          + "{\"protocol\":\"https\",\"address\":\"64.71.188.222\",\"port\":32403,\"local\":false,"
          + "\"uri\":\"https://64-71-188-222.93b10b279ff8456686414add109854cd.plex.direct:32403\"},"
          + "{\"protocol\":\"https\",\"address\":\"139.162.158.105\",\"port\":8443,\"local\":false,"
          + "\"relay\":true,"
          + "\"uri\":\"https://139-162-158-105.93b10b279ff8456686414add109854cd.plex.direct:8443\"}"
          + "]}}}");
  /** The official XML 200 answers (PMS's default form), by operationId. */
  private static final Map<String, String> OFFICIAL_XML = Map.of(
      "getTransientToken",
      "<MediaContainer size=\"0\" token=\"transient-90904684-f91a-4391-8bf7-e0dfa7240285\">"
          + "</MediaContainer>");
  /**
   * plex.tv's JSON error bodies by status, which every operation's JSON error examples must be.
   * No official 403 exists: plex.tv's shape with the status Plex's 2025 documentation gives.
   */
  private static final Map<String, String> OFFICIAL_ERRORS = Map.of(
      "400", "{\"errors\":[{\"code\":1000,"
          + "\"message\":\"X-Plex-Client-Identifier is missing\",\"status\":400}]}",
      "401", "{\"errors\":[{\"code\":1001,"
          + "\"message\":\"User could not be authenticated\",\"status\":401}]}",
      "403", "{\"errors\":[{\"code\":1001,"
          + "\"message\":\"User could not be authenticated\",\"status\":403}]}");
  /** PMS's reason phrases, whose pages every HTML error example must be. */
  private static final Map<String, String> REASONS = Map.of("400", "Bad Request",
      "401", "Unauthorized", "403", "Forbidden", "404", "Not Found");

  private static final String JSON = "application/json";

  private final SpecContract spec = SpecContract.plexAuth();
  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws Exception {
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdown();
  }

  @TestFactory
  List<DynamicTest> everyResponseHasAnExampleValidAgainstItsSchema() {
    List<DynamicTest> tests = new ArrayList<>();
    for (SpecFixture fixture : SpecFixture.all()) {
      String method = fixture.operation().method();
      fixture.spec().getResponses().forEach((status, response) -> {
        assertNotNull(response.getContent(), fixture + " " + status + " has no content");
        response.getContent().forEach((type, media) -> {
          Map<String, Object> examples = examples(media);
          tests.add(dynamicTest(method + " " + fixture.path() + " " + status + " " + type, () -> {
            assertFalse(examples.isEmpty(), "no example: every answer needs one to be tested");
            for (Object example : examples.values()) {
              spec.validateResponse(method, fixture.path(), Integer.parseInt(status), type,
                  Map.of(), text(example));
            }
          }));
        });
      });
    }
    return tests;
  }

  @TestFactory
  List<DynamicTest> everyParameterExampleIsValidInAnOtherwiseValidRequest() {
    List<DynamicTest> tests = new ArrayList<>();
    for (SpecFixture fixture : SpecFixture.all()) {
      for (Parameter parameter : SpecJson.parameters(fixture)) {
        Map<String, Object> examples = new LinkedHashMap<>();
        if (parameter.getExample() != null) {
          examples.put("example", parameter.getExample());
        }
        if (parameter.getExamples() != null) {
          parameter.getExamples().forEach((name, e) -> examples.put(name, e.getValue()));
        }
        examples.forEach((name, example) -> tests.add(dynamicTest(
            fixture.operation().method() + " " + fixture.path() + " " + parameter.getName() + " "
                + name, () -> {
              Map<String, List<String>> query = new LinkedHashMap<>();
              fixture.arguments().names()
                  .forEach(arg -> query.put(arg, List.of(fixture.arguments().text(arg))));
              query.put(parameter.getName(), List.of(String.valueOf(example)));
              spec.validateRequest(new ContractRequest(fixture.operation().method(),
                  fixture.path(), query, validHeaders()));
            })));
      }
    }
    return tests;
  }

  @Test
  void everyRequiredParameterHasAnExampleOrASingleValue() {
    for (SpecFixture fixture : SpecFixture.all()) {
      for (Parameter parameter : SpecJson.parameters(fixture)) {
        if (Boolean.TRUE.equals(parameter.getRequired())) {
          assertNotNull(fixture.arguments().text(parameter.getName()), fixture + " "
              + parameter.getName() + ": the suites call every operation with these values");
        }
      }
    }
  }

  @Test
  void noSchemaCarriesAnExampleThatNoTestChecks() {
    spec.api().getComponents().getSchemas().forEach((name, schema) -> assertNoExample(name, schema));
  }

  @Test
  void jsonExamplesAreTheOfficialPayloads() {
    OFFICIAL_JSON.forEach((operationId, official) ->
        assertJsonEquals(official, SpecFixture.of(operationId).okJson()));
    int checked = 0;
    for (SpecFixture fixture : SpecFixture.all()) {
      for (Map.Entry<String, String> error : OFFICIAL_ERRORS.entrySet()) {
        String example = fixture.errorExample(error.getKey(), JSON);
        if (example != null) {
          assertJsonEquals(error.getValue(), example);
          checked++;
        }
      }
    }
    assertTrue(checked >= SpecFixture.all().size(), "every operation declares plex.tv's errors");
  }

  @Test
  void xmlExamplesAreTheOfficialPayloads() {
    OFFICIAL_XML.forEach((operationId, official) ->
        assertEquals(official, SpecFixture.of(operationId).okXml()));
  }

  @TestFactory
  List<DynamicTest> xmlExampleCarriesTheDataOfTheJsonExample() {
    List<DynamicTest> tests = new ArrayList<>();
    for (SpecFixture fixture : SpecFixture.all()) {
      tests.add(dynamicTest(fixture.operationId(), () -> {
        assertNotNull(fixture.okXml(), "PMS answers XML by default: the spec shows that form");
        JsonNode json = SpecJson.tree(fixture.okJson());
        Element root = xml(fixture.okXml());
        JsonNode container = json.get(root.getTagName());
        assertNotNull(container, "the XML root " + root.getTagName() + " is not in the JSON");
        assertEquals(1, json.size(), "one root element holds the whole answer");
        assertSameData(container, fixture.okSchema().getProperties().get(root.getTagName()), root,
            root.getTagName());
      }));
    }
    return tests;
  }

  @Test
  void htmlExamplesAreThePmsErrorPages() {
    for (SpecFixture fixture : SpecFixture.all()) {
      fixture.spec().getResponses().forEach((status, response) -> {
        String page = fixture.errorExample(status, "text/html");
        if (status.startsWith("2")) {
          return;
        }
        String reason = REASONS.get(status);
        assertNotNull(reason, "unexpected status " + status);
        assertEquals("<html><head><title>" + reason + "</title></head><body><h1>" + status + " "
            + reason + "</h1></body></html>", page, fixture + " " + status);
      });
    }
  }

  @TestFactory
  List<DynamicTest> jsonExampleDecodesThroughTheClientToTheValuesItHolds() {
    List<DynamicTest> tests = new ArrayList<>();
    for (SpecFixture fixture : SpecFixture.all()) {
      tests.add(dynamicTest(fixture.operationId(), () -> {
        server.enqueue(new MockResponse().setHeader("Content-Type", JSON)
            .setBody(fixture.okJson()));

        Object result;
        try (PlexAuthClient client = client()) {
          result = fixture.call(client);
        }

        // Follow x-unwrap (or the Media Container) in the example: the client returns that.
        JsonNode json = SpecJson.tree(fixture.okJson());
        Schema<?> schema = fixture.okSchema();
        String where = "$";
        for (String name : SpecJson.unwrapPath(fixture)) {
          json = json.get(name);
          schema = schema.getProperties().get(name);
          where += "." + name;
        }
        assertHolds(json, schema, result, where);
        spec.validateRequest(ContractRequest.of(take()));
      }));
    }
    return tests;
  }

  /**
   * Asserts that a model holds what the JSON example says, property by property through the
   * generated property table: scalars equal, absent flags their default, absent lists empty, nested
   * models and lists alike. An independent reading of the example (Jackson's), not the SDK's.
   */
  private static void assertHolds(JsonNode json, Schema<?> schema, Object model, String where) {
    List<ModelProperty> properties = ModelProperties.of(model.getClass());
    assertNotNull(properties, where + " is not a model: " + model);
    assertTrue(json.isObject(), where + " is not an object in the example");
    json.fieldNames().forEachRemaining(name -> assertTrue(
        properties.stream().anyMatch(p -> p.wireName().equals(name)),
        where + "." + name + " is in the example but not in the model"));
    for (ModelProperty property : properties) {
      String at = where + "." + property.wireName();
      JsonNode value = json.get(property.wireName());
      Schema<?> declared = schema.getProperties().get(property.wireName());
      Object actual = property.of(model);
      switch (SpecJson.typeOf(declared)) {
        case "array":
          List<?> items = (List<?>) actual;
          int size = value == null || value.isNull() ? 0 : value.size();
          assertEquals(size, items.size(), at);
          for (int i = 0; i < size; i++) {
            assertHolds(value.get(i), declared.getItems(), items.get(i), at + "[" + i + "]");
          }
          break;
        case "object":
          if (value == null) {
            assertEquals(null, actual, at);
          } else {
            assertHolds(value, declared, actual, at);
          }
          break;
        case "boolean":
          // An absent flag is its default, and false without one.
          Object absent = declared.getDefault() == null ? Boolean.FALSE : declared.getDefault();
          assertEquals(value == null ? absent : value.booleanValue(), actual, at);
          break;
        case "integer":
          assertEquals(value == null ? null : "int64".equals(declared.getFormat())
              ? (Object) value.longValue() : (Object) value.intValue(), actual, at);
          break;
        case "number":
          assertEquals(value == null ? null : value.doubleValue(), actual, at);
          break;
        default:
          assertEquals(value == null ? null : value.textValue(),
              actual == null ? null : actual.toString(), at);
      }
    }
  }

  /**
   * Asserts that an XML element carries what the JSON object does: scalars as attributes (flags as
   * 1 and 0, absent when absent), objects and arrays as child elements of the same name, and
   * nothing else.
   */
  private static void assertSameData(JsonNode json, Schema<?> schema, Element element,
      String where) {
    NamedNodeMap attributes = element.getAttributes();
    for (int i = 0; i < attributes.getLength(); i++) {
      String name = attributes.item(i).getNodeName();
      assertTrue(json.has(name), where + "@" + name + " is in the XML but not in the JSON");
    }
    List<Element> children = new ArrayList<>();
    NodeList nodes = element.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE) {
        children.add((Element) nodes.item(i));
      }
    }
    for (Element child : children) {
      assertTrue(json.has(child.getTagName()),
          where + "/" + child.getTagName() + " is in the XML but not in the JSON");
    }
    json.fields().forEachRemaining(field -> {
      String name = field.getKey();
      JsonNode value = field.getValue();
      Schema<?> declared = schema.getProperties().get(name);
      List<Element> named = children.stream().filter(c -> c.getTagName().equals(name)).toList();
      switch (SpecJson.typeOf(declared)) {
        case "array":
          assertEquals(value.size(), named.size(), where + "/" + name);
          for (int i = 0; i < value.size(); i++) {
            assertSameData(value.get(i), declared.getItems(), named.get(i),
                where + "/" + name + "[" + i + "]");
          }
          break;
        case "object":
          assertEquals(1, named.size(), where + "/" + name);
          assertSameData(value, declared, named.get(0), where + "/" + name);
          break;
        case "boolean":
          assertEquals(value.booleanValue() ? "1" : "0", element.getAttribute(name),
              where + "@" + name);
          break;
        default:
          assertEquals(value.asText(), element.getAttribute(name), where + "@" + name);
      }
    });
  }

  private PlexAuthClient client() {
    return PlexAuthClient.builder()
        .baseUrl(server.url("/"))
        .token("fake-owner-token-Zq81xYw3")
        .clientIdentifier("spec-examples-test")
        .maxRetries(0)
        .build();
  }

  private RecordedRequest take() throws InterruptedException {
    RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
    assertNotNull(request, "the server received no request");
    return request;
  }

  private static Map<String, Object> examples(MediaType media) {
    Map<String, Object> examples = new LinkedHashMap<>();
    if (media.getExample() != null) {
      examples.put("example", media.getExample());
    }
    if (media.getExamples() != null) {
      media.getExamples().forEach((name, e) -> examples.put(name, e.getValue()));
    }
    return examples;
  }

  /** A text example as is; a structured (JSON) one serialised. */
  private static String text(Object example) {
    if (example instanceof String) {
      return (String) example;
    }
    try {
      return Json.mapper().writeValueAsString(example);
    } catch (Exception e) {
      throw new AssertionError("cannot serialise example " + example, e);
    }
  }

  private static Map<String, List<String>> validHeaders() {
    return Map.of("X-Plex-Token", List.of("fake-owner-token-Zq81xYw3"),
        "X-Plex-Client-Identifier", List.of("spec-examples-test"),
        "Accept", List.of(JSON));
  }

  private static void assertNoExample(String where, Schema<?> schema) {
    if (schema == null) {
      return;
    }
    assertEquals(null, schema.getExample(),
        where + " has a schema example: check it in SpecExamplesTest too");
    if (schema.getProperties() != null) {
      schema.getProperties().forEach((name, property) -> assertNoExample(where + "." + name, property));
    }
    assertNoExample(where + "[]", schema.getItems());
  }

  private static void assertJsonEquals(String expected, String actual) {
    assertEquals(SpecJson.tree(expected), SpecJson.tree(actual), actual);
  }

  private static Element xml(String body) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder()
        .parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)))
        .getDocumentElement();
  }
}
