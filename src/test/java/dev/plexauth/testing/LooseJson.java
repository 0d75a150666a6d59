package dev.plexauth.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Rewrites a spec example the way real Plex servers loosen their JSON, guided by the schema (which
 * must be fully resolved): flags as {@code 1}/{@code 0} or {@code "1"}/{@code "0"} or {@code
 * "true"}/{@code "false"}, integers and numbers as strings, a one-element array as its element, a
 * declared object as a one-element array, and unknown properties (with nested junk) at every
 * level. Each {@link Form} is one consistent rewrite; the SDK must read every form as the example.
 */
public final class LooseJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** One way of loosening the example. */
  public enum Form {
    /** Flags as the numbers 1 and 0, numbers as strings, one-element arrays as their element. */
    NUMBERS_AND_SINGLE_VALUES,
    /** Flags as the strings "1" and "0", declared objects as one-element arrays. */
    STRINGS_AND_WRAPPED_OBJECTS,
    /** Flags as the strings "true" and "false", unknown properties everywhere. */
    WORDS_AND_UNKNOWN_PROPERTIES
  }

  private LooseJson() {}

  /**
   * Loosens {@code json}.
   *
   * @param json an example that the schema describes
   * @param schema the example's schema, fully resolved (no $refs)
   * @param form how to loosen it
   * @return the loosened JSON text
   */
  public static String loosen(String json, Schema<?> schema, Form form) {
    try {
      JsonNode tree = Json.mapper().readTree(json);
      return Json.mapper().writeValueAsString(rewrite(tree, schema, form, true));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code bare}: the root or an array item, which stay objects (an array of arrays is not loose, it is wrong). */
  private static JsonNode rewrite(JsonNode node, Schema<?> schema, Form form, boolean bare) {
    if (schema == null || node == null || node.isNull()) {
      return node;
    }
    String type = schema.getType();
    if (node.isObject() && schema.getProperties() != null) {
      ObjectNode out = NODES.objectNode();
      if (form == Form.WORDS_AND_UNKNOWN_PROPERTIES) {
        out.set("plexAuthUnknownBefore", junk());
      }
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        Schema<?> property = schema.getProperties().get(field.getKey());
        out.set(field.getKey(), rewrite(field.getValue(), property, form, false));
      }
      if (form == Form.WORDS_AND_UNKNOWN_PROPERTIES) {
        out.put("plexAuthUnknownAfter", "ignored");
      }
      if (form == Form.STRINGS_AND_WRAPPED_OBJECTS && !bare) {
        return NODES.arrayNode().add(out);
      }
      return out;
    }
    if (node.isArray() && schema.getItems() != null) {
      ArrayNode out = NODES.arrayNode();
      for (JsonNode item : node) {
        out.add(rewrite(item, schema.getItems(), form, true));
      }
      if (form == Form.NUMBERS_AND_SINGLE_VALUES && out.size() == 1) {
        return out.get(0);
      }
      return out;
    }
    if (node.isBoolean() && "boolean".equals(type)) {
      boolean value = node.booleanValue();
      switch (form) {
        case NUMBERS_AND_SINGLE_VALUES:
          return NODES.numberNode(value ? 1 : 0);
        case STRINGS_AND_WRAPPED_OBJECTS:
          return NODES.textNode(value ? "1" : "0");
        default:
          return NODES.textNode(Boolean.toString(value));
      }
    }
    if (node.isNumber() && ("integer".equals(type) || "number".equals(type))
        && form == Form.NUMBERS_AND_SINGLE_VALUES) {
      return NODES.textNode(node.asText());
    }
    return node;
  }

  private static JsonNode junk() {
    ObjectNode junk = NODES.objectNode();
    junk.putArray("list").add(1).add("two").addObject().put("three", true);
    junk.putObject("nested").putObject("deeper").putNull("nothing");
    return junk;
  }

  /**
   * Every form, for parameterized tests.
   *
   * @return the forms
   */
  public static List<Form> forms() {
    return new ArrayList<>(List.of(Form.values()));
  }
}
