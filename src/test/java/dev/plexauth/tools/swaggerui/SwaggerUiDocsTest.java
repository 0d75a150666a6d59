package dev.plexauth.tools.swaggerui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * CONTRIBUTING.md shows what the swagger-ui command prints when it starts, line for line: the
 * command runs as scripts/swagger-ui runs it (the spec's absolute path, here a free port), and
 * only what changes from run to run is set aside (ports, the token after its first part, the
 * folder of the spec).
 */
class SwaggerUiDocsTest {
  private static final Path DOC = Path.of("CONTRIBUTING.md");
  /** The block after the sentence that introduces it. */
  private static final Pattern SAMPLE =
      Pattern.compile("prints what you need[^`]*```\n(Swagger UI:.*?)\n```", Pattern.DOTALL);

  private Process command;

  @AfterEach
  void stop() {
    if (command != null) {
      command.destroyForcibly();
    }
  }

  @Test
  void contributingShowsWhatTheCommandPrints() throws Exception {
    Matcher sample = SAMPLE.matcher(Files.readString(DOC, StandardCharsets.UTF_8));
    assertTrue(sample.find(), DOC + " shows no swagger-ui output");
    List<String> documented = Arrays.asList(sample.group(1).split("\n"));

    List<String> printed = firstLines(documented.size());

    assertEquals(normalized(documented), normalized(printed),
        "printed:\n" + String.join("\n", printed));
  }

  private List<String> firstLines(int count) throws Exception {
    command = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), SwaggerUiCommand.class.getName(),
            "--spec", Path.of("openapi/plex-auth.yaml").toAbsolutePath().toString(),
            "--port", "0")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    command.getOutputStream().close();
    CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> {
      List<String> read = new ArrayList<>();
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(command.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          read.add(line);
          if (read.size() == count || line.endsWith("Ctrl-C stops.")) {
            break; // the last line it prints: it serves on until stopped
          }
        }
      } catch (IOException e) {
        read.add("(unreadable: " + e + ")");
      }
      return read;
    });
    return lines.get(60, TimeUnit.SECONDS);
  }

  /** What differs between runs, set aside: ports, the token past its first part, the folder. */
  private static List<String> normalized(List<String> lines) {
    return lines.stream()
        .map(line -> line.replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:PORT")
            .replaceAll("owner-([0-9a-f]{8})-(\\.\\.\\.|[0-9a-f-]{27})", "owner-TOKEN")
            .replaceAll("spec \\S*/openapi/plex-auth\\.yaml", "spec FOLDER/openapi/plex-auth.yaml"))
        .collect(Collectors.toList());
  }
}
