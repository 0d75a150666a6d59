package dev.plexauth.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonReader;
import java.io.IOException;
import java.util.List;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/**
 * A value the readers refuse is named by its own JSON path, also inside an array, where Moshi has
 * already moved to the next index once the value is consumed.
 */
class PlexJsonReadersTest {
  @Test
  void aRefusedItemOfAListIsNamedByItsOwnIndex() {
    assertPath("$.ids[1]", "{\"ids\":[1,\"x\"]}", PlexJsonReaders.INTEGER);
    assertPath("$.ids[0]", "{\"ids\":[\"x\"]}", PlexJsonReaders.LONG);
    assertPath("$.ids[2]", "{\"ids\":[1.5,2,\"1e999x\"]}", PlexJsonReaders.DOUBLE);
    assertPath("$.ids[1]", "{\"ids\":[true,\"maybe\"]}", PlexJsonReaders.FLAG);
    assertPath("$.ids[0]", "{\"ids\":[\"a\ufffdb\"]}", PlexJsonReaders.STRING);
  }

  @Test
  void aRefusedItemBeforeItIsConsumedIsNamedByItsOwnIndexToo() {
    assertPath("$.ids[1]", "{\"ids\":[\"a\",{}]}", PlexJsonReaders.STRING);
  }

  @Test
  void aRefusedPropertyIsNamedByItsName() throws IOException {
    JsonReader reader = JsonReader.of(new Buffer().writeUtf8("{\"label\":\"\"}"));
    reader.beginObject();
    reader.nextName();
    String value = PlexJsonReaders.STRING.fromJson(reader);
    JsonDataException e = assertThrows(JsonDataException.class,
        () -> PlexJsonReaders.checkMinLength(reader, value, 1));
    assertTrue(e.getMessage().endsWith("at path $.label"), e.getMessage());
  }

  private static void assertPath(String path, String json, JsonAdapter<?> items) {
    JsonDataException e = assertThrows(JsonDataException.class, () -> {
      JsonReader reader = JsonReader.of(new Buffer().writeUtf8(json));
      reader.beginObject();
      reader.nextName();
      List<?> read = PlexJsonReaders.readList(reader, items);
      throw new AssertionError("read " + read);
    });
    assertTrue(e.getMessage().endsWith("at path " + path), json + ": " + e.getMessage());
  }
}
