package dev.plexauth.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import com.squareup.moshi.Types;
import dev.plexauth.testing.SpecFixture;
import dev.plexauth.tools.generated.ModelProperties;
import dev.plexauth.tools.spec.Arguments;
import dev.plexauth.tools.spec.ModelProperty;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operation of the spec through the CLI by its operationId, its example arguments as
 * {@code --<parameter>} options, against MockWebServer answering the spec's example: {@code --json}
 * prints the model exactly, the text output masks its secrets. Nothing here names an operation,
 * so {@code scripts/test} runs it on a scratch copy of the spec with an operation added.
 */
class PlexAuthCliSpecTest {
  private static final String CALLER_TOKEN = "cli-caller-token-7f2e9a";
  private static final JsonAdapter<Map<String, Object>> JSON_OBJECT = new Moshi.Builder().build()
      .adapter(Types.newParameterizedType(Map.class, String.class, Object.class));

  @TempDir Path configDir;
  private MockWebServer mock;
  private String stdout;
  private String stderr;

  static Stream<SpecFixture> operations() {
    return SpecFixture.all().stream();
  }

  @BeforeEach
  void startMock() throws IOException {
    mock = new MockWebServer();
    mock.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stopMock() throws IOException {
    mock.shutdown();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void jsonOutputIsTheModelOfTheExampleAnswer(SpecFixture fixture) throws Exception {
    mock.enqueue(answer(fixture));

    assertEquals(0, run(fixture, "--json"), stderr);

    Map<String, Object> printed = JSON_OBJECT.fromJson(stdout.trim());
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("operation", fixture.operationId());
    expected.putAll(asJson(fixture.expected()));
    assertEquals(expected, printed);
    RecordedRequest request = mock.takeRequest(10, TimeUnit.SECONDS);
    assertEquals(fixture.path(), request.getRequestUrl().encodedPath());
    Arguments args = fixture.arguments();
    for (String name : args.names()) {
      assertEquals(args.text(name), request.getRequestUrl().queryParameter(name), name);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void textOutputNamesTheOperationAndMasksItsSecrets(SpecFixture fixture) {
    mock.enqueue(answer(fixture));

    assertEquals(0, run(fixture), stderr);

    assertTrue(stdout.startsWith(fixture.operationId() + "\n"), stdout);
    List<String> secrets = fixture.exampleSecrets();
    for (String secret : secrets) {
      assertFalse(stdout.contains(secret), stdout);
      assertFalse(stderr.contains(secret), stderr);
    }
    assertEquals(!secrets.isEmpty(), stdout.contains("██"), stdout);
    assertFalse(stdout.contains(CALLER_TOKEN) || stderr.contains(CALLER_TOKEN));
  }

  private int run(SpecFixture fixture, String... extra) {
    List<String> args = new ArrayList<>(List.of(extra));
    args.addAll(List.of("--server", mock.url("/").toString(), "--token", CALLER_TOKEN,
        fixture.operationId()));
    Arguments example = fixture.arguments();
    for (String name : example.names()) {
      args.add("--" + name);
      args.add(example.text(name));
    }
    Map<String, String> env = new HashMap<>();
    env.put("PLEX_AUTH_CONFIG_DIR", configDir.toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = PlexAuthCli.run(args.toArray(new String[0]), env, new PrintWriter(out),
        new PrintWriter(err));
    stdout = out.toString();
    stderr = err.toString();
    return status;
  }

  private static MockResponse answer(SpecFixture fixture) {
    return new MockResponse().setHeader("Content-Type", "application/json")
        .setBody(fixture.okJson());
  }

  /** A model as Moshi reads the CLI's JSON back: Java names, numbers as doubles, enums as text. */
  private static Map<String, Object> asJson(Object model) {
    Map<String, Object> json = new LinkedHashMap<>();
    for (ModelProperty property : ModelProperties.of(model.getClass())) {
      json.put(property.javaName(), value(property.of(model)));
    }
    return json;
  }

  private static Object value(Object value) {
    if (value == null || value instanceof Boolean || value instanceof String) {
      return value;
    }
    if (value instanceof Number) {
      return ((Number) value).doubleValue();
    }
    if (value instanceof List) {
      List<Object> items = new ArrayList<>();
      for (Object item : (List<?>) value) {
        items.add(value(item));
      }
      return items;
    }
    return ModelProperties.of(value.getClass()) != null ? asJson(value) : value.toString();
  }
}
