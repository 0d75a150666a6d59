package dev.plexauth.testing;

import dev.plexauth.PlexAuthClient;
import dev.plexauth.contract.SpecContract;
import dev.plexauth.internal.PlexMoshi;
import dev.plexauth.tools.generated.ModelProperties;
import dev.plexauth.tools.generated.SpecOperations;
import dev.plexauth.tools.spec.Arguments;
import dev.plexauth.tools.spec.ModelProperty;
import dev.plexauth.tools.spec.SpecOperation;
import dev.plexauth.tools.spec.SpecParameter;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One operation of the spec with what a test needs to exercise it, all taken from {@code
 * openapi/plex-auth.yaml}: arguments from its parameters' examples and single values, its 200
 * answer's JSON and XML examples, the value the client must return for the JSON one, its error
 * examples, and the secrets that value holds. {@link #all()} covers every operation, so a suite
 * written against this class covers a new operation without new test code. Immutable.
 */
public final class SpecFixture {
  private static final List<SpecFixture> ALL = load();

  private final SpecOperation operation;
  private final Operation spec;
  private final String okJson;
  private final String okXml;

  private SpecFixture(SpecOperation operation, Operation spec) {
    this.operation = operation;
    this.spec = spec;
    ApiResponse ok = spec.getResponses().get("200");
    this.okJson = json(example(ok, "application/json"));
    Object xml = example(ok, "text/xml");
    this.okXml = xml == null ? null : xml.toString();
  }

  /**
   * Every operation of the spec, in the generated registry's order.
   *
   * @return an unmodifiable list
   */
  public static List<SpecFixture> all() {
    return ALL;
  }

  /**
   * The fixture of one operation.
   *
   * @param operationId its id
   * @return the fixture
   * @throws IllegalArgumentException if the spec has no such operation
   */
  public static SpecFixture of(String operationId) {
    for (SpecFixture fixture : ALL) {
      if (fixture.operationId().equals(operationId)) {
        return fixture;
      }
    }
    throw new IllegalArgumentException("no operation " + operationId + " in the spec");
  }

  public SpecOperation operation() {
    return operation;
  }

  public String operationId() {
    return operation.operationId();
  }

  /** The path the client requests, with a leading slash, for example {@code /security/token}. */
  public String path() {
    return operation.path();
  }

  /** The spec's operation object (resolved), for schema-driven tests. */
  public Operation spec() {
    return spec;
  }

  /**
   * Every required parameter from its example or single value; optional ones absent.
   *
   * @return new arguments each time
   */
  public Arguments arguments() {
    return operation.exampleArguments();
  }

  /**
   * As {@link #arguments()}, and every optional parameter that has an example (or an enum) too.
   *
   * @return new arguments each time
   */
  public Arguments allArguments() {
    Arguments args = arguments();
    for (SpecParameter parameter : operation.parameters()) {
      if (!parameter.required() && parameter.example() != null) {
        args.put(parameter.name(), parameter.example());
      }
    }
    return args;
  }

  /** Calls the operation's client method with {@link #arguments()}. */
  public Object call(PlexAuthClient client) {
    return operation.call().call(client, arguments());
  }

  /** Calls the operation's {@code Async} client method with {@link #arguments()}. */
  public CompletableFuture<?> callAsync(PlexAuthClient client) {
    return operation.callAsync().call(client, arguments());
  }

  /** The 200 answer's JSON example, as compact JSON text. */
  public String okJson() {
    return okJson;
  }

  /** The 200 answer's JSON schema, fully resolved (for {@link LooseJson}). */
  public io.swagger.v3.oas.models.media.Schema<?> okSchema() {
    return spec.getResponses().get("200").getContent().get("application/json").getSchema();
  }

  /** The 200 answer's XML example (what PMS sends without {@code Accept: application/json}), or null. */
  public String okXml() {
    return okXml;
  }

  /**
   * What the client returns for {@link #okJson()}: the example decoded by the SDK's own adapters
   * and unwrapped as the client method does.
   */
  public Object expected() {
    return decode(okJson);
  }

  /**
   * Decodes an answer body as the client does, and unwraps it.
   *
   * @param json a 200 answer's body
   * @return the client method's value
   */
  public Object decode(String json) {
    try {
      Object answer = PlexMoshi.moshi().adapter(operation.answerType()).fromJson(json);
      return operation.unwrap().apply(answer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The example of an error status for a media type, as text.
   *
   * @param status for example {@code "401"}
   * @param mediaType {@code text/html} or {@code application/json}
   * @return the example, or null when the spec declares none
   */
  public String errorExample(String status, String mediaType) {
    ApiResponse response = spec.getResponses().get(status);
    Object example = response == null ? null : example(response, mediaType);
    if (example == null) {
      return null;
    }
    return example instanceof String ? (String) example : json(example);
  }

  /**
   * Every value of an {@code x-secret} property in {@code model}, at any depth.
   *
   * @param model a value the client returned
   * @return the secrets, in the order found
   */
  public static List<String> secretsIn(Object model) {
    List<String> secrets = new ArrayList<>();
    collectSecrets(model, secrets);
    return secrets;
  }

  /**
   * The values of the {@code x-secret} properties in the 200 example, found through the spec's
   * schema ({@link SpecJson#sites}, not through the generated models), in document order; empty
   * strings left out, as no secret is there.
   *
   * @return the secrets of the example
   */
  public List<String> exampleSecrets() {
    List<String> secrets = new ArrayList<>();
    for (SpecJson.Site site : SpecJson.sites(this)) {
      if (site.secret() && site.value().isTextual() && !site.value().asText().isEmpty()) {
        secrets.add(site.value().asText());
      }
    }
    return secrets;
  }

  private static void collectSecrets(Object value, List<String> secrets) {
    if (value instanceof List) {
      for (Object item : (List<?>) value) {
        collectSecrets(item, secrets);
      }
      return;
    }
    List<ModelProperty> properties = value == null ? null : ModelProperties.of(value.getClass());
    if (properties == null) {
      return;
    }
    for (ModelProperty property : properties) {
      Object field = property.of(value);
      if (property.secret() && field != null && !field.toString().isEmpty()) {
        secrets.add(field.toString());
      } else {
        collectSecrets(field, secrets);
      }
    }
  }

  @Override
  public String toString() {
    return operationId();
  }

  private static Object example(ApiResponse response, String mediaType) {
    MediaType media = response.getContent() == null ? null : response.getContent().get(mediaType);
    return media == null ? null : media.getExample();
  }

  private static String json(Object example) {
    if (example == null) {
      return null;
    }
    try {
      return Json.mapper().writeValueAsString(example);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("the spec's example does not serialize", e);
    }
  }

  private static List<SpecFixture> load() {
    List<SpecFixture> fixtures = new ArrayList<>();
    for (SpecOperation operation : SpecOperations.all()) {
      fixtures.add(new SpecFixture(operation, find(operation.operationId())));
    }
    return Collections.unmodifiableList(fixtures);
  }

  private static Operation find(String operationId) {
    for (Map.Entry<String, PathItem> path : SpecContract.plexAuth().api().getPaths().entrySet()) {
      for (Operation candidate : path.getValue().readOperations()) {
        if (operationId.equals(candidate.getOperationId())) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException(operationId + " is in the generated registry, not the spec");
  }
}
