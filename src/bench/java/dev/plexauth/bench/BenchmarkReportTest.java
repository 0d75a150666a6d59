package dev.plexauth.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.bench.BenchmarkReport.Figure;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What BENCHMARKS.md says about the figures, and the hand-written part it keeps. */
class BenchmarkReportTest {
  private static final List<String> ENVIRONMENT = List.of(
      "JVM: Test VM 17 (Tester), heap -Xms512m -Xmx512m, default GC",
      "Machine: Test CPU, 2 CPUs, 4.0 GiB memory, Linux 6.1 amd64");
  private static final String COMMAND = "scripts/bench --quick";
  private static final String TITLE = "quick smoke run, 2026-01-02";

  /** 12.3456 ± 0.25 µs/op against Retrofit's 10 µs/op without an error: cost 1.235, met under 1.5. */
  private static final Figure TIME = new Figure("In memory, time", "getTransientToken",
      BenchmarkReport.RETROFIT, 12.3456, 0.25, 10.0, Double.NaN, "us/op", false, 1.5);
  /** 1536 ± 0.5 B/op against 1024 B/op (error 0: not shown): cost exactly 1.5, met at 1.5. */
  private static final Figure BYTES = new Figure("In memory, allocated",
      "getSourceConnectionInformation", BenchmarkReport.RETROFIT, 1536.0, 0.5, 1024.0, 0.0, "B/op",
      false, 1.5);
  /** 8,000 ± 123.0 ops/s against raw's 9,000 ops/s: cost raw/SDK 1.125, missed over 1.05. */
  private static final Figure THROUGHPUT = new Figure("Loopback, 16 threads, throughput",
      "getTransientToken", BenchmarkReport.RAW, 8000.4, 123.0, 9000.0, 45.25, "ops/s", true, 1.05);

  private static final String HAND_WRITTEN = "\n## Profiling and fixes\n\n"
      + "- 2026-01-01: the SDK built its Moshi adapter per call; now once per client.\n"
      + "  An indented continuation, | a | pipe |, `code`, µ and ≤ survive as written.\n\n"
      + "| figure | before | after |\n| --- | ---: | ---: |\n| time | 2.0× | 1.2× |\n\n"
      + "Every figure meets its target. (quoted by hand, not generated)\n";

  @Test
  void costRatioIsSdkOverRawForTimeAndBytesAndRawOverSdkForThroughput() {
    assertEquals(1.23456, TIME.costRatio(), 1e-12, "time: SDK µs/op ÷ raw µs/op");
    assertEquals(1.5, BYTES.costRatio(), 1e-12, "bytes: SDK B/op ÷ raw B/op");
    assertEquals(9000.0 / 8000.4, THROUGHPUT.costRatio(), 1e-12,
        "throughput: raw ops/s ÷ SDK ops/s, so that above 1 the SDK costs more");
    Figure fasterSdk =
        new Figure("g", "op", BenchmarkReport.RAW, 2000, 0, 1000, 0, "ops/s", true, 1.05);
    assertEquals(0.5, fasterSdk.costRatio(), 1e-12,
        "an SDK with twice the raw throughput costs half as much");
  }

  @Test
  void metIsTrueUpToAndIncludingTheTargetAndFalseJustAbove() {
    assertTrue(time(1.5, 1.0, 1.5).met(), "a cost ratio exactly at the target meets it");
    assertTrue(time(1.49, 1.0, 1.5).met(), "a cost ratio below the target meets it");
    assertTrue(time(0.5, 1.0, 1.5).met(), "an SDK cheaper than raw meets the target");
    assertFalse(time(Math.nextUp(1.5), 1.0, 1.5).met(),
        "a cost ratio just above the target misses it");
    assertFalse(time(1.51, 1.0, 1.5).met(), "a cost ratio above the target misses it");

    assertTrue(throughput(1.0, 1.25, 1.25).met(), "throughput: raw/SDK exactly at the target meets it");
    assertTrue(throughput(1.0, 1.2, 1.25).met(), "throughput: raw/SDK below the target meets it");
    assertFalse(throughput(1.0, Math.nextUp(1.25), 1.25).met(),
        "throughput: raw/SDK just above the target misses it");
    assertFalse(throughput(Math.nextDown(1.0), 1.25, 1.25).met(),
        "throughput: an SDK just slower than at the target misses it");
  }

  @Test
  void aFigureWithAnIntervalOverHalfItsValueIsInconclusiveNotMetOrMissed() {
    Figure noisy = new Figure("Loopback", "op", BenchmarkReport.RAW, 67.6, 1939, 1000, 5, "us/op",
        false, 1.05);
    Figure fine = new Figure("Loopback", "op", BenchmarkReport.RAW, 10, 4.9, 10, 0.1, "us/op",
        false, 1.05);
    assertTrue(noisy.met(), "its ratio alone would say met");
    assertFalse(noisy.conclusive());
    assertEquals("inconclusive (noise)", noisy.verdict());
    assertTrue(fine.conclusive(), "an interval under half the value is conclusive");
    assertEquals("met", fine.verdict());

    String text = BenchmarkReport.markdown(List.of(noisy, fine), List.of("JVM: x"), "scripts/bench",
        "test", "");
    assertTrue(text.contains("| inconclusive (noise) |"), text);
    assertTrue(text.contains("1 of the 2 figures with a target is inconclusive"), text);
    assertFalse(text.contains("Every figure meets its target"), text);
    assertFalse(text.contains("missed (marked"), text);
  }

  @Test
  void markdownShowsBothValuesWithErrorsTheRatioTheTargetAndTheVerdictPerFigure() {
    String text = BenchmarkReport.markdown(List.of(TIME, BYTES, THROUGHPUT), ENVIRONMENT,
        COMMAND, TITLE, "");

    assertTrue(text.contains("\n| figure | operation | SDK | against | baseline | SDK/baseline cost"
        + " | target | |\n"), "the table's header names the baseline column:\n" + text);
    assertRow(text, "| In memory, time | getTransientToken | 12.35 ± 0.250 µs/op | Retrofit by hand"
        + " | 10.00 µs/op | 1.235× | ≤ 1.500× | met |");
    assertRow(text, "| In memory, allocated | getSourceConnectionInformation | 1,536 ± 0.500 B/op"
        + " | Retrofit by hand | 1,024 B/op | 1.500× | ≤ 1.500× | met |");
    assertRow(text, "| Loopback, 16 threads, throughput | getTransientToken | 8,000 ± 123.0 ops/s"
        + " | raw OkHttp | 9,000 ± 45.25 ops/s | 1.125× | ≤ 1.050× | **missed** |");
    assertFalse(text.contains("us/op"), "us/op is shown as µs/op:\n" + text);
    assertTrue(text.contains("\n1 of the 3 targets is missed (marked **missed**).\n"),
        "the summary counts the missed figures:\n" + text);
    assertFalse(text.contains("Every figure meets its target"),
        "a report with a missed figure must not say every figure meets its target:\n" + text);
  }

  @Test
  void markdownSaysEveryFigureMeetsItsTargetOnlyWhenNoneMisses() {
    String text = BenchmarkReport.markdown(List.of(TIME, BYTES), ENVIRONMENT, COMMAND, TITLE, "");

    assertTrue(text.contains("\nEvery figure meets its target.\n"),
        "with every figure met the summary says so:\n" + text);
    assertFalse(text.contains("missed (marked"), "nothing missed, nothing counted:\n" + text);
    assertFalse(text.contains("**missed**"), "no row is marked missed:\n" + text);

    String allMissed = BenchmarkReport.markdown(List.of(THROUGHPUT, time(3, 1, 1.5)),
        ENVIRONMENT, COMMAND, TITLE, "");
    assertTrue(allMissed.contains("\n2 of the 2 targets are missed (marked **missed**).\n"),
        "every figure missed is counted:\n" + allMissed);
  }

  @Test
  void markdownNamesTheRerunCommandTheTitleAndTheEnvironmentThenTheMarker() {
    String text = BenchmarkReport.markdown(List.of(TIME), ENVIRONMENT, COMMAND, TITLE, "");

    assertTrue(text.startsWith("# Benchmarks\n\n"), "the file starts with its heading:\n" + text);
    assertTrue(text.contains(TITLE + ".\n"), "the title (run kind and date) is shown:\n" + text);
    assertTrue(text.contains("\nRerun: `scripts/bench --quick`\n"),
        "the command that reruns the figures is shown:\n" + text);
    for (String line : ENVIRONMENT) {
      assertTrue(text.contains("\n- " + line + "\n"),
          "the environment line '" + line + "' is a list item:\n" + text);
    }
    assertTrue(text.endsWith("\n" + BenchmarkReport.KEPT_MARKER + "\n"),
        "without a kept part the file ends with the marker line:\n" + text);
    assertEquals(text.indexOf(BenchmarkReport.KEPT_MARKER),
        text.lastIndexOf(BenchmarkReport.KEPT_MARKER), "the marker appears once:\n" + text);
    assertTrue(text.indexOf("| In memory, time |") < text.indexOf(BenchmarkReport.KEPT_MARKER),
        "the generated table comes before the marker:\n" + text);
  }

  @Test
  void keptIsEmptyWithoutAPreviousFileOrWithoutTheMarker() {
    assertEquals("", BenchmarkReport.kept(null), "no previous file, nothing kept");
    assertEquals("", BenchmarkReport.kept(""), "an empty previous file, nothing kept");
    assertEquals("", BenchmarkReport.kept("# Benchmarks\n\nHand-edited, but no marker.\n"),
        "a previous file without the marker keeps nothing");
    assertEquals("", BenchmarkReport.kept("# Benchmarks\n" + BenchmarkReport.KEPT_MARKER),
        "a marker on the last line without a newline keeps nothing");
  }

  @Test
  void keptIsExactlyTheTextAfterTheMarkerLine() {
    String previous = "# Benchmarks\n\nold generated part\n" + BenchmarkReport.KEPT_MARKER + "\n"
        + HAND_WRITTEN;
    assertEquals(HAND_WRITTEN, BenchmarkReport.kept(previous),
        "everything below the marker line is kept, byte for byte");

    String noFinalNewline = "## Notes\n\nlast line without a newline";
    assertEquals(noFinalNewline,
        BenchmarkReport.kept("x\n" + BenchmarkReport.KEPT_MARKER + "\n" + noFinalNewline),
        "a kept part without a final newline is kept as it is");
  }

  @Test
  void aHandWrittenSectionSurvivesTwoRendersUnchanged() {
    String first = BenchmarkReport.markdown(List.of(TIME), ENVIRONMENT, "scripts/bench",
        "full run, 2026-01-01", HAND_WRITTEN);
    assertTrue(first.endsWith(BenchmarkReport.KEPT_MARKER + "\n" + HAND_WRITTEN),
        "the first render ends with the marker line and the hand-written section:\n" + first);

    Figure newTime = new Figure("In memory, time", "getTransientToken", BenchmarkReport.RETROFIT,
        11.0, 0.125, 10.0, 0.5, "us/op", false, 1.5);
    String second = BenchmarkReport.markdown(List.of(newTime, THROUGHPUT), ENVIRONMENT,
        "scripts/bench", "full run, 2026-02-01", BenchmarkReport.kept(first));
    assertEquals(HAND_WRITTEN, BenchmarkReport.kept(second),
        "two renders later the hand-written section is unchanged");
    assertTrue(second.endsWith(BenchmarkReport.KEPT_MARKER + "\n" + HAND_WRITTEN),
        "the second render ends with the marker line and the hand-written section:\n" + second);
    assertTrue(
        second.contains("| 11.00 ± 0.125 µs/op | Retrofit by hand | 10.00 ± 0.500 µs/op | 1.100× |"),
        "the second render shows the new figures:\n" + second);
    assertFalse(second.contains("12.35"), "the old figures are gone from the table:\n" + second);
    assertTrue(second.contains("full run, 2026-02-01"), "the new title is shown:\n" + second);
    assertEquals(1, count(second, BenchmarkReport.KEPT_MARKER),
        "re-rendering does not repeat the marker:\n" + second);

    String third = BenchmarkReport.markdown(List.of(newTime, THROUGHPUT), ENVIRONMENT,
        "scripts/bench", "full run, 2026-02-01", BenchmarkReport.kept(second));
    assertEquals(second, third, "rendering the same figures again changes nothing");
  }

  @Test
  void aKeptPartWithoutAFinalNewlineGetsOneSoTheFileEndsWithALine() {
    String text = BenchmarkReport.markdown(List.of(TIME), ENVIRONMENT, COMMAND, TITLE, "notes");
    assertTrue(text.endsWith(BenchmarkReport.KEPT_MARKER + "\nnotes\n"), text);
    assertEquals("notes\n", BenchmarkReport.kept(text),
        "what is kept from then on is the section with its newline");
  }

  @Test
  void anInformationalFigureIsShownWithItsRatioButNeitherMetNorMissedNorCounted() {
    Figure informational = new Figure("Loopback, 1 thread, latency", "getTransientToken",
        BenchmarkReport.RETROFIT, 80.0, 2.0, 40.0, 1.0, "us/op", false, BenchmarkReport.INFORMATIONAL);
    assertFalse(informational.hasTarget(), "INFORMATIONAL means no target");
    assertEquals(2.0, informational.costRatio(), 1e-12, "its ratio is still SDK ÷ baseline");
    assertFalse(informational.met(), "without a target nothing is met");
    assertFalse(informational.missed(), "without a target nothing is missed, even at 2×");
    assertEquals("informational", informational.verdict());
    assertTrue(TIME.hasTarget() && !TIME.missed(), "a met figure is not missed");
    assertTrue(THROUGHPUT.missed(), "a conclusive figure over its target is missed");

    String text = BenchmarkReport.markdown(List.of(TIME, informational), ENVIRONMENT, COMMAND,
        TITLE, "");
    assertRow(text, "| Loopback, 1 thread, latency | getTransientToken | 80.00 ± 2.000 µs/op"
        + " | Retrofit by hand | 40.00 ± 1.000 µs/op | 2.000× | none | informational |");
    assertTrue(text.contains("\nEvery figure with a target meets it. 1 figure is informational,"
        + " without a target.\n"), "the summary counts targets only:\n" + text);

    String missed = BenchmarkReport.markdown(List.of(informational, THROUGHPUT, informational),
        ENVIRONMENT, COMMAND, TITLE, "");
    assertTrue(missed.contains("\n1 of the 1 target is missed (marked **missed**). 2 figures are"
        + " informational, without a target.\n"), "informational figures are not targets:\n" + missed);
  }

  @Test
  void theLegendSaysWhichBaselineEachTargetIsSetAgainstAndWhatLoopbackAllocationCounts() {
    String text = BenchmarkReport.markdown(List.of(TIME), ENVIRONMENT, COMMAND, TITLE, "");
    int legend = text.indexOf(BenchmarkReport.LEGEND);
    assertTrue(legend > text.indexOf("| In memory, time |")
        && legend < text.indexOf(BenchmarkReport.KEPT_MARKER),
        "the legend comes after the table and before the marker:\n" + text);
    assertTrue(text.contains("In memory, the targets are set against Retrofit by hand"), text);
    assertTrue(text.contains("Over loopback and from a cold start, the targets are set against"
        + " raw OkHttp"), text);
    assertTrue(text.contains("Against raw OkHttp the figures are informational"), text);
    assertTrue(text.contains("Loopback allocation is for the whole benchmark JVM"), text);
    assertTrue(text.contains("`HandRetrofitPlex`") && text.contains("`RawPlex`"),
        "the introduction names both baselines:\n" + text);
  }

  private static Figure time(double sdk, double raw, double target) {
    return new Figure("Loopback, 1 thread, latency", "getTransientToken", BenchmarkReport.RAW, sdk,
        Double.NaN, raw, Double.NaN, "us/op", false, target);
  }

  private static Figure throughput(double sdk, double raw, double target) {
    return new Figure("Loopback, 16 threads, throughput", "getTransientToken", BenchmarkReport.RAW,
        sdk, Double.NaN, raw, Double.NaN, "ops/s", true, target);
  }

  private static void assertRow(String text, String row) {
    assertTrue(text.contains("\n" + row + "\n"), "expected the table row\n" + row + "\nin:\n" + text);
  }

  private static int count(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      count++;
    }
    return count;
  }
}
