package dev.plexauth.tools.swaggerui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.testing.Fifos;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Swagger UI server over plain HTTP: the spec it serves, the webjar's files, its limits. */
class SwaggerUiServerTest {
  private static final Path SPEC = Path.of("openapi/plex-auth.yaml");
  private final HttpClient http = HttpClient.newHttpClient();
  private SwaggerUiServer server;
  private final Fifos fifos = new Fifos();

  @AfterEach
  void close() throws IOException {
    if (server != null) {
      server.close();
    }
    fifos.releaseAll();
  }

  @Test
  void servedSpecListsTheStandInFirstAndIsOtherwiseTheFile() throws Exception {
    server = SwaggerUiServer.start(SPEC, 0, 0);

    HttpResponse<String> spec = get(SwaggerUiServer.SPEC_PATH);

    assertEquals(200, spec.statusCode());
    assertEquals("application/yaml; charset=utf-8", spec.headers().firstValue("Content-Type").get());
    String standIn = "  - url: " + server.standInUrl() + "\n"
        + "    description: The embedded Plex stand-in (its owner token is printed where it started)\n";
    assertTrue(spec.body().contains("\nservers:\n" + standIn), spec.body());
    assertEquals(Files.readString(SPEC), spec.body().replace(standIn, ""));
    assertTrue(server.standInUrl().matches("http://127\\.0\\.0\\.1:\\d+"), server.standInUrl());
  }

  @Test
  void standInIsAddedWhateverTheServersListLooksLike() {
    String url = "http://127.0.0.1:1";
    assertEquals("openapi: 3.0.3\nservers:\n  - url: http://127.0.0.1:1\n",
        firstLine(SwaggerUiServer.withFirstServer("openapi: 3.0.3\n", url)));
    assertEquals("servers: # the real ones\n\n  # first\n- url: http://127.0.0.1:1\n",
        firstLine(SwaggerUiServer.withFirstServer(
            "servers: # the real ones\n\n  # first\n- url: http://pms:32400\n", url)));
    assertThrows(IllegalArgumentException.class,
        () -> SwaggerUiServer.withFirstServer("servers: []\npaths: {}\n", url));
    assertThrows(IllegalArgumentException.class,
        () -> SwaggerUiServer.withFirstServer("servers:\npaths:\n  /a:\n    - x\n", url));
  }

  @Test
  void pageAndWebjarFilesAreServedFromTheClasspath() throws Exception {
    server = SwaggerUiServer.start(SPEC, 0, 0);
    String webjar = "/webjars/swagger-ui/" + server.swaggerUiVersion() + "/";

    HttpResponse<String> page = get("/");
    HttpResponse<String> initializer = get("/swagger-initializer.js");
    HttpResponse<String> bundle = get(webjar + "swagger-ui-bundle.js");

    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("src=\"" + webjar + "swagger-ui-bundle.js\""), page.body());
    assertTrue(initializer.body().contains("url: \"/openapi/plex-auth.yaml\""));
    assertTrue(initializer.body().contains("validatorUrl: null"));
    assertEquals(200, bundle.statusCode());
    assertEquals("text/javascript; charset=utf-8", bundle.headers().firstValue("Content-Type").get());
    assertTrue(bundle.body().length() > 100_000);
    assertEquals(200, get("/favicon.ico").statusCode());
  }

  @Test
  void nothingOutsideTheWebjarIsServed() throws Exception {
    server = SwaggerUiServer.start(SPEC, 0, 0);
    String webjar = "/webjars/swagger-ui/" + server.swaggerUiVersion() + "/";

    assertEquals(404, get(webjar + "..%2F..%2F..%2Fmaven%2Forg.webjars%2Fswagger-ui%2Fpom.xml")
        .statusCode());
    assertEquals(404, get(webjar + "%2E%2E/pom.properties").statusCode());
    assertEquals(404, get("/webjars/swagger-ui/0.0.1/swagger-ui.css").statusCode());
    assertEquals(404, get("/openapi/generator-config.yaml").statusCode());
    assertEquals(405, http.send(HttpRequest.newBuilder(URI.create(server.uiUrl()))
        .POST(BodyPublishers.ofString("x")).build(), BodyHandlers.ofString()).statusCode());
  }

  @Test
  void bothServersListenOnLoopback() throws Exception {
    server = SwaggerUiServer.start(SPEC, 0, 0);

    assertTrue(server.uiUrl().matches("http://127\\.0\\.0\\.1:\\d+/"), server.uiUrl());
    assertTrue(server.standIn().baseUrl().startsWith("http://127.0.0.1:"));
  }

  @Test
  void aSpecThatCannotBeServedIsRefusedAtStart(@TempDir Path dir) throws Exception {
    Path fifo = mkfifo(dir.resolve("fifo.yaml"));
    Path huge = dir.resolve("huge.yaml");
    try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
      file.setLength(SwaggerUiServer.MAX_SPEC_BYTES + 1);
    }
    Map<Path, String> refused = new LinkedHashMap<>();
    refused.put(dir.resolve("missing.yaml"), "is not a readable regular file: it does not exist");
    refused.put(dir, "is not a readable regular file: it is a directory");
    refused.put(Path.of("/dev/zero"), "is not a readable regular file: it is a FIFO, socket or"
        + " device");
    refused.put(fifo, "is not a readable regular file: it is a FIFO, socket or device");
    refused.put(huge, "is longer than " + SwaggerUiServer.MAX_SPEC_BYTES + " bytes (4 MiB)");
    refused.put(Files.write(dir.resolve("latin-1.yaml"), new byte[] {'o', 'k', ':', ' ',
        (byte) 0xe9, '\n'}), "is not UTF-8 text");
    refused.put(Files.writeString(dir.resolve("flow.yaml"), "servers: []\npaths: {}\n"),
        "cannot list the stand-in as its first server: the top-level servers key is not a block"
            + " list");
    for (Map.Entry<Path, String> bad : refused.entrySet()) {
      SwaggerUiServer.UnusableSpecException e = assertThrows(
          SwaggerUiServer.UnusableSpecException.class,
          () -> SwaggerUiServer.start(bad.getKey(), 0, 0), bad.getKey().toString());
      assertTrue(e.getMessage().startsWith(bad.getValue()), e.getMessage());
    }

    // The limit is the file's length: a spec of exactly 4 MiB is served.
    String yaml = Files.readString(SPEC);
    byte[] padding = new byte[SwaggerUiServer.MAX_SPEC_BYTES
        - yaml.getBytes(StandardCharsets.UTF_8).length - 2];
    Arrays.fill(padding, (byte) 'x');
    Path largest = Files.writeString(dir.resolve("largest.yaml"),
        yaml + "#" + new String(padding, StandardCharsets.US_ASCII) + "\n");
    assertEquals(SwaggerUiServer.MAX_SPEC_BYTES, Files.size(largest));
    assertTrue(SwaggerUiServer.servedSpec(largest, "http://127.0.0.1:1")
        .contains("- url: http://127.0.0.1:1\n"));
  }

  @Test
  void aSpecThatVanishesOrIsReplacedByAFifoOrAHugeFileGets500AtOnce(@TempDir Path dir)
      throws Exception {
    Path spec = Files.copy(SPEC, dir.resolve("plex-auth.yaml"));
    server = SwaggerUiServer.start(spec, 0, 0);

    Files.delete(spec);
    HttpResponse<String> vanished = get(SwaggerUiServer.SPEC_PATH);
    assertEquals(500, vanished.statusCode());
    assertEquals("the spec " + spec + " is not a readable regular file: it does not exist\n",
        vanished.body());

    mkfifo(spec);
    HttpResponse<String> fifo = get(SwaggerUiServer.SPEC_PATH);
    assertEquals(500, fifo.statusCode());
    assertTrue(fifo.body().contains("is not a readable regular file: it is a FIFO, socket or"
        + " device"), fifo.body());

    Files.delete(spec);
    try (RandomAccessFile file = new RandomAccessFile(spec.toFile(), "rw")) {
      file.setLength(SwaggerUiServer.MAX_SPEC_BYTES + 1);
    }
    HttpResponse<String> huge = get(SwaggerUiServer.SPEC_PATH);
    assertEquals(500, huge.statusCode());
    assertTrue(huge.body().contains("is longer than"), huge.body());
  }

  /** The text up to and including the first {@code - url:} line. */
  private static String firstLine(String yaml) {
    int url = yaml.indexOf("- url:");
    return yaml.substring(0, yaml.indexOf('\n', url) + 1);
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    URI uri = URI.create(server.uiUrl()).resolve(path);
    // A request that hangs (a spec read without bounds) fails the test instead of the build.
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
        BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** A FIFO at {@code path}, released after the test should anything have opened it. */
  private Path mkfifo(Path path) throws IOException, InterruptedException {
    return fifos.make(path);
  }
}
