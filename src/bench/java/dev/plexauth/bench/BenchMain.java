package dev.plexauth.bench;

import static dev.plexauth.bench.BenchmarkReport.INFORMATIONAL;
import static dev.plexauth.bench.BenchmarkReport.RAW;
import static dev.plexauth.bench.BenchmarkReport.RETROFIT;

import dev.plexauth.bench.BenchmarkReport.Figure;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.annotations.Mode;

/**
 * What {@code scripts/bench} runs: every benchmark with JMH (in memory, loopback, cold start; the SDK,
 * Retrofit by hand and raw OkHttp), then BENCHMARKS.md.
 *
 * <p>Usage: {@code BenchMain [--quick] [--output FILE]}. The full run (about 15 minutes) writes
 * {@code BENCHMARKS.md}; {@code --quick} (a smoke run, about 3.5 minutes, figures indicative only)
 * writes {@code target/bench/BENCHMARKS-quick.md} unless {@code --output} says otherwise. The
 * cold-start launches need the system property {@value ColdStartBenchmark#CLASSPATH_PROPERTY}.
 */
public final class BenchMain {
  private static final List<String> OPERATIONS =
      List.of("TransientToken", "SourceConnectionInformation");
  private static final List<String> OPERATION_NAMES =
      List.of("getTransientToken", "getSourceConnectionInformation");
  /** The gc profiler's allocated bytes per operation, for the whole JVM. */
  private static final String ALLOCATED = "gc.alloc.rate.norm";

  /** How long each kind of run measures. */
  record Plan(String name, int forks, int warmups, int loopbackWarmups, int iterations,
      int seconds, int coldWarmups, int coldLaunches) {}

  /** Loopback calls warm up more slowly (two JIT-compiled stacks, client and server): more warm-up. */
  static final Plan FULL = new Plan("full run", 2, 3, 5, 5, 2, 3, 30);
  static final Plan QUICK = new Plan("quick smoke run (--quick: figures are indicative only)",
      1, 2, 4, 3, 1, 1, 8);

  private BenchMain() {}

  /**
   * Runs the benchmarks and writes the report.
   *
   * @param args {@code [--quick] [--output FILE]}
   * @throws Exception when a benchmark fails (JMH's output above says which)
   */
  public static void main(String[] args) throws Exception {
    Plan plan = FULL;
    Path output = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick":
          plan = QUICK;
          break;
        case "--output":
          if (i + 1 == args.length || args[i + 1].startsWith("-") || args[i + 1].isEmpty()) {
            usage("--output needs a file name");
          }
          output = Paths.get(args[++i]);
          break;
        default:
          usage("unknown argument " + args[i]);
      }
    }
    boolean chosenOutput = output != null;
    if (output == null) {
      output = plan == FULL ? Paths.get("BENCHMARKS.md") : Paths.get("target/bench/BENCHMARKS-quick.md");
    }
    checkWritable(output);
    String classpath = System.getProperty(ColdStartBenchmark.CLASSPATH_PROPERTY);
    if (classpath == null || classpath.isBlank()) {
      usage("set -D" + ColdStartBenchmark.CLASSPATH_PROPERTY + " (scripts/bench does)");
    }

    List<Figure> figures = new ArrayList<>();
    Collection<RunResult> inMemory = new Runner(options(plan, InMemoryBenchmark.class)
        .mode(Mode.AverageTime).timeUnit(TimeUnit.MICROSECONDS).threads(1)
        .addProfiler(GCProfiler.class).build()).run();
    figures.addAll(figures("In memory, time", "sdk", RETROFIT, inMemory, null, false, 1.10));
    figures.addAll(figures("In memory, allocated", "sdk", RETROFIT, inMemory, ALLOCATED, false,
        1.20));
    figures.addAll(figures("In memory, time, SDK with callTimeout(ZERO)", "sdkNoCallTimeout", RAW,
        inMemory, null, false, INFORMATIONAL));
    figures.addAll(figures("In memory, time", "sdk", RAW, inMemory, null, false, INFORMATIONAL));
    figures.addAll(figures("In memory, allocated", "sdk", RAW, inMemory, ALLOCATED, false,
        INFORMATIONAL));

    // The gc profiler reads the whole JVM's allocation at each iteration's ends: not during calls.
    Collection<RunResult> latency = new Runner(options(plan, LoopbackBenchmark.class)
        .warmupIterations(plan.loopbackWarmups())
        .mode(Mode.AverageTime).timeUnit(TimeUnit.MICROSECONDS).threads(1)
        .addProfiler(GCProfiler.class).build()).run();
    figures.addAll(figures("Loopback, 1 thread, latency", "sdk", RAW, latency, null, false, 1.05));
    figures.addAll(figures("Loopback, 1 thread, allocated (whole JVM)", "sdk", RAW, latency,
        ALLOCATED, false, 1.20));

    Collection<RunResult> throughput = new Runner(options(plan, LoopbackBenchmark.class)
        .warmupIterations(plan.loopbackWarmups())
        .mode(Mode.Throughput).timeUnit(TimeUnit.SECONDS).threads(16).build()).run();
    figures.addAll(figures("Loopback, 16 threads, throughput", "sdk", RAW, throughput, null, true,
        1.05));
    figures.addAll(figures("Loopback, 1 thread, latency", "sdk", RETROFIT, latency, null, false,
        INFORMATIONAL));
    figures.addAll(figures("Loopback, 1 thread, allocated (whole JVM)", "sdk", RETROFIT, latency,
        ALLOCATED, false, INFORMATIONAL));
    figures.addAll(figures("Loopback, 16 threads, throughput", "sdk", RETROFIT, throughput, null,
        true, INFORMATIONAL));

    Collection<RunResult> cold = new Runner(new OptionsBuilder()
        .include(ColdStartBenchmark.class.getName())
        .forks(1).warmupIterations(plan.coldWarmups()).measurementIterations(plan.coldLaunches())
        .jvmArgs("-D" + ColdStartBenchmark.CLASSPATH_PROPERTY + "=" + classpath)
        .shouldFailOnError(true).build()).run();
    figures.add(coldFigure(cold, RAW, 1.15));
    figures.add(coldFigure(cold, RETROFIT, INFORMATIONAL));

    String previous = Files.exists(output)
        ? Files.readString(output, StandardCharsets.UTF_8) : null;
    String command = (plan == FULL ? "scripts/bench" : "scripts/bench --quick")
        + (chosenOutput ? " --output " + output : "");
    String title = plan.name() + ", " + LocalDate.now(ZoneOffset.UTC);
    String text = BenchmarkReport.markdown(figures, environment(plan), command, title,
        BenchmarkReport.kept(previous));
    Path parent = output.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    // Written beside the report and moved over it: an interrupted run never leaves half a report.
    Path partial = output.resolveSibling(output.getFileName() + ".partial");
    Files.writeString(partial, text, StandardCharsets.UTF_8);
    Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    System.out.println();
    System.out.print(text.substring(0, text.indexOf(BenchmarkReport.KEPT_MARKER)));
    System.out.println("scripts/bench: wrote " + output);
  }

  private static ChainedOptionsBuilder options(Plan plan, Class<?> benchmark) {
    return new OptionsBuilder()
        .include("^" + benchmark.getName().replace(".", "\\.") + "\\.")
        .forks(plan.forks())
        .warmupIterations(plan.warmups())
        .warmupTime(TimeValue.seconds(plan.seconds()))
        .measurementIterations(plan.iterations())
        .measurementTime(TimeValue.seconds(plan.seconds()))
        // A fixed heap: fewer differences between forks from heap resizing.
        .jvmArgs("-Xms512m", "-Xmx512m")
        .shouldFailOnError(true);
  }

  /**
   * SDK and baseline figures per operation: the primary score, or the named secondary one. The
   * benchmarks are named {@code <side><Operation>}: the SDK's {@code <sdkPrefix><Operation>}, the
   * baseline's {@code retrofit<Operation>} or {@code raw<Operation>} (see {@link OperationSides}).
   */
  static List<Figure> figures(String group, String sdkPrefix, String against,
      Collection<RunResult> results, String secondary, boolean higherIsBetter, double target) {
    List<Figure> figures = new ArrayList<>();
    for (int i = 0; i < OPERATIONS.size(); i++) {
      Result<?> sdk = score(results, sdkPrefix + OPERATIONS.get(i), secondary);
      Result<?> baseline = score(results, side(against) + OPERATIONS.get(i), secondary);
      figures.add(new Figure(group, OPERATION_NAMES.get(i), against, sdk.getScore(),
          sdk.getScoreError(), baseline.getScore(), baseline.getScoreError(), sdk.getScoreUnit(),
          higherIsBetter, target));
    }
    return figures;
  }

  /** The baseline's benchmark prefix and cold-start client name. */
  static String side(String against) {
    switch (against) {
      case RETROFIT:
        return "retrofit";
      case RAW:
        return "raw";
      default:
        throw new IllegalArgumentException("no side is called " + against);
    }
  }

  private static Result<?> score(Collection<RunResult> results, String method, String secondary) {
    for (RunResult result : results) {
      if (!result.getParams().getBenchmark().endsWith("." + method)) {
        continue;
      }
      if (secondary == null) {
        return result.getPrimaryResult();
      }
      for (Map.Entry<String, Result> entry : result.getSecondaryResults().entrySet()) {
        if (entry.getKey().endsWith(secondary)) {
          return entry.getValue();
        }
      }
      throw new IllegalStateException(method + " has no " + secondary + " result");
    }
    throw new IllegalStateException("no result for " + method);
  }

  private static Figure coldFigure(Collection<RunResult> results, String against, double target) {
    Result<?> sdk = coldResult(results, "sdk");
    Result<?> baseline = coldResult(results, side(against));
    return new Figure("Cold start, JVM launch to first token", "getTransientToken", against,
        sdk.getScore(), sdk.getScoreError(), baseline.getScore(), baseline.getScoreError(),
        sdk.getScoreUnit(), false, target);
  }

  private static Result<?> coldResult(Collection<RunResult> results, String client) {
    for (RunResult result : results) {
      if (client.equals(result.getParams().getParam("client"))) {
        return result.getPrimaryResult();
      }
    }
    throw new IllegalStateException("the cold-start run lacks the " + client + " result");
  }

  private static List<String> environment(Plan plan) {
    Runtime runtime = Runtime.getRuntime();
    List<String> lines = new ArrayList<>();
    lines.add("JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version")
        + " (" + System.getProperty("java.vm.vendor") + "), default GC; benchmark JVMs -Xms512m"
        + " -Xmx512m, cold-start launches the default heap");
    lines.add("Machine: " + cpuModel() + ", " + runtime.availableProcessors() + " CPUs, "
        + memory() + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version")
        + " " + System.getProperty("os.arch"));
    lines.add("JMH " + jmhVersion() + ": forks " + plan.forks() + ", each " + plan.iterations() + " × "
        + plan.seconds() + " s measured after " + plan.warmups() + " × " + plan.seconds()
        + " s warm-up per benchmark (loopback: " + plan.loopbackWarmups() + " × " + plan.seconds()
        + " s); cold start: " + plan.coldLaunches() + " launches each after "
        + plan.coldWarmups() + " warm-up launch" + (plan.coldWarmups() == 1 ? "" : "es")
        + "; the load generator, server and launches on"
        + " one machine");
    return lines;
  }

  private static String cpuModel() {
    Path cpuinfo = Paths.get("/proc/cpuinfo");
    if (Files.isReadable(cpuinfo)) {
      try (Stream<String> lines = Files.lines(cpuinfo)) {
        return lines.filter(l -> l.startsWith("model name"))
            .map(l -> l.substring(l.indexOf(':') + 1).trim())
            .findFirst().orElse("unknown CPU");
      } catch (IOException e) {
        return "unknown CPU";
      }
    }
    return "unknown CPU";
  }

  private static String memory() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      long bytes = ((com.sun.management.OperatingSystemMXBean) os).getTotalMemorySize();
      return String.format(java.util.Locale.ROOT, "%.1f GiB memory", bytes / (1024.0 * 1024 * 1024));
    }
    return "memory unknown";
  }

  private static String jmhVersion() {
    Package jmh = Runner.class.getPackage();
    return jmh.getImplementationVersion() != null ? jmh.getImplementationVersion() : "1.37";
  }

  /** Fails now, not after the benchmarks, when the report could not be written. */
  private static void checkWritable(Path output) {
    Path parent = output.toAbsolutePath().getParent();
    try {
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException | RuntimeException e) {
      usage("cannot create the folder of " + output + ": " + e.getMessage());
    }
    if (parent != null && !Files.isWritable(parent)
        || Files.exists(output) && (!Files.isRegularFile(output) || !Files.isWritable(output))) {
      usage("cannot write " + output);
    }
    try {
      if (Files.size(output) > 0
          && !Files.readString(output, StandardCharsets.UTF_8).contains(BenchmarkReport.KEPT_MARKER)) {
        usage(output + " exists and is not a benchmark report: it would be replaced;"
            + " choose another file");
      }
    } catch (java.nio.file.NoSuchFileException absent) {
      // A new report.
    } catch (IOException | RuntimeException e) {
      usage("cannot read " + output + ": " + e.getMessage());
    }
  }

  private static void usage(String problem) {
    System.err.println("scripts/bench: " + problem);
    System.err.println("usage: scripts/bench [--quick] [--output FILE]");
    System.exit(2);
  }
}
