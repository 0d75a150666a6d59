package dev.plexauth.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The README's compiled examples: the code between {@code // README-START} and {@code //
 * README-END} lines of an example class must appear in README.md verbatim, as a java block.
 */
public final class ReadmeBlocks {
  private ReadmeBlocks() {}

  /**
   * Asserts that README.md shows every marked block of the example verbatim.
   *
   * @param example the example's source file, relative to the project
   * @param expectedBlocks how many marked blocks the example has
   */
  public static void assertReadmeShows(Path example, int expectedBlocks) throws IOException {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    List<String> blocks = markedBlocks(Files.readString(example, StandardCharsets.UTF_8));
    assertEquals(expectedBlocks, blocks.size(), "marked blocks in " + example);
    for (String block : blocks) {
      assertTrue(readme.contains("```java\n" + block + "```"),
          "README.md must show this block of " + example.getFileName() + " verbatim:\n" + block);
    }
  }

  /** Each run of lines between README-START and README-END, less their common indentation. */
  static List<String> markedBlocks(String source) {
    List<String> blocks = new ArrayList<>();
    StringBuilder block = null;
    String indent = "";
    for (String line : source.split("\n", -1)) {
      if (line.trim().equals("// README-START")) {
        block = new StringBuilder();
        indent = line.substring(0, line.indexOf('/'));
      } else if (line.trim().equals("// README-END")) {
        blocks.add(block.toString());
        block = null;
      } else if (block != null) {
        block.append(line.startsWith(indent) ? line.substring(indent.length()) : line).append('\n');
      }
    }
    return blocks;
  }
}
