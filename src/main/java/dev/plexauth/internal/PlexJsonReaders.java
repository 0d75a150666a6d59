package dev.plexauth.internal;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The tolerant readers and the checks that the generated JSON adapters call, one per field type:
 * what real Plex servers send is looser than the spec. Not part of the API. Thread-safe.
 *
 * <ul>
 *   <li>Flags: {@code true}/{@code false}, {@code 1}/{@code 0}, or those as strings.
 *   <li>Integers and numbers: JSON numbers or numeric strings.
 *   <li>Strings: strictly strings (a token that arrives as a number or object is a broken answer),
 *       without the replacement character U+FFFD (what broken UTF-8 decodes to).
 *   <li>Lists: an array, or one value where the spec declares an array; null items are dropped.
 *   <li>Objects: an object, or a one-element array where the spec declares one object (an empty
 *       array is absent; more than one element is an error, as which was meant is unknowable).
 * </ul>
 *
 * <p>Every error is a {@link JsonDataException} naming the JSON path and the kind of value, never
 * the value: it may be a secret.
 */
public final class PlexJsonReaders {
  private PlexJsonReaders() {}

  /** Flags, tolerantly. */
  public static final JsonAdapter<Boolean> FLAG = new Scalar<Boolean>("a flag (true/false, 1/0)") {
    @Override
    Boolean read(JsonReader reader) throws IOException {
      switch (reader.peek()) {
        case BOOLEAN:
          return reader.nextBoolean();
        case NUMBER:
        case STRING:
          switch (reader.nextString().trim().toLowerCase(Locale.ROOT)) {
            case "1":
            case "true":
              return Boolean.TRUE;
            case "0":
            case "false":
              return Boolean.FALSE;
            default:
              throw new JsonDataException(
                  "Expected a flag (true/false, 1/0) but was another value at path "
                      + valuePath(reader));
          }
        default:
          throw unexpected(reader, expected);
      }
    }

    @Override
    void write(JsonWriter writer, Boolean value) throws IOException {
      writer.value(value);
    }
  };

  /** 32-bit integers: numbers or numeric strings. */
  public static final JsonAdapter<Integer> INTEGER = new Numeric<Integer>("an integer") {
    @Override
    Integer parse(String text) {
      return Integer.valueOf(text);
    }

    @Override
    void write(JsonWriter writer, Integer value) throws IOException {
      writer.value(value);
    }
  };

  /** 64-bit integers: numbers or numeric strings. */
  public static final JsonAdapter<Long> LONG = new Numeric<Long>("an integer") {
    @Override
    Long parse(String text) {
      return Long.valueOf(text);
    }

    @Override
    void write(JsonWriter writer, Long value) throws IOException {
      writer.value(value);
    }
  };

  /** Numbers: numbers or numeric strings, finite. */
  public static final JsonAdapter<Double> DOUBLE = new Numeric<Double>("a number") {
    @Override
    Double parse(String text) {
      double value = Double.parseDouble(text);
      if (Double.isNaN(value) || Double.isInfinite(value)) {
        throw new NumberFormatException("not finite");
      }
      return value;
    }

    @Override
    void write(JsonWriter writer, Double value) throws IOException {
      writer.value(value);
    }
  };

  /**
   * Strings, strictly, and without U+FFFD: Moshi reads broken UTF-8 as that replacement character,
   * and a value that lost bytes (a token, an identifier) is not the value the server meant.
   */
  public static final JsonAdapter<String> STRING = new Scalar<String>("a string") {
    @Override
    String read(JsonReader reader) throws IOException {
      if (reader.peek() != JsonReader.Token.STRING) {
        throw unexpected(reader, expected);
      }
      String value = reader.nextString();
      if (value.indexOf('\ufffd') >= 0) {
        throw new JsonDataException("Expected text but was text with a replacement character"
            + " (U+FFFD: bytes that are not UTF-8) at path " + valuePath(reader));
      }
      return value;
    }

    @Override
    void write(JsonWriter writer, String value) throws IOException {
      writer.value(value);
    }
  };

  /**
   * Reads a list: an array, or one value where the spec declares an array.
   *
   * @param reader positioned at the value
   * @param items reads one item
   * @param <T> the item type
   * @return the items without null ones (what a null item would have been is unknowable), or
   *     null for JSON null
   * @throws IOException as the reader throws it; a {@link JsonDataException} for an item the
   *     element adapter rejects
   */
  public static <T> @Nullable List<T> readList(JsonReader reader, JsonAdapter<T> items)
      throws IOException {
    JsonReader.Token token = reader.peek();
    if (token == JsonReader.Token.NULL) {
      return reader.nextNull();
    }
    if (token != JsonReader.Token.BEGIN_ARRAY) {
      T only = items.fromJson(reader);
      return only == null ? Collections.<T>emptyList() : Collections.singletonList(only);
    }
    List<T> list = new ArrayList<>();
    reader.beginArray();
    while (reader.hasNext()) {
      T item = items.fromJson(reader);
      if (item != null) {
        list.add(item);
      }
    }
    reader.endArray();
    return list;
  }

  /**
   * Reads an object: an object, or a one-element array where the spec declares one object.
   *
   * @param reader positioned at the value
   * @param adapter reads the object
   * @param <T> the object's type
   * @return the object, or null for JSON null or an empty array
   * @throws IOException as the reader throws it; a {@link JsonDataException} for an array of
   *     more than one element
   */
  public static <T> @Nullable T readObject(JsonReader reader, JsonAdapter<T> adapter)
      throws IOException {
    if (reader.peek() != JsonReader.Token.BEGIN_ARRAY) {
      return adapter.fromJson(reader);
    }
    reader.beginArray();
    if (!reader.hasNext()) {
      reader.endArray();
      return null;
    }
    T only = adapter.fromJson(reader);
    if (reader.hasNext()) {
      throw new JsonDataException(
          "Expected one object but found several at path " + reader.getPath());
    }
    reader.endArray();
    return only;
  }

  /**
   * Writes a list as an array (JSON null for null).
   *
   * @param writer where to write
   * @param items writes one item
   * @param list the list, or null
   * @param <T> the item type
   * @throws IOException as the writer throws it
   */
  public static <T> void writeList(JsonWriter writer, JsonAdapter<T> items,
      @Nullable List<T> list)
      throws IOException {
    if (list == null) {
      writer.nullValue();
      return;
    }
    writer.beginArray();
    for (T item : list) {
      items.toJson(writer, item);
    }
    writer.endArray();
  }

  /**
   * An unmodifiable copy, empty for null: what the models' list properties hold.
   *
   * @param list the list, or null
   * @param <T> the item type
   * @return the copy, never null
   */
  public static <T> List<T> immutableList(@Nullable List<T> list) {
    return list == null || list.isEmpty() ? Collections.<T>emptyList()
        : Collections.unmodifiableList(new ArrayList<>(list));
  }

  /**
   * Fails the read of a value that is not one of the spec's {@code enum}; null passes.
   *
   * @param reader the reader, for the JSON path
   * @param value the value just read
   * @param rule the values as the spec lists them, for the message
   * @param allowed the values
   * @throws JsonDataException if the value is not one of them
   */
  public static void checkOneOf(JsonReader reader, @Nullable Object value, String rule,
      Object... allowed) {
    if (value == null) {
      return;
    }
    for (Object candidate : allowed) {
      if (candidate.equals(value)) {
        return;
      }
    }
    throw new JsonDataException("Expected one of " + rule + " but was another value at path "
        + valuePath(reader));
  }

  /**
   * Fails the read of an integer below the spec's {@code minimum}; null passes.
   *
   * @param reader the reader, for the JSON path
   * @param value the value just read
   * @param min the spec's minimum
   * @param rule the minimum as the spec writes it, for the message
   * @throws JsonDataException if the value is below it
   */
  public static void checkMinimum(JsonReader reader, @Nullable Number value, long min,
      String rule) {
    if (value != null && value.longValue() < min) {
      throw outOfRange(reader, "at least " + rule + " (minimum)");
    }
  }

  /**
   * Fails the read of a number below the spec's {@code minimum}; null passes.
   *
   * @param reader the reader, for the JSON path
   * @param value the value just read
   * @param min the spec's minimum
   * @param rule the minimum as the spec writes it, for the message
   * @throws JsonDataException if the value is below it
   */
  public static void checkMinimum(JsonReader reader, @Nullable Number value, double min,
      String rule) {
    if (value != null && value.doubleValue() < min) {
      throw outOfRange(reader, "at least " + rule + " (minimum)");
    }
  }

  /**
   * Fails the read of an integer above the spec's {@code maximum}; null passes.
   *
   * @param reader the reader, for the JSON path
   * @param value the value just read
   * @param max the spec's maximum
   * @param rule the maximum as the spec writes it, for the message
   * @throws JsonDataException if the value is above it
   */
  public static void checkMaximum(JsonReader reader, @Nullable Number value, long max,
      String rule) {
    if (value != null && value.longValue() > max) {
      throw outOfRange(reader, "at most " + rule + " (maximum)");
    }
  }

  /**
   * Fails the read of a number above the spec's {@code maximum}; null passes.
   *
   * @param reader the reader, for the JSON path
   * @param value the value just read
   * @param max the spec's maximum
   * @param rule the maximum as the spec writes it, for the message
   * @throws JsonDataException if the value is above it
   */
  public static void checkMaximum(JsonReader reader, @Nullable Number value, double max,
      String rule) {
    if (value != null && value.doubleValue() > max) {
      throw outOfRange(reader, "at most " + rule + " (maximum)");
    }
  }

  private static JsonDataException outOfRange(JsonReader reader, String expected) {
    return new JsonDataException("Expected a value " + expected + " but was another value at path "
        + valuePath(reader));
  }

  /**
   * Fails the read of a value shorter than the spec's {@code minLength}; null passes.
   *
   * @param reader the reader, for the JSON path
   * @param value the value just read
   * @param min the spec's minLength
   * @throws JsonDataException if the value is shorter
   */
  public static void checkMinLength(JsonReader reader, @Nullable String value, int min) {
    if (value != null && value.length() < min) {
      throw new JsonDataException("Expected at least " + min + " character" + (min == 1 ? "" : "s")
          + " (minLength) but was shorter at path " + valuePath(reader));
    }
  }

  /**
   * Fails the read of a value longer than the spec's {@code maxLength}; null passes.
   *
   * @param reader the reader, for the JSON path
   * @param value the value just read
   * @param max the spec's maxLength
   * @throws JsonDataException if the value is longer
   */
  public static void checkMaxLength(JsonReader reader, @Nullable String value, int max) {
    if (value != null && value.length() > max) {
      throw new JsonDataException("Expected at most " + max + " characters (maxLength) but was"
          + " longer at path " + valuePath(reader));
    }
  }

  /**
   * Fails the read of a value that does not match the spec's {@code pattern}; null passes.
   *
   * @param reader the reader, for the JSON path
   * @param value the value just read
   * @param pattern the spec's pattern, compiled for {@code find()}
   * @param rule the pattern as the spec writes it, for the message
   * @throws JsonDataException if the value does not match
   */
  public static void checkPattern(JsonReader reader, @Nullable String value, Pattern pattern,
      String rule) {
    if (value != null && !pattern.matcher(value).find()) {
      throw new JsonDataException("Expected a value matching the pattern " + rule
          + " but was another value at path " + valuePath(reader));
    }
  }

  /**
   * The failure for a required property that is absent or null, naming its JSON path.
   *
   * @param reader positioned after the object that lacks it
   * @param name the property's JSON name
   * @return the failure, to throw
   */
  public static JsonDataException missing(JsonReader reader, String name) {
    return new JsonDataException("Required value missing at path " + valuePath(reader) + "."
        + name);
  }

  /**
   * The path of the value just read (an object just closed, or a scalar just consumed). In an
   * array, the reader has already moved to the next index ({@code $.a[1]} after reading {@code
   * $.a[0]}), so the last index steps back.
   */
  private static String valuePath(JsonReader reader) {
    String path = reader.getPath();
    int open = path.lastIndexOf('[');
    if (!path.endsWith("]") || open < 0) {
      return path;
    }
    try {
      int index = Integer.parseInt(path.substring(open + 1, path.length() - 1));
      return path.substring(0, open + 1) + Math.max(0, index - 1) + "]";
    } catch (NumberFormatException e) {
      return path;
    }
  }

  /**
   * The failure for an enum value the spec does not list.
   *
   * @param reader the reader, for the JSON path
   * @param values the values the spec lists, for the message
   * @return the failure, to throw
   */
  public static JsonDataException notOneOf(JsonReader reader, String values) {
    return new JsonDataException("Expected one of " + values + " but was another value at path "
        + valuePath(reader));
  }

  private static JsonDataException unexpected(JsonReader reader, String expected)
      throws IOException {
    return new JsonDataException(
        "Expected " + expected + " but was " + reader.peek() + " at path " + reader.getPath());
  }

  /** A number, from a JSON number or a numeric string. */
  private abstract static class Numeric<T> extends Scalar<T> {
    Numeric(String expected) {
      super(expected);
    }

    /** @throws NumberFormatException if the text is not a number of this kind */
    abstract T parse(String text);

    @Override
    final T read(JsonReader reader) throws IOException {
      JsonReader.Token token = reader.peek();
      if (token != JsonReader.Token.NUMBER && token != JsonReader.Token.STRING) {
        throw unexpected(reader, expected);
      }
      try {
        return parse(reader.nextString().trim());
      } catch (NumberFormatException e) {
        throw new JsonDataException(
            "Expected " + expected + " but was another value at path " + valuePath(reader));
      }
    }
  }

  /** A null-safe scalar adapter: JSON null reads as null, null writes as JSON null. */
  private abstract static class Scalar<T> extends JsonAdapter<T> {
    final String expected;

    Scalar(String expected) {
      this.expected = expected;
    }

    abstract T read(JsonReader reader) throws IOException;

    abstract void write(JsonWriter writer, T value) throws IOException;

    @Override
    public final @Nullable T fromJson(JsonReader reader) throws IOException {
      return reader.peek() == JsonReader.Token.NULL ? reader.<T>nextNull() : read(reader);
    }

    @Override
    public final void toJson(JsonWriter writer, @Nullable T value) throws IOException {
      if (value == null) {
        writer.nullValue();
      } else {
        write(writer, value);
      }
    }

    @Override
    public String toString() {
      return "PlexJsonReaders(" + expected + ")";
    }
  }
}
