package dev.plexauth.android;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.codehaus.mojo.animal_sniffer.ClassListBuilder;
import org.codehaus.mojo.animal_sniffer.SignatureChecker;
import org.codehaus.mojo.animal_sniffer.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Which Android API levels the library's classes link against, read with animal-sniffer from the
 * gummy-bears signatures of the Android platform: API 21, 24 and 26, each plain and (24, 26) with
 * core library desugaring ({@code coreLib2}; gummy-bears has no desugared signature for 21).
 *
 * <p>The build's own check (animal-sniffer-maven-plugin at API 21) honours {@code
 * @IgnoreJRERequirement}, the mark of the convenience forms above API 21 ({@code Duration},
 * {@code CompletableFuture}, {@code Optional}). This test also counts what those marked forms
 * reference, with the mark not honoured, so that the README's table of which feature needs which
 * level is measured, not believed: it fails when the table and the classes disagree.
 */
class ApiLevelsTest {
  private static final Path CLASSES = Path.of("target/classes");
  private static final Path SIGNATURES = Path.of("target/api-signatures");

  /** The levels checked, by the name the README's table gives them. */
  private static final Map<String, String> LEVELS = new LinkedHashMap<>();

  static {
    LEVELS.put("API 21", "gummy-bears-api-21.signature");
    LEVELS.put("API 24", "gummy-bears-api-24.signature");
    LEVELS.put("API 24, desugared", "gummy-bears-api-24-coreLib2.signature");
    LEVELS.put("API 26", "gummy-bears-api-26.signature");
    LEVELS.put("API 26, desugared", "gummy-bears-api-26-coreLib2.signature");
  }

  /** One missing reference: where it is and what it names. */
  record Violation(String where, String api) {}

  @Test
  void everythingUnmarkedLinksAtEveryLevelFromApi21() throws IOException {
    for (Map.Entry<String, String> level : LEVELS.entrySet()) {
      List<Violation> found = check(level.getValue(), false);
      assertEquals(List.of(), found, level.getKey() + ": references outside the marked forms");
    }
  }

  @Test
  void theReadmeTableGivesTheMeasuredCounts() throws IOException {
    Map<String, String> measured = new LinkedHashMap<>();
    StringBuilder report = new StringBuilder();
    for (Map.Entry<String, String> level : LEVELS.entrySet()) {
      List<Violation> found = check(level.getValue(), true);
      Set<String> types = found.stream().map(v -> typeOf(v.api()))
          .collect(Collectors.toCollection(TreeSet::new));
      measured.put(level.getKey(), found.size() + " | " + (types.isEmpty() ? "none"
          : types.stream().map(t -> "`" + t + "`").collect(Collectors.joining(", "))));
      report.append(level.getKey()).append(": ").append(found.size()).append('\n');
      for (Violation v : found) {
        report.append("  ").append(v.where()).append(": ").append(v.api()).append('\n');
      }
    }
    Files.writeString(Path.of("target/api-levels.txt"), report, StandardCharsets.UTF_8);

    Map<String, String> documented = readmeTable();
    assertEquals(measured, documented,
        "README.md's API-level table (between <!-- api-levels --> markers) differs from what the"
            + " classes reference; the details are in target/api-levels.txt");
    // The plain API-26 level and both desugared ones run everything.
    assertTrue(measured.get("API 26").startsWith("0 "), measured.toString());
    assertTrue(measured.get("API 24, desugared").startsWith("0 "), measured.toString());
  }

  /**
   * The type a reference names: the class itself ({@code java.time.Duration}), or the owner of a
   * member ({@code long java.time.Duration.toNanos()}, {@code java.time.Duration
   * java.time.Duration.ZERO}).
   */
  private static String typeOf(String api) {
    int paren = api.indexOf('(');
    String head = paren >= 0 ? api.substring(0, paren) : api;
    String[] words = head.trim().split(" ");
    if (paren < 0 && words.length == 1) {
      return words[0];
    }
    String member = words[words.length - 1];
    return member.substring(0, member.lastIndexOf('.'));
  }

  private static Map<String, String> readmeTable() throws IOException {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf("<!-- api-levels -->");
    int end = readme.indexOf("<!-- /api-levels -->");
    assertTrue(start >= 0 && end > start, "README.md has no <!-- api-levels --> table");
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : readme.substring(start, end).split("\n")) {
      Matcher row = Pattern.compile("^\\s*\\| (API [^|]+?) \\| (\\d+) \\| (.+?) \\|$").matcher(line);
      if (row.matches()) {
        rows.put(row.group(1), row.group(2) + " | " + row.group(3));
      }
    }
    return rows;
  }

  /**
   * Runs animal-sniffer over the library's classes.
   *
   * @param unmarked true to count the forms marked {@code @IgnoreJRERequirement} too
   */
  private static List<Violation> check(String signature, boolean unmarked) throws IOException {
    List<Violation> found = new ArrayList<>();
    Pattern line = Pattern.compile("^(.*?): Undefined reference: (.*)$");
    Logger logger = new Quiet() {
      @Override
      public void error(String message) {
        Matcher m = line.matcher(message);
        found.add(m.matches() ? new Violation(shorten(m.group(1)), m.group(2))
            : new Violation("?", message));
      }

      @Override
      public void error(String message, Throwable t) {
        error(message);
      }
    };
    Checker checker;
    try (InputStream in = Files.newInputStream(SIGNATURES.resolve(signature))) {
      checker = new Checker(in, runtimeClasses(), logger, unmarked);
    }
    List<Path> classes;
    try (Stream<Path> walk = Files.walk(CLASSES)) {
      classes = walk.filter(p -> p.toString().endsWith(".class")).sorted().toList();
    }
    assertTrue(classes.size() > 20, "no library classes under " + CLASSES + ": " + classes);
    for (Path file : classes) {
      checker.check(CLASSES.relativize(file).toString(), Files.readAllBytes(file));
    }
    return found;
  }

  /** Read once: the checks of every level share it. */
  private static Set<String> runtimeClasses;

  /**
   * The classes the library may reference besides the platform's, as the Maven plugin collects
   * them: its own and those of its runtime dependencies (found on the test classpath by name).
   */
  private static synchronized Set<String> runtimeClasses() throws IOException {
    if (runtimeClasses != null) {
      return runtimeClasses;
    }
    ClassListBuilder builder = new ClassListBuilder(QUIET);
    builder.process(CLASSES.toFile());
    Pattern runtime = Pattern.compile(
        "/(retrofit|converter-moshi|moshi|okhttp|logging-interceptor|okio-jvm|kotlin-stdlib|annotations)-[0-9][^/]*\\.jar$");
    int jars = 0;
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (runtime.matcher(entry.replace('\\', '/')).find()) {
        builder.process(new java.io.File(entry));
        jars++;
      }
    }
    assertTrue(jars >= 7, "the runtime dependency jars were not found on the test classpath");
    runtimeClasses = builder.getPackages();
    return runtimeClasses;
  }

  private static String shorten(String where) {
    int at = where.indexOf("dev/plexauth/");
    return at >= 0 ? where.substring(at) : where;
  }

  /** animal-sniffer's logger with nothing logged; the checks override what they read. */
  private static class Quiet implements Logger {
    @Override
    public void info(String message) {}

    @Override
    public void info(String message, Throwable t) {}

    @Override
    public void debug(String message) {}

    @Override
    public void debug(String message, Throwable t) {}

    @Override
    public void warn(String message) {}

    @Override
    public void warn(String message, Throwable t) {}

    @Override
    public void error(String message) {}

    @Override
    public void error(String message, Throwable t) {}
  }

  private static final Logger QUIET = new Quiet();

  /** The checker, fed class files, honouring the mark or not. */
  private static final class Checker extends SignatureChecker {
    Checker(InputStream signature, Set<String> classpath, Logger logger, boolean unmarked)
        throws IOException {
      super(signature, classpath, logger);
      setSourcePath(List.of());
      // The annotations that exempt code: the mark, or (to count the marked forms) none at all.
      setAnnotationTypes(unmarked ? List.of() : List.of(ANNOTATION_FQN));
    }

    void check(String name, byte[] bytes) throws IOException {
      process(name, new ByteArrayInputStream(bytes));
    }
  }
}
