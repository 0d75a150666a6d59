package dev.plexauth.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plexauth.PlexAuthClient;
import dev.plexauth.PlexHttpException;
import dev.plexauth.PlexUnauthorizedException;
import dev.plexauth.model.Connection;
import dev.plexauth.model.PlexError;
import dev.plexauth.model.SourceConnectionInformation;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Operation;
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
import org.w3c.dom.NodeList;

/**
 * Every example in openapi/plex-auth.yaml is valid against its own schema, is the real Plex payload
 * (the official ones quoted in plex-auth-facts.md), and decodes through the SDK to those values.
 */
class SpecExamplesTest {
  // The official payloads, verbatim from plex-auth-facts.md (sections 1, 2 and 4).
  private static final String TOKEN = "transient-90904684-f91a-4391-8bf7-e0dfa7240285";
  private static final String OFFICIAL_TOKEN_JSON =
      "{\"MediaContainer\":{\"size\":0,\"token\":\"" + TOKEN + "\"}}";
  private static final String OFFICIAL_TOKEN_XML =
      "<MediaContainer size=\"0\" token=\"" + TOKEN + "\"></MediaContainer>";
  private static final String OFFICIAL_SOURCE_JSON = "{\"MediaContainer\":{\"size\":1,\"Device\":{"
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
      + "]}}}";
  private static final String OFFICIAL_400_JSON = "{\"errors\":[{\"code\":1000,"
      + "\"message\":\"X-Plex-Client-Identifier is missing\",\"status\":400}]}";
  private static final String OFFICIAL_401_JSON = "{\"errors\":[{\"code\":1001,"
      + "\"message\":\"User could not be authenticated\",\"status\":401}]}";

  private static final String TOKEN_PATH = "/security/token";
  private static final String SOURCE_PATH = "/security/resources";
  private static final String JSON = "application/json";
  private static final ObjectMapper MAPPER = new ObjectMapper();

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
  List<DynamicTest> everyResponseExampleIsValidAgainstItsSchema() {
    List<DynamicTest> tests = new ArrayList<>();
    forEachOperation((path, operation) -> operation.getResponses().forEach((status, response) -> {
      if (response.getContent() == null) {
        return;
      }
      response.getContent().forEach((type, media) -> examples(media).forEach((name, example) ->
          tests.add(dynamicTest("GET " + path + " " + status + " " + type + " " + name,
              () -> spec.validateResponse("GET", path, Integer.parseInt(status), type, Map.of(),
                  text(example))))));
    }));
    // Both operations' 200 (JSON and XML) and each error page: fewer means examples went missing.
    assertTrue(tests.size() >= 4 + 7, "only " + tests.size() + " response examples");
    return tests;
  }

  @TestFactory
  List<DynamicTest> everyParameterExampleIsValidInAnOtherwiseValidRequest() {
    List<DynamicTest> tests = new ArrayList<>();
    forEachOperation((path, operation) -> {
      for (Parameter parameter : operation.getParameters()) {
        Map<String, Object> examples = new LinkedHashMap<>();
        if (parameter.getExample() != null) {
          examples.put("example", parameter.getExample());
        }
        if (parameter.getExamples() != null) {
          parameter.getExamples().forEach((name, e) -> examples.put(name, e.getValue()));
        }
        examples.forEach((name, example) -> tests.add(dynamicTest(
            "GET " + path + " " + parameter.getName() + " " + name, () -> {
              Map<String, List<String>> query = validQuery(path);
              query.put(parameter.getName(), List.of(String.valueOf(example)));
              spec.validateRequest(new ContractRequest("GET", path, query, validHeaders()));
            })));
      }
    });
    assertFalse(tests.isEmpty(), "the source parameter's example went missing");
    return tests;
  }

  @Test
  void noSchemaCarriesAnExampleThatNoTestChecks() {
    spec.api().getComponents().getSchemas().forEach((name, schema) -> assertNoExample(name, schema));
  }

  @Test
  void jsonExamplesAreTheOfficialPayloads() throws Exception {
    assertJsonEquals(OFFICIAL_TOKEN_JSON, example(TOKEN_PATH, "200", JSON));
    assertJsonEquals(OFFICIAL_SOURCE_JSON, example(SOURCE_PATH, "200", JSON));
    for (String path : List.of(TOKEN_PATH, SOURCE_PATH)) {
      assertJsonEquals(OFFICIAL_400_JSON, example(path, "400", JSON));
      assertJsonEquals(OFFICIAL_401_JSON, example(path, "401", JSON));
      // No official 403 JSON exists; plex.tv's shape with the status the 2025 docs use.
      assertJsonEquals(OFFICIAL_401_JSON.replace("401", "403"), example(path, "403", JSON));
    }
  }

  @Test
  void xmlExamplesCarryTheOfficialValues() throws Exception {
    assertEquals(OFFICIAL_TOKEN_XML, example(TOKEN_PATH, "200", "text/xml"));

    Element root = xml(example(SOURCE_PATH, "200", "text/xml"));
    JsonNode official = MAPPER.readTree(OFFICIAL_SOURCE_JSON).get("MediaContainer");
    assertEquals(official.get("size").asText(), root.getAttribute("size"));
    Element device = (Element) root.getElementsByTagName("Device").item(0);
    for (String attribute : List.of("name", "clientIdentifier", "accessToken")) {
      assertEquals(official.get("Device").get(attribute).asText(), device.getAttribute(attribute));
    }
    NodeList connections = device.getElementsByTagName("Connection");
    JsonNode expected = official.get("Device").get("Connection");
    assertEquals(expected.size(), connections.getLength());
    for (int i = 0; i < expected.size(); i++) {
      Element connection = (Element) connections.item(i);
      JsonNode json = expected.get(i);
      for (String attribute : List.of("protocol", "address", "port", "uri")) {
        assertEquals(json.get(attribute).asText(), connection.getAttribute(attribute));
      }
      // XML flags are 1/0; relay is left out when false, as in JSON.
      assertEquals(json.get("local").asBoolean() ? "1" : "0", connection.getAttribute("local"));
      assertEquals(json.has("relay") ? "1" : "", connection.getAttribute("relay"));
    }
  }

  @Test
  void htmlExamplesAreThePmsErrorPages() {
    Map<String, String> reasons = Map.of("400", "Bad Request", "401", "Unauthorized",
        "403", "Forbidden", "404", "Not Found");
    forEachOperation((path, operation) -> operation.getResponses().forEach((status, response) -> {
      if (!status.equals("200")) {
        String reason = reasons.get(status);
        assertNotNull(reason, "unexpected status " + status);
        assertEquals("<html><head><title>" + reason + "</title></head><body><h1>" + status + " "
            + reason + "</h1></body></html>", example(path, status, "text/html"), path + " " + status);
      }
    }));
  }

  @Test
  void transientTokenExampleDecodesThroughTheSdkToTheOfficialToken() throws Exception {
    server.enqueue(answer(200, JSON, example(TOKEN_PATH, "200", JSON)));

    String token;
    try (PlexAuthClient client = client()) {
      token = client.getTransientToken().token();
    }

    assertEquals(TOKEN, token);
    spec.validateRequest(ContractRequest.of(take()));
  }

  @Test
  void sourceExampleDecodesThroughTheSdkToTheOfficialDevice() throws Exception {
    server.enqueue(answer(200, JSON, example(SOURCE_PATH, "200", JSON)));
    String source = String.valueOf(parameter(SOURCE_PATH, "source").getExample());

    SourceConnectionInformation device;
    try (PlexAuthClient client = client()) {
      device = client.getSourceConnectionInformation(source);
    }

    JsonNode official = MAPPER.readTree(OFFICIAL_SOURCE_JSON).get("MediaContainer").get("Device");
    assertEquals("server://" + official.get("clientIdentifier").asText(), source);
    assertEquals(official.get("name").asText(), device.name());
    assertEquals(official.get("clientIdentifier").asText(), device.clientIdentifier());
    assertEquals(official.get("accessToken").asText(), device.accessToken());
    JsonNode connections = official.get("Connection");
    assertEquals(connections.size(), device.connections().size());
    for (int i = 0; i < connections.size(); i++) {
      JsonNode expected = connections.get(i);
      Connection actual = device.connections().get(i);
      assertEquals(expected.get("protocol").asText(), actual.protocol());
      assertEquals(expected.get("address").asText(), actual.address());
      assertEquals(expected.get("port").asInt(), actual.port());
      assertEquals(expected.get("uri").asText(), actual.uri());
      assertEquals(expected.get("local").asBoolean(), actual.local());
      // relay is absent from the first two: a missing flag means false.
      assertEquals(expected.path("relay").asBoolean(false), actual.relay());
    }
    spec.validateRequest(ContractRequest.of(take()));
  }

  @TestFactory
  List<DynamicTest> errorExamplesDecodeThroughTheSdk() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String status : List.of("400", "401", "403")) {
      for (String type : List.of(JSON, "text/html")) {
        tests.add(dynamicTest(status + " " + type, () -> {
          String body = example(TOKEN_PATH, status, type);
          server.enqueue(answer(Integer.parseInt(status), type, body));

          PlexHttpException e;
          try (PlexAuthClient client = client()) {
            e = assertThrows(PlexHttpException.class, client::getTransientToken);
          }

          assertEquals(Integer.parseInt(status), e.code());
          assertEquals(!status.equals("400"), e instanceof PlexUnauthorizedException);
          if (type.equals(JSON)) {
            JsonNode error = MAPPER.readTree(body).get("errors").get(0);
            assertEquals(1, e.errors().size());
            PlexError decoded = e.errors().get(0);
            assertEquals(error.get("code").asInt(), decoded.code());
            assertEquals(error.get("message").asText(), decoded.message());
            assertEquals(error.get("status").asInt(), decoded.status());
          } else {
            assertEquals(body, e.body());
            assertTrue(e.errors().isEmpty());
          }
          spec.validateRequest(ContractRequest.of(take()));
        }));
      }
    }
    return tests;
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

  private static MockResponse answer(int status, String type, String body) {
    return new MockResponse().setResponseCode(status).setHeader("Content-Type", type).setBody(body);
  }

  private void forEachOperation(java.util.function.BiConsumer<String, Operation> action) {
    spec.api().getPaths().forEach((path, item) -> item.readOperations()
        .forEach(operation -> action.accept(path, operation)));
  }

  private String example(String path, String status, String type) {
    MediaType media = spec.api().getPaths().get(path).getGet().getResponses().get(status)
        .getContent().get(type);
    assertNotNull(media, "no " + type + " for " + status + " on " + path);
    Object example = media.getExample();
    assertNotNull(example, "no " + type + " example for " + status + " on " + path);
    return text(example);
  }

  private Parameter parameter(String path, String name) {
    return spec.api().getPaths().get(path).getGet().getParameters().stream()
        .filter(p -> p.getName().equals(name)).findFirst().orElseThrow();
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

  private static Map<String, List<String>> validQuery(String path) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    if (path.equals(TOKEN_PATH)) {
      query.put("type", List.of("delegation"));
      query.put("scope", List.of("all"));
    } else {
      query.put("source", List.of("server://243b471948ace337a8f92f129ec97d1902fcb1df"));
    }
    return query;
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

  private static void assertJsonEquals(String expected, String actual) throws Exception {
    assertEquals(MAPPER.readTree(expected), MAPPER.readTree(actual), actual);
  }

  private static Element xml(String body) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder()
        .parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)))
        .getDocumentElement();
  }
}
