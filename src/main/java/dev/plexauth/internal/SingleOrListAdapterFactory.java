package dev.plexauth.internal;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import com.squareup.moshi.Moshi;
import com.squareup.moshi.Types;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Reads a {@code List<T>} from either a JSON array or a single value, because Plex servers send
 * {@code Device} and {@code Connection} as an object when there is one and as an array otherwise
 * (an artefact of their XML-to-JSON conversion).
 */
final class SingleOrListAdapterFactory implements JsonAdapter.Factory {
  static final SingleOrListAdapterFactory INSTANCE = new SingleOrListAdapterFactory();

  private SingleOrListAdapterFactory() {}

  @Override
  public JsonAdapter<?> create(Type type, Set<? extends Annotation> annotations, Moshi moshi) {
    if (!annotations.isEmpty() || Types.getRawType(type) != List.class) {
      return null;
    }
    Type elementType = Types.collectionElementType(type, List.class);
    JsonAdapter<List<Object>> listAdapter = moshi.nextAdapter(this, type, annotations);
    JsonAdapter<Object> elementAdapter = moshi.adapter(elementType);
    return new SingleOrListAdapter(listAdapter, elementAdapter).nullSafe();
  }

  private static final class SingleOrListAdapter extends JsonAdapter<List<Object>> {
    private final JsonAdapter<List<Object>> listAdapter;
    private final JsonAdapter<Object> elementAdapter;

    SingleOrListAdapter(JsonAdapter<List<Object>> listAdapter, JsonAdapter<Object> elementAdapter) {
      this.listAdapter = listAdapter;
      this.elementAdapter = elementAdapter;
    }

    @Override
    public List<Object> fromJson(JsonReader reader) throws IOException {
      if (reader.peek() == JsonReader.Token.BEGIN_ARRAY) {
        return listAdapter.fromJson(reader);
      }
      return Collections.singletonList(elementAdapter.fromJson(reader));
    }

    @Override
    public void toJson(JsonWriter writer, List<Object> value) throws IOException {
      listAdapter.toJson(writer, value);
    }

    @Override
    public String toString() {
      return "SingleOrList(" + listAdapter + ")";
    }
  }
}
