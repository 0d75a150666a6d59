package dev.plexauth.tools.swaggerui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.tools.ScriptSandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/swagger-ui hands the command the project's spec only when the caller names none: run
 * in a scratch copy with a stand-in {@code mvn} that builds nothing and a stand-in {@code java} on
 * the PATH that records the arguments it was given.
 */
class SwaggerUiScriptTest {
  @TempDir Path root;

  private List<String> argumentsOf(String... args) throws Exception {
    ScriptSandbox sandbox = ScriptSandbox.of(root, "swagger-ui");
    // A build of nothing: the classes folders and the classpath the script asks for.
    sandbox.command("mvn", String.join("\n",
        "mkdir -p target/classes target/test-classes",
        "for arg; do",
        "  case \"$arg\" in -Dmdep.outputFile=*) echo none > \"${arg#*=}\" ;; esac",
        "done",
        ""));
    Path recorded = root.resolve("arguments.txt");
    sandbox.command("java", "printf '%s\\n' \"$@\" > '" + recorded + "'\n");
    ProcessBuilder builder = sandbox.script("swagger-ui", args)
        .redirectErrorStream(true).redirectOutput(root.resolve("out.txt").toFile());
    Process process = builder.start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "scripts/swagger-ui did not end");
    assertEquals(0, process.exitValue(), read(root.resolve("out.txt")));
    List<String> lines = Files.readAllLines(recorded, StandardCharsets.UTF_8);
    // -cp <classpath> SwaggerUiCommand, then what the command gets
    return lines.subList(3, lines.size());
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  @Test
  void theCallersSpecReplacesTheProjectsInsteadOfBeingGivenTwice() throws Exception {
    assertEquals(List.of("--spec", "mine.yaml", "--port", "0"),
        argumentsOf("--spec", "mine.yaml", "--port", "0"));
    assertEquals(List.of("--spec=mine.yaml"), argumentsOf("--spec=mine.yaml"));
  }

  @Test
  void withoutASpecTheProjectsIsServed() throws Exception {
    List<String> given = argumentsOf("--port", "0");

    assertEquals(List.of("--spec", root.toRealPath().resolve("openapi/plex-auth.yaml").toString(),
        "--port", "0"), given);
  }
}
