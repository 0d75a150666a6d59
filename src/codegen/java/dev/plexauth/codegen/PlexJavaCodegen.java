package dev.plexauth.codegen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.common.collect.ImmutableMap;
import com.samskivert.mustache.Mustache;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.openapitools.codegen.CodegenModel;
import org.openapitools.codegen.CodegenOperation;
import org.openapitools.codegen.languages.JavaClientCodegen;
import org.openapitools.codegen.model.ModelMap;
import org.openapitools.codegen.model.ModelsMap;
import org.openapitools.codegen.model.OperationsMap;

/**
 * OpenAPI Generator's {@code java} generator (library {@code retrofit2}) with what Mustache alone
 * cannot do for plex-auth's templates: javadoc from the spec's CommonMark, the shape of each
 * operation's client methods and checks, and of each model's JSON adapter. Its generator name is
 * {@code plex-java}. It only computes: every generated line comes from a template in {@code
 * templates/}.
 *
 * <p>Lambdas for templates: {@code javadoc} (member level, lines prefixed {@code "   * "}), {@code
 * javadoc_type} (type level, {@code " * "}), {@code javadoc_param} ({@code @param} and {@code
 * @return} continuations) and {@code java_string} (the body of a Java string literal).
 */
public class PlexJavaCodegen extends JavaClientCodegen {
  private final Map<String, CodegenModel> models = new HashMap<>();

  @Override
  public String getName() {
    return "plex-java";
  }

  public PlexJavaCodegen() {
    // Literals are not keywords, so the Java generator leaves a parameter named "true" as it is,
    // which does not compile.
    reservedWords.addAll(List.of("true", "false", "null"));
  }

  @Override
  public void preprocessOpenAPI(OpenAPI openAPI) {
    if (openAPI.getPaths() != null) {
      ReservedNames reserved = ReservedNames.load();
      for (Map.Entry<String, PathItem> path : openAPI.getPaths().entrySet()) {
        for (Map.Entry<PathItem.HttpMethod, Operation> operation
            : path.getValue().readOperationsMap().entrySet()) {
          String id = operation.getValue().getOperationId();
          String where = operation.getKey() + " " + path.getKey();
          // Without one the generator invents a name from the path, which would become a public
          // method name by accident; the spec names every operation itself.
          if (id == null || id.isBlank()) {
            throw new IllegalStateException(where + ": no operationId; every operation needs one,"
                + " as it names the client methods and the CLI command");
          }
          reserved.check(openAPI, where, id, operation.getValue(), path.getValue());
        }
      }
    }
    refuseSecretsBesideRefs();
    super.preprocessOpenAPI(openAPI);
  }

  /**
   * The parser drops what stands beside a {@code $ref} (OpenAPI 3.0 reads nothing there), so an
   * {@code x-secret} there would be lost without a word: found in the spec's own text instead.
   */
  private void refuseSecretsBesideRefs() {
    if (getInputSpec() == null) {
      return;
    }
    try {
      JsonNode tree = new YAMLMapper().readTree(new java.io.File(getInputSpec()));
      refuseSecretsBesideRefs(tree, "");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void refuseSecretsBesideRefs(JsonNode node, String pointer) {
    if (node.isObject() && node.has("$ref") && node.has("x-secret")) {
      throw new IllegalStateException(pointer.substring(1) + ": x-secret beside a $ref is"
          + " ignored (OpenAPI 3.0 reads nothing beside a $ref); mark the referenced schema's"
          + " properties instead");
    }
    java.util.Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      refuseSecretsBesideRefs(node.get(name), pointer + "/" + name);
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        refuseSecretsBesideRefs(node.get(i), pointer + "/" + i);
      }
    }
  }

  @Override
  public void processOpts() {
    super.processOpts();
    // One JSON adapter per model, beside it: TransientToken.java and TransientTokenJsonAdapter.java.
    modelTemplateFiles.put("jsonAdapter.mustache", "JsonAdapter.java");
  }

  @Override
  protected ImmutableMap.Builder<String, Mustache.Lambda> addMustacheLambdas() {
    return super.addMustacheLambdas()
        .put("javadoc", (fragment, out) -> out.write(Javadoc.render(fragment.execute(), "   * ")))
        .put("javadoc_type", (fragment, out) -> out.write(Javadoc.render(fragment.execute(), " * ")))
        .put("javadoc_param",
            // The first line follows "@param name " or "@throws Type ": about 25 columns.
            (fragment, out) -> out.write(Javadoc.render(fragment.execute(), "   *     ", 20)))
        .put("java_string", (fragment, out) -> out.write(Javadoc.javaString(fragment.execute())));
  }

  @Override
  public Map<String, ModelsMap> postProcessAllModels(Map<String, ModelsMap> objs) {
    Map<String, ModelsMap> result = super.postProcessAllModels(objs);
    ModelShapes shapes = new ModelShapes(openAPI, this::toModelName);
    for (ModelsMap modelsMap : result.values()) {
      for (ModelMap modelMap : modelsMap.getModels()) {
        CodegenModel model = modelMap.getModel();
        shapes.shape(model);
        models.put(model.name, model);
      }
    }
    return result;
  }

  @Override
  public OperationsMap postProcessOperationsWithModels(OperationsMap objs,
      List<ModelMap> allModels) {
    OperationsMap result = super.postProcessOperationsWithModels(objs, allModels);
    OperationShapes shapes = new OperationShapes(openAPI, this::toModelName, models);
    for (CodegenOperation op : result.getOperations().getOperation()) {
      shapes.shape(op);
    }
    return result;
  }

  @Override
  public Map<String, Object> postProcessSupportingFileData(Map<String, Object> objs) {
    Map<String, Object> result = super.postProcessSupportingFileData(objs);
    result.put("x-gen-secret-names", secretNames());
    result.put("x-gen-answer-models", answerModels());
    return result;
  }

  /**
   * The Java names of the models that answers and parameters use: every component reachable from
   * a 200 answer's schema or a parameter's, sorted. (Error bodies' models are not among them.)
   */
  private List<String> answerModels() {
    TreeSet<String> components = new TreeSet<>();
    for (io.swagger.v3.oas.models.PathItem path : openAPI.getPaths().values()) {
      for (io.swagger.v3.oas.models.Operation operation : path.readOperations()) {
        io.swagger.v3.oas.models.responses.ApiResponse ok = operation.getResponses() == null
            ? null : operation.getResponses().get("200");
        if (ok != null && ok.getContent() != null) {
          ok.getContent().values().forEach(media -> reach(media.getSchema(), components));
        }
        if (operation.getParameters() != null) {
          operation.getParameters().forEach(parameter -> reach(
              org.openapitools.codegen.utils.ModelUtils.getReferencedParameter(openAPI, parameter)
                  .getSchema(), components));
        }
      }
    }
    List<String> names = new ArrayList<>();
    for (String component : components) {
      names.add(toModelName(component));
    }
    return names;
  }

  private void reach(Schema<?> schema, TreeSet<String> components) {
    if (schema == null) {
      return;
    }
    if (schema.get$ref() != null) {
      String name = org.openapitools.codegen.utils.ModelUtils.getSimpleRef(schema.get$ref());
      if (components.add(name)) {
        reach(openAPI.getComponents().getSchemas().get(name), components);
      }
      return;
    }
    reach(schema.getItems(), components);
    if (schema.getProperties() != null) {
      schema.getProperties().values().forEach(property -> reach(property, components));
    }
  }

  /** The wire names of every x-secret property of every schema, sorted, without repeats. */
  private List<Map<String, Object>> secretNames() {
    TreeSet<String> names = new TreeSet<>();
    for (Schema<?> schema : openAPI.getComponents().getSchemas().values()) {
      if (schema.getProperties() == null) {
        continue;
      }
      schema.getProperties().forEach((name, property) -> {
        if (Boolean.TRUE.equals(ModelShapes.extension(property, "x-secret"))) {
          names.add(name);
        }
      });
    }
    List<Map<String, Object>> result = new ArrayList<>();
    for (String name : names) {
      result.add(Map.of("name", Javadoc.javaString(name)));
    }
    return result;
  }
}
