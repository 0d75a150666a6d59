package dev.plexauth.bench;

import java.util.List;
import java.util.Locale;

/**
 * Writes BENCHMARKS.md from measured figures: every figure as an SDK/raw cost ratio next to both
 * absolute values, checked against its target, with the JVM, the machine and the command that
 * reran it. Everything below {@link #KEPT_MARKER} in the previous file (the hand-written record of
 * profiling and fixes) is carried over unchanged.
 */
public final class BenchmarkReport {
  /** The line below which BENCHMARKS.md is written by hand and kept by every run. */
  public static final String KEPT_MARKER =
      "<!-- Written by hand below this line; scripts/bench keeps it. -->";

  /**
   * One measured figure of one operation, SDK and raw.
   *
   * @param group the benchmark family, for example {@code In memory, time per operation}
   * @param operation the operation's name
   * @param sdk the SDK's score
   * @param sdkError the half-width of the SDK score's 99.9% confidence interval (NaN if unknown)
   * @param raw the raw client's score
   * @param rawError the half-width of the raw score's interval (NaN if unknown)
   * @param unit the scores' unit as JMH gives it, for example {@code us/op}, {@code ops/s}, {@code B/op}
   * @param higherIsBetter true for throughput, whose cost ratio is raw / SDK
   * @param target the largest acceptable cost ratio
   */
  public record Figure(String group, String operation, double sdk, double sdkError, double raw,
      double rawError, String unit, boolean higherIsBetter, double target) {
    /**
     * What the SDK costs relative to raw: time or bytes SDK / raw; for throughput raw / SDK (the
     * same thing, time per operation).
     *
     * @return the ratio; above 1 the SDK costs more
     */
    public double costRatio() {
      return higherIsBetter ? raw / sdk : sdk / raw;
    }

    /**
     * Whether the cost ratio is within the target.
     *
     * @return true when {@link #costRatio()} is at most {@link #target()}
     */
    public boolean met() {
      return costRatio() <= target;
    }

    /**
     * Whether the figure says anything: false when either side's 99.9% interval half-width is at
     * least half its own score (a short run on a busy machine), whatever the ratio.
     *
     * @return true unless a side is that noisy
     */
    public boolean conclusive() {
      return !(sdkError >= sdk / 2) && !(rawError >= raw / 2);
    }

    /**
     * The verdict shown: met, missed, or inconclusive.
     *
     * @return {@code met}, {@code **missed**} or {@code inconclusive (noise)}
     */
    public String verdict() {
      if (!conclusive()) {
        return "inconclusive (noise)";
      }
      return met() ? "met" : "**missed**";
    }
  }

  private BenchmarkReport() {}

  /**
   * Renders BENCHMARKS.md.
   *
   * @param figures the figures, in the order to show them
   * @param environment lines describing the JVM and machine, shown as a list
   * @param command the command that produced the figures
   * @param title a heading line after {@code # Benchmarks}, for example the run's kind and date
   * @param kept the hand-written part of the previous file (see {@link #kept(String)}), or empty
   * @return the whole file's text
   */
  public static String markdown(List<Figure> figures, List<String> environment, String command,
      String title, String kept) {
    StringBuilder out = new StringBuilder();
    out.append("# Benchmarks\n\n");
    out.append("What plex-auth costs over the same two operations written by hand with raw OkHttp")
        .append(" and Moshi (`RawPlex`: a hand-built request with the same headers, the same JSON")
        .append(" decoded into the same classes). Written by `scripts/bench` (JMH); ")
        .append(title).append(".\n\n");
    out.append("Rerun: `").append(command).append("`\n\n");
    for (String line : environment) {
      out.append("- ").append(line).append('\n');
    }
    out.append('\n');
    long missed = figures.stream().filter(f -> f.conclusive() && !f.met()).count();
    long noisy = figures.stream().filter(f -> !f.conclusive()).count();
    if (missed == 0 && noisy == 0) {
      out.append("Every figure meets its target.\n\n");
    } else {
      if (missed > 0) {
        out.append(missed).append(" of ").append(figures.size())
            .append(" figures miss their target (marked **missed**).\n");
      }
      if (noisy > 0) {
        out.append(noisy).append(" of ").append(figures.size())
            .append(" figures are inconclusive: a side's ± is at least half its value; rerun on a")
            .append(" quiet machine, or without --quick.\n");
      }
      out.append('\n');
    }
    out.append("| figure | operation | SDK | raw | SDK/raw cost | target | |\n");
    out.append("| --- | --- | ---: | ---: | ---: | ---: | --- |\n");
    for (Figure f : figures) {
      out.append("| ").append(f.group())
          .append(" | ").append(f.operation())
          .append(" | ").append(value(f.sdk(), f.sdkError(), f.unit()))
          .append(" | ").append(value(f.raw(), f.rawError(), f.unit()))
          .append(" | ").append(String.format(Locale.ROOT, "%.3f×", f.costRatio()))
          .append(" | ").append(String.format(Locale.ROOT, "≤ %.3f×", f.target()))
          .append(" | ").append(f.verdict())
          .append(" |\n");
    }
    out.append('\n');
    out.append("The SDK/raw cost is SDK ÷ raw for time and bytes, and raw ÷ SDK for throughput, so")
        .append(" above 1 the SDK always costs more. ± is the half-width of JMH's 99.9% confidence")
        .append(" interval.\n\n");
    out.append(KEPT_MARKER).append('\n');
    if (!kept.isEmpty()) {
      out.append(kept);
      if (!kept.endsWith("\n")) {
        out.append('\n');
      }
    }
    return out.toString();
  }

  /**
   * The hand-written part of a previous BENCHMARKS.md: everything after the marker line.
   *
   * @param previous the previous file's text, or null when there is none
   * @return that part, or empty
   */
  public static String kept(String previous) {
    if (previous == null) {
      return "";
    }
    int at = previous.indexOf(KEPT_MARKER);
    if (at < 0) {
      return "";
    }
    int start = previous.indexOf('\n', at);
    return start < 0 ? "" : previous.substring(start + 1);
  }

  static String value(double score, double error, String unit) {
    String shown = unit.replace("us/", "µs/");
    String number = number(score);
    if (Double.isNaN(error) || error == 0) {
      return number + " " + shown;
    }
    return number + " ± " + number(error) + " " + shown;
  }

  static String number(double value) {
    double magnitude = Math.abs(value);
    if (magnitude >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    if (magnitude >= 100) {
      return String.format(Locale.ROOT, "%.1f", value);
    }
    if (magnitude >= 10) {
      return String.format(Locale.ROOT, "%.2f", value);
    }
    return String.format(Locale.ROOT, "%.3f", value);
  }
}
