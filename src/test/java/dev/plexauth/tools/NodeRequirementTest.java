package dev.plexauth.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Node.js that the docs and scripts/lint-spec ask for is the one the pinned Redocly CLI asks
 * for: its {@code engines} in tools/lint/package-lock.json. Every "Node.js X.Y or later" names the
 * lowest version of its newest line (Redocly prints that its older line's support is ending), and
 * CONTRIBUTING.md quotes the whole range.
 */
class NodeRequirementTest {
  private static final Path LOCK = Path.of("tools/lint/package-lock.json");
  private static final List<Path> DOCS = List.of(Path.of("README.md"), Path.of("CONTRIBUTING.md"),
      Path.of("docs/CLI.md"), Path.of("scripts/lint-spec"));
  private static final Pattern OR_LATER =
      Pattern.compile("Node\\.js (\\d+\\.\\d+)(?:\\.\\d+)?(?:\\+| or later)");
  private static final Pattern LOWER_BOUND = Pattern.compile(">=(\\d+)\\.(\\d+)\\.\\d+");

  @Test
  void everyNodeRequirementIsRedoclys() throws IOException {
    JsonNode engines = new ObjectMapper().readTree(LOCK.toFile())
        .path("packages").path("node_modules/@redocly/cli").path("engines");
    String range = engines.path("node").asText();
    assertTrue(range.startsWith(">="), LOCK + " gives Redocly CLI no Node.js range: " + engines);
    String newest = newestLowerBound(range);

    String contributing = read(Path.of("CONTRIBUTING.md"));
    assertTrue(contributing.contains("`" + range + "`"),
        "CONTRIBUTING.md must quote Redocly CLI's Node.js range `" + range + "`");
    String npm = engines.path("npm").asText().replace(">=", "");
    assertTrue(contributing.contains("npm " + npm + " or later"),
        "CONTRIBUTING.md must ask for npm " + npm + " or later");
    List<String> stated = new ArrayList<>();
    for (Path doc : DOCS) {
      Matcher mention = OR_LATER.matcher(read(doc));
      while (mention.find()) {
        stated.add(doc + ": " + mention.group());
        assertEquals(newest, mention.group(1), doc + " says " + mention.group()
            + ", but Redocly CLI asks for " + range);
      }
    }
    assertTrue(stated.size() >= 2, "the Node.js requirement is stated in the docs and the script: "
        + stated);
  }

  /** {@code ">=22.12.0 || >=20.19.0 <21.0.0"} gives {@code "22.12"}. */
  private static String newestLowerBound(String range) {
    List<int[]> bounds = new ArrayList<>();
    for (String alternative : range.split("\\|\\|")) {
      Matcher lower = LOWER_BOUND.matcher(alternative.trim());
      assertTrue(lower.lookingAt(), "no lower bound in " + alternative);
      bounds.add(new int[] {Integer.parseInt(lower.group(1)), Integer.parseInt(lower.group(2))});
    }
    int[] newest = bounds.stream()
        .max(Comparator.<int[]>comparingInt(b -> b[0]).thenComparingInt(b -> b[1])).get();
    return newest[0] + "." + newest[1];
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
