package dev.plexauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.plexauth.example.QuickStart;
import dev.plexauth.tools.standin.PlexStandIn;
import dev.plexauth.testing.ReadmeBlocks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's quick start ({@link QuickStart}) in a fresh JVM against the embedded Plex
 * stand-in, and checks that the README shows exactly the code between the README markers of
 * {@code QuickStart.java}, so the example cannot rot.
 */
class ReadmeExampleTest {
  private static final Path QUICK_START =
      Path.of("src/test/java/dev/plexauth/example/QuickStart.java");
  /**
   * How long the quick start's JVM may take. A guard, not a measurement: it runs in about a second,
   * while a client left open keeps the JVM alive for OkHttp's one-minute thread keep-alive.
   */
  private static final long EXIT_WITHIN_SECONDS = 30;

  private PlexStandIn plex;

  @BeforeEach
  void startStandIn() throws IOException {
    plex = PlexStandIn.builder().build().start();
  }

  @AfterEach
  void stopStandIn() {
    plex.close();
  }

  @Test
  void quickStartRunsInItsOwnJvmAndExitsByItself(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), QuickStart.class.getName())
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    builder.environment().put("PLEX_SERVER", plex.baseUrl());
    builder.environment().put("PLEX_TOKEN", plex.ownerToken());
    builder.environment().put("PLEX_SOURCE", plex.defaultSource());
    Process process = builder.start();
    process.getOutputStream().close();
    try {
      if (!process.waitFor(EXIT_WITHIN_SECONDS, TimeUnit.SECONDS)) {
        fail("the quick start's JVM was still running after " + EXIT_WITHIN_SECONDS
            + " s: a thread outlives the example (is the client closed?)\n" + read(err));
      }
    } finally {
      process.destroyForcibly();
    }
    assertEquals(0, process.exitValue(), () -> "the quick start failed:\n" + read(err));

    List<String> printed = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertEquals(plex.sources().get(0).connections().size() + 3, printed.size(), printed::toString);
    assertTrue(printed.get(0).startsWith("transient token: transient-"), printed.get(0));
    assertEquals("Plex stand-in (" + plex.sources().get(0).clientIdentifier() + ")", printed.get(1));
    for (String connection : printed.subList(2, printed.size() - 1)) {
      assertTrue(connection.matches("(local  |remote )https?://.+"), connection);
    }
    String async = printed.get(printed.size() - 1);
    assertTrue(async.startsWith("async: transient-"), async);
    assertFalse(printed.get(0).endsWith(async.substring("async: ".length())),
        "each call mints a new transient token");
  }

  @Test
  void readmeShowsTheQuickStartVerbatim() throws IOException {
    ReadmeBlocks.assertReadmeShows(QUICK_START, 2);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(" + file + " unreadable: " + e + ")";
    }
  }
}
