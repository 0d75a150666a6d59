package dev.plexauth.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * From starting a fresh JVM to its first transient token: the SDK, Retrofit by hand and raw OkHttp.
 * Each invocation launches {@link ColdStartMain} with the SDK's runtime classpath (its classes and
 * runtime jars, Retrofit and converter-moshi among them) plus the benchmark classes, from the
 * system property {@value #CLASSPATH_PROPERTY}, and stops the clock when it prints {@code ok}; the
 * launched JVM's exit is awaited outside the measurement.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ColdStartBenchmark {
  /** The system property that holds the launched JVM's classpath. */
  public static final String CLASSPATH_PROPERTY = "plexauth.bench.coldStartClasspath";

  @Param({"sdk", "retrofit", "raw"})
  public String client;

  LoopbackServer server;
  List<String> command;
  Process process;

  @Setup(Level.Trial)
  public void setUp() {
    String classpath = System.getProperty(CLASSPATH_PROPERTY);
    if (classpath == null || classpath.isBlank()) {
      throw new IllegalStateException("set -D" + CLASSPATH_PROPERTY + " (scripts/bench does)");
    }
    server = new LoopbackServer();
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    command = List.of(java, "-cp", classpath, ColdStartMain.class.getName(), client,
        server.url().toString());
  }

  /** Launches the JVM and reads until it has its transient token. */
  @Benchmark
  public String launch() throws IOException {
    process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (!"ok".equals(line)) {
      throw new IllegalStateException(
          "the " + client + " launch printed " + line + " instead of ok (its stderr is above)");
    }
    return line;
  }

  /** Not measured: waits for the launched JVM to exit and checks its status. */
  @TearDown(Level.Invocation)
  public void awaitExit() throws InterruptedException {
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("the " + client + " launch did not exit within 30 s");
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          "the " + client + " launch exited with status " + process.exitValue());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    server.close();
  }
}
