package dev.plexauth.codegen;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the CommonMark of the spec's descriptions into javadoc that reads well in source and in
 * the rendered pages: code spans become {@code {@code ...}}, {@code **bold**} becomes
 * {@code <b>}, links become {@code <a href>}, blank-line paragraphs become {@code <p>}, and lists
 * of {@code - } items become {@code <ul>}. Characters that javadoc would read as HTML are written
 * with {@code {@literal ...}}, never as HTML entities.
 */
final class Javadoc {
  /** The longest line the generated javadoc aims for, prefix included. */
  static final int WIDTH = 100;

  private Javadoc() {}

  /**
   * Converts {@code markdown} and wraps it, each line after the first starting with {@code prefix}.
   *
   * @throws IllegalArgumentException if the text would end the comment ({@code *}{@code /})
   */
  static String render(String markdown, String prefix) {
    return render(markdown, prefix, 0);
  }

  /**
   * As {@link #render(String, String)}, the first line starting {@code indent} columns after the
   * prefix (after {@code @param name }, for example).
   */
  static String render(String markdown, String prefix, int indent) {
    if (markdown == null || markdown.trim().isEmpty()) {
      return "";
    }
    if (markdown.contains("*/")) {
      throw new IllegalArgumentException("a description must not contain */ (it would end the"
          + " javadoc comment): " + markdown);
    }
    List<String> blocks = new ArrayList<>();
    for (String block : markdown.trim().split("\\n\\s*\\n")) {
      blocks.add(block(block));
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < blocks.size(); i++) {
      String block = blocks.get(i);
      if (i > 0) {
        out.append('\n').append(prefix.replaceAll("\\s+$", "")).append('\n').append(prefix);
        if (!block.startsWith("<ul>")) {
          block = "<p>" + block;
        }
      }
      out.append(wrap(block, prefix, i == 0 ? indent : 0));
    }
    return out.toString();
  }

  /** One paragraph or list, as one line. */
  private static String block(String block) {
    String[] lines = block.split("\\n");
    boolean list = lines[0].trim().startsWith("- ") || lines[0].trim().startsWith("* ");
    if (!list) {
      return inline(String.join(" ", trimmed(lines)));
    }
    List<String> items = new ArrayList<>();
    for (String line : lines) {
      String t = line.trim();
      if (t.startsWith("- ") || t.startsWith("* ")) {
        items.add(t.substring(2).trim());
      } else if (!items.isEmpty()) {
        items.set(items.size() - 1, items.get(items.size() - 1) + " " + t);
      }
    }
    StringBuilder ul = new StringBuilder("<ul>");
    for (String item : items) {
      ul.append(" <li>").append(inline(item));
    }
    return ul.append(" </ul>").toString();
  }

  private static List<String> trimmed(String[] lines) {
    List<String> result = new ArrayList<>();
    for (String line : lines) {
      result.add(line.trim());
    }
    return result;
  }

  /** Code spans, bold, links and escapes within one line. */
  static String inline(String text) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '`') {
        int end = text.indexOf('`', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("an unclosed code span (`) in: " + text);
        }
        out.append(code(text.substring(i + 1, end)));
        i = end + 1;
      } else if (text.startsWith("**", i) && text.indexOf("**", i + 2) > i + 2) {
        int end = text.indexOf("**", i + 2);
        out.append("<b>").append(inline(text.substring(i + 2, end))).append("</b>");
        i = end + 2;
      } else if (c == '[' && link(text, i) != null) {
        String[] link = link(text, i);
        out.append("<a href=\"").append(link[1]).append("\">").append(inline(link[0]))
            .append("</a>");
        i = Integer.parseInt(link[2]);
      } else if (c == '<' || c == '>' || c == '&' || c == '@' || c == '{' || c == '}') {
        out.append("{@literal ").append(c).append('}');
        i++;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** {@code {@code ...}} when its braces balance (javadoc requires that), else literal pieces. */
  private static String code(String content) {
    int depth = 0;
    for (char c : content.toCharArray()) {
      depth += c == '{' ? 1 : c == '}' ? -1 : 0;
      if (depth < 0) {
        break;
      }
    }
    if (depth != 0 || content.trim().isEmpty()) {
      throw new IllegalArgumentException("a code span with unbalanced braces or no text: `"
          + content + "`");
    }
    return "{@code " + content + "}";
  }

  /** A {@code [text](url)} link at {@code start}: text, url and the index after it, or null. */
  private static String[] link(String text, int start) {
    int close = text.indexOf("](", start);
    int end = close < 0 ? -1 : text.indexOf(')', close);
    if (close < 0 || end < 0 || text.substring(start, close).contains("`")) {
      return null;
    }
    String url = text.substring(close + 2, end);
    if (!url.matches("https?://[^\\s\"<>]+")) {
      return null;
    }
    return new String[] {text.substring(start + 1, close), url, Integer.toString(end + 1)};
  }

  /** Wraps one block at {@link #WIDTH}, breaking at spaces only. */
  private static String wrap(String line, String prefix, int indent) {
    StringBuilder out = new StringBuilder();
    int column = prefix.length() + indent;
    for (String word : line.split(" ")) {
      if (word.isEmpty()) {
        continue;
      }
      if (out.length() > 0 && column + 1 + word.length() > WIDTH) {
        out.append('\n').append(prefix);
        column = prefix.length();
      } else if (out.length() > 0) {
        out.append(' ');
        column++;
      }
      out.append(word);
      column += word.length();
    }
    return out.toString();
  }

  /** The text as the body of a Java string literal. */
  static String javaString(String text) {
    StringBuilder out = new StringBuilder();
    for (char c : text.toCharArray()) {
      switch (c) {
        case '\\':
          out.append("\\\\");
          break;
        case '"':
          out.append("\\\"");
          break;
        case '\n':
          out.append("\\n");
          break;
        default:
          if (c < 0x20 || c > 0x7e) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    return out.toString();
  }
}
