package dev.plexauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.tools.standin.PlexStandIn;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's {@code module-info.java} for the module path: a small program that builds a client
 * and gets a transient token compiles without a warning and runs against the stand-in, with the
 * SDK's jar (its classes, named {@code dev.plexauth} as the real jar's manifest does) and its
 * runtime jars on the module path. Without its {@code requires kotlin.stdlib;}, javac warns as the
 * README says and the program fails at its first call.
 */
class ModulePathTest {
  private static final Path README = Path.of("README.md");
  private static final Pattern MODULE_INFO =
      Pattern.compile("```java\n(module (\\S+) \\{\n.*?\n\\})\n```", Pattern.DOTALL);
  /** The runtime jars README.md lists, found on the test classpath by name. */
  private static final Pattern RUNTIME_JAR = Pattern.compile("/(retrofit|converter-moshi|moshi"
      + "|okhttp|logging-interceptor|okio|okio-jvm|kotlin-stdlib|kotlin-stdlib-jdk7"
      + "|kotlin-stdlib-jdk8|annotations)-[0-9][^/]*\\.jar$");
  private static final String REQUIRES_KOTLIN = "  requires kotlin.stdlib;\n";

  @TempDir Path work;
  private final PlexStandIn plex = PlexStandIn.builder().build();

  @BeforeEach
  void start() throws IOException {
    plex.start();
  }

  @AfterEach
  void stop() {
    plex.close();
  }

  @Test
  void theReadmesModuleInfoCompilesCleanlyAndRuns() throws Exception {
    Matcher readme = readmeModuleInfo();
    String moduleInfo = readme.group(1) + "\n";
    assertTrue(moduleInfo.contains(REQUIRES_KOTLIN), moduleInfo);
    String modulePath = modulePath();

    List<String> warnings = compile(moduleInfo, readme.group(2), modulePath, work.resolve("app"));

    assertEquals(List.of(), warnings);
    Run run = run(readme.group(2), modulePath, work.resolve("app"));
    assertEquals(0, run.status, run.output);
    assertEquals("transient token\n", run.output);
  }

  @Test
  void withoutKotlinTheCompilerWarnsAndTheProgramFails() throws Exception {
    Matcher readme = readmeModuleInfo();
    String moduleInfo = (readme.group(1) + "\n").replace(REQUIRES_KOTLIN, "");
    String modulePath = modulePath();

    List<String> warnings = compile(moduleInfo, readme.group(2), modulePath, work.resolve("bare"));

    assertEquals(19, warnings.size(), "the README says 19: " + warnings);
    for (String warning : warnings) {
      // The command line prints it as "unknown enum constant DeprecationLevel.ERROR".
      assertTrue(warning.startsWith("unknown enum constant kotlin.DeprecationLevel.ERROR"),
          warning);
    }
    Run run = run(readme.group(2), modulePath, work.resolve("bare"));
    assertNotEquals(0, run.status, run.output);
    assertTrue(run.output.contains("NoClassDefFoundError: kotlin/jvm/internal/Intrinsics"),
        run.output);
  }

  private static Matcher readmeModuleInfo() throws IOException {
    Matcher block = MODULE_INFO.matcher(Files.readString(README, StandardCharsets.UTF_8));
    assertTrue(block.find(), README + " shows no module-info.java");
    return block;
  }

  /** The SDK as a jar named as the real one, then its runtime jars. */
  private String modulePath() throws IOException {
    Path jar = work.resolve("plex-auth.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Automatic-Module-Name", "dev.plexauth");
    Path classes = Path.of("target/classes");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
        String name = classes.relativize(file).toString().replace(File.separatorChar, '/');
        if (!name.equals("META-INF/MANIFEST.MF")) {
          out.putNextEntry(new JarEntry(name));
          Files.copy(file, out);
          out.closeEntry();
        }
      }
    }
    List<String> path = new ArrayList<>(List.of(jar.toString()));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (RUNTIME_JAR.matcher(entry.replace('\\', '/')).find()) {
        path.add(entry);
      }
    }
    assertEquals(12, path.size(), "the SDK and its 11 runtime jars: " + path);
    return String.join(File.pathSeparator, path);
  }

  /** Compiles the module with a main class; returns javac's warnings. */
  private static List<String> compile(String moduleInfo, String module, String modulePath,
      Path into) throws IOException {
    Path sources = Files.createDirectories(into.resolve("src"));
    Path main = Files.createDirectories(sources.resolve(module.replace('.', '/')))
        .resolve("Main.java");
    Files.writeString(sources.resolve("module-info.java"), moduleInfo);
    Files.writeString(main, String.join("\n",
        "package " + module + ";",
        "",
        "import dev.plexauth.PlexAuthClient;",
        "",
        "public final class Main {",
        "  public static void main(String[] args) {",
        "    try (PlexAuthClient client = PlexAuthClient.builder()",
        "        .baseUrl(args[0]).token(args[1]).clientIdentifier(\"module-path-test\").build()) {",
        "      boolean minted = client.getTransientToken().token().startsWith(\"transient-\");",
        "      System.out.println(minted ? \"transient token\" : \"no token\");",
        "    }",
        "  }",
        "}",
        ""));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files =
        javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
      boolean compiled = javac.getTask(null, files, diagnostics,
          // An empty class path: the in-process compiler would take this JVM's, Kotlin's included.
          List.of("--module-path", modulePath, "--class-path", sources.toString(),
              "-d", into.resolve("classes").toString()), null,
          files.getJavaFileObjects(sources.resolve("module-info.java"), main)).call();
      assertTrue(compiled, diagnostics.getDiagnostics().toString());
    }
    return diagnostics.getDiagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.WARNING
            || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING)
        .map(d -> d.getMessage(null))
        .collect(Collectors.toList());
  }

  private record Run(int status, String output) {}

  private Run run(String module, String modulePath, Path compiled) throws Exception {
    Process java = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--module-path", modulePath + File.pathSeparator + compiled.resolve("classes"),
            "-m", module + "/" + module + ".Main", plex.baseUrl(), plex.ownerToken())
        .redirectErrorStream(true).start();
    try (OutputStream in = java.getOutputStream()) {
      // No input.
    }
    String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(java.waitFor(60, TimeUnit.SECONDS), "the program did not end: " + output);
    return new Run(java.exitValue(), output);
  }
}
