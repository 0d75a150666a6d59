package dev.plexauth.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.Schema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The properties of an example answer, walked together with its (fully resolved) schema: each
 * property the example holds, at any depth, with its JSON path as Moshi reports it ({@code
 * $.MediaContainer.Device.Connection[0].uri}), its schema, whether its object requires it and
 * whether the spec marks it {@code x-secret}; and rewrites of the example at one property. Suites
 * that break answers on purpose derive every case from here, so a new operation's example brings
 * its own cases. Immutable.
 */
public final class ExampleProperties {
  /** Stands in for raw JSON or bytes while the example is serialized; never in a real example. */
  private static final String MARKER = "plex-auth-example-marker-7f3c";

  /** One property present in an example. */
  public static final class Property {
    private final List<Object> steps;
    private final String name;
    private final Schema<?> schema;
    private final boolean required;
    private final JsonNode value;

    private Property(List<Object> steps, String name, Schema<?> schema, boolean required,
        JsonNode value) {
      this.steps = List.copyOf(steps);
      this.name = name;
      this.schema = schema;
      this.required = required;
      this.value = value;
    }

    /** The JSON path, as Moshi's errors name it, for example {@code $.MediaContainer.token}. */
    public String path() {
      return pathOf(steps);
    }

    /** The property's JSON name. */
    public String name() {
      return name;
    }

    /** Its schema, resolved. */
    public Schema<?> schema() {
      return schema;
    }

    /** Whether the object holding it lists it as {@code required}. */
    public boolean required() {
      return required;
    }

    /** Whether the spec marks it {@code x-secret: true}. */
    public boolean secret() {
      Map<String, Object> extensions = schema.getExtensions();
      return extensions != null && Boolean.TRUE.equals(extensions.get("x-secret"));
    }

    /** The schema's type: {@code string}, {@code integer}, {@code object}, {@code array}... */
    public String type() {
      return typeOf(schema);
    }

    /** The example's value. */
    public JsonNode value() {
      return value;
    }

    /**
     * The example with this property's value replaced.
     *
     * @param json the example this property was found in
     * @param change given the current value, returns the new one, or null to leave it out
     * @return the rewritten example as JSON text
     */
    public String rewrite(String json, UnaryOperator<JsonNode> change) {
      JsonNode root = read(json);
      JsonNode parent = at(root, steps.subList(0, steps.size() - 1));
      Object last = steps.get(steps.size() - 1);
      JsonNode current = last instanceof String ? parent.get((String) last)
          : parent.get((Integer) last);
      JsonNode replacement = change.apply(current.deepCopy());
      if (last instanceof String) {
        if (replacement == null) {
          ((ObjectNode) parent).remove((String) last);
        } else {
          ((ObjectNode) parent).set((String) last, replacement);
        }
      } else if (replacement == null) {
        ((ArrayNode) parent).remove((Integer) last);
      } else {
        ((ArrayNode) parent).set((Integer) last, replacement);
      }
      return write(root);
    }

    /** The example without this property. */
    public String removedFrom(String json) {
      return rewrite(json, value -> null);
    }

    /** The example with this property's value replaced by raw JSON text (which may be huge). */
    public String withRaw(String json, String raw) {
      return rewrite(json, value -> TextNode.valueOf(MARKER)).replace('"' + MARKER + '"', raw);
    }

    /**
     * The example as UTF-8 with one raw byte in the middle of this (string) property's value,
     * for bytes that no Java string can carry, such as {@code 0xFF}.
     */
    public byte[] withByteInside(String json, byte raw) {
      String text = value.asText();
      int middle = text.length() / 2;
      String marked = rewrite(json,
          value -> TextNode.valueOf(text.substring(0, middle) + MARKER + text.substring(middle)));
      byte[] utf8 = marked.getBytes(StandardCharsets.UTF_8);
      byte[] marker = MARKER.getBytes(StandardCharsets.UTF_8);
      ByteArrayOutputStream out = new ByteArrayOutputStream(utf8.length);
      for (int i = 0; i < utf8.length; i++) {
        if (startsAt(utf8, i, marker)) {
          out.write(raw);
          i += marker.length - 1;
        } else {
          out.write(utf8[i]);
        }
      }
      return out.toByteArray();
    }

    @Override
    public String toString() {
      return path();
    }
  }

  private ExampleProperties() {}

  /**
   * Every property the example holds, at any depth, in document order (a property before those
   * inside it), array items' properties included.
   *
   * @param json an example answer
   * @param schema its schema, fully resolved (no $refs)
   * @return the properties
   */
  public static List<Property> of(String json, Schema<?> schema) {
    List<Property> properties = new ArrayList<>();
    walk(read(json), schema, new ArrayList<>(), properties, new ArrayList<>());
    return Collections.unmodifiableList(properties);
  }

  /** As {@link #of(String, Schema)} for an operation's 200 JSON example. */
  public static List<Property> of(SpecFixture fixture) {
    return of(fixture.okJson(), fixture.okSchema());
  }

  /**
   * The JSON path of every object in the example (the root, {@code $}, first), array items
   * included, for faults that add something to each.
   */
  public static List<String> objectPaths(String json) {
    List<String> paths = new ArrayList<>();
    List<List<Object>> objects = new ArrayList<>();
    walk(read(json), null, new ArrayList<>(), new ArrayList<>(), objects);
    for (List<Object> steps : objects) {
      paths.add(pathOf(steps));
    }
    return paths;
  }

  /**
   * The example with an unknown property added to the object at {@code objectPath}, its value
   * given as raw JSON text (which may be huge or deeply nested).
   *
   * @param json an example
   * @param objectPath one of {@link #objectPaths(String)}
   * @param name the new property's name
   * @param raw its value, raw JSON
   * @return the rewritten example
   */
  public static String withUnknownProperty(String json, String objectPath, String name,
      String raw) {
    JsonNode root = read(json);
    List<List<Object>> objects = new ArrayList<>();
    walk(root, null, new ArrayList<>(), new ArrayList<>(), objects);
    for (List<Object> steps : objects) {
      if (pathOf(steps).equals(objectPath)) {
        ((ObjectNode) at(root, steps)).put(name, MARKER);
        return write(root).replace('"' + MARKER + '"', raw);
      }
    }
    throw new IllegalArgumentException("no object at " + objectPath);
  }

  /** A schema's type, {@code object} for one with properties but no declared type. */
  public static String typeOf(Schema<?> schema) {
    if (schema == null) {
      return null;
    }
    if (schema.getType() != null) {
      return schema.getType();
    }
    if (schema.getTypes() != null && !schema.getTypes().isEmpty()) {
      return schema.getTypes().iterator().next();
    }
    return schema.getProperties() != null ? "object" : null;
  }

  private static void walk(JsonNode node, Schema<?> schema, List<Object> steps,
      List<Property> properties, List<List<Object>> objects) {
    if (node.isObject()) {
      objects.add(List.copyOf(steps));
      Map<String, Schema> declared = schema == null ? null : schema.getProperties();
      List<String> required = schema == null || schema.getRequired() == null ? List.of()
          : schema.getRequired();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        Schema<?> child = declared == null ? null : declared.get(field.getKey());
        steps.add(field.getKey());
        if (child != null) {
          properties.add(new Property(steps, field.getKey(), child,
              required.contains(field.getKey()), field.getValue()));
        }
        walk(field.getValue(), child, steps, properties, objects);
        steps.remove(steps.size() - 1);
      }
    } else if (node.isArray()) {
      Schema<?> items = schema == null ? null : schema.getItems();
      for (int i = 0; i < node.size(); i++) {
        steps.add(i);
        walk(node.get(i), items, steps, properties, objects);
        steps.remove(steps.size() - 1);
      }
    }
  }

  private static String pathOf(List<Object> steps) {
    StringBuilder path = new StringBuilder("$");
    for (Object step : steps) {
      path.append(step instanceof String ? "." + step : "[" + step + "]");
    }
    return path.toString();
  }

  private static JsonNode at(JsonNode root, List<Object> steps) {
    JsonNode node = root;
    for (Object step : steps) {
      node = step instanceof String ? node.get((String) step) : node.get((Integer) step);
    }
    return node;
  }

  private static boolean startsAt(byte[] bytes, int at, byte[] prefix) {
    if (at + prefix.length > bytes.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode read(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String write(JsonNode node) {
    try {
      return Json.mapper().writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
