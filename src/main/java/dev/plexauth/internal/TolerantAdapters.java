package dev.plexauth.internal;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import com.squareup.moshi.Moshi;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Locale;
import java.util.Set;

/**
 * Scalar adapters for the loose types real Plex servers send. Error messages name the JSON path
 * and the JSON token kind, never the value, so no token can leak through them.
 */
final class TolerantAdapters {
  private TolerantAdapters() {}

  /** Flags: {@code true}/{@code false}, {@code 1}/{@code 0}, or those as strings. */
  static final JsonAdapter<Boolean> FLAG =
      new JsonAdapter<Boolean>() {
        @Override
        public Boolean fromJson(JsonReader reader) throws IOException {
          switch (reader.peek()) {
            case NULL:
              return reader.nextNull();
            case BOOLEAN:
              return reader.nextBoolean();
            case NUMBER:
              return flag(reader, reader.nextString());
            case STRING:
              return flag(reader, reader.nextString().trim());
            default:
              throw unexpected(reader, "a flag (true/false, 1/0)");
          }
        }

        @Override
        public void toJson(JsonWriter writer, Boolean value) throws IOException {
          writer.value(value);
        }

        @Override
        public String toString() {
          return "TolerantAdapters.FLAG";
        }
      };

  /** Integers: JSON numbers or numeric strings, within the int range. */
  static final JsonAdapter<Integer> INTEGER =
      new JsonAdapter<Integer>() {
        @Override
        public Integer fromJson(JsonReader reader) throws IOException {
          switch (reader.peek()) {
            case NULL:
              return reader.nextNull();
            case NUMBER:
            case STRING:
              String text = reader.nextString().trim();
              try {
                return Integer.valueOf(text);
              } catch (NumberFormatException e) {
                throw new JsonDataException(
                    "Expected an integer but was a non-integer value at path " + reader.getPath());
              }
            default:
              throw unexpected(reader, "an integer");
          }
        }

        @Override
        public void toJson(JsonWriter writer, Integer value) throws IOException {
          writer.value(value);
        }

        @Override
        public String toString() {
          return "TolerantAdapters.INTEGER";
        }
      };

  /**
   * Strings, strictly: a number, flag, object or array where text belongs is an error, because the
   * tokens are strings and a token that arrives as a number or object is a broken answer.
   */
  static final JsonAdapter<String> STRING =
      new JsonAdapter<String>() {
        @Override
        public String fromJson(JsonReader reader) throws IOException {
          switch (reader.peek()) {
            case NULL:
              return reader.nextNull();
            case STRING:
              return reader.nextString();
            default:
              throw unexpected(reader, "a string");
          }
        }

        @Override
        public void toJson(JsonWriter writer, String value) throws IOException {
          writer.value(value);
        }

        @Override
        public String toString() {
          return "TolerantAdapters.STRING";
        }
      };

  /** Registers the scalar adapters for their boxed types only: the generated models use those. */
  static final JsonAdapter.Factory FACTORY =
      (Type type, Set<? extends Annotation> annotations, Moshi moshi) -> {
        if (!annotations.isEmpty()) {
          return null;
        }
        if (type == Boolean.class) {
          return FLAG;
        }
        if (type == Integer.class) {
          return INTEGER;
        }
        if (type == String.class) {
          return STRING;
        }
        return null;
      };

  private static Boolean flag(JsonReader reader, String text) {
    switch (text.toLowerCase(Locale.ROOT)) {
      case "1":
      case "true":
        return Boolean.TRUE;
      case "0":
      case "false":
        return Boolean.FALSE;
      default:
        throw new JsonDataException(
            "Expected a flag (true/false, 1/0) but was another value at path " + reader.getPath());
    }
  }

  private static JsonDataException unexpected(JsonReader reader, String expected)
      throws IOException {
    return new JsonDataException(
        "Expected " + expected + " but was " + reader.peek() + " at path " + reader.getPath());
  }
}
