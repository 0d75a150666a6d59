package dev.plexauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The table of hostile servers and environments in {@code docs/RELIABILITY.md} names, for every
 * row, the tests that prove it: each named {@code Class#method} must exist under {@code
 * src/test/java}, so that the document cannot point at a test that was renamed or removed.
 */
class ReliabilityDocTest {
  private static final Path DOC = Path.of("docs", "RELIABILITY.md");
  private static final List<String> HEADER = List.of("hostile input", "what happens", "tests");
  private static final Pattern TEST = Pattern.compile("`([A-Z][A-Za-z0-9]*)#([a-z][A-Za-z0-9]*)`");
  /** A row of the fault tables above, which {@link FaultMatrixTest} runs. */
  private static final Pattern FAULT_ROW = Pattern.compile("the `([a-z0-9-]+)` row");

  @Test
  void everyRowNamesTestsThatExist() throws IOException {
    Map<String, String> sources = testSources();
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    List<List<String>> rows = rows(doc);
    assertFalse(rows.isEmpty(), DOC + " has no table of hostile inputs");
    for (List<String> row : rows) {
      String tests = row.get(2);
      Matcher test = TEST.matcher(tests);
      int named = 0;
      while (test.find()) {
        named++;
        String source = sources.get(test.group(1));
        assertTrue(source != null, test.group(1) + " is not a test class: " + row.get(0));
        assertTrue(Pattern.compile("\\bvoid " + test.group(2) + "\\(").matcher(source).find(),
            test.group(1) + " has no test " + test.group(2) + ": " + row.get(0));
      }
      Matcher faultRow = FAULT_ROW.matcher(tests);
      while (faultRow.find()) {
        named++;
        assertTrue(doc.contains("| " + faultRow.group(1) + " |"),
            "no fault row " + faultRow.group(1) + ": " + row.get(0));
      }
      assertTrue(named > 0, "a row names no test: " + row.get(0));
    }
  }

  private static List<List<String>> rows(String doc) {
    List<List<String>> rows = new ArrayList<>();
    boolean inTable = false;
    for (String line : doc.split("\n")) {
      String trimmed = line.trim();
      if (!trimmed.startsWith("|")) {
        inTable = false;
        continue;
      }
      List<String> cells = new ArrayList<>();
      for (String cell : trimmed.substring(1, trimmed.length() - 1).split("\\|", -1)) {
        cells.add(cell.trim());
      }
      if (cells.equals(HEADER)) {
        inTable = true;
      } else if (inTable && !cells.get(0).startsWith("---")) {
        assertEquals(3, cells.size(), "a row needs 3 cells: " + line);
        rows.add(cells);
      }
    }
    return rows;
  }

  /** The source of every class under src/test/java, by simple name. */
  private static Map<String, String> testSources() throws IOException {
    Map<String, String> sources = new HashMap<>();
    try (Stream<Path> files = Files.walk(Path.of("src", "test", "java"))) {
      for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
        String name = file.getFileName().toString().replace(".java", "");
        sources.put(name, Files.readString(file, StandardCharsets.UTF_8));
      }
    }
    return sources;
  }
}
