package dev.plexauth.tools.standin;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One request to the stand-in and the single answer it gets: query and header access, content
 * negotiation as PMS does it, CORS headers, and a correct {@code Content-Length} every time.
 */
final class StandInExchange {
  static final String JSON = "application/json";
  static final String XML = "text/xml;charset=utf-8";
  static final String HTML = "text/html";

  /** What PMS lets the Plex web app send from another origin. */
  private static final String ALLOWED_HEADERS =
      "Accept, Accept-Language, Content-Type, X-Plex-Token, X-Plex-Client-Identifier,"
          + " X-Plex-Product, X-Plex-Version, X-Plex-Platform, X-Plex-Platform-Version,"
          + " X-Plex-Device, X-Plex-Device-Name, X-Plex-Model, X-Plex-Device-Vendor,"
          + " X-Plex-Features, X-Plex-Language, X-Plex-Provides";

  private static final String ALLOWED_METHODS = "GET, POST, PUT, DELETE, OPTIONS, HEAD";

  private final HttpExchange exchange;
  private final Runnable onAnswer;
  private final ContractObserver observer;
  private final ContractObserver.ReceivedRequest received;
  private final Map<String, String> query;
  private final boolean malformedQuery;
  private boolean answered;

  StandInExchange(HttpExchange exchange, Runnable onAnswer, ContractObserver observer) {
    this.exchange = exchange;
    this.onAnswer = onAnswer;
    this.observer = observer;
    this.received = new ContractObserver.ReceivedRequest(method(), path(),
        exchange.getRequestURI().getRawQuery(), copy(exchange.getRequestHeaders()));
    Map<String, String> parsed = new HashMap<>();
    this.malformedQuery = parseQuery(exchange.getRequestURI().getRawQuery(), parsed);
    this.query = Collections.unmodifiableMap(parsed);
  }

  /** The request as the contract observer sees it. */
  ContractObserver.ReceivedRequest received() {
    return received;
  }

  String method() {
    return exchange.getRequestMethod();
  }

  String path() {
    return exchange.getRequestURI().getPath();
  }

  boolean isGetOrHead() {
    return "GET".equals(method()) || "HEAD".equals(method());
  }

  /** Returns the first value of a query parameter, or null when absent. */
  String query(String name) {
    return query.get(name);
  }

  /** Whether some query parameter could not be percent-decoded (PMS answers that with 400). */
  boolean malformedQuery() {
    return malformedQuery;
  }

  /** Returns the caller's token: the header wins; PMS also honours the query parameter. */
  String token() {
    String header = exchange.getRequestHeaders().getFirst("X-Plex-Token");
    if (header != null && !header.isBlank()) {
      return header.trim();
    }
    return query("X-Plex-Token");
  }

  /** PMS answers JSON only to exactly {@code Accept: application/json}; anything else gets XML. */
  boolean wantsJson() {
    List<String> accept = exchange.getRequestHeaders().get("Accept");
    return accept != null && accept.size() == 1 && JSON.equals(accept.get(0).trim());
  }

  /** Whether an answer (headers at least) has been sent already. */
  boolean answered() {
    return answered;
  }

  /** Reads and discards the request body so that the connection can be reused. */
  void drainRequestBody() throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      in.transferTo(OutputStream.nullOutputStream());
    }
  }

  /** Sends a 200 in the representation the Accept header picks. */
  void sendMediaContainer(String json, String xml) throws IOException {
    if (wantsJson()) {
      send(200, JSON, json);
    } else {
      send(200, XML, xml);
    }
  }

  /** Sends PMS's HTML error page; PMS ignores Accept for errors. */
  void sendError(int status, String reason) throws IOException {
    send(status, HTML, MediaContainers.errorHtml(status, reason));
  }

  /** Sends 405 with the {@code Allow} header HTTP requires for it. */
  void sendMethodNotAllowed(String allow) throws IOException {
    exchange.getResponseHeaders().set("Allow", allow);
    sendError(405, "Method Not Allowed");
  }

  /**
   * Answers a CORS preflight without looking at the token, so that a browser page on another
   * origin (Swagger UI's "Try it out") may send {@code X-Plex-Token} on the real request.
   */
  void sendPreflight() throws IOException {
    Headers request = exchange.getRequestHeaders();
    Headers response = exchange.getResponseHeaders();
    String origin = request.getFirst("Origin");
    response.set("Access-Control-Allow-Origin", origin == null ? "*" : origin);
    if (origin != null) {
      response.set("Vary", "Origin");
    }
    response.set("Access-Control-Allow-Methods", ALLOWED_METHODS);
    List<String> asked = request.get("Access-Control-Request-Headers");
    response.set(
        "Access-Control-Allow-Headers",
        asked == null || asked.isEmpty() ? ALLOWED_HEADERS : String.join(", ", asked));
    response.set("Access-Control-Max-Age", "86400");
    markAnswered();
    observer.onResponse(received, 204, copy(response), "");
    exchange.sendResponseHeaders(204, -1);
  }

  private void send(int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Headers response = exchange.getResponseHeaders();
    response.set("Content-Type", contentType);
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    if (origin != null) {
      response.set("Access-Control-Allow-Origin", origin);
      response.set("Vary", "Origin");
    }
    markAnswered();
    if ("HEAD".equals(method())) {
      // HttpServer sends no Content-Length for HEAD on its own; HEAD must report GET's length.
      response.set("Content-Length", Integer.toString(bytes.length));
      observer.onResponse(received, status, copy(response), "");
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    observer.onResponse(received, status, copy(response), body);
    // 0 would mean "chunked" to HttpServer; -1 means "no body" and yields Content-Length: 0.
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private void markAnswered() {
    if (answered) {
      throw new IllegalStateException("already answered");
    }
    answered = true;
    // Counted before the bytes go out, so a client that has its answer always sees the count.
    onAnswer.run();
  }

  /** Returns an unmodifiable copy of the headers, each value list copied too. */
  static Map<String, List<String>> copy(Headers headers) {
    Map<String, List<String>> copy = new HashMap<>();
    headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    return Collections.unmodifiableMap(copy);
  }

  /** Fills {@code into} with each parameter's first value; returns true if any was malformed. */
  private static boolean parseQuery(String rawQuery, Map<String, String> into) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return false;
    }
    boolean malformed = false;
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String rawName = eq < 0 ? pair : pair.substring(0, eq);
      String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        into.putIfAbsent(decode(rawName), decode(rawValue));
      } catch (IllegalArgumentException e) {
        malformed = true;
      }
    }
    return malformed;
  }

  private static String decode(String raw) {
    return URLDecoder.decode(raw, StandardCharsets.UTF_8);
  }
}
