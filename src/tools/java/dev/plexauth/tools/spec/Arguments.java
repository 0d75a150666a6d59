package dev.plexauth.tools.spec;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Parameter values given as text (on the command line, or from the spec's examples), turned into
 * each parameter's type when an operation is called. Not thread-safe.
 */
public final class Arguments {
  private final Map<String, String> values = new LinkedHashMap<>();

  /**
   * Sets a value.
   *
   * @param name the parameter's wire name
   * @param text its value as text
   * @return this
   */
  public Arguments put(String name, String text) {
    values.put(name, text);
    return this;
  }

  /**
   * Removes a value, so that the parameter is absent.
   *
   * @param name the parameter's wire name
   * @return this
   */
  public Arguments remove(String name) {
    values.remove(name);
    return this;
  }

  /**
   * The names that have a value, in the order they were set.
   *
   * @return the names
   */
  public Set<String> names() {
    return values.keySet();
  }

  /**
   * The value as text.
   *
   * @param name the parameter's wire name
   * @return the text, or null when absent
   */
  public String text(String name) {
    return values.get(name);
  }

  /**
   * A value converted to its parameter's type.
   *
   * @param name the parameter's wire name
   * @param convert turns the text into the value; its IllegalArgumentException's message says what
   *     a value must be, as the converters of this class do (for example {@code an integer})
   * @param <T> the parameter's type
   * @return the value, or null when absent
   * @throws InvalidValueException if the text is not a value of that type
   */
  public <T> T value(String name, Function<String, T> convert) {
    String text = values.get(name);
    if (text == null) {
      return null;
    }
    try {
      return convert.apply(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidValueException(name, text, e.getMessage(), e);
    }
  }

  /**
   * A flag as text: exactly {@code true}, {@code false}, {@code 1} or {@code 0}, as the CLI's help
   * and messages say; nothing else (no other case, spaces or words such as {@code yes}) is taken
   * for a flag.
   *
   * @param text the text
   * @return the flag
   * @throws IllegalArgumentException for any other text
   */
  public static Boolean flag(String text) {
    switch (text) {
      case "1":
      case "true":
        return Boolean.TRUE;
      case "0":
      case "false":
        return Boolean.FALSE;
      default:
        throw new IllegalArgumentException("true, false, 1 or 0");
    }
  }

  /**
   * An int as text: ASCII digits with an optional sign, nothing around them.
   *
   * @param text the text
   * @return the value
   * @throws IllegalArgumentException for any other text, or a value out of the int range
   */
  public static Integer integer(String text) {
    checkInteger(text);
    try {
      return Integer.valueOf(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE, e);
    }
  }

  /**
   * A long as text: ASCII digits with an optional sign, nothing around them.
   *
   * @param text the text
   * @return the value
   * @throws IllegalArgumentException for any other text, or a value out of the long range
   */
  public static Long longInteger(String text) {
    checkInteger(text);
    try {
      return Long.valueOf(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE, e);
    }
  }

  /**
   * A double as text, in decimal ({@code 1.5}, {@code -2}, {@code 3e8}), or exactly {@code NaN},
   * {@code Infinity} or {@code -Infinity}, which are handed on for the client's own check to refuse
   * by the parameter's rule; not hexadecimal, a Java suffix such as {@code 1d}, or a decimal too
   * large for a double.
   *
   * @param text the text
   * @return the value
   * @throws IllegalArgumentException for any other text
   */
  public static Double number(String text) {
    if (text.equals("NaN") || text.equals("Infinity") || text.equals("-Infinity")) {
      return Double.valueOf(text);
    }
    if (text.matches("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
      Double value = Double.valueOf(text);
      if (!value.isInfinite()) {
        return value;
      }
    }
    throw new IllegalArgumentException("a number");
  }

  /**
   * One of an enum's constants by its wire value, which is what the generated enums' {@code
   * toString()} returns.
   *
   * @param text the text
   * @param values the constants
   * @param <T> the enum
   * @return the constant whose wire value is the text
   * @throws IllegalArgumentException for any other text; the message lists the wire values
   */
  public static <T> T oneOf(String text, T[] values) {
    for (T value : values) {
      if (value.toString().equals(text)) {
        return value;
      }
    }
    throw new IllegalArgumentException("one of: " + Arrays.stream(values).map(String::valueOf)
        .collect(Collectors.joining(", ")));
  }

  private static void checkInteger(String text) {
    if (!text.matches("[+-]?[0-9]+")) {
      throw new IllegalArgumentException("an integer");
    }
  }

  /**
   * Text in double quotes, with quotes, backslashes and control characters escaped, so that a
   * message shows exactly what was given.
   *
   * @param text the text
   * @return the quoted text
   */
  public static String quoted(String text) {
    StringBuilder quoted = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        quoted.append('\\').append(c);
      } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        quoted.append(c);
      }
    }
    return quoted.append('"').toString();
  }

  /** A parameter's text that is not a value of its type; nothing was sent. */
  public static final class InvalidValueException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The parameter's wire name. */
    private final String parameter;
    /** The text given. */
    private final String text;
    /** What a value must be, for example {@code an integer}. */
    private final String expected;

    InvalidValueException(String parameter, String text, String expected, Throwable cause) {
      super(parameter + " must be " + expected + ", got " + quoted(text), cause);
      this.parameter = parameter;
      this.text = text;
      this.expected = expected;
    }

    /**
     * The parameter.
     *
     * @return its wire name
     */
    public String parameter() {
      return parameter;
    }

    /**
     * The text given.
     *
     * @return the text
     */
    public String text() {
      return text;
    }

    /**
     * What a value must be.
     *
     * @return a phrase that follows "must be", for example {@code one of: delegation}
     */
    public String expected() {
      return expected;
    }
  }

  @Override
  public String toString() {
    return "Arguments" + values.keySet();
  }
}
