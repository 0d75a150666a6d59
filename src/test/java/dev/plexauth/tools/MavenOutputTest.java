package dev.plexauth.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maven as the scripts run it (scripts/lib/build.sh, with this repository's {@code .mvn}) writes
 * no terminal codes into their output: neither colours nor the {@code ESC[0m} resets that jansi,
 * Maven's console library, writes whenever it lets go of the console, even in batch mode. It runs
 * the real {@code mvn --version}, which builds nothing.
 */
class MavenOutputTest {
  @TempDir Path root;

  @Test
  void mavenAsTheScriptsRunItWritesNoTerminalCodes() throws Exception {
    ScriptSandbox sandbox = ScriptSandbox.of(root);
    Process maven = sandbox.bash("build_name=test\n"
            + "source scripts/lib/build.sh\n"
            + "with_build_lock maven --version\n")
        .redirectErrorStream(true).start();
    maven.getOutputStream().close();
    String output = new String(maven.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(maven.waitFor(60, TimeUnit.SECONDS), "mvn --version did not end");

    assertEquals(0, maven.exitValue(), output);
    assertTrue(output.matches("(?s).*\\d+\\.\\d+\\.\\d+.*"), "Maven's version: " + output);
    assertFalse(output.contains("\u001b"), "terminal codes in: " + output.replace("\u001b", "ESC"));
  }
}
