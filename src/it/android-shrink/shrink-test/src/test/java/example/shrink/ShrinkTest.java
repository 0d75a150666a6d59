package example.shrink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import proguard.Configuration;
import proguard.ConfigurationParser;
import proguard.ProGuard;

/**
 * Shrinks, optimizes and obfuscates the app with ProGuard, using only the rules that the jars ship
 * (the way Android's build tools consume them), then runs it shrunk and unshrunk against a
 * loopback server: both must print every decoded field, identically.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShrinkTest {
  private static final String MAIN = "example.app.PlexAuthApp";
  private static final String OWNER_TOKEN = "app-owner-token-21";
  private static final String REVOKED_TOKEN = "app-revoked-token";
  private static final String CLIENT_IDENTIFIER = "plex-auth-app-0001";
  private static final String SOURCE = "server://243b471948ace337a8f92f129ec97d1902fcb1df";
  /** The tokens in the fixtures (the spec's examples), which the app must print as hashes only. */
  private static final String TRANSIENT_TOKEN = "transient-90904684-f91a-4391-8bf7-e0dfa7240285";
  private static final String ACCESS_TOKEN = "transient-fa75f159-b9d2-42b6-8fbd-1761c7a4195a";

  /**
   * The JDK modules the app and its jars link against (java.logging: OkHttp logs through
   * java.util.logging). A reference to any other module would stop ProGuard with a warning.
   */
  private static final List<String> JDK_MODULES = List.of("java.base", "java.logging");
  /** How far README.md's Footprint figures may be from what this test measures. */
  private static final double FOOTPRINT_TOLERANCE = 0.03;
  private static final long CHILD_TIMEOUT_SECONDS = 60;

  private Path work;
  private Path appClasses;
  private List<Path> runtimeJars;
  private Path shrunkJar;
  private AppRun unshrunk;
  /** Where each shipped rule file came from, as {@code jar!/entry}. */
  private final List<String> ruleFiles = new ArrayList<>();
  /** Options in the shipped rules that ProGuard does not know. */
  private final List<String> unknownOptions = new ArrayList<>();

  @BeforeAll
  void shrink() throws Exception {
    work = Path.of(System.getProperty("shrink.work"));
    Files.createDirectories(work);
    appClasses = Path.of(System.getProperty("shrink.app.classes"));
    runtimeJars = Stream.of(Files.readString(Path.of(System.getProperty("shrink.app.classpath")))
            .trim().split(Pattern.quote(File.pathSeparator)))
        .map(Path::of)
        .collect(Collectors.toList());
    shrunkJar = work.resolve("shrunk.jar");
    Files.deleteIfExists(shrunkJar);

    Configuration configuration = new Configuration();
    parse(configuration, String.join("\n", baseRules()), "the test's own options");
    for (Path jar : runtimeJars) {
      for (ShippedRules rules : shippedRules(jar)) {
        ruleFiles.add(rules.source);
        parse(configuration, rules.text, rules.source);
      }
    }
    long start = System.nanoTime();
    new ProGuard(configuration).execute();
    System.out.printf(Locale.ROOT, "ProGuard %s on Java %s took %.1f s%n", ProGuard.getVersion(),
        Runtime.version(), (System.nanoTime() - start) / 1e9);
  }

  /**
   * What an app's build gives ProGuard besides the shipped rules: its inputs and outputs, the
   * entry point, and no other keep rule.
   */
  private List<String> baseRules() throws IOException {
    List<String> rules = new ArrayList<>();
    rules.add("-injars " + quote(appClasses));
    for (Path jar : runtimeJars) {
      // Not part of an app, as in an Android build: a multi-release jar's versioned classes
      // (META-INF/versions) and module descriptors, which kotlin-stdlib and okio carry, and each
      // jar's own manifest (ProGuard would keep the first and warn about every other). One
      // duplicate stays: okio-3.6.0.jar, okio's Kotlin metadata that Maven resolves beside
      // okio-jvm (Gradle picks okio-jvm alone), repeats META-INF/okio.kotlin_module, and ProGuard
      // keeps okio-jvm's, the first, with a warning that does not stop it.
      rules.add("-injars " + quote(jar)
          + "(!META-INF/versions/**,!module-info.class,!META-INF/MANIFEST.MF)");
    }
    rules.add("-outjars " + quote(shrunkJar));
    rules.add("-libraryjars " + quote(jdkLibrary()));
    // Retrofit refers to android.os.Build, Handler and Looper and android.annotation.TargetApi,
    // and uses them only when it runs on Android. An Android build gives ProGuard or R8 the
    // Android SDK's android.jar as a library, where they are found, so Retrofit's rules need not
    // mention them; on this JVM there is no android.jar, and ProGuard stops at the unresolved
    // references. The only warnings the shipped rules leave, and the only -dontwarn added here.
    rules.add("-dontwarn android.**");
    rules.add("-keep public class " + MAIN + " { public static void main(java.lang.String[]); }");
    // ProGuard's method/specialization/returntype narrows a method's declared return type to the
    // class it finds returned. It narrows okio's Okio.source(InputStream) from Source to
    // InputStreamSource while the code still returns a value typed Source, and the JVM refuses
    // the class (VerifyError: Bad return type) as soon as OkHttp loads it: the app cannot start,
    // whatever the rules keep. Only that optimization is off; all of ProGuard's others stay on.
    rules.add("-optimizations !method/specialization/returntype");
    // For whoever reads a failure: what ProGuard was given and what it renamed.
    rules.add("-printconfiguration " + quote(work.resolve("configuration.txt")));
    rules.add("-printmapping " + quote(work.resolve("mapping.txt")));
    return rules;
  }

  private void parse(Configuration configuration, String text, String source) throws Exception {
    try (ConfigurationParser parser =
        new ConfigurationParser(text, source, work.toFile(), System.getProperties())) {
      parser.parse(configuration, (option, where) -> unknownOptions.add(option + " in " + where));
    }
  }

  /** One rule file a jar ships. */
  private static final class ShippedRules {
    final String source;
    final String text;

    ShippedRules(String source, String text) {
      this.source = source;
      this.text = text;
    }
  }

  /**
   * The rules a jar ships for ProGuard, chosen as Android's build tools choose them: the files
   * under META-INF/com.android.tools/proguard... when the jar has any, else those under
   * META-INF/proguard/. A jar whose only targeted rules are R8's would be shrunk here without them,
   * so the test refuses it rather than pass without rules an R8 build would apply.
   */
  private static List<ShippedRules> shippedRules(Path jar) throws IOException {
    List<ShippedRules> targeted = new ArrayList<>();
    List<ShippedRules> legacy = new ArrayList<>();
    boolean r8Targeted = false;
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
        ZipEntry entry = entries.nextElement();
        String name = entry.getName();
        if (entry.isDirectory()) {
          continue;
        }
        String source = jar.getFileName() + "!/" + name;
        if (name.matches("META-INF/com\\.android\\.tools/proguard[^/]*/[^/]+")) {
          targeted.add(new ShippedRules(source, read(zip, entry)));
        } else if (name.matches("META-INF/com\\.android\\.tools/r8[^/]*/[^/]+")) {
          r8Targeted = true;
        } else if (name.matches("META-INF/proguard/[^/]+")) {
          legacy.add(new ShippedRules(source, read(zip, entry)));
        }
      }
    }
    if (r8Targeted && targeted.isEmpty()) {
      fail(jar.getFileName() + " ships rules for R8 only (META-INF/com.android.tools/r8...): "
          + "decide how to give ProGuard their equivalent before trusting this test");
    }
    return targeted.isEmpty() ? legacy : targeted;
  }

  private static String read(ZipFile zip, ZipEntry entry) throws IOException {
    return new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
  }

  /**
   * The running JDK's classes of {@link #JDK_MODULES}, read through its jrt file system (JDKs
   * from 24 on may have no jmods) into one jar for -libraryjars.
   */
  private Path jdkLibrary() throws IOException {
    Path jar = work.resolve("jdk-library.jar");
    FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
      out.setLevel(Deflater.NO_COMPRESSION);
      for (String module : JDK_MODULES) {
        Path root = jrt.getPath("/modules", module);
        List<Path> classes;
        try (Stream<Path> files = Files.walk(root)) {
          classes = files
              .filter(file -> file.toString().endsWith(".class"))
              .filter(file -> !file.getFileName().toString().equals("module-info.class"))
              .sorted()
              .collect(Collectors.toList());
        }
        for (Path file : classes) {
          out.putNextEntry(new ZipEntry(root.relativize(file).toString()));
          out.write(Files.readAllBytes(file));
          out.closeEntry();
        }
      }
    }
    return jar;
  }

  private static String quote(Path path) {
    return "'" + path.toAbsolutePath() + "'";
  }

  @Test
  void theShippedRulesAreAllProGuardRules() {
    System.out.println("Shipped rules given to ProGuard:\n  " + String.join("\n  ", ruleFiles));
    assertEquals(List.of(), unknownOptions, "options in the shipped rules that ProGuard ignores");
    // The SDK's own file and those of the libraries known to ship rules, whatever their versions.
    String plexAuthJar = "plex-auth-" + System.getProperty("plexauth.version") + ".jar";
    for (String[] expected : new String[][] {
        {plexAuthJar, "!/META-INF/proguard/plex-auth.pro"},
        {"retrofit-", "!/META-INF/proguard/retrofit2.pro"},
        {"moshi-", "!/META-INF/proguard/moshi.pro"},
        {"okhttp-", "!/META-INF/proguard/okhttp3.pro"}}) {
      assertTrue(ruleFiles.stream()
              .anyMatch(file -> file.startsWith(expected[0]) && file.endsWith(expected[1])),
          expected[0] + "..." + expected[1] + " was not given to ProGuard: " + ruleFiles);
    }
  }

  @Test
  void theUnshrunkAppDecodesEveryField() throws Exception {
    AppRun run = unshrunkRun();
    assertEquals(expectedOutput(), run.output);
    assertEquals(expectedRequests(), run.requests);
  }

  @Test
  void theShrunkAppPrintsWhatTheUnshrunkAppPrints() throws Exception {
    AppRun run = runApp(List.of(shrunkJar));
    assertEquals(unshrunkRun().output, run.output, "the shrunk app's output");
    assertEquals(expectedOutput(), run.output);
    assertEquals(expectedRequests(), run.requests);
  }

  /** The app's run on its unshrunk classpath, made once. */
  private AppRun unshrunkRun() throws Exception {
    if (unshrunk == null) {
      List<Path> classpath = new ArrayList<>();
      classpath.add(appClasses);
      classpath.addAll(runtimeJars);
      unshrunk = runApp(classpath);
    }
    return unshrunk;
  }

  @Test
  void theReadmeFootprintIsCurrent() throws IOException {
    long runtime = 0;
    for (Path jar : runtimeJars) {
      runtime += Files.size(jar);
    }
    long shrunk = Files.size(shrunkJar);
    System.out.printf(Locale.ROOT, "Footprint: runtime jars %,d bytes (%d jars), shrunk app %,d bytes%n",
        runtime, runtimeJars.size(), shrunk);
    String readme = Files.readString(Path.of(System.getProperty("plexauth.readme")));
    assertFootprint(readme, "runtime jars", runtime);
    assertFootprint(readme, "shrunk app", shrunk);
  }

  /**
   * Checks the README's row {@code | <label>... | N bytes (M MiB) |}: N within the tolerance of
   * what was measured, and M what N is in MiB.
   */
  private static void assertFootprint(String readme, String label, long measured) {
    Matcher row = Pattern.compile("(?m)^\\| " + Pattern.quote(label)
        + "[^|]*\\| ([0-9,]+) bytes \\(([0-9.]+) MiB\\) \\|$").matcher(readme);
    assertTrue(row.find(), "README.md has no Footprint row '| " + label
        + " ... | N bytes (M MiB) |'");
    long stated = Long.parseLong(row.group(1).replace(",", ""));
    String mib = String.format(Locale.ROOT, "%.2f", stated / 1048576.0);
    assertEquals(mib, row.group(2), "README.md's " + label + ": " + stated + " bytes is " + mib
        + " MiB");
    double off = Math.abs(stated - measured) / (double) measured;
    assertTrue(off <= FOOTPRINT_TOLERANCE, String.format(Locale.ROOT,
        "README.md's Footprint says %,d bytes for the %s, measured %,d (%.1f%% off, more than"
            + " %.0f%%): update the figure", stated, label, measured, off * 100,
        FOOTPRINT_TOLERANCE * 100));
  }

  /** What the app printed and what the server received. */
  private static final class AppRun {
    final String output;
    final List<String> requests;

    AppRun(String output, List<String> requests) {
      this.output = output;
      this.requests = requests;
    }
  }

  /** Runs the app in a child JVM on the classpath against a fresh loopback server. */
  private AppRun runApp(List<Path> classpath) throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(new PlexDispatcher());
      server.start(InetAddress.getLoopbackAddress(), 0);
      String url = "http://127.0.0.1:" + server.getPort() + "/";
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String cp = classpath.stream().map(Path::toString)
          .collect(Collectors.joining(File.pathSeparator));
      Path stdout = Files.createTempFile(work, "app", ".out");
      Path stderr = Files.createTempFile(work, "app", ".err");
      Process process = new ProcessBuilder(java, "-cp", cp, MAIN, url)
          .redirectOutput(stdout.toFile())
          .redirectError(stderr.toFile())
          .start();
      if (!process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("the app did not finish in " + CHILD_TIMEOUT_SECONDS + " s; its output:\n"
            + Files.readString(stdout) + Files.readString(stderr));
      }
      String output = Files.readString(stdout);
      String errors = Files.readString(stderr);
      assertEquals(0, process.exitValue(), "the app failed:\n" + output + errors);
      // Nothing on stderr either: no stack trace, no leaked-connection or other warning.
      assertEquals("", errors, "what the app wrote to stderr");
      List<String> requests = new ArrayList<>();
      for (int i = server.getRequestCount(); i > 0; i--) {
        requests.add(describe(server.takeRequest(1, TimeUnit.SECONDS)));
      }
      return new AppRun(output, requests);
    }
  }

  /** A request as method, path, decoded query and who sent it (never the token itself). */
  private static String describe(RecordedRequest request) {
    HttpUrl url = request.getRequestUrl();
    StringBuilder text = new StringBuilder(request.getMethod() + " " + url.encodedPath());
    for (String name : new TreeSet<>(url.queryParameterNames())) {
      text.append(' ').append(name).append('=').append(url.queryParameter(name));
    }
    return text + " as " + who(request) + " accept=" + request.getHeader("Accept")
        + " client=" + request.getHeader("X-Plex-Client-Identifier");
  }

  private static String who(RecordedRequest request) {
    String token = request.getHeader("X-Plex-Token");
    return OWNER_TOKEN.equals(token) ? "owner" : REVOKED_TOKEN.equals(token) ? "revoked" : "stranger";
  }

  private static List<String> expectedRequests() {
    List<String> requests = new ArrayList<>();
    for (String who : List.of("owner", "revoked")) {
      String as = " as " + who + " accept=application/json client=" + CLIENT_IDENTIFIER;
      String token = "GET /security/token scope=all type=delegation" + as;
      String resources = "GET /security/resources source=" + SOURCE + as;
      // getServerIdentity carries no token: the server sees a stranger, for either client.
      String identity = "GET /identity as stranger accept=application/json client="
          + CLIENT_IDENTIFIER;
      requests.addAll(List.of(token, token, token, resources, resources, resources, identity));
    }
    return requests;
  }

  private static String expectedOutput() {
    String token = "  size 0\n"
        + "  token " + secret(TRANSIENT_TOKEN) + "\n";
    String source = "  name PlexCorp (plex-corp)\n"
        + "  clientIdentifier 243b471948ace337a8f92f129ec97d1902fcb1df\n"
        + "  accessToken " + secret(ACCESS_TOKEN) + "\n"
        + "  connections 3\n"
        + "  connection protocol=https address=10.0.2.123 port=32400"
        + " uri=https://10-0-2-123.93b10b279ff8456686414add109854cd.plex.direct:32400"
        + " local=true relay=false\n"
        + "  connection protocol=https address=64.71.188.222 port=32403"
        + " uri=https://64-71-188-222.93b10b279ff8456686414add109854cd.plex.direct:32403"
        + " local=false relay=false\n"
        + "  connection protocol=https address=139.162.158.105 port=8443"
        + " uri=https://139-162-158-105.93b10b279ff8456686414add109854cd.plex.direct:8443"
        + " local=false relay=true\n";
    String identity = "  machineIdentifier 243b471948ace337a8f92f129ec97d1902fcb1df\n"
        + "  claimed true\n"
        + "  version 1.41.3.9314-a0bfb8370\n";
    String revoked = "  PlexUnauthorizedException code 401\n"
        + "  errors 1\n"
        + "  error code=1001 message=User could not be authenticated status=401\n";
    StringBuilder all = new StringBuilder();
    for (String who : List.of("owner", "revoked")) {
      boolean owner = who.equals("owner");
      for (String form : List.of("", "Async", "Async(callback)")) {
        all.append("getTransientToken").append(form).append(" as ").append(who).append('\n')
            .append(owner ? token : revoked);
      }
      for (String form : List.of("", "Async", "Async(callback)")) {
        all.append("getSourceConnectionInformation").append(form).append(" as ").append(who)
            .append('\n').append(owner ? source : revoked);
      }
      all.append("getServerIdentity as ").append(who).append('\n').append(identity);
    }
    return all.toString();
  }

  /** What the app prints for a secret: its length and the first 6 bytes of its SHA-256. */
  private static String secret(String value) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(value.getBytes(StandardCharsets.UTF_8));
      return "length=" + value.length() + " sha256="
          + HexFormat.of().formatHex(digest, 0, 6);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A Plex Media Server stand-in: the spec's example answers for the owner's token, 401 with
   * plex.tv's JSON errors for the revoked one, and only to requests with the identity headers.
   */
  private static final class PlexDispatcher extends Dispatcher {
    private final String token = fixture("transient-token.json");
    private final String resources = fixture("source-connection-information.json");
    private final String errors = fixture("unauthorized-errors.json");
    private final String identity = fixture("server-identity.json");

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      HttpUrl url = request.getRequestUrl();
      if (!CLIENT_IDENTIFIER.equals(request.getHeader("X-Plex-Client-Identifier"))
          || !"application/json".equals(request.getHeader("Accept"))) {
        return html(400, "Bad Request");
      }
      if (url.encodedPath().equals("/identity")) {
        // PMS answers it to anyone; a token here would be one the app should not have sent.
        return request.getHeader("X-Plex-Token") == null ? json(200, identity)
            : html(400, "Token sent to /identity");
      }
      String who = who(request);
      if (who.equals("revoked")) {
        return json(401, errors);
      }
      if (!who.equals("owner")) {
        return html(401, "Unauthorized");
      }
      if (url.encodedPath().equals("/security/token")
          && "delegation".equals(url.queryParameter("type"))
          && "all".equals(url.queryParameter("scope"))) {
        return json(200, token);
      }
      if (url.encodedPath().equals("/security/resources")
          && SOURCE.equals(url.queryParameter("source"))) {
        return json(200, resources);
      }
      return html(404, "Not Found");
    }

    private static MockResponse json(int status, String body) {
      return new MockResponse().setResponseCode(status)
          .setHeader("Content-Type", "application/json").setBody(body);
    }

    private static MockResponse html(int status, String title) {
      return new MockResponse().setResponseCode(status).setHeader("Content-Type", "text/html")
          .setBody("<html><head><title>" + title + "</title></head><body><h1>" + status + " "
              + title + "</h1></body></html>");
    }

    private static String fixture(String name) {
      try {
        return Files.readString(Path.of(System.getProperty("plexauth.fixtures"), name));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
