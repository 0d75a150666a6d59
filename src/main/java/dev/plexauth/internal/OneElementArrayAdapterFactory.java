package dev.plexauth.internal;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import com.squareup.moshi.Moshi;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Set;

/**
 * Reads an object that some servers wrap in a one-element array. Plex documents
 * {@code MediaContainer.Device} as one object, but servers whose JSON comes from their XML send
 * {@code [ {...} ]}. An empty array reads as absent; more than one element is an error, because
 * which one was meant cannot be known.
 */
final class OneElementArrayAdapterFactory implements JsonAdapter.Factory {
  private final Set<Class<?>> types;

  OneElementArrayAdapterFactory(Set<Class<?>> types) {
    this.types = Set.copyOf(types);
  }

  @Override
  public JsonAdapter<?> create(Type type, Set<? extends Annotation> annotations, Moshi moshi) {
    if (!annotations.isEmpty() || !(type instanceof Class) || !types.contains(type)) {
      return null;
    }
    JsonAdapter<Object> delegate = moshi.nextAdapter(this, type, annotations);
    return new JsonAdapter<Object>() {
      @Override
      public Object fromJson(JsonReader reader) throws IOException {
        if (reader.peek() != JsonReader.Token.BEGIN_ARRAY) {
          return delegate.fromJson(reader);
        }
        reader.beginArray();
        if (!reader.hasNext()) {
          reader.endArray();
          return null;
        }
        Object only = delegate.fromJson(reader);
        if (reader.hasNext()) {
          throw new JsonDataException(
              "Expected one element but found several at path " + reader.getPath());
        }
        reader.endArray();
        return only;
      }

      @Override
      public void toJson(JsonWriter writer, Object value) throws IOException {
        delegate.toJson(writer, value);
      }

      @Override
      public String toString() {
        return "OneElementArray(" + delegate + ")";
      }
    };
  }
}
