package dev.plexauth.codegen;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import java.util.List;
import org.openapitools.codegen.utils.ModelUtils;

/**
 * What a property's or parameter's schema is in Java, and how the generated JSON adapters read it:
 * a scalar (with the tolerant reader of its kind), a model or enum of {@code components/schemas},
 * or a list of one of those. Anything else fails the generation with a message that names the
 * place in the spec, so that a spec the templates cannot serve never builds half-working code.
 */
final class ValueType {
  /** The reader of each scalar kind, in {@code dev.plexauth.internal.PlexJsonReaders}. */
  private static final String READERS = "PlexJsonReaders.";

  final String javaType;
  /** The JsonAdapter that reads one value (the item's, for a list). */
  final String adapter;
  final boolean list;
  final boolean model;
  /** The schema that holds the value's rules (minLength, pattern, enum), $refs resolved. */
  final Schema<?> rules;
  /** The component name of a model or enum, else null. */
  final String component;

  private ValueType(String javaType, String adapter, boolean list, boolean model, Schema<?> rules,
      String component) {
    this.javaType = javaType;
    this.adapter = adapter;
    this.list = list;
    this.model = model;
    this.rules = rules;
    this.component = component;
  }

  /**
   * Resolves {@code schema}.
   *
   * @param where the spec location, for error messages
   * @param modelName turns a component name into its Java class name
   */
  static ValueType of(OpenAPI openAPI, Schema<?> schema, String where,
      java.util.function.UnaryOperator<String> modelName) {
    if (schema == null) {
      throw new IllegalStateException(where + ": no schema");
    }
    rejectComposition(schema, where);
    if (schema.get$ref() != null) {
      String ref = ModelUtils.getSimpleRef(schema.get$ref());
      Schema<?> target = ModelUtils.getReferencedSchema(openAPI, schema);
      rejectComposition(target, where);
      if (target.getEnum() != null && !target.getEnum().isEmpty()) {
        String type = modelName.apply(ref);
        return new ValueType(type, type + "JsonAdapter.INSTANCE", false, false, target, ref);
      }
      if (isObject(target)) {
        String type = modelName.apply(ref);
        return new ValueType(type, type + "JsonAdapter.INSTANCE", false, true, target, ref);
      }
      // A named scalar (such as a Plex source): its rules live on the component.
      return scalar(target, where + " ($ref " + ref + ")");
    }
    if ("array".equals(schema.getType()) || schema.getItems() != null) {
      ValueType item = of(openAPI, schema.getItems(), where + " items", modelName);
      if (item.list) {
        throw new IllegalStateException(where + ": arrays of arrays are not supported");
      }
      return new ValueType("java.util.List<" + item.javaType + ">", item.adapter, true,
          item.model, item.rules, item.component);
    }
    if (isObject(schema)) {
      throw new IllegalStateException(where + ": an inline object schema is not supported;"
          + " declare it under components/schemas and $ref it");
    }
    return scalar(schema, where);
  }

  private static ValueType scalar(Schema<?> schema, String where) {
    String type = schema.getType();
    String format = schema.getFormat();
    if ("string".equals(type)) {
      if (format != null && List.of("date", "date-time", "byte", "binary", "uuid", "uri")
          .contains(format)) {
        throw new IllegalStateException(where + ": string format '" + format + "' is not"
            + " supported; use a plain string (a pattern can state its shape)");
      }
      return new ValueType("String", READERS + "STRING", false, false, schema, null);
    }
    if ("integer".equals(type)) {
      return "int64".equals(format)
          ? new ValueType("Long", READERS + "LONG", false, false, schema, null)
          : new ValueType("Integer", READERS + "INTEGER", false, false, schema, null);
    }
    if ("number".equals(type)) {
      return new ValueType("Double", READERS + "DOUBLE", false, false, schema, null);
    }
    if ("boolean".equals(type)) {
      return new ValueType("Boolean", READERS + "FLAG", false, false, schema, null);
    }
    throw new IllegalStateException(where + ": type '" + type + "' is not supported (string,"
        + " integer, number, boolean, arrays and $ref'd objects and enums are)");
  }

  private static boolean isObject(Schema<?> schema) {
    return "object".equals(schema.getType()) || schema.getProperties() != null
        || schema.getAdditionalProperties() != null;
  }

  private static void rejectComposition(Schema<?> schema, String where) {
    if (schema.getAllOf() != null || schema.getOneOf() != null || schema.getAnyOf() != null
        || schema.getNot() != null) {
      throw new IllegalStateException(where + ": allOf, oneOf, anyOf and not are not supported"
          + " by the templates (see openapi/plex-auth.yaml's header)");
    }
    if (schema.getAdditionalProperties() != null
        && !Boolean.FALSE.equals(schema.getAdditionalProperties())) {
      throw new IllegalStateException(where + ": additionalProperties (a map) is not supported");
    }
  }
}
