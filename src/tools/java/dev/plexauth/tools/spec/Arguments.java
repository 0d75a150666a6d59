package dev.plexauth.tools.spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

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
   * @param convert turns the text into the value; its IllegalArgumentException names the problem
   * @param <T> the parameter's type
   * @return the value, or null when absent
   * @throws IllegalArgumentException if the text is not a value of that type; the message names
   *     the parameter
   */
  public <T> T value(String name, Function<String, T> convert) {
    String text = values.get(name);
    if (text == null) {
      return null;
    }
    try {
      return convert.apply(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
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
        throw new IllegalArgumentException("expected true or false (or 1 or 0)");
    }
  }

  @Override
  public String toString() {
    return "Arguments" + values.keySet();
  }
}
