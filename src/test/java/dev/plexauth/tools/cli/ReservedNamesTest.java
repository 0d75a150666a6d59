package dev.plexauth.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.PlexAuthClient;
import dev.plexauth.tools.generated.SpecOperations;
import dev.plexauth.tools.spec.SpecOperation;
import dev.plexauth.tools.spec.SpecParameter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The generator's list of reserved names (what it refuses as an operationId or a parameter name)
 * covers every name the client and the CLI already use, so that no spec edit can give a client
 * that does not compile or a CLI command that cannot be reached.
 */
class ReservedNamesTest {
  private static final Path LIST =
      Path.of("src/codegen/resources/dev/plexauth/codegen/reserved-names.txt");

  @Test
  void everyMethodOfTheClientNotFromTheSpecIsAReservedOperationId() throws IOException {
    Set<String> fromSpec = new HashSet<>();
    for (SpecOperation operation : SpecOperations.all()) {
      fromSpec.add(operation.operationId());
      fromSpec.add(operation.operationId() + "Async");
    }
    Set<String> missing = new TreeSet<>();
    for (Class<?> type = PlexAuthClient.class; type != null; type = type.getSuperclass()) {
      for (Method method : type.getDeclaredMethods()) {
        boolean reachable = Modifier.isPublic(method.getModifiers())
            || Modifier.isProtected(method.getModifiers());
        if (reachable && !method.isSynthetic() && !fromSpec.contains(method.getName())) {
          missing.add(method.getName());
        }
      }
    }
    missing.removeAll(reserved("operationId"));
    assertEquals(Set.of(), missing, "methods of PlexAuthClient or Object missing from " + LIST);
  }

  @Test
  void everyKeywordAndOptionOfTheCliIsReserved() throws IOException {
    StringWriter help = new StringWriter();
    assertEquals(0, PlexAuthCli.run(new String[] {"--help"}, Map.of(), new PrintWriter(help),
        new PrintWriter(new StringWriter())));
    Set<String> options = new TreeSet<>();
    Matcher option = Pattern.compile("(?m)^\\s+(?:-\\w, )?--([a-z][a-z-]*)").matcher(help.toString());
    while (option.find()) {
      options.add(option.group(1));
    }
    Set<String> parameters = new HashSet<>();
    for (SpecOperation operation : SpecOperations.all()) {
      for (SpecParameter parameter : operation.parameters()) {
        parameters.add(parameter.name());
      }
    }
    options.removeAll(parameters);
    assertTrue(options.containsAll(Set.of("server", "token", "json", "help")), "parsed: " + options);
    options.removeAll(reserved("parameter"));
    assertEquals(Set.of(), options, "options of the CLI missing from " + LIST);

    Matcher keywords = Pattern.compile("\\[((?:[a-z]+\\|)+)<operationId>")
        .matcher(help.toString());
    assertTrue(keywords.find(), help.toString());
    for (String keyword : keywords.group(1).split("\\|")) {
      assertTrue(reserved("operationId").contains(keyword),
          "the CLI keyword " + keyword + " is missing from " + LIST);
    }
  }

  private static Set<String> reserved(String kind) throws IOException {
    Set<String> names = new HashSet<>();
    for (String line : Files.readAllLines(LIST, StandardCharsets.UTF_8)) {
      String[] fields = line.trim().split(" ", 3);
      if (fields.length == 3 && fields[0].equals(kind)) {
        names.add(fields[1]);
      }
    }
    return names;
  }
}
