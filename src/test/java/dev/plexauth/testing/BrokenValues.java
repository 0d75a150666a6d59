package dev.plexauth.testing;

import io.swagger.v3.oas.models.media.Schema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Values that a schema's rules refuse, derived from the schema and an example value, for tests
 * that check every rule the spec states (for a parameter before anything is sent, for an answer
 * when it is read) without naming a parameter or a property. Each value is checked against the
 * rule it is meant to break, so a value the rule happens to accept is never offered.
 */
public final class BrokenValues {
  private BrokenValues() {}

  /**
   * Strings one character short of {@code minLength} and one past {@code maxLength}.
   *
   * @param schema a string schema
   * @param example a value it accepts, or null
   * @return the values, possibly none
   */
  public static List<String> outOfLength(Schema<?> schema, String example) {
    String base = example == null || example.isEmpty() ? "x" : example;
    List<String> values = new ArrayList<>();
    Integer min = schema.getMinLength();
    if (min != null && min > 0) {
      values.add(padded(base, min - 1));
    }
    Integer max = schema.getMaxLength();
    if (max != null) {
      values.add(padded(base, max + 1));
    }
    return values;
  }

  /**
   * Numbers just past {@code minimum} and {@code maximum} (or at them, when exclusive), as text.
   *
   * @param schema an integer or number schema
   * @return the values, possibly none
   */
  public static List<String> outOfRange(Schema<?> schema) {
    boolean integer = "integer".equals(ExampleProperties.typeOf(schema));
    BigDecimal step = integer ? BigDecimal.ONE : new BigDecimal("0.5");
    List<String> values = new ArrayList<>();
    if (schema.getMinimum() != null) {
      boolean exclusive = Boolean.TRUE.equals(schema.getExclusiveMinimum());
      values.add(text(exclusive ? schema.getMinimum() : schema.getMinimum().subtract(step)));
    }
    if (schema.getMaximum() != null) {
      boolean exclusive = Boolean.TRUE.equals(schema.getExclusiveMaximum());
      values.add(text(exclusive ? schema.getMaximum() : schema.getMaximum().add(step)));
    }
    return values;
  }

  /**
   * Strings that the schema's {@code pattern} refuses, made from its example: blank; with a
   * space, CR LF, a tab, NUL, DEL, a line feed or a non-ASCII letter in the middle; with a
   * trailing line feed (which a Java {@code $} would let through); only its second half; and,
   * for a URI-like example, with {@code http} as its scheme, with nothing after the scheme, and
   * without it.
   *
   * @param schema a string schema
   * @param example a value it accepts, or null
   * @return the values the pattern refuses, none when there is no pattern
   */
  public static List<String> breakingPattern(Schema<?> schema, String example) {
    if (schema.getPattern() == null) {
      return List.of();
    }
    Pattern pattern = javaPattern(schema.getPattern());
    String e = example == null || example.isEmpty() ? "x" : example;
    int middle = e.length() / 2;
    Set<String> candidates = new LinkedHashSet<>();
    candidates.add("");
    candidates.add("   ");
    for (String inside : List.of(" ", "\r\n", "\t", "\u0000", "\u007f", "\n", "\u00e9")) {
      candidates.add(e.substring(0, middle) + inside + e.substring(middle));
    }
    candidates.add(e + "\n");
    candidates.add(e.substring(middle));
    int scheme = e.indexOf("://");
    if (scheme > 0) {
      candidates.add("http" + e.substring(scheme));
      candidates.add(e.substring(0, scheme + 3));
      candidates.add(e.substring(scheme + 3));
    }
    List<String> refused = new ArrayList<>();
    for (String candidate : candidates) {
      if (!pattern.matcher(candidate).find()) {
        refused.add(candidate);
      }
    }
    return refused;
  }

  /**
   * The spec's (ECMA-262) pattern as a Java one: a {@code $} outside a character class ends the
   * input, as in ECMA-262 without the {@code m} flag, where Java's would also match before a
   * final line terminator.
   */
  public static Pattern javaPattern(String ecma) {
    StringBuilder java = new StringBuilder();
    boolean inClass = false;
    for (int i = 0; i < ecma.length(); i++) {
      char c = ecma.charAt(i);
      if (c == '\\' && i + 1 < ecma.length()) {
        java.append(c).append(ecma.charAt(++i));
      } else if (c == '[') {
        inClass = true;
        java.append(c);
      } else if (c == ']') {
        inClass = false;
        java.append(c);
      } else if (c == '$' && !inClass) {
        java.append("\\z");
      } else {
        java.append(c);
      }
    }
    return Pattern.compile(java.toString());
  }

  /** A short description of a value for test names and messages: escapes, and length when long. */
  public static String describe(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  private static String padded(String base, int length) {
    StringBuilder value = new StringBuilder(base.length() > length ? base.substring(0, length)
        : base);
    while (value.length() < length) {
      value.append('x');
    }
    return value.toString();
  }

  private static String text(BigDecimal number) {
    return number.stripTrailingZeros().toPlainString();
  }
}
