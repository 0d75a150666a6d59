package dev.plexauth.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Walks a spec example together with its schema (fully resolved, as {@link SpecFixture#okSchema()}
 * gives it), so that a test can change one value of any example without knowing the operation:
 * every property and array item the example holds is a {@link Site}, with its schema, whether the
 * schema requires it, and the JSON path a decoding error must name. Stateless; every method returns
 * new text and leaves its input alone.
 */
public final class SpecJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private SpecJson() {}

  /**
   * One value of an example: a property of an object, or an item of an array.
   *
   * @param steps the way from the root: property names and array indexes
   * @param name the property's name, or null for an array item
   * @param schema the value's schema
   * @param required whether the enclosing object's schema requires the property (never for items)
   */
  public record Site(List<Object> steps, String name, Schema<?> schema, boolean required) {
    public Site {
      steps = List.copyOf(steps);
    }

    /** The schema's type: {@code object}, {@code array}, {@code string}, {@code integer}... */
    public String type() {
      return typeOf(schema);
    }

    /** The path as Moshi's {@code JsonReader.getPath()} writes it, for example {@code $.a.b[0].c}. */
    public String jsonPath() {
      StringBuilder path = new StringBuilder("$");
      for (Object step : steps) {
        path.append(step instanceof Integer ? "[" + step + "]" : "." + step);
      }
      return path.toString();
    }

    /** The JSON pointer (RFC 6901) the spec validator names, for example {@code /a/b/0/c}. */
    public String pointer() {
      StringBuilder pointer = new StringBuilder();
      for (Object step : steps) {
        pointer.append('/').append(step.toString().replace("~", "~0").replace("/", "~1"));
      }
      return pointer.toString();
    }

    /** Whether the spec marks the value {@code x-secret}. */
    public boolean secret() {
      return schema != null && schema.getExtensions() != null
          && Boolean.TRUE.equals(schema.getExtensions().get("x-secret"));
    }

    /** The value at this site in {@code root}, or null when it has none. */
    public JsonNode in(JsonNode root) {
      JsonNode node = root;
      for (Object step : steps) {
        node = node == null ? null
            : step instanceof Integer ? node.get((Integer) step) : node.get((String) step);
      }
      return node;
    }

    @Override
    public String toString() {
      return jsonPath();
    }
  }

  /**
   * Parses JSON text.
   *
   * @param json the text
   * @return the tree
   */
  public static JsonNode tree(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes a tree as compact JSON text.
   *
   * @param node the tree
   * @return the text
   */
  public static String text(JsonNode node) {
    try {
      return Json.mapper().writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every property and array item of the example that its schema declares, depth first in the
   * example's order (unknown properties are left out).
   *
   * @param json the example
   * @param schema its schema, fully resolved
   * @return the sites
   */
  public static List<Site> sites(String json, Schema<?> schema) {
    List<Site> sites = new ArrayList<>();
    walk(tree(json), schema, new ArrayList<>(), sites);
    return sites;
  }

  private static void walk(JsonNode node, Schema<?> schema, List<Object> steps, List<Site> sites) {
    if (node == null || schema == null) {
      return;
    }
    if (node.isObject() && schema.getProperties() != null) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        Schema<?> property = schema.getProperties().get(field.getKey());
        if (property == null) {
          continue;
        }
        List<Object> next = append(steps, field.getKey());
        boolean required = schema.getRequired() != null
            && schema.getRequired().contains(field.getKey());
        sites.add(new Site(next, field.getKey(), property, required));
        walk(field.getValue(), property, next, sites);
      }
    } else if (node.isArray() && schema.getItems() != null) {
      for (int i = 0; i < node.size(); i++) {
        List<Object> next = append(steps, i);
        sites.add(new Site(next, null, schema.getItems(), false));
        walk(node.get(i), schema.getItems(), next, sites);
      }
    }
  }

  private static List<Object> append(List<Object> steps, Object step) {
    List<Object> next = new ArrayList<>(steps);
    next.add(step);
    return next;
  }

  /**
   * The example with the value at {@code site} replaced.
   *
   * @param json the example
   * @param site where
   * @param value the new value (JSON null included)
   * @return the new text
   */
  public static String replace(String json, Site site, JsonNode value) {
    JsonNode root = tree(json);
    JsonNode parent = parentOf(root, site);
    Object last = site.steps().get(site.steps().size() - 1);
    if (last instanceof Integer) {
      ((ArrayNode) parent).set((Integer) last, value);
    } else {
      ((ObjectNode) parent).set((String) last, value);
    }
    return text(root);
  }

  /**
   * The example without the value at {@code site}: the property left out, or the item taken out.
   *
   * @param json the example
   * @param site where
   * @return the new text
   */
  public static String remove(String json, Site site) {
    JsonNode root = tree(json);
    JsonNode parent = parentOf(root, site);
    Object last = site.steps().get(site.steps().size() - 1);
    if (last instanceof Integer) {
      ((ArrayNode) parent).remove((Integer) last);
    } else {
      ((ObjectNode) parent).remove((String) last);
    }
    return text(root);
  }

  private static JsonNode parentOf(JsonNode root, Site site) {
    List<Object> steps = site.steps();
    return new Site(steps.subList(0, steps.size() - 1), null, null, false).in(root);
  }

  /**
   * JSON values that no tolerant reading turns into a value of the schema's type: a string for a
   * number or a flag that is no number or flag, a number or an object for a string, a scalar for
   * an object; for an array, what its items cannot be (a single value is read as one item).
   *
   * @param schema the schema
   * @return the values, never empty for the types the spec uses
   */
  public static List<JsonNode> notOfItsType(Schema<?> schema) {
    List<JsonNode> values = new ArrayList<>();
    switch (typeOf(schema)) {
      case "string":
        values.add(NODES.numberNode(12345));
        values.add(NODES.booleanNode(true));
        values.add(NODES.objectNode().put("value", "x"));
        values.add(NODES.arrayNode().add("x"));
        break;
      case "integer":
        values.add(NODES.textNode("none"));
        values.add(NODES.textNode(""));
        values.add(NODES.numberNode(3.5));
        values.add(NODES.booleanNode(true));
        values.add(NODES.objectNode());
        values.add(NODES.arrayNode());
        if (!"int64".equals(schema.getFormat())) {
          values.add(NODES.numberNode(99_999_999_999L));
        }
        break;
      case "number":
        values.add(NODES.textNode("none"));
        values.add(NODES.textNode("NaN"));
        values.add(NODES.booleanNode(true));
        values.add(NODES.objectNode());
        break;
      case "boolean":
        values.add(NODES.textNode("yes"));
        values.add(NODES.textNode(""));
        values.add(NODES.numberNode(2));
        values.add(NODES.numberNode(-1));
        values.add(NODES.numberNode(0.5));
        values.add(NODES.objectNode());
        values.add(NODES.arrayNode());
        break;
      case "object":
        values.add(NODES.textNode("text"));
        values.add(NODES.numberNode(243));
        values.add(NODES.booleanNode(true));
        break;
      case "array":
        values.addAll(notOfItsType(schema.getItems()));
        break;
      default:
        break;
    }
    return values;
  }

  /**
   * Strings that break the schema's {@code minLength}, {@code maxLength} or {@code pattern}; empty
   * when it has none of them (or is not a string).
   *
   * @param schema the schema
   * @return the values
   */
  public static List<String> breakingItsConstraints(Schema<?> schema) {
    List<String> values = new ArrayList<>();
    if (!"string".equals(typeOf(schema))) {
      return values;
    }
    if (schema.getMinLength() != null && schema.getMinLength() > 0) {
      values.add("x".repeat(schema.getMinLength() - 1));
    }
    if (schema.getMaxLength() != null) {
      values.add("x".repeat(schema.getMaxLength() + 1));
    }
    if (schema.getPattern() != null) {
      Pattern pattern = Pattern.compile(schema.getPattern());
      for (String candidate : List.of(" ", "with space", "", "x", "\u00e9", "\t")) {
        if (!pattern.matcher(candidate).find()) {
          values.add(candidate);
          break;
        }
      }
    }
    return values;
  }

  /**
   * Whether a decoding error's message names this JSON path as where it broke: the path itself,
   * or an item of it, but not a property below it.
   *
   * @param message the message
   * @param jsonPath a path as {@link Site#jsonPath()} gives it, where {@code [*]} stands for any
   *     index
   * @return whether it does
   */
  public static boolean namesPath(String message, String jsonPath) {
    String path = Pattern.quote(jsonPath).replace("[*]", "\\E\\[\\d+\\]\\Q");
    return message != null && Pattern.compile(
        "path " + path + "(\\[\\d+\\])?(?![.\\w\\[])").matcher(message).find();
  }

  /**
   * The type of a schema, from its {@code type} or, when that is absent, from its shape.
   *
   * @param schema the schema, or null
   * @return {@code object}, {@code array}, a scalar type, or the empty string
   */
  public static String typeOf(Schema<?> schema) {
    if (schema == null) {
      return "";
    }
    if (schema.getType() != null) {
      return schema.getType();
    }
    if (schema.getProperties() != null) {
      return "object";
    }
    return schema.getItems() != null ? "array" : "";
  }

  /**
   * The operation's parameters as the spec declares them (resolved), empty when it has none.
   *
   * @param fixture the operation
   * @return the parameters, never null
   */
  public static List<Parameter> parameters(SpecFixture fixture) {
    List<Parameter> parameters = fixture.spec().getParameters();
    return parameters == null ? List.of() : parameters;
  }

  /**
   * The names from an operation's 200 answer to what its client method returns: the spec's
   * {@code x-unwrap}, else {@code MediaContainer} when the answer has one, else none.
   *
   * @param fixture the operation
   * @return the property names, outermost first
   */
  public static List<String> unwrapPath(SpecFixture fixture) {
    Object declared = fixture.spec().getExtensions() == null ? null
        : fixture.spec().getExtensions().get("x-unwrap");
    if (declared instanceof List) {
      List<String> names = new ArrayList<>();
      for (Object name : (List<?>) declared) {
        names.add(name.toString());
      }
      return names;
    }
    Map<String, Schema> properties = fixture.okSchema().getProperties();
    return properties != null && properties.containsKey("MediaContainer")
        ? List.of("MediaContainer") : List.of();
  }
}
