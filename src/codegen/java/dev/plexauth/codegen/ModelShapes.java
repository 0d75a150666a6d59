package dev.plexauth.codegen;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.openapitools.codegen.CodegenModel;
import org.openapitools.codegen.CodegenProperty;

/**
 * Prepares each model of {@code components/schemas} for {@code pojo.mustache} and {@code
 * jsonAdapter.mustache}: the Java type, reader and writer of every property, its checks at decode
 * time ({@code required}, {@code enum}, {@code minimum}, {@code maximum}, {@code minLength}, {@code
 * maxLength}, {@code pattern}) and those rules in words, its default, its nullability and whether
 * it is {@code x-secret}. The results are vendor extensions named {@code x-gen-*}, so that
 * templates only emit what is decided here. What a model cannot be generated from (two properties
 * with one Java name, a name a model method takes, a lost {@code x-secret}) is refused by name.
 */
final class ModelShapes {
  private final OpenAPI openAPI;
  private final UnaryOperator<String> modelName;

  ModelShapes(OpenAPI openAPI, UnaryOperator<String> modelName) {
    this.openAPI = openAPI;
    this.modelName = modelName;
  }

  /** Method names every model has: its builder, and Object's. */
  private static final Set<String> TAKEN = Set.of("builder", "newBuilder", "toString",
      "hashCode", "equals", "getClass", "notify", "notifyAll", "wait", "clone", "finalize");

  void shape(CodegenModel model) {
    Schema<?> schema = openAPI.getComponents().getSchemas().get(model.name);
    if (schema == null) {
      throw new IllegalStateException("model " + model.classname + " has no component schema");
    }
    model.vendorExtensions.put("x-gen-description", schema.getDescription());
    if (model.isEnum) {
      shapeEnum(model, schema);
      return;
    }
    List<String> wireNames = new ArrayList<>();
    Map<String, String> javaNames = new HashMap<>();
    for (CodegenProperty property : model.vars) {
      String where = "components/schemas/" + model.name + "/properties/" + property.baseName;
      String other = javaNames.put(property.name, property.baseName);
      if (other != null) {
        throw new IllegalStateException(where + ": it and " + other + " both become the Java"
            + " name " + property.name + "; rename one");
      }
      if (TAKEN.contains(property.name)) {
        throw new IllegalStateException(where + ": its Java name " + property.name + " is taken"
            + " by the model's own " + property.name + "(); rename the property");
      }
      Schema<?> raw = schema.getProperties().get(property.baseName);
      property.vendorExtensions.put("x-gen-index", wireNames.size());
      shapeProperty(model, property, raw);
      wireNames.add("\"" + Javadoc.javaString(property.baseName) + "\"");
    }
    model.vendorExtensions.put("x-gen-wire-names", String.join(", ", wireNames));
  }

  private void shapeEnum(CodegenModel model, Schema<?> schema) {
    boolean integer = "integer".equals(schema.getType());
    if (!integer && !"string".equals(schema.getType())) {
      throw new IllegalStateException("components/schemas/" + model.name
          + ": enums of strings or integers only");
    }
    model.vendorExtensions.put("x-gen-integer", integer);
  }

  private void shapeProperty(CodegenModel model, CodegenProperty property, Schema<?> raw) {
    String where = "components/schemas/" + model.name + "/properties/" + property.baseName;
    ValueType type = ValueType.of(openAPI, raw, where, modelName);
    Map<String, Object> x = property.vendorExtensions;
    boolean required = model.getRequiredVars().stream()
        .anyMatch(r -> r.baseName.equals(property.baseName));
    x.put("x-gen-required", required);
    x.put("x-gen-field-type", type.javaType);
    // A named scalar's description stands in for the property's; an item's or a model's does not.
    x.put("x-gen-description", raw.getDescription() != null || type.list || type.component != null
        ? raw.getDescription() : type.rules.getDescription());
    x.put("x-gen-secret", Boolean.TRUE.equals(extension(raw, "x-secret")));
    if (raw.getItems() != null && Boolean.TRUE.equals(extension(raw.getItems(), "x-secret"))) {
      throw new IllegalStateException(where + ": x-secret on an array's items is not read; put"
          + " x-secret: true on the array property itself");
    }
    if (raw.get$ref() != null && extension(raw, "x-secret") != null) {
      throw new IllegalStateException(where + ": x-secret beside a $ref is ignored (OpenAPI 3.0"
          + " reads nothing beside a $ref); mark the referenced schema's properties instead");
    }
    if (type.list) {
      x.put("x-gen-read", "PlexJsonReaders.readList(reader, "
          + type.adapter + ")");
      x.put("x-gen-write", "PlexJsonReaders.writeList(writer, "
          + type.adapter + ", value." + property.name + "())");
    } else {
      x.put("x-gen-read", type.model
          ? "PlexJsonReaders.readObject(reader, " + type.adapter + ")"
          : type.adapter + ".fromJson(reader)");
      x.put("x-gen-write", type.adapter + ".toJson(writer, value." + property.name + "())");
    }
    x.put("x-gen-list", type.list);
    // toString() masks token-shaped text in every value it prints itself (models print their own).
    x.put("x-gen-text", !type.model);
    Object defaultValue = firstNonNull(raw.getDefault(), type.rules.getDefault());
    boolean hasDefault = defaultValue != null && !type.list && type.component == null;
    String accessorType = hasDefault ? primitive(type.javaType) : type.javaType;
    if (hasDefault) {
      x.put("x-gen-default", literal(defaultValue, type.javaType, where));
    }
    // Nullness, as JSpecify annotations in a @NullMarked package (Kotlin reads them): what the
    // accessor returns is null only when the spec does not require the value and neither a list
    // (empty when absent) nor a default stands in for it. What the builder and the constructor
    // hold may be null until build() checks the required values.
    boolean nullable = !required && !type.list && !hasDefault;
    x.put("x-gen-nullable", nullable);
    x.put("x-gen-accessor-type", nullable ? nullable(accessorType) : accessorType);
    x.put("x-gen-stored-type", required || type.list ? type.javaType : nullable(type.javaType));
    x.put("x-gen-setter-type", required ? type.javaType : nullable(type.javaType));
    x.put("x-gen-nullable-type", nullable(type.javaType));
    x.put("x-gen-display-type", accessorType.replace("java.util.", ""));
    List<Map<String, Object>> checks = checks(property, type.list || type.component != null
        ? null : type.rules, type.javaType, where);
    x.put("x-gen-checks", checks);
    x.put("x-gen-rules", rulesText(checks));
  }

  /** The checks in words, for generated-README.md's tables (a | would end the cell). */
  private static String rulesText(List<Map<String, Object>> checks) {
    List<String> rules = new ArrayList<>();
    for (Map<String, Object> check : checks) {
      Object rule = check.containsKey("checkRuleText") ? check.get("checkRuleText")
          : check.get("checkRule");
      if (check.containsKey("checkOneOf")) {
        rules.add("one of `" + rule + "`");
      } else if (check.containsKey("checkMinimum")) {
        rules.add("at least " + rule);
      } else if (check.containsKey("checkMaximum")) {
        rules.add("at most " + rule);
      } else if (check.containsKey("checkMinLength")) {
        rules.add("at least " + ParameterShape.characters((Integer) check.get("checkValue")));
      } else if (check.containsKey("checkMaxLength")) {
        rules.add("at most " + ParameterShape.characters((Integer) check.get("checkValue")));
      } else if (check.containsKey("checkPattern")) {
        rules.add("matching `" + rule + "`");
      }
    }
    return String.join("; ", rules).replace("|", "\\|");
  }


  /** The checks applied to a decoded value, in the order they run. */
  private List<Map<String, Object>> checks(CodegenProperty property, Schema<?> rules,
      String javaType, String where) {
    List<Map<String, Object>> checks = new ArrayList<>();
    if (rules == null) {
      return checks;
    }
    if (rules.getEnum() != null) {
      List<String> literals = new ArrayList<>();
      List<String> shown = new ArrayList<>();
      for (Object value : rules.getEnum()) {
        literals.add(literal(value, javaType, where));
        shown.add(String.valueOf(value));
      }
      Map<String, Object> check = check("checkOneOf", String.join(", ", literals));
      check.put("checkRule", Javadoc.javaString(String.join(", ", shown)));
      check.put("checkRuleText", String.join(", ", shown));
      checks.add(check);
    }
    if (rules.getMinimum() != null || rules.getMaximum() != null) {
      if (Boolean.TRUE.equals(rules.getExclusiveMinimum())
          || Boolean.TRUE.equals(rules.getExclusiveMaximum())) {
        throw new IllegalStateException(where + ": exclusive bounds are not supported");
      }
      if (rules.getMinimum() != null) {
        Map<String, Object> check = check("checkMinimum",
            ParameterShape.bound(rules.getMinimum(), javaType, where + " minimum"));
        check.put("checkRule", rules.getMinimum().toPlainString());
        checks.add(check);
      }
      if (rules.getMaximum() != null) {
        Map<String, Object> check = check("checkMaximum",
            ParameterShape.bound(rules.getMaximum(), javaType, where + " maximum"));
        check.put("checkRule", rules.getMaximum().toPlainString());
        checks.add(check);
      }
    }
    if (!"string".equals(rules.getType())) {
      return checks;
    }
    if (rules.getMinLength() != null) {
      checks.add(check("checkMinLength", rules.getMinLength()));
    }
    if (rules.getMaxLength() != null) {
      checks.add(check("checkMaxLength", rules.getMaxLength()));
    }
    if (rules.getPattern() != null) {
      Map<String, Object> check = check("checkPattern", Javadoc.javaString(Patterns.toJava(
          rules.getPattern())));
      check.put("checkConstant", constantName(property.name) + "_PATTERN");
      check.put("checkRule", Javadoc.javaString(rules.getPattern()));
      check.put("checkRuleText", rules.getPattern());
      checks.add(check);
    }
    return checks;
  }

  private static Map<String, Object> check(String kind, Object value) {
    Map<String, Object> check = new HashMap<>();
    check.put(kind, Boolean.TRUE);
    check.put("checkValue", value);
    return check;
  }

  static String constantName(String javaName) {
    return javaName.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  private static String literal(Object value, String javaType, String where) {
    switch (javaType) {
      case "Boolean":
        return value.toString();
      case "Integer":
        return Integer.toString(((Number) value).intValue());
      case "Long":
        return ((Number) value).longValue() + "L";
      case "Double":
        return ((Number) value).doubleValue() + "d";
      case "String":
        return "\"" + Javadoc.javaString(value.toString()) + "\"";
      default:
        throw new IllegalStateException(where + ": a default of type " + javaType
            + " is not supported");
    }
  }

  /**
   * The type with JSpecify's {@code @Nullable}, fully qualified so that no model name can clash
   * with it. A type-use annotation goes on the simple name: {@code java.util.@Nullable List<T>}.
   */
  static String nullable(String javaType) {
    String annotation = "@org.jspecify.annotations.Nullable ";
    int generic = javaType.indexOf('<');
    String raw = generic < 0 ? javaType : javaType.substring(0, generic);
    int dot = raw.lastIndexOf('.');
    return dot < 0 ? annotation + javaType
        : javaType.substring(0, dot + 1) + annotation + javaType.substring(dot + 1);
  }

  private static String primitive(String javaType) {
    switch (javaType) {
      case "Boolean":
        return "boolean";
      case "Integer":
        return "int";
      case "Long":
        return "long";
      case "Double":
        return "double";
      default:
        return javaType;
    }
  }

  static Object extension(Schema<?> schema, String name) {
    return schema.getExtensions() == null ? null : schema.getExtensions().get(name);
  }

  private static <T> T firstNonNull(T first, T second) {
    return first != null ? first : second;
  }
}
