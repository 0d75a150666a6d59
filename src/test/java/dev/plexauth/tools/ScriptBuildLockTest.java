package dev.plexauth.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripts that build before they run (plex-auth, swagger-ui, bench), started together on a
 * fresh clone: one build runs at a time, a run that finds another's build under way waits for it,
 * and every run then starts its command. A scratch copy of the scripts runs with a stand-in {@code
 * mvn} that records each build, fails at once if another stand-in build is running, and blocks
 * until the test releases it through a FIFO; a stand-in {@code java} records what would have run.
 * Nothing waits on time: each step waits for a line of the scripts' stderr or for a process to end,
 * with a deadline.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ScriptBuildLockTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final String CLI = "java dev.plexauth.tools.cli.PlexAuthCli";
  private static final String SWAGGER_UI = "java dev.plexauth.tools.swaggerui.SwaggerUiCommand";
  private static final String BENCH = "java dev.plexauth.bench.BenchMain";
  private static final String STARTED = "stand-in mvn: started";
  private static final String OVERLAP = "stand-in mvn: another build is running";
  private static final String WAITING = "waiting for another build in this repository to finish";

  @TempDir Path root;
  private ScriptSandbox sandbox;
  private final List<Process> processes = new ArrayList<>();
  private final List<Path> outputs = new ArrayList<>();
  /** Every line the scripts wrote to stderr, each after its script's name; guarded by this. */
  private final List<String> stderr = new ArrayList<>();

  @BeforeEach
  void sandbox() throws Exception {
    sandbox = ScriptSandbox.of(root, "plex-auth", "swagger-ui", "bench");
    mkfifo(root.resolve("release-build"));
    mkfifo(root.resolve("release-java"));
    String log = root.resolve("runs.log").toString();
    sandbox.command("mvn", String.join("\n",
        "echo \"mvn $*\" >> '" + log + "'",
        "echo '" + STARTED + "' >&2",
        "echo 'stand-in mvn: what Maven prints on stdout'",
        "if ! mkdir '" + root.resolve("mvn-running") + "' 2>/dev/null; then",
        "  echo overlap >> '" + log + "'",
        "  echo '" + OVERLAP + "' >&2",
        "  exit 1",
        "fi",
        "read -r _ < '" + root.resolve("release-build") + "'",
        "mkdir -p target/test-classes target/bench",
        "for arg; do",
        "  case \"$arg\" in",
        "    -Dmdep.outputFile=*) echo none > \"${arg#*=}\" ;;",
        "    -Pbench) echo none > target/bench/test.classpath;"
            + " echo none > target/bench/runtime.classpath ;;",
        "  esac",
        "done",
        "rmdir '" + root.resolve("mvn-running") + "'",
        "echo 'mvn done' >> '" + log + "'",
        ""));
    // Records the main class; SwaggerUiCommand serves until the test releases it.
    sandbox.command("java", String.join("\n",
        "for arg; do",
        "  case \"$arg\" in",
        "    dev.plexauth.*) echo \"java $arg\" >> '" + log + "'; main=$arg ;;",
        "  esac",
        "done",
        "if [[ $main == *SwaggerUiCommand ]]; then",
        "  echo 'stand-in java: serving' >&2",
        "  read -r _ < '" + root.resolve("release-java") + "'",
        "fi",
        ""));
  }

  @AfterEach
  void stop() {
    for (Process process : processes) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  @Test
  void twoCliRunsOnAFreshCloneShareOneBuildThenBothRun() throws Exception {
    runTogether(1, "plex-auth", "plex-auth");

    assertEquals(List.of(CLI, CLI), javaRuns());
  }

  @Test
  void swaggerUiAndTheCliShareOneBuild() throws Exception {
    start("swagger-ui");
    start("plex-auth");
    awaitBuilds(1);

    awaitExit(1);
    await("Swagger UI to serve", lines -> contains(lines, "stand-in java: serving"));
    release("release-java");
    awaitExit(0);
    checkBuildsRanOneAtATime(1);
    assertEquals(List.of(CLI, SWAGGER_UI), sorted(javaRuns()));
  }

  @Test
  void benchAndTheCliBuildOneAfterTheOther() throws Exception {
    runTogether(2, "bench", "plex-auth");

    assertEquals(List.of(BENCH, CLI), sorted(javaRuns()));
  }

  /** The lock is let go before the command runs: a serving Swagger UI holds up no later run. */
  @Test
  void aRunningCommandHoldsUpNoBuild() throws Exception {
    start("swagger-ui");
    awaitBuilds(1);
    await("Swagger UI to serve", lines -> contains(lines, "stand-in java: serving"));

    start("bench"); // builds every time
    awaitBuilds(2);
    awaitExit(1);

    release("release-java");
    awaitExit(0);
    checkBuildsRanOneAtATime(2);
    assertEquals(List.of(SWAGGER_UI, BENCH), javaRuns());
    synchronized (this) {
      assertTrue(stderr.stream().noneMatch(line -> line.contains(WAITING)), stderr.toString());
    }
  }

  /** Starts the scripts together, releases each of the builds expected, and checks every run. */
  private void runTogether(int builds, String... scripts) throws Exception {
    for (String script : scripts) {
      start(script);
    }
    awaitBuilds(builds);
    for (int i = 0; i < processes.size(); i++) {
      awaitExit(i);
    }
    checkBuildsRanOneAtATime(builds);
  }

  /**
   * Releases builds one by one until this many have run. While the first is held, the other run
   * must say that it waits (or, without the lock, start a second stand-in build, which fails).
   */
  private void awaitBuilds(int builds) throws Exception {
    int before = count(STARTED);
    for (int build = before + 1; build <= builds; build++) {
      int started = build;
      await("build " + build + " to start", lines -> count(lines, STARTED) >= started);
      if (build == 1 && processes.size() > 1) {
        await("the other run to wait for the build",
            lines -> contains(lines, WAITING) || contains(lines, OVERLAP));
      }
      release("release-build");
    }
  }

  private void checkBuildsRanOneAtATime(int builds) throws IOException {
    List<String> log = Files.readAllLines(root.resolve("runs.log"), StandardCharsets.UTF_8);
    List<String> mvn = log.stream().filter(line -> !line.startsWith("java "))
        .map(line -> line.startsWith("mvn -") ? "mvn" : line).collect(Collectors.toList());
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < builds; i++) {
      expected.addAll(List.of("mvn", "mvn done"));
    }
    assertEquals(expected, mvn, "each build ends before the next starts: " + log);
    for (Path output : outputs) {
      assertEquals("", Files.readString(output), "stdout carries only the command's output");
    }
  }

  private List<String> javaRuns() throws IOException {
    return Files.readAllLines(root.resolve("runs.log"), StandardCharsets.UTF_8).stream()
        .filter(line -> line.startsWith("java ")).collect(Collectors.toList());
  }

  private void start(String script) throws IOException {
    int index = processes.size();
    String name = script + "#" + index;
    Path output = root.resolve("stdout-" + index + ".txt");
    Process process = sandbox.script(script).redirectOutput(output.toFile()).start();
    processes.add(process);
    outputs.add(output);
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          add(name + ": " + line);
        }
      } catch (IOException e) {
        add(name + ": (stderr unreadable: " + e + ")");
      }
      add(name + ": (ended)");
    }, "stderr of " + name);
    reader.setDaemon(true);
    reader.start();
  }

  private void awaitExit(int index) throws InterruptedException {
    Process process = processes.get(index);
    if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
      fail("run " + index + " did not end; the scripts' stderr:\n" + stderrText());
    }
    assertEquals(0, process.exitValue(), "run " + index + " failed; stderr:\n" + stderrText());
  }

  /** Lets one stand-in blocked on this FIFO go on: opening it waits for the reader. */
  private void release(String fifo) throws Exception {
    Path path = root.resolve(fifo);
    CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
      try (OutputStream out = new FileOutputStream(path.toFile())) {
        out.write("go\n".getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    try {
      written.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      // Opening it for reading and writing never blocks, and lets the stuck writer go.
      new RandomAccessFile(path.toFile(), "rw").close();
      fail("nothing read " + fifo + "; the scripts' stderr:\n" + stderrText());
    }
  }

  private synchronized void add(String line) {
    stderr.add(line);
    notifyAll();
  }

  private synchronized void await(String what, Predicate<List<String>> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!done.test(stderr)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        fail("timed out waiting for " + what + "; the scripts' stderr:\n" + stderrText());
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  private synchronized String stderrText() {
    return String.join("\n", stderr);
  }

  private synchronized int count(String text) {
    return count(stderr, text);
  }

  private static int count(List<String> lines, String text) {
    return (int) lines.stream().filter(line -> line.contains(text)).count();
  }

  private static boolean contains(List<String> lines, String text) {
    return count(lines, text) > 0;
  }

  private static List<String> sorted(List<String> lines) {
    List<String> copy = new ArrayList<>(lines);
    Collections.sort(copy);
    return copy;
  }

  private static void mkfifo(Path path) throws Exception {
    Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    assertTrue(mkfifo.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS), "mkfifo did not end");
    assertEquals(0, mkfifo.exitValue(), "mkfifo " + path);
  }
}
