package dev.plexauth.codegen;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.openapitools.codegen.CodegenModel;
import org.openapitools.codegen.CodegenParameter;

/**
 * Prepares one parameter: its type in the client methods and in the Retrofit interface, its single
 * value (when its schema allows exactly one), the checks its schema asks for with their messages,
 * its javadoc, and how the tools turn a command-line string into it.
 *
 * <p>{@code x-flag: true} on an integer parameter with {@code enum: [0, 1]} makes the client take
 * a {@code Boolean} (true sends 1). A string schema with a {@code format} other than the standard
 * ones is a named format of this project: its {@code title} names it and its {@code pattern} is
 * its rule, both in the spec.
 */
final class ParameterShape {
  private final OpenAPI openAPI;
  private final UnaryOperator<String> modelName;
  private final Map<String, CodegenModel> models;

  ParameterShape(OpenAPI openAPI, UnaryOperator<String> modelName,
      Map<String, CodegenModel> models) {
    this.openAPI = openAPI;
    this.modelName = modelName;
    this.models = models;
  }

  void shape(String operationId, CodegenParameter p, Parameter raw) {
    String where = operationId + " parameter " + p.baseName;
    ValueType type = ValueType.of(openAPI, raw.getSchema(), where, modelName);
    if (type.list || type.model) {
      throw new IllegalStateException(where + ": arrays and objects are not supported as"
          + " parameters");
    }
    Map<String, Object> x = p.vendorExtensions;
    Schema<?> rules = type.rules;
    boolean flag = Boolean.TRUE.equals(raw.getExtensions() == null ? null
        : raw.getExtensions().get("x-flag"));
    boolean enumRef = type.component != null;
    if (flag && !("Integer".equals(type.javaType) && isZeroOne(rules))) {
      throw new IllegalStateException(where + ": x-flag needs an integer schema with enum [0, 1]");
    }
    x.put("x-gen-wire-type", type.javaType);
    x.put("x-gen-client-type", flag ? "Boolean" : type.javaType);
    x.put("x-gen-to-wire", flag
        ? "(" + p.paramName + " == null ? null : " + p.paramName + " ? 1 : 0)" : p.paramName);
    x.put("x-gen-in-path", "path".equals(raw.getIn()));
    List<?> values = rules.getEnum();
    if (p.required && values != null && values.size() == 1) {
      Object only = values.get(0);
      x.put("x-gen-single-wire", String.valueOf(only));
      x.put("x-gen-single", flag ? String.valueOf(isOne(only))
          : enumRef ? type.javaType + "." + enumConstant(type.component, only)
          : literal(only, type.javaType));
    }
    List<Map<String, Object>> checks = new ArrayList<>();
    List<String> broken = new ArrayList<>();
    List<String> rulesText = new ArrayList<>();
    if (flag) {
      rulesText.add("`true` sends `" + p.baseName + "=1`, `false` sends `" + p.baseName + "=0`");
    }
    if ("String".equals(type.javaType)) {
      if ("path".equals(raw.getIn())) {
        // A path segment that is empty, . or .. names another resource: never sent.
        checks.add(check("checkPathSegment", null, p.baseName + " must be a path segment: not"
            + " empty, . or .."));
        broken.add("is empty, . or ..");
        rulesText.add("a path segment (not empty, `.` or `..`)");
      }
      stringChecks(operationId, p, rules, checks, broken, rulesText);
    }
    if (values != null && !flag && !enumRef) {
      List<String> literals = new ArrayList<>();
      for (Object value : values) {
        literals.add(literal(value, type.javaType));
      }
      String shown = String.join(", ", stringsOf(values));
      checks.add(check("checkOneOf", String.join(", ", literals),
          p.baseName + " must be one of " + shown + " (enum)"));
      broken.add("is not one of " + shown);
      rulesText.add("one of " + code(shown));
    }
    numberChecks(p, rules, type.javaType, checks, broken, rulesText);
    x.put("x-gen-checks", checks);
    x.put("x-gen-broken", broken.isEmpty() ? null : String.join(" or ", broken));
    x.put("x-gen-javadoc", javadoc(p, raw, rules, rulesText));
    // For a Markdown table cell: a | would end the cell.
    x.put("x-gen-rules", String.join("; ", rulesText).replace("|", "\\|"));
    x.put("x-gen-from-string", fromString(type, flag, enumRef));
    x.put("x-gen-example", example(raw, rules, x));
  }

  private void stringChecks(String operationId, CodegenParameter p, Schema<?> rules,
      List<Map<String, Object>> checks, List<String> broken, List<String> rulesText) {
    String name = p.baseName;
    if (rules.getMinLength() != null) {
      int min = rules.getMinLength();
      checks.add(check("checkMinLength", min, name + " must be at least " + characters(min)
          + " long (minLength " + min + ")"));
      broken.add("is shorter than " + characters(min));
      rulesText.add("at least " + characters(min));
    }
    if (rules.getMaxLength() != null) {
      int max = rules.getMaxLength();
      checks.add(check("checkMaxLength", max, name + " must be at most " + characters(max)
          + " long (maxLength " + max + ")"));
      broken.add("is longer than " + characters(max));
      rulesText.add("at most " + characters(max));
    }
    String format = rules.getFormat();
    if (format != null && rules.getPattern() == null) {
      throw new IllegalStateException(p.baseName + ": format '" + format + "' needs a pattern"
          + " and a title in the spec, which define it");
    }
    if (rules.getPattern() != null) {
      String pattern = rules.getPattern();
      String message;
      if (format != null) {
        if (rules.getTitle() == null || rules.getDescription() == null) {
          throw new IllegalStateException(p.baseName + ": format '" + format + "' needs a title"
              + " (its name) and a description (its rule in words)");
        }
        message = name + " must be a " + rules.getTitle() + " (format " + format + "): "
            + rules.getDescription().trim().replace("`", "").replaceAll("\\.$", "")
            + " (pattern " + pattern + ")";
        broken.add("is not a " + rules.getTitle());
        rulesText.add("a " + rules.getTitle() + " (format " + code(format) + ", pattern "
            + code(pattern) + ")");
      } else {
        message = name + " must match the pattern " + pattern;
        broken.add("does not match " + code(pattern));
        rulesText.add("matching " + code(pattern));
      }
      Map<String, Object> check = check("checkPattern", Javadoc.javaString(Patterns.toJava(pattern)),
          message);
      check.put("checkConstant", ModelShapes.constantName(operationId) + "_"
          + ModelShapes.constantName(p.paramName) + "_PATTERN");
      checks.add(check);
    }
  }

  private static void numberChecks(CodegenParameter p, Schema<?> rules, String javaType,
      List<Map<String, Object>> checks, List<String> broken, List<String> rulesText) {
    if (!"Integer".equals(javaType) && !"Long".equals(javaType) && !"Double".equals(javaType)) {
      return;
    }
    if ("Double".equals(javaType)) {
      // NaN fails every comparison, so no bound would stop it; neither it nor an infinity is a
      // number a server can read.
      checks.add(check("checkFinite", null, p.baseName + " must be a finite number"));
      broken.add("is not finite");
      rulesText.add("finite");
    }
    BigDecimal min = rules.getMinimum();
    BigDecimal max = rules.getMaximum();
    if (Boolean.TRUE.equals(rules.getExclusiveMinimum())
        || Boolean.TRUE.equals(rules.getExclusiveMaximum())) {
      throw new IllegalStateException(p.baseName + ": exclusive bounds are not supported");
    }
    if (min != null) {
      checks.add(check("checkMinimum", bound(min, javaType, p.baseName + " minimum"),
          p.baseName + " must be at least " + min.toPlainString() + " (minimum)"));
      broken.add("is below " + min.toPlainString());
      rulesText.add("at least " + min.toPlainString());
    }
    if (max != null) {
      checks.add(check("checkMaximum", bound(max, javaType, p.baseName + " maximum"),
          p.baseName + " must be at most " + max.toPlainString() + " (maximum)"));
      broken.add("is above " + max.toPlainString());
      rulesText.add("at most " + max.toPlainString());
    }
  }

  /**
   * A bound as a Java literal of the value's kind: a long for integers (compared exactly, however
   * large), a double for numbers.
   */
  static String bound(BigDecimal bound, String javaType, String where) {
    if ("Double".equals(javaType)) {
      return bound.toPlainString() + "d";
    }
    try {
      return bound.longValueExact() + "L";
    } catch (ArithmeticException e) {
      throw new IllegalStateException(where + ": " + bound.toPlainString() + " is not a whole"
          + " number within a 64-bit integer, which an integer's bound must be");
    }
  }

  /** The {@code @param} text: the spec's description, then nullability and the rules. */
  private static String javadoc(CodegenParameter p, Parameter raw, Schema<?> rules,
      List<String> rulesText) {
    StringBuilder text = new StringBuilder();
    String description = raw.getDescription() != null ? raw.getDescription()
        : rules.getDescription();
    if (description != null) {
      text.append(description.trim());
      if (!description.trim().endsWith(".")) {
        text.append('.');
      }
      text.append(' ');
    }
    text.append(p.required ? "Not null" : "Null leaves it out of the request");
    if (!rulesText.isEmpty()) {
      text.append("; ").append(String.join("; ", rulesText));
    }
    return text.append('.').toString();
  }

  /** The tools' conversion (dev.plexauth.tools.spec.Arguments): its messages say what is valid. */
  private static String fromString(ValueType type, boolean flag, boolean enumRef) {
    if (flag || "Boolean".equals(type.javaType)) {
      return "Arguments.flag(text)";
    }
    if (enumRef) {
      return "Arguments.oneOf(text, " + type.javaType + ".values())";
    }
    switch (type.javaType) {
      case "Integer":
        return "Arguments.integer(text)";
      case "Long":
        return "Arguments.longInteger(text)";
      case "Double":
        return "Arguments.number(text)";
      default:
        return "text";
    }
  }

  private static String example(Parameter raw, Schema<?> rules, Map<String, Object> x) {
    Object example = raw.getExample() != null ? raw.getExample() : rules.getExample();
    if (example != null) {
      return String.valueOf(example);
    }
    if (x.containsKey("x-gen-single-wire")) {
      return (String) x.get("x-gen-single-wire");
    }
    return rules.getEnum() != null && !rules.getEnum().isEmpty()
        ? String.valueOf(rules.getEnum().get(0)) : null;
  }

  private String enumConstant(String component, Object value) {
    CodegenModel model = models.get(component);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> vars =
        (List<Map<String, Object>>) model.allowableValues.get("enumVars");
    for (Map<String, Object> var : vars) {
      String wire = String.valueOf(var.get("value")).replaceAll("^\"|\"$", "");
      if (wire.equals(String.valueOf(value))) {
        return (String) var.get("name");
      }
    }
    throw new IllegalStateException(component + ": no constant for " + value);
  }

  private static boolean isZeroOne(Schema<?> rules) {
    List<?> values = rules.getEnum();
    return values == null || stringsOf(values).equals(List.of("0", "1"));
  }

  private static boolean isOne(Object value) {
    return "1".equals(String.valueOf(value));
  }

  private static String literal(Object value, String javaType) {
    switch (javaType) {
      case "String":
        return "\"" + Javadoc.javaString(String.valueOf(value)) + "\"";
      case "Long":
        return value + "L";
      case "Double":
        return value + "d";
      default:
        return String.valueOf(value);
    }
  }

  private static List<String> stringsOf(List<?> values) {
    List<String> result = new ArrayList<>();
    for (Object value : values) {
      result.add(String.valueOf(value));
    }
    return result;
  }

  private static Map<String, Object> check(String kind, Object value, String message) {
    Map<String, Object> check = new HashMap<>();
    check.put(kind, Boolean.TRUE);
    check.put("checkValue", value);
    check.put("checkMessage", Javadoc.javaString(message));
    return check;
  }

  static String characters(int n) {
    return n == 1 ? "1 character" : n + " characters";
  }

  private static String code(String text) {
    return "`" + text + "`";
  }
}
