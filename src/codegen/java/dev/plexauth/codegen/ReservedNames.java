package dev.plexauth.codegen;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The operationIds and parameter names that the client or the CLI already uses, from {@code
 * reserved-names.txt} beside this class: a spec that takes one is refused by name.
 */
final class ReservedNames {
  private static final String FILE = "reserved-names.txt";

  /** Who uses each name, by kind ("operationId", "parameter") and name. */
  private final Map<String, Map<String, String>> users;

  private ReservedNames(Map<String, Map<String, String>> users) {
    this.users = users;
  }

  static ReservedNames load() {
    Map<String, Map<String, String>> users = new HashMap<>();
    try (InputStream in = ReservedNames.class.getResourceAsStream(FILE)) {
      if (in == null) {
        throw new IllegalStateException(FILE + " is missing from the generator extension");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] fields = line.trim().split(" ", 3);
        users.computeIfAbsent(fields[0], kind -> new HashMap<>()).put(fields[1], fields[2]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ReservedNames(users);
  }

  /** Refuses an operation whose operationId, or any of whose parameters, takes a reserved name. */
  void check(OpenAPI openAPI, String where, String operationId, Operation operation,
      PathItem path) {
    String user = users.getOrDefault("operationId", Map.of()).get(operationId);
    if (user != null) {
      throw new IllegalStateException(where + ": the operationId " + operationId + " is taken by "
          + user + "; rename the operation");
    }
    for (Parameter declared : OperationShapes.declaredParameters(openAPI, operation, path)) {
      String name = declared.getName();
      String taken = name == null ? null : users.getOrDefault("parameter", Map.of()).get(name);
      if (taken != null) {
        throw new IllegalStateException(operationId + " parameter " + name + ": the name is"
            + " taken by " + taken + "; rename the parameter");
      }
    }
  }
}
