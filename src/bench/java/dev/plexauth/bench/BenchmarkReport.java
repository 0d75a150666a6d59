package dev.plexauth.bench;

import java.util.List;
import java.util.Locale;

/**
 * Writes BENCHMARKS.md from measured figures: every figure as an SDK/baseline cost ratio next to
 * both absolute values, checked against its target (or shown as informational), with the JVM, the
 * machine and the command that reran it. Everything below {@link #KEPT_MARKER} in the previous file
 * (the hand-written record of profiling and fixes) is carried over unchanged.
 */
public final class BenchmarkReport {
  /** The line below which BENCHMARKS.md is written by hand and kept by every run. */
  public static final String KEPT_MARKER =
      "<!-- Written by hand below this line; scripts/bench keeps it. -->";
  /** The baseline written by hand with Retrofit and converter-moshi ({@link HandRetrofitPlex}). */
  public static final String RETROFIT = "Retrofit by hand";
  /** The baseline written by hand with raw OkHttp and Moshi ({@link RawPlex}). */
  public static final String RAW = "raw OkHttp";
  /** The target of a figure that is reported without one. */
  public static final double INFORMATIONAL = Double.NaN;

  /**
   * One measured figure of one operation, the SDK against one baseline.
   *
   * @param group the benchmark family, for example {@code In memory, time per operation}
   * @param operation the operation's name
   * @param against the baseline's name, {@link #RETROFIT} or {@link #RAW}
   * @param sdk the SDK's score
   * @param sdkError the half-width of the SDK score's 99.9% confidence interval (NaN if unknown)
   * @param baseline the baseline's score
   * @param baselineError the half-width of the baseline score's interval (NaN if unknown)
   * @param unit the scores' unit as JMH gives it, for example {@code us/op}, {@code ops/s}, {@code B/op}
   * @param higherIsBetter true for throughput, whose cost ratio is baseline / SDK
   * @param target the largest acceptable cost ratio, or {@link #INFORMATIONAL} for none
   */
  public record Figure(String group, String operation, String against, double sdk,
      double sdkError, double baseline, double baselineError, String unit, boolean higherIsBetter,
      double target) {
    /**
     * What the SDK costs relative to the baseline: time or bytes SDK / baseline; for throughput
     * baseline / SDK (the same thing, time per operation).
     *
     * @return the ratio; above 1 the SDK costs more
     */
    public double costRatio() {
      return higherIsBetter ? baseline / sdk : sdk / baseline;
    }

    /**
     * Whether the figure is checked against a target, rather than only reported.
     *
     * @return false for an {@link #INFORMATIONAL} figure
     */
    public boolean hasTarget() {
      return !Double.isNaN(target);
    }

    /**
     * Whether the cost ratio is within the target.
     *
     * @return true when {@link #costRatio()} is at most {@link #target()}; false without a target
     */
    public boolean met() {
      return hasTarget() && costRatio() <= target;
    }

    /**
     * Whether the figure says anything: false when either side's 99.9% interval half-width is at
     * least half its own score (a short run on a busy machine), whatever the ratio.
     *
     * @return true unless a side is that noisy
     */
    public boolean conclusive() {
      return !(sdkError >= sdk / 2) && !(baselineError >= baseline / 2);
    }

    /**
     * Whether the figure misses its target, as measured and conclusively.
     *
     * @return true for a conclusive figure with a target it does not meet
     */
    public boolean missed() {
      return hasTarget() && conclusive() && !met();
    }

    /**
     * The verdict shown: informational, met, missed, or inconclusive.
     *
     * @return {@code informational}, {@code met}, {@code **missed**} or {@code inconclusive (noise)}
     */
    public String verdict() {
      if (!hasTarget()) {
        return "informational";
      }
      if (!conclusive()) {
        return "inconclusive (noise)";
      }
      return met() ? "met" : "**missed**";
    }
  }

  /** What the table's columns mean, which baseline each target is set against, and why. */
  static final String LEGEND = String.join("\n",
      "The SDK/baseline cost is SDK ÷ baseline for time and bytes, and baseline ÷ SDK for"
          + " throughput, so above 1 the SDK always costs more. ± is the half-width of JMH's"
          + " 99.9% confidence interval.",
      "",
      "- The baselines: Retrofit by hand has the SDK's default timeouts, its 60 s call timeout"
          + " included; raw OkHttp has OkHttp's defaults, without a call timeout. The SDK runs"
          + " with its defaults except in the callTimeout(ZERO) rows.",
      "- In memory, the targets are set against Retrofit by hand, the same stack with the same"
          + " settings: the SDK runs every call through Retrofit, which builds each request anew,"
          + " where raw OkHttp reuses a prebuilt one. Against raw OkHttp the figures are"
          + " informational, the SDK's defaults (which also hold the call timeout raw OkHttp"
          + " lacks) and the SDK with callTimeout(ZERO) (like for like).",
      "- Over loopback and from a cold start, the targets are set against raw OkHttp; the rows"
          + " against Retrofit by hand are informational and show how much of that gap Retrofit"
          + " itself accounts for.",
      "- Loopback allocation is for the whole benchmark JVM (JMH's gc profiler, 1 thread): the"
          + " client's threads, OkHttp's and okio's, and the loopback server's, which does the same"
          + " work for every side.");

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
    out.append("What plex-auth costs over the same two operations written by hand: with Retrofit")
        .append(" and converter-moshi (`HandRetrofitPlex`: a Retrofit interface, an interceptor")
        .append(" for the same headers, the SDK's default timeouts) and with raw OkHttp and Moshi")
        .append(" (`RawPlex`: a hand-built request with the same headers, OkHttp's defaults); all")
        .append(" three decode the same JSON into the same classes with the same adapters. Written")
        .append(" by `scripts/bench` (JMH); ").append(title).append(".\n\n");
    out.append("Rerun: `").append(command).append("`\n\n");
    for (String line : environment) {
      out.append("- ").append(line).append('\n');
    }
    out.append('\n');
    long targeted = figures.stream().filter(Figure::hasTarget).count();
    long missed = figures.stream().filter(Figure::missed).count();
    long noisy = figures.stream().filter(f -> f.hasTarget() && !f.conclusive()).count();
    long informational = figures.size() - targeted;
    if (missed == 0 && noisy == 0) {
      out.append(targeted == figures.size() ? "Every figure meets its target."
          : "Every figure with a target meets it.");
    } else {
      String separator = "";
      if (missed > 0) {
        out.append(missed).append(" of the ").append(targeted)
            .append(targeted == 1 ? " target " : " targets ").append(missed == 1 ? "is" : "are").append(" missed (marked **missed**).");
        separator = " ";
      }
      if (noisy > 0) {
        out.append(separator).append(noisy).append(" of the ").append(targeted)
            .append(" figures with a target ").append(noisy == 1 ? "is" : "are")
            .append(" inconclusive: a side's ± is at least half its")
            .append(" value; rerun on a quiet machine, or without --quick.");
      }
    }
    if (informational > 0) {
      out.append(' ').append(informational).append(informational == 1 ? " figure is" : " figures are")
          .append(" informational, without a target.");
    }
    out.append("\n\n");
    out.append("| figure | operation | SDK | against | baseline | SDK/baseline cost | target | |\n");
    out.append("| --- | --- | ---: | --- | ---: | ---: | ---: | --- |\n");
    for (Figure f : figures) {
      out.append("| ").append(f.group())
          .append(" | ").append(f.operation())
          .append(" | ").append(value(f.sdk(), f.sdkError(), f.unit()))
          .append(" | ").append(f.against())
          .append(" | ").append(value(f.baseline(), f.baselineError(), f.unit()))
          .append(" | ").append(String.format(Locale.ROOT, "%.3f×", f.costRatio()))
          .append(" | ").append(f.hasTarget()
              ? String.format(Locale.ROOT, "≤ %.3f×", f.target()) : "none")
          .append(" | ").append(f.verdict())
          .append(" |\n");
    }
    out.append('\n');
    out.append(LEGEND).append("\n\n");
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
