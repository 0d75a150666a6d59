package dev.plexauth.tools.swaggerui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.plexauth.tools.io.BoundedFile;
import dev.plexauth.tools.standin.PlexStandIn;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * Serves Swagger UI for {@code openapi/plex-auth.yaml} on loopback, with an embedded {@link
 * PlexStandIn} listed as the spec's first server so that "Try it out" works with no Plex server.
 *
 * <p>Swagger UI comes from the {@code org.webjars:swagger-ui} webjar on the classpath. The page and
 * the stand-in listen on two loopback ports, so the browser's calls are cross-origin: the stand-in
 * answers their CORS preflights as PMS does for the Plex web app. The spec is read from disk at
 * the start, where a file that cannot be served is refused, and again on every request, so a
 * reload shows the latest edit; each read is bounded by {@link BoundedFile}: a regular file of at
 * most {@link #MAX_SPEC_BYTES}, read within a time limit, so a FIFO or a device in its place can
 * neither hang a request nor exhaust the server. Thread-safe; {@link #close()} stops both servers.
 */
public final class SwaggerUiServer implements AutoCloseable {
  /** Where the page loads the spec from. */
  public static final String SPEC_PATH = "/openapi/plex-auth.yaml";

  /**
   * The longest spec served: 4 MiB, two hundred times the project's own, and never a whole disk
   * or device in memory.
   */
  public static final int MAX_SPEC_BYTES = 4 << 20;

  /** Both servers bind here: the IPv4 loopback, whatever the JVM prefers, so URLs are stable. */
  private static final String LOOPBACK = "127.0.0.1";

  private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
  private static final String WEBJAR_POM = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
  /** The webjar is flat: a plain file name, never a path that could climb out of it. */
  private static final Pattern ASSET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern SERVERS = Pattern.compile("(?m)^servers:(.*)$");
  private static final Pattern FIRST_ITEM = Pattern.compile("(?m)^([ \\t]*)- ");

  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String JS = "text/javascript; charset=utf-8";

  private final Path spec;
  private final String version;
  private final PlexStandIn standIn;
  private final HttpServer http;
  private final ExecutorService executor;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SwaggerUiServer(Path spec, String version, PlexStandIn standIn, HttpServer http,
      ExecutorService executor) {
    this.spec = spec;
    this.version = version;
    this.standIn = standIn;
    this.http = http;
    this.executor = executor;
  }

  /** A spec file that cannot be served; the message says why, in words that follow its name. */
  public static final class UnusableSpecException extends Exception {
    private static final long serialVersionUID = 1L;

    UnusableSpecException(String problem) {
      super(problem);
    }
  }

  /**
   * Starts the stand-in, then Swagger UI, both bound to 127.0.0.1, once the spec has been read.
   *
   * @param spec the OpenAPI document to serve, for example {@code openapi/plex-auth.yaml}; read
   *     now and on every request, so it must be servable now and stay so
   * @param port Swagger UI's TCP port, 0..65535; 0 picks an ephemeral port
   * @param standInPort the stand-in's TCP port, 0..65535; 0 picks an ephemeral port
   * @return the running server; close it to stop both
   * @throws UnusableSpecException if the spec is not a regular file (links followed) of at most
   *     {@link #MAX_SPEC_BYTES} of UTF-8 text whose top-level {@code servers}, if any, is a block
   *     list; nothing is started then
   * @throws IOException if a port cannot be bound
   * @throws IllegalStateException if the swagger-ui webjar is not on the classpath
   * @throws IllegalArgumentException if a port is out of range
   */
  public static SwaggerUiServer start(Path spec, int port, int standInPort)
      throws IOException, UnusableSpecException {
    Objects.requireNonNull(spec, "spec");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535: " + port);
    }
    servedSpec(spec, "http://" + LOOPBACK + ":1");
    String version = webjarVersion();
    PlexStandIn standIn = PlexStandIn.builder().host(LOOPBACK).port(standInPort).build().start();
    ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
      Thread thread = new Thread(runnable, "swagger-ui-http");
      thread.setDaemon(true);
      return thread;
    });
    try {
      HttpServer http =
          HttpServer.create(new InetSocketAddress(LOOPBACK, port), 64);
      SwaggerUiServer server = new SwaggerUiServer(spec, version, standIn, http, executor);
      http.setExecutor(executor);
      http.createContext("/", server::handle);
      http.start();
      return server;
    } catch (IOException | RuntimeException e) {
      executor.shutdownNow();
      standIn.close();
      throw e;
    }
  }

  /** Returns the page to open, for example {@code http://127.0.0.1:8089/}. */
  public String uiUrl() {
    return "http://" + LOOPBACK + ":" + http.getAddress().getPort() + "/";
  }

  /** Returns the embedded stand-in that "Try it out" calls; its owner token may call everything. */
  public PlexStandIn standIn() {
    return standIn;
  }

  /** Returns the stand-in's URL as the served spec lists it: no trailing slash. */
  public String standInUrl() {
    String base = standIn.baseUrl();
    return base.substring(0, base.length() - 1);
  }

  /** Returns the version of the swagger-ui webjar being served, for example {@code 5.34.1}. */
  public String swaggerUiVersion() {
    return version;
  }

  /** Stops Swagger UI and the stand-in; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    http.stop(0);
    executor.shutdownNow();
    standIn.close();
  }

  /**
   * Returns the YAML document with {@code url} as its first server, the others kept after it.
   *
   * @throws IllegalArgumentException if the document's top-level {@code servers} is not a block
   *     list (for example {@code servers: []})
   */
  static String withFirstServer(String yaml, String url) {
    String entry = "- url: " + url + "\n"
        + "  description: The embedded Plex stand-in (its owner token is printed where it started)\n";
    var servers = SERVERS.matcher(yaml);
    if (!servers.find()) {
      return yaml + (yaml.endsWith("\n") ? "" : "\n") + "servers:\n" + entry.indent(2);
    }
    String rest = servers.group(1).strip();
    int listStart = Math.min(servers.end() + 1, yaml.length());
    var item = FIRST_ITEM.matcher(yaml).region(listStart, yaml.length());
    if (!(rest.isEmpty() || rest.startsWith("#")) || !item.find()
        || !yaml.substring(listStart, item.start()).lines()
            .allMatch(line -> line.isBlank() || line.strip().startsWith("#"))) {
      throw new IllegalArgumentException("the top-level servers key is not a block list");
    }
    return yaml.substring(0, item.start()) + entry.indent(item.group(1).length())
        + yaml.substring(item.start());
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, TEXT, bytes("Method Not Allowed\n"));
        return;
      }
      String path = exchange.getRequestURI().getPath();
      String webjar = "/webjars/swagger-ui/" + version + "/";
      if ("/".equals(path) || "/index.html".equals(path)) {
        send(exchange, 200, "text/html; charset=utf-8", bytes(SwaggerUiPage.index(webjar)));
      } else if ("/swagger-initializer.js".equals(path)) {
        send(exchange, 200, JS, bytes(SwaggerUiPage.initializer(SPEC_PATH)));
      } else if (SPEC_PATH.equals(path)) {
        spec(exchange);
      } else if ("/favicon.ico".equals(path)) {
        asset(exchange, "favicon-32x32.png");
      } else if (path.startsWith(webjar)
          && ASSET.matcher(path.substring(webjar.length())).matches()) {
        asset(exchange, path.substring(webjar.length()));
      } else {
        send(exchange, 404, TEXT, bytes("Not Found\n"));
      }
    } catch (IOException e) {
      // The browser went away mid-answer: nobody is left to tell.
    }
  }

  /** A spec that cannot be read or rewritten gets a 500 saying why, which Swagger UI shows. */
  private void spec(HttpExchange exchange) throws IOException {
    byte[] body;
    try {
      body = bytes(servedSpec(spec, standInUrl()));
    } catch (UnusableSpecException e) {
      send(exchange, 500, TEXT, bytes("the spec " + spec + " " + e.getMessage() + "\n"));
      return;
    }
    send(exchange, 200, "application/yaml; charset=utf-8", body);
  }

  /**
   * The spec as served: read bounded, as UTF-8 text, with {@code standIn} as its first server.
   *
   * @throws UnusableSpecException if it is not a regular file of at most {@link #MAX_SPEC_BYTES}
   *     of UTF-8 text whose servers can be listed
   */
  static String servedSpec(Path spec, String standIn) throws UnusableSpecException {
    byte[] bytes;
    try {
      bytes = BoundedFile.read(spec, MAX_SPEC_BYTES);
    } catch (BoundedFile.UnusableFileException e) {
      throw new UnusableSpecException(e.getMessage());
    }
    if (bytes.length > MAX_SPEC_BYTES) {
      throw new UnusableSpecException("is longer than " + MAX_SPEC_BYTES + " bytes (4 MiB), far"
          + " more than an OpenAPI document needs");
    }
    String yaml;
    try {
      yaml = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new UnusableSpecException("is not UTF-8 text");
    }
    try {
      return withFirstServer(yaml, standIn);
    } catch (IllegalArgumentException e) {
      throw new UnusableSpecException("cannot list the stand-in as its first server: "
          + e.getMessage());
    }
  }

  private void asset(HttpExchange exchange, String name) throws IOException {
    try (InputStream in = resource(WEBJAR + version + "/" + name)) {
      if (in == null) {
        send(exchange, 404, TEXT, bytes("Not Found\n"));
      } else {
        send(exchange, 200, contentType(name), in.readAllBytes());
      }
    }
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    // Always fresh: the spec changes under editing, and the stand-in's port changes per run.
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    if ("HEAD".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static String contentType(String name) {
    String extension = name.substring(name.lastIndexOf('.') + 1);
    return switch (extension) {
      case "js" -> JS;
      case "css" -> "text/css; charset=utf-8";
      case "html" -> "text/html; charset=utf-8";
      case "png" -> "image/png";
      default -> TEXT;
    };
  }

  /** The version the build pinned, as recorded in the webjar itself: never written twice. */
  private static String webjarVersion() throws IOException {
    try (InputStream in = resource(WEBJAR_POM)) {
      if (in == null) {
        throw new IllegalStateException("org.webjars:swagger-ui is not on the classpath");
      }
      Properties properties = new Properties();
      properties.load(in);
      return Objects.requireNonNull(properties.getProperty("version"), "webjar version");
    }
  }

  private static InputStream resource(String name) {
    return SwaggerUiServer.class.getClassLoader().getResourceAsStream(name);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
