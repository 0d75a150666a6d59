package dev.plexauth.tools;

import static dev.plexauth.testing.Fifos.mkfifo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
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
 * The scripts that build in target/ (plex-auth, swagger-ui and bench, which then run what they
 * built, and regenerate and test, which only build), started together: one build runs at a time
 * under a lock that {@code mvn clean} cannot delete, a run says that it waits only when a build is
 * under way, a run whose build is current does not wait at all, and a running command never sees
 * its classes change, whatever is built or cleaned meanwhile.
 *
 * <p>A scratch copy of the scripts runs with a stand-in {@code mvn} that records each build, fails
 * at once if another stand-in build is running, deletes target/ for {@code clean} before it says
 * that it started, blocks until the test releases it through a FIFO, and then writes {@code
 * target/classes/dev/plexauth/PlexAuthClient.class} holding its build number, in place, as Maven's
 * compiler does. A stand-in {@code java} records what would have run and which build's class its
 * classpaths hold; a Swagger UI, or a bench when the test asks, runs until the test releases it,
 * and then fails as the JVM would (NoClassDefFoundError) when its classpaths no longer hold that
 * same class. Nothing waits on time: each step waits for a line of the scripts' stderr or for a
 * process to end, with a deadline.
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
  /** The scripts whose stdout must carry only their command's output. */
  private static final List<String> COMMANDS = List.of("plex-auth", "swagger-ui", "bench");

  @TempDir Path root;
  private ScriptSandbox sandbox;
  private final List<Process> processes = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final List<Path> outputs = new ArrayList<>();
  /** Every line the scripts wrote to stderr, each after its script's name; guarded by this. */
  private final List<String> stderr = new ArrayList<>();
  /** How many stand-in builds the test has let go on. */
  private int released;

  @BeforeEach
  void sandbox() throws Exception {
    sandbox = ScriptSandbox.of(root, "plex-auth", "swagger-ui", "bench", "regenerate", "test");
    for (String fifo : List.of("release-build", "release-java")) {
      mkfifo(root.resolve(fifo));
      mkfifo(root.resolve(fifo + ".ack"));
    }
    String log = root.resolve("runs.log").toString();
    sandbox.command("mvn", String.join("\n",
        "echo \"mvn $*\" >> '" + log + "'",
        "if ! mkdir '" + root.resolve("mvn-running") + "' 2>/dev/null; then",
        "  echo overlap >> '" + log + "'",
        "  echo '" + OVERLAP + "' >&2",
        "  exit 1",
        "fi",
        "build=$(grep -c '^mvn -' '" + log + "')",
        "for arg; do [[ $arg != clean ]] || rm -rf target; done",
        "echo '" + STARTED + "' >&2",
        "echo 'stand-in mvn: what Maven prints on stdout'",
        "read -r _ < '" + root.resolve("release-build") + "'",
        "echo read > '" + root.resolve("release-build.ack") + "'",
        "mkdir -p target/classes/dev/plexauth target/test-classes target/bench",
        "echo \"build $build\" > target/classes/dev/plexauth/PlexAuthClient.class",
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
    // Records the main class and the build whose PlexAuthClient each classpath (-cp, the
    // cold-start one) holds; SwaggerUiCommand, and BenchMain when hold-bench exists, run until the
    // test releases them, then check that their classpaths still hold the same class.
    sandbox.command("java", String.join("\n",
        "args=(\"$@\")",
        "for arg; do",
        "  case \"$arg\" in",
        "    dev.plexauth.*) echo \"java $arg\" >> '" + log + "'; main=$arg ;;",
        "  esac",
        "done",
        "loaded() {",
        "  local prev= arg classpath entry found out=",
        "  for arg in \"${args[@]}\"; do",
        "    classpath=",
        "    [[ $prev != -cp ]] || classpath=$arg",
        "    [[ $arg != -Dplexauth.bench.coldStartClasspath=* ]] || classpath=${arg#*=}",
        "    prev=$arg",
        "    [[ -n $classpath ]] || continue",
        "    found='no PlexAuthClient'",
        "    IFS=: read -ra entries <<< \"$classpath\"",
        "    for entry in \"${entries[@]}\"; do",
        "      if [[ -f $entry/dev/plexauth/PlexAuthClient.class ]]; then",
        "        found=$(cat \"$entry/dev/plexauth/PlexAuthClient.class\"); break",
        "      fi",
        "    done",
        "    out+=\"${out:+, }$found\"",
        "  done",
        "  echo \"$out\"",
        "}",
        "before=$(loaded)",
        "echo \"stand-in java: ${main##*.} loaded $before\" >&2",
        "if [[ $main == *SwaggerUiCommand || ( $main == *BenchMain && -e '"
            + root.resolve("hold-bench") + "' ) ]]; then",
        "  echo \"stand-in java: ${main##*.} running\" >&2",
        "  read -r _ < '" + root.resolve("release-java") + "'",
        "  echo read > '" + root.resolve("release-java.ack") + "'",
        "  after=$(loaded)",
        "  if [[ $after != \"$before\" ]]; then",
        "    echo \"stand-in java: NoClassDefFoundError: ${main##*.} loaded $before, now finds $after\" >&2",
        "    exit 1",
        "  fi",
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
    awaitABuildAndARunWaitingForIt();
    awaitBuilds(1);

    awaitExit(1);
    await("Swagger UI to serve", lines -> contains(lines, "SwaggerUiCommand running"));
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

  /** A serving Swagger UI holds up no later build. */
  @Test
  void aRunningCommandHoldsUpNoBuild() throws Exception {
    start("swagger-ui");
    awaitBuilds(1);
    await("Swagger UI to serve", lines -> contains(lines, "SwaggerUiCommand running"));

    start("bench"); // builds every time
    awaitBuilds(2);
    awaitExit(1);

    release("release-java");
    awaitExit(0);
    checkBuildsRanOneAtATime(2);
    assertEquals(List.of(SWAGGER_UI, BENCH), javaRuns());
    assertNoRunSaidItWaits("swagger-ui#0", "bench#1");
  }

  /**
   * On a fresh clone, a bench is running when the CLI's first run builds the tools: Maven rewrites
   * target/classes, from which JMH's forks would load their classes, but the bench runs from its
   * own build's snapshot.
   */
  @Test
  void aRunningBenchKeepsItsClassesWhileTheCliBuildsTheTools() throws Exception {
    Files.createFile(root.resolve("hold-bench"));
    start("bench");
    awaitBuilds(1);
    await("the bench to run", lines -> contains(lines, "BenchMain running"));

    start("plex-auth");
    awaitBuilds(2);
    awaitExit(1);
    release("release-java");
    awaitExit(0);

    checkBuildsRanOneAtATime(2);
    assertLoaded("bench#0", "BenchMain loaded build 1, build 1");
    assertLoaded("plex-auth#1", "PlexAuthCli loaded build 2");
  }

  /** A source changes during a bench run, and the CLI builds the tools again meanwhile. */
  @Test
  void aRunningBenchKeepsItsClassesWhenTheCliRebuildsForAChangedSource() throws Exception {
    Path source = Files.createDirectories(root.resolve("src")).resolve("Source.java");
    Files.writeString(source, "class Source {}");
    start("plex-auth");
    awaitBuilds(1);
    awaitExit(0);
    Files.createFile(root.resolve("hold-bench"));
    start("bench");
    awaitBuilds(2);
    await("the bench to run", lines -> contains(lines, "BenchMain running"));

    Files.setLastModifiedTime(source, FileTime.from(Instant.now()));
    start("plex-auth");
    awaitBuilds(3);
    awaitExit(2);
    release("release-java");
    awaitExit(1);

    checkBuildsRanOneAtATime(3);
    assertLoaded("plex-auth#0", "PlexAuthCli loaded build 1");
    assertLoaded("bench#1", "BenchMain loaded build 2, build 2");
    assertLoaded("plex-auth#2", "PlexAuthCli loaded build 3");
  }

  /** scripts/regenerate deletes target/ (mvn clean) and rebuilds it while Swagger UI serves. */
  @Test
  void aServingSwaggerUiKeepsItsClassesThroughRegenerate() throws Exception {
    start("swagger-ui");
    awaitBuilds(1);
    await("Swagger UI to serve", lines -> contains(lines, "SwaggerUiCommand running"));

    start("regenerate");
    awaitBuilds(2);
    awaitExit(1);
    release("release-java");
    awaitExit(0);

    checkBuildsRanOneAtATime(2);
    assertLoaded("swagger-ui#0", "SwaggerUiCommand loaded build 1");
  }

  /**
   * Each build makes a snapshot; a build deletes those no run uses (the current tools one stays,
   * for the next run), and keeps one in use however old.
   */
  @Test
  void aBuildDeletesTheSnapshotsThatNoRunUses() throws Exception {
    Path source = Files.createDirectories(root.resolve("src")).resolve("Source.java");
    Files.writeString(source, "class Source {}");
    start("swagger-ui");
    awaitBuilds(1);
    await("Swagger UI to serve", lines -> contains(lines, "SwaggerUiCommand running"));
    Files.setLastModifiedTime(source, FileTime.from(Instant.now()));
    start("plex-auth");
    awaitBuilds(2);
    awaitExit(1);
    assertEquals(List.of("build 1", "build 2"), snapshots(), "Swagger UI still uses build 1");

    release("release-java");
    awaitExit(0);
    start("bench");
    awaitBuilds(3);
    awaitExit(2);
    assertEquals(List.of("build 2", "build 3"), snapshots(), "the current tools, the last bench");
    start("bench");
    awaitBuilds(4);
    awaitExit(3);
    assertEquals(List.of("build 2", "build 4"), snapshots(), "the current tools, the last bench");
    checkBuildsRanOneAtATime(4);
  }

  /**
   * While a bench builds, runs whose tools are built already neither wait for the lock nor say
   * that they wait: they run at once from the current snapshot.
   */
  @Test
  void runsWithNothingToBuildNeitherWaitNorSayTheyWait() throws Exception {
    start("plex-auth");
    awaitBuilds(1);
    awaitExit(0);
    start("bench");
    await("the bench's build to start", lines -> count(lines, STARTED) == 2);

    start("plex-auth");
    start("swagger-ui");
    await("Swagger UI to serve, or a run to wait",
        lines -> contains(lines, "SwaggerUiCommand running") || contains(lines, WAITING));
    assertNoRunSaidItWaits();
    release("release-java");
    await("both runs to end, or one to wait", lines -> contains(lines, "plex-auth#2: (ended)")
        && contains(lines, "swagger-ui#3: (ended)") || contains(lines, WAITING));
    assertNoRunSaidItWaits("plex-auth#2", "swagger-ui#3");
    awaitExit(2);
    awaitExit(3);
    assertEquals(2, count(STARTED), "the bench's build is still held, and no other started");
    awaitBuilds(2);
    awaitExit(1);
    checkBuildsRanOneAtATime(2);
    assertLoaded("plex-auth#2", "PlexAuthCli loaded build 1");
    assertLoaded("swagger-ui#3", "SwaggerUiCommand loaded build 1");
  }

  /**
   * A run that needs a build finds the lock held by one that is not building (another run that
   * checks, for a moment, whether it needs one): it waits without saying so, then builds.
   */
  @Test
  void aRunWaitingForALockHolderThatIsNotBuildingSaysNothing() throws Exception {
    mkfifo(root.resolve("release-holder"));
    mkfifo(root.resolve("release-holder.ack"));
    start("holder", sandbox.bash(String.join("\n",
        "mkdir -p .build",
        "exec {fd}>>.build/lock",
        "flock \"$fd\"",
        "echo 'holder: holding the lock' >&2",
        "read -r _ < release-holder",
        "echo read > release-holder.ack",
        "")));
    await("the holder to take the lock", lines -> contains(lines, "holder: holding the lock"));
    // Shows how the run waits: it logs each flock it runs, then runs the real one.
    sandbox.command("flock", "echo \"stand-in flock: $*\" >&2\nPATH=${PATH#*:} exec flock \"$@\"\n");

    start("plex-auth");
    await("the run to wait for the lock", lines -> contains(lines, "stand-in flock: -w"));
    release("release-holder");
    awaitExit(0);
    awaitBuilds(1);
    awaitExit(1);

    checkBuildsRanOneAtATime(1);
    assertNoRunSaidItWaits("plex-auth#1");
  }

  /**
   * scripts/regenerate holds the lock through its {@code mvn clean}, which deletes target/: a
   * bench started meanwhile waits for it, rather than take a new lock in a new target/ and build
   * alongside.
   */
  @Test
  void regenerateHoldsTheLockThroughItsClean() throws Exception {
    start("regenerate");
    await("regenerate's build to start", lines -> count(lines, STARTED) == 1);
    assertTrue(Files.notExists(root.resolve("target")), "mvn clean deleted target/");

    start("bench");
    await("the bench to wait", lines -> contains(lines, WAITING) || contains(lines, OVERLAP));
    assertNoOverlap();
    awaitBuilds(2);
    awaitExit(0);
    awaitExit(1);

    checkBuildsRanOneAtATime(2);
    assertLoaded("bench#1", "BenchMain loaded build 2, build 2");
  }

  /**
   * scripts/test holds the lock for all of its Maven work: a CLI run that needs a build waits
   * through its two builds, saying so, and builds after it.
   */
  @Test
  void theTestSuiteHoldsTheLockThroughItsMavenWork() throws Exception {
    for (String script : List.of("lint-spec", "ensure-chromium", "check-core")) {
      sandbox.standInScript(script, "exit 0\n");
    }
    // The suite passes Maven's output on to its stdout: here, to its stderr, where the test reads.
    start("test", sandbox.bash("exec scripts/test >&2"));
    await("the suite's build to start", lines -> count(lines, STARTED) == 1);

    start("plex-auth");
    await("the CLI to wait", lines -> contains(lines, WAITING) || contains(lines, OVERLAP));
    assertNoOverlap();
    awaitBuilds(1);
    // The second build's output goes to a log: let it go on when it reads, unseen.
    release("release-build");
    await("the CLI's build to start", lines -> contains(lines, "plex-auth#1: " + STARTED));
    release("release-build");
    // The stand-in builds nothing to compare, so the suite fails its second generation's gate.
    Process suite = processes.get(0);
    assertTrue(suite.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS), stderrText());
    assertEquals(1, suite.exitValue(), stderrText());
    await("the suite's gate to fail", lines -> contains(lines, "two generations"));
    awaitExit(1);

    checkBuildsRanOneAtATime(3);
    List<String> builds = Files.readAllLines(root.resolve("runs.log"), StandardCharsets.UTF_8)
        .stream().filter(line -> line.startsWith("mvn -")).collect(Collectors.toList());
    assertTrue(builds.get(0).contains(" clean verify "), builds.toString());
    assertTrue(builds.get(1).contains("generate@plex-auth"), builds.toString());
    assertTrue(builds.get(2).contains(" test-compile "), builds.toString());
    assertLoaded("plex-auth#1", "PlexAuthCli loaded build 3");
  }

  /** Starts the scripts together, releases each of the builds expected, and checks every run. */
  private void runTogether(int builds, String... scripts) throws Exception {
    for (String script : scripts) {
      start(script);
    }
    awaitABuildAndARunWaitingForIt();
    awaitBuilds(builds);
    for (int i = 0; i < processes.size(); i++) {
      awaitExit(i);
    }
    checkBuildsRanOneAtATime(builds);
  }

  /**
   * While the first build is held, another run must say that it waits (or, without the lock,
   * start a second stand-in build, which fails).
   */
  private void awaitABuildAndARunWaitingForIt() throws InterruptedException {
    await("a build to start", lines -> contains(lines, STARTED));
    await("another run to wait for the build",
        lines -> contains(lines, WAITING) || contains(lines, OVERLAP));
    assertNoOverlap();
  }

  /** Releases the builds one by one, each once it has started, until this many have run. */
  private void awaitBuilds(int builds) throws Exception {
    for (int build = released + 1; build <= builds; build++) {
      int started = build;
      await("build " + build + " to start", lines -> count(lines, STARTED) >= started);
      release("release-build");
      released = build;
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
    for (int i = 0; i < outputs.size(); i++) {
      if (COMMANDS.contains(names.get(i).replaceFirst("#.*", ""))) {
        assertEquals("", Files.readString(outputs.get(i)), "stdout carries only the command's output");
      }
    }
  }

  private List<String> javaRuns() throws IOException {
    return Files.readAllLines(root.resolve("runs.log"), StandardCharsets.UTF_8).stream()
        .filter(line -> line.startsWith("java ")).collect(Collectors.toList());
  }

  /** Without the lock, a second stand-in build started alongside the first one, and failed. */
  private synchronized void assertNoOverlap() {
    assertTrue(stderr.stream().noneMatch(line -> line.contains(OVERLAP)), stderrText());
  }

  /** Once these runs' stderr has ended, checks that no run said that it waits. */
  private void assertNoRunSaidItWaits(String... runs) throws InterruptedException {
    for (String run : runs) {
      await(run + "'s stderr to end", lines -> lines.contains(run + ": (ended)"));
    }
    synchronized (this) {
      assertTrue(stderr.stream().noneMatch(line -> line.contains(WAITING)), stderrText());
    }
  }

  /** What the stand-in java of this run found on its classpaths when it started. */
  private void assertLoaded(String run, String loaded) throws InterruptedException {
    await(run + "'s stderr to end", lines -> lines.contains(run + ": (ended)"));
    synchronized (this) {
      assertTrue(stderr.contains(run + ": stand-in java: " + loaded), stderrText());
    }
  }

  /** The build that each snapshot under .build/run holds, in order. */
  private List<String> snapshots() throws IOException {
    List<String> builds = new ArrayList<>();
    try (var snapshots = Files.list(root.resolve(".build/run"))) {
      for (Path snapshot : (Iterable<Path>) snapshots::iterator) {
        builds.add(Files.readString(snapshot.resolve("classes/dev/plexauth/PlexAuthClient.class"))
            .trim());
      }
    }
    return sorted(builds);
  }

  private void start(String script) throws IOException {
    start(script, sandbox.script(script));
  }

  private void start(String what, ProcessBuilder builder) throws IOException {
    int index = processes.size();
    String name = what + "#" + index;
    Path output = root.resolve("stdout-" + index + ".txt");
    Process process = builder.redirectOutput(output.toFile()).start();
    processes.add(process);
    names.add(name);
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

  /**
   * Lets one stand-in blocked on this FIFO go on: opening it waits for the reader. Then waits for
   * the stand-in's word on {@code <fifo>.ack}, which it sends once it has closed the FIFO: a release
   * right after another would otherwise find the first reader still holding it open, and its line
   * would be lost when that reader closes.
   */
  private void release(String fifo) throws Exception {
    Path path = root.resolve(fifo);
    CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
      try (OutputStream out = new FileOutputStream(path.toFile())) {
        out.write("go\n".getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      try (InputStream ack = new FileInputStream(root.resolve(fifo + ".ack").toFile())) {
        // Read to the end by hand: FileInputStream.readAllBytes seeks, which a FIFO refuses.
        byte[] buffer = new byte[64];
        while (ack.read(buffer) != -1) {
          // until the stand-in closes it
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    try {
      written.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      // Opening it for reading and writing never blocks, and lets the stuck writer go.
      new RandomAccessFile(path.toFile(), "rw").close();
      new RandomAccessFile(root.resolve(fifo + ".ack").toFile(), "rw").close();
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

}
