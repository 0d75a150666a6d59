package dev.plexauth.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Walks a spec example together with its schema (fully resolved, as {@link SpecFixture#okSchema()}
 * gives it), so that a test can change one value of any example without knowing the operation:
 * every property and array item the example holds is a {@link Site}, with its schema, its value,
 * whether the schema requires it, whether the spec marks it {@code x-secret}, and the JSON path a
 * decoding error must name. Rewrites replace or remove the value at a site (as a JSON value, raw
 * JSON text, or with a raw byte inside), or add an unknown property to any object; other helpers
 * give values that a schema's type or rules refuse. Suites that break answers on purpose derive
 * every case from here, so a new operation's example brings its own cases. Stateless; every method
 * returns new text and leaves its input alone.
 */
public final class SpecJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** Stands in for raw JSON or bytes while an example is serialized; never in a real example. */
  private static final String MARKER = "plex-auth-example-marker-7f3c";

  private SpecJson() {}

  /**
   * One value of an example: a property of an object, or an item of an array.
   *
   * @param steps the way from the root: property names and array indexes
   * @param name the property's name, or null for an array item
   * @param schema the value's schema
   * @param required whether the enclosing object's schema requires the property (never for items)
   * @param value the example's value here (JSON null included), shared with the walked tree: read
   *     it, copy it to change it
   */
  public record Site(List<Object> steps, String name, Schema<?> schema, boolean required,
      JsonNode value) {
    public Site {
      steps = List.copyOf(steps);
    }

    /** The schema's type: {@code object}, {@code array}, {@code string}, {@code integer}... */
    public String type() {
      return typeOf(schema);
    }

    /** The path as Moshi's {@code JsonReader.getPath()} writes it, for example {@code $.a.b[0].c}. */
    public String jsonPath() {
      return pathOf(steps);
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
      return at(root, steps);
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
   * example's order (a value before those inside it; unknown properties, and what they hold, are
   * left out).
   *
   * @param json the example
   * @param schema its schema, fully resolved
   * @return the sites
   */
  public static List<Site> sites(String json, Schema<?> schema) {
    List<Site> sites = new ArrayList<>();
    walk(tree(json), schema, new ArrayList<>(), (steps, name, declared, required, value) -> {
      if (declared != null) {
        sites.add(new Site(steps, name, declared, required, value));
      }
    });
    return sites;
  }

  /**
   * As {@link #sites(String, Schema)} for an operation's 200 JSON example.
   *
   * @param fixture the operation
   * @return the sites
   */
  public static List<Site> sites(SpecFixture fixture) {
    return sites(fixture.okJson(), fixture.okSchema());
  }

  /**
   * The JSON path of every object in the example, the root ({@code $}) first, then depth first in
   * the example's order, array items and undeclared objects included: for faults that add
   * something to each.
   *
   * @param json the example
   * @return the paths, as {@link Site#jsonPath()} writes them
   */
  public static List<String> objectPaths(String json) {
    List<String> paths = new ArrayList<>();
    for (List<Object> steps : objectSteps(tree(json))) {
      paths.add(pathOf(steps));
    }
    return paths;
  }

  /**
   * The example with an unknown property added to the object at {@code objectPath}, its value
   * given as raw JSON text (which may be huge or nested deeper than a parser allows).
   *
   * @param json the example
   * @param objectPath one of {@link #objectPaths(String)}
   * @param name the new property's name
   * @param raw its value, raw JSON text
   * @return the new text
   * @throws IllegalArgumentException if the example has no object there
   */
  public static String withUnknownProperty(String json, String objectPath, String name,
      String raw) {
    JsonNode root = tree(json);
    for (List<Object> steps : objectSteps(root)) {
      if (pathOf(steps).equals(objectPath)) {
        ((ObjectNode) at(root, steps)).put(name, MARKER);
        return withRawMarker(text(root), raw);
      }
    }
    throw new IllegalArgumentException("no object at " + objectPath);
  }

  /** What the walk meets: each property and item, with its schema when one declares it. */
  @FunctionalInterface
  private interface Visitor {
    /**
     * @param steps the way from the root
     * @param name the property's name, or null for an array item
     * @param schema its schema, or null when its object or array declares none
     * @param required whether its object's schema requires it
     * @param value the example's value
     */
    void visit(List<Object> steps, String name, Schema<?> schema, boolean required,
        JsonNode value);
  }

  /**
   * Visits every value below {@code node}, depth first in the example's order, each before what
   * it holds, with the schema that declares it; below an undeclared value every schema is null.
   */
  private static void walk(JsonNode node, Schema<?> schema, List<Object> steps, Visitor visitor) {
    if (node.isObject()) {
      Map<String, Schema> declared = schema == null ? null : schema.getProperties();
      List<String> required = schema == null || schema.getRequired() == null ? List.of()
          : schema.getRequired();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        Schema<?> property = declared == null ? null : declared.get(field.getKey());
        List<Object> next = append(steps, field.getKey());
        visitor.visit(next, field.getKey(), property, required.contains(field.getKey()),
            field.getValue());
        walk(field.getValue(), property, next, visitor);
      }
    } else if (node.isArray()) {
      Schema<?> items = schema == null ? null : schema.getItems();
      for (int i = 0; i < node.size(); i++) {
        List<Object> next = append(steps, i);
        visitor.visit(next, null, items, false, node.get(i));
        walk(node.get(i), items, next, visitor);
      }
    }
  }

  /** The steps to every object in the tree, the root's (none) first. */
  private static List<List<Object>> objectSteps(JsonNode root) {
    List<List<Object>> objects = new ArrayList<>();
    if (root.isObject()) {
      objects.add(List.of());
    }
    walk(root, null, new ArrayList<>(), (steps, name, schema, required, value) -> {
      if (value.isObject()) {
        objects.add(steps);
      }
    });
    return objects;
  }

  private static List<Object> append(List<Object> steps, Object step) {
    List<Object> next = new ArrayList<>(steps);
    next.add(step);
    return next;
  }

  /** A path as Moshi's {@code JsonReader.getPath()} writes it, for example {@code $.a.b[0].c}. */
  private static String pathOf(List<Object> steps) {
    StringBuilder path = new StringBuilder("$");
    for (Object step : steps) {
      path.append(step instanceof Integer ? "[" + step + "]" : "." + step);
    }
    return path.toString();
  }

  /** The value the steps lead to from {@code root}, or null when there is none. */
  private static JsonNode at(JsonNode root, List<Object> steps) {
    JsonNode node = root;
    for (Object step : steps) {
      node = node == null ? null
          : step instanceof Integer ? node.get((Integer) step) : node.get((String) step);
    }
    return node;
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

  /**
   * The example with the value at {@code site} replaced by raw JSON text, which may be anything
   * (broken, huge, nested deeper than a parser allows).
   *
   * @param json the example
   * @param site where
   * @param raw the new value's text, as it is to be sent
   * @return the new text
   */
  public static String replaceRaw(String json, Site site, String raw) {
    return withRawMarker(replace(json, site, TextNode.valueOf(MARKER)), raw);
  }

  /**
   * The example as UTF-8 with one raw byte in the middle of the string at {@code site}, for bytes
   * that no Java string can carry, such as {@code 0xFF}.
   *
   * @param json the example
   * @param site where, a string of the example
   * @param raw the byte
   * @return the new bytes
   */
  public static byte[] withByteInside(String json, Site site, byte raw) {
    String value = site.in(tree(json)).asText();
    int middle = value.length() / 2;
    String marked = replace(json, site,
        TextNode.valueOf(value.substring(0, middle) + MARKER + value.substring(middle)));
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

  private static JsonNode parentOf(JsonNode root, Site site) {
    List<Object> steps = site.steps();
    return at(root, steps.subList(0, steps.size() - 1));
  }

  /** The text with the marker, written as a JSON string, replaced by raw JSON. */
  private static String withRawMarker(String text, String raw) {
    return text.replace('"' + MARKER + '"', raw);
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

  /**
   * As {@link #notOfItsType(Schema, JsonNode)} with no example value to wrap.
   *
   * @param schema the schema
   * @return the values, never empty for the types the spec uses
   */
  public static List<JsonNode> notOfItsType(Schema<?> schema) {
    return notOfItsType(schema, null);
  }

  /**
   * JSON values that no tolerant reading turns into a value of the schema's type: a string for a
   * number or a flag that is no number or flag, a number or an object for a string, a scalar for
   * an object, an array of two for a flag; for an array, what its items cannot be (a single value
   * is read as one item). Where an object stands for a scalar it wraps the example's value as
   * {@code {"value": ...}}, so a secret sent in the wrong shape must still stay out of messages.
   *
   * @param schema the schema
   * @param example the example's value there, or null (for an array, the array)
   * @return the values, never empty for the types the spec uses
   */
  public static List<JsonNode> notOfItsType(Schema<?> schema, JsonNode example) {
    List<JsonNode> values = new ArrayList<>();
    ObjectNode wrapped = NODES.objectNode();
    wrapped.set("value", example == null ? NODES.textNode("x") : example.deepCopy());
    switch (typeOf(schema)) {
      case "string":
        values.add(NODES.numberNode(12345));
        values.add(NODES.booleanNode(true));
        values.add(wrapped);
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
        if (example != null) {
          values.add(wrapped);
        }
        break;
      case "number":
        values.add(NODES.textNode("none"));
        values.add(NODES.textNode("NaN"));
        values.add(NODES.booleanNode(true));
        values.add(NODES.objectNode());
        if (example != null) {
          values.add(wrapped);
        }
        break;
      case "boolean":
        values.add(NODES.textNode("yes"));
        values.add(NODES.textNode(""));
        values.add(NODES.numberNode(2));
        values.add(NODES.numberNode(-1));
        values.add(NODES.numberNode(0.5));
        values.add(NODES.objectNode());
        values.add(NODES.arrayNode());
        values.add(NODES.arrayNode().add(true).add(false));
        if (example != null) {
          values.add(wrapped);
        }
        break;
      case "object":
        values.add(NODES.textNode("text"));
        values.add(NODES.numberNode(12345));
        values.add(NODES.booleanNode(true));
        break;
      case "array":
        JsonNode item = example != null && example.isArray() && example.size() > 0
            ? example.get(0) : null;
        values.addAll(notOfItsType(schema.getItems(), item));
        break;
      default:
        break;
    }
    return values;
  }

  /**
   * As {@link #breakingItsConstraints(Schema, String)} with no example to start from.
   *
   * @param schema the schema
   * @return the values
   */
  public static List<String> breakingItsConstraints(Schema<?> schema) {
    return breakingItsConstraints(schema, null);
  }

  /**
   * Strings that break the schema's {@code enum}, {@code minLength}, {@code maxLength} or {@code
   * pattern} (one value the enum does not list, {@link #outOfLength} and {@link
   * #breakingPattern}); empty when it has none of them (or is not a string).
   *
   * @param schema the schema
   * @param example a value it accepts, to make the values from, or null
   * @return the values
   */
  public static List<String> breakingItsConstraints(Schema<?> schema, String example) {
    List<String> values = new ArrayList<>();
    if ("string".equals(typeOf(schema))) {
      if (schema.getEnum() != null) {
        String unlisted = "unlisted";
        while (schema.getEnum().contains(unlisted)) {
          unlisted += "-too";
        }
        values.add(unlisted);
      }
      values.addAll(outOfLength(schema, example));
      values.addAll(breakingPattern(schema, example));
    }
    return values;
  }

  /**
   * Strings one character short of {@code minLength} and one past {@code maxLength}, made from
   * the example (cut, or padded with {@code x}) so that only their length is wrong.
   *
   * @param schema a string schema
   * @param example a value it accepts, or null
   * @return the values, possibly none
   */
  public static List<String> outOfLength(Schema<?> schema, String example) {
    String base = example == null || example.isEmpty() ? "x" : example;
    List<String> values = new ArrayList<>();
    Integer min = schema.getMinLength();
    if (min != null && min > 0) {
      values.add(padded(base, min - 1));
    }
    Integer max = schema.getMaxLength();
    if (max != null) {
      values.add(padded(base, max + 1));
    }
    return values;
  }

  /**
   * Numbers just past {@code minimum} and {@code maximum} (or at them, when exclusive), as text.
   *
   * @param schema an integer or number schema
   * @return the values, possibly none
   */
  public static List<String> outOfRange(Schema<?> schema) {
    BigDecimal step = "integer".equals(typeOf(schema)) ? BigDecimal.ONE : new BigDecimal("0.5");
    List<String> values = new ArrayList<>();
    if (schema.getMinimum() != null) {
      boolean exclusive = Boolean.TRUE.equals(schema.getExclusiveMinimum());
      values.add(plain(exclusive ? schema.getMinimum() : schema.getMinimum().subtract(step)));
    }
    if (schema.getMaximum() != null) {
      boolean exclusive = Boolean.TRUE.equals(schema.getExclusiveMaximum());
      values.add(plain(exclusive ? schema.getMaximum() : schema.getMaximum().add(step)));
    }
    return values;
  }

  /**
   * NaN and both infinities, as text, for a {@code number} schema (which no bound lets through,
   * as NaN fails every comparison); none for any other.
   *
   * @param schema a schema
   * @return the values, possibly none
   */
  public static List<String> notFinite(Schema<?> schema) {
    return "number".equals(typeOf(schema)) ? List.of("NaN", "Infinity", "-Infinity") : List.of();
  }

  /**
   * Strings that the schema's {@code pattern} refuses, each checked against it (as {@link
   * #javaPattern} reads it), so a value the pattern happens to accept is never offered. The
   * candidates: blank (empty, one space, three); the example with a space, CR LF, a tab, NUL, DEL,
   * a line feed or a non-ASCII letter in the middle; with a trailing line feed (which a Java
   * {@code $} would let through); only its second half; and, for a URI-like example, with {@code
   * http} as its scheme, with nothing after the scheme, and without it.
   *
   * @param schema a string schema
   * @param example a value it accepts, or null
   * @return the values the pattern refuses, none when there is no pattern
   */
  public static List<String> breakingPattern(Schema<?> schema, String example) {
    if (schema.getPattern() == null) {
      return List.of();
    }
    Pattern pattern = javaPattern(schema.getPattern());
    String e = example == null || example.isEmpty() ? "x" : example;
    int middle = e.length() / 2;
    Set<String> candidates = new LinkedHashSet<>(List.of("", " ", "   "));
    for (String inside : List.of(" ", "\r\n", "\t", "\u0000", "\u007f", "\n", "\u00e9")) {
      candidates.add(e.substring(0, middle) + inside + e.substring(middle));
    }
    candidates.add(e + "\n");
    candidates.add(e.substring(middle));
    int scheme = e.indexOf("://");
    if (scheme > 0) {
      candidates.add("http" + e.substring(scheme));
      candidates.add(e.substring(0, scheme + 3));
      candidates.add(e.substring(scheme + 3));
    }
    List<String> refused = new ArrayList<>();
    for (String candidate : candidates) {
      if (!pattern.matcher(candidate).find()) {
        refused.add(candidate);
      }
    }
    return refused;
  }

  /**
   * The spec's (ECMA-262) pattern as a Java one: a {@code $} outside a character class ends the
   * input, as in ECMA-262 without the {@code m} flag, where Java's would also match before a
   * final line terminator.
   *
   * @param ecma the pattern as the spec writes it
   * @return the pattern, to be used with {@code find()}
   */
  public static Pattern javaPattern(String ecma) {
    StringBuilder java = new StringBuilder();
    boolean inClass = false;
    for (int i = 0; i < ecma.length(); i++) {
      char c = ecma.charAt(i);
      if (c == '\\' && i + 1 < ecma.length()) {
        java.append(c).append(ecma.charAt(++i));
      } else if (c == '[') {
        inClass = true;
        java.append(c);
      } else if (c == ']') {
        inClass = false;
        java.append(c);
      } else if (c == '$' && !inClass) {
        java.append("\\z");
      } else {
        java.append(c);
      }
    }
    return Pattern.compile(java.toString());
  }

  /**
   * A short description of a value for test names and messages: quoted, with each control
   * character as a Java unicode escape.
   *
   * @param value the value
   * @return the description
   */
  public static String describe(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  private static String padded(String base, int length) {
    StringBuilder value = new StringBuilder(base.length() > length ? base.substring(0, length)
        : base);
    while (value.length() < length) {
      value.append('x');
    }
    return value.toString();
  }

  private static String plain(BigDecimal number) {
    return number.stripTrailingZeros().toPlainString();
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
   * The type of a schema, from its {@code type} (or the first of OpenAPI 3.1's {@code types}) or,
   * when that is absent, from its shape.
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
    if (schema.getTypes() != null && !schema.getTypes().isEmpty()) {
      return schema.getTypes().iterator().next();
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
