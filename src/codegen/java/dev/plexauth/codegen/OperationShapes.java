package dev.plexauth.codegen;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.openapitools.codegen.CodegenModel;
import org.openapitools.codegen.CodegenOperation;
import org.openapitools.codegen.CodegenParameter;
import org.openapitools.codegen.CodegenProperty;
import org.openapitools.codegen.utils.ModelUtils;

/**
 * Prepares each operation for the client templates: what its client methods return (the 200
 * answer unwrapped along {@code x-unwrap}, by default its {@code MediaContainer}), the overloads
 * (required parameters in spec order; without the required ones that allow a single value; with
 * the optional ones), each parameter's client type and checks. Results are {@code x-gen-*} vendor
 * extensions; anything the templates cannot serve fails the generation naming the operation.
 */
final class OperationShapes {
  /** Plex wraps every answer in this object; the client methods return what it holds. */
  static final String MEDIA_CONTAINER = "MediaContainer";

  private final OpenAPI openAPI;
  private final UnaryOperator<String> modelName;
  private final Map<String, CodegenModel> models;

  OperationShapes(OpenAPI openAPI, UnaryOperator<String> modelName,
      Map<String, CodegenModel> models) {
    this.openAPI = openAPI;
    this.modelName = modelName;
    this.models = models;
  }

  void shape(CodegenOperation op) {
    String id = op.operationId;
    PathItem[] item = new PathItem[1];
    Operation raw = rawOperation(op, item);
    Map<String, Object> x = op.vendorExtensions;
    x.put("x-gen-summary", raw.getSummary());
    x.put("x-gen-description", raw.getDescription());
    x.put("x-gen-constant", ModelShapes.constantName(id));
    if (raw.getRequestBody() != null) {
      throw new IllegalStateException(id + ": request bodies are not supported");
    }
    x.put("x-gen-tokenless", !needsToken(raw));
    // Retrofit refuses an empty relative URL; "." resolves to the base URL itself (the root).
    x.put("x-gen-relative-path", op.path.isEmpty() || "/".equals(op.path) ? "."
        : op.path.startsWith("/") ? op.path.substring(1) : op.path);
    // The generator drops some kinds of parameter (cookies) without a word: check the spec's own.
    for (Parameter declared : declaredParameters(openAPI, raw, item[0])) {
      if (!"query".equals(declared.getIn()) && !"path".equals(declared.getIn())) {
        throw new IllegalStateException(id + " parameter " + declared.getName() + ": in: "
            + declared.getIn() + " is not supported, only query and path parameters are"
            + " (headers come from the client's configuration)");
      }
    }
    unwrap(op, raw);
    List<CodegenParameter> required = new ArrayList<>();
    List<CodegenParameter> multiValued = new ArrayList<>();
    List<CodegenParameter> optional = new ArrayList<>();
    for (CodegenParameter p : op.allParams) {
      new ParameterShape(openAPI, modelName, models).shape(id, p,
          rawParameter(raw, item[0], p, id));
      if (p.required) {
        required.add(p);
        if (!p.vendorExtensions.containsKey("x-gen-single")) {
          multiValued.add(p);
        }
      } else {
        optional.add(p);
      }
    }
    List<CodegenParameter> all = new ArrayList<>(required);
    all.addAll(optional);
    List<Map<String, Object>> overloads = new ArrayList<>();
    if (multiValued.size() < required.size()) {
      overloads.add(overload(multiValued, all));
    }
    if (!optional.isEmpty()) {
      overloads.add(overload(required, all));
    }
    overloads.add(overload(all, all));
    x.put("x-gen-overloads", overloads);
    x.put("x-gen-params", all);
  }

  /**
   * One overload: its parameters, the arguments it passes to the full method (the single value
   * of each required parameter it leaves out, null for each optional one), what it sends in their
   * place, and its {@code @throws} texts for argument errors.
   */
  private static Map<String, Object> overload(List<CodegenParameter> params,
      List<CodegenParameter> all) {
    List<String> args = new ArrayList<>();
    List<String> omitted = new ArrayList<>();
    for (CodegenParameter p : all) {
      if (params.contains(p)) {
        args.add(p.paramName);
      } else if (p.required) {
        args.add((String) p.vendorExtensions.get("x-gen-single"));
        omitted.add("`" + p.baseName + "=" + p.vendorExtensions.get("x-gen-single-wire")
            + "` (its only value)");
      } else {
        // Cast, so that the call cannot also match the overload that takes a callback last.
        args.add("(" + p.vendorExtensions.get("x-gen-client-type") + ") null");
        omitted.add("no `" + p.baseName + "`");
      }
    }
    List<String> nullable = new ArrayList<>();
    List<String> invalid = new ArrayList<>();
    for (CodegenParameter p : params) {
      if (p.required) {
        nullable.add("`" + p.paramName + "`");
      }
      Object broken = p.vendorExtensions.get("x-gen-broken");
      if (broken != null) {
        invalid.add("`" + p.paramName + "` " + broken);
      }
    }
    Map<String, Object> overload = new HashMap<>();
    overload.put("params", params);
    overload.put("full", params.size() == all.size());
    overload.put("args", String.join(", ", args));
    overload.put("omitted", omitted.isEmpty() ? null
        : "Sends " + String.join(" and ", omitted) + ".");
    overload.put("throws-npe", nullable.isEmpty() ? null
        : "if " + String.join(" or ", nullable) + " is null (nothing is sent)");
    overload.put("throws-iae", invalid.isEmpty() ? null
        : "if " + String.join(", or ", invalid) + " (nothing is sent)");
    return overload;
  }

  /** Follows x-unwrap (default: MediaContainer, when the answer has one) from the 200 answer. */
  private void unwrap(CodegenOperation op, Operation raw) {
    String id = op.operationId;
    ApiResponse ok = raw.getResponses() == null ? null : raw.getResponses().get("200");
    MediaType json = ok == null || ok.getContent() == null ? null
        : ok.getContent().get("application/json");
    if (json == null || json.getSchema() == null || json.getSchema().get$ref() == null) {
      throw new IllegalStateException(id + ": needs a 200 answer with an application/json"
          + " schema that $refs a components/schemas object");
    }
    String component = ModelUtils.getSimpleRef(json.getSchema().get$ref());
    x(op).put("x-gen-answer-type", modelName.apply(component));
    List<?> path = unwrapPath(raw, component);
    List<String> getters = new ArrayList<>();
    String description = null;
    for (Object step : path) {
      CodegenModel model = models.get(component);
      Schema<?> schema = openAPI.getComponents().getSchemas().get(component);
      CodegenProperty property = model == null ? null : model.vars.stream()
          .filter(v -> v.baseName.equals(step)).findFirst().orElse(null);
      Schema<?> rawProperty = schema.getProperties() == null ? null
          : schema.getProperties().get(String.valueOf(step));
      if (property == null || rawProperty == null || rawProperty.get$ref() == null
          || schema.getRequired() == null || !schema.getRequired().contains(step)) {
        throw new IllegalStateException(id + ": x-unwrap step '" + step + "' must be a required"
            + " property of components/schemas/" + component + " that $refs an object schema");
      }
      getters.add(property.name);
      component = ModelUtils.getSimpleRef(rawProperty.get$ref());
      description = rawProperty.getDescription();
    }
    Schema<?> result = openAPI.getComponents().getSchemas().get(component);
    x(op).put("x-gen-result-type", modelName.apply(component));
    x(op).put("x-gen-result-description", description != null ? description
        : result.getDescription());
    x(op).put("x-gen-unwrap", getters.isEmpty() ? "answer"
        : "answer." + String.join("().", getters) + "()");
    List<String> wire = new ArrayList<>();
    for (Object step : path) {
      wire.add(String.valueOf(step));
    }
    x(op).put("x-gen-unwrap-path", wire.isEmpty() ? null : String.join(".", wire));
  }

  private List<?> unwrapPath(Operation raw, String component) {
    Object declared = raw.getExtensions() == null ? null : raw.getExtensions().get("x-unwrap");
    if (declared instanceof List) {
      return (List<?>) declared;
    }
    if (declared != null) {
      throw new IllegalStateException(raw.getOperationId() + ": x-unwrap must be a list of"
          + " property names, for example [MediaContainer, Device]");
    }
    Schema<?> answer = openAPI.getComponents().getSchemas().get(component);
    return answer.getProperties() != null && answer.getProperties().containsKey(MEDIA_CONTAINER)
        ? List.of(MEDIA_CONTAINER) : List.of();
  }

  private Operation rawOperation(CodegenOperation op, PathItem[] item) {
    String original = op.operationIdOriginal != null ? op.operationIdOriginal : op.operationId;
    for (Map.Entry<String, PathItem> path : openAPI.getPaths().entrySet()) {
      for (Operation operation : path.getValue().readOperations()) {
        if (original.equals(operation.getOperationId())) {
          item[0] = path.getValue();
          return operation;
        }
      }
    }
    throw new IllegalStateException(op.operationId + ": not found in the spec's paths");
  }

  private Parameter rawParameter(Operation raw, PathItem item, CodegenParameter p, String id) {
    for (Parameter declared : declaredParameters(openAPI, raw, item)) {
      if (declared.getName().equals(p.baseName)) {
        return declared;
      }
    }
    throw new IllegalStateException(id + ": parameter " + p.baseName + " not found");
  }

  /**
   * Whether the operation's security (its own, else the document's) has a requirement naming a
   * scheme sent in the {@code X-Plex-Token} header. Without one the client sends no token, by
   * rule: {@code security: []} is what PMS answers without a token.
   */
  private boolean needsToken(Operation raw) {
    List<SecurityRequirement> security =
        raw.getSecurity() != null ? raw.getSecurity() : openAPI.getSecurity();
    if (security == null) {
      return false;
    }
    Map<String, SecurityScheme> schemes = openAPI.getComponents() == null ? null
        : openAPI.getComponents().getSecuritySchemes();
    for (SecurityRequirement requirement : security) {
      for (String name : requirement.keySet()) {
        SecurityScheme scheme = schemes == null ? null : schemes.get(name);
        if (scheme != null && scheme.getIn() == SecurityScheme.In.HEADER
            && "X-Plex-Token".equalsIgnoreCase(scheme.getName())) {
          return true;
        }
      }
    }
    return false;
  }

  /** The operation's parameters, then its path's, references resolved. */
  static List<Parameter> declaredParameters(OpenAPI openAPI, Operation raw, PathItem item) {
    List<Parameter> declared = new ArrayList<>();
    for (List<Parameter> list : Arrays.asList(raw.getParameters(), item.getParameters())) {
      if (list != null) {
        for (Parameter candidate : list) {
          declared.add(ModelUtils.getReferencedParameter(openAPI, candidate));
        }
      }
    }
    return declared;
  }

  private static Map<String, Object> x(CodegenOperation op) {
    return op.vendorExtensions;
  }
}
