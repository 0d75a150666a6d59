package dev.plexauth.contract;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A request as {@link SpecContract} checks it: method, path relative to the server's base path,
 * decoded query parameters and headers. Immutable.
 *
 * @param method the HTTP method, for example {@code GET}
 * @param path the path below the base path, starting with {@code /}, for example {@code
 *     /security/token} for {@code https://host/plex/security/token}
 * @param query each query parameter's decoded values, in order
 * @param headers each header's values; names in any case
 */
public record ContractRequest(
    String method, String path, Map<String, List<String>> query,
    Map<String, List<String>> headers) {

  public ContractRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    query = copy(query);
    headers = copy(headers);
  }

  /** The request exactly as OkHttp sends it, with the path taken as is (base path {@code /}). */
  public static ContractRequest of(Request request) {
    return of(request.method(), request.url(), request.headers());
  }

  /** The request as MockWebServer received it, with the path taken as is (base path {@code /}). */
  public static ContractRequest of(RecordedRequest request) {
    HttpUrl url = Objects.requireNonNull(request.getRequestUrl(), "request URL");
    return of(request.getMethod(), url, request.getHeaders());
  }

  /**
   * Parses a request line's target, as a server sees it.
   *
   * @param method the HTTP method
   * @param path the decoded path
   * @param rawQuery the query as sent (percent-encoded), or null when there is none
   * @param headers the headers
   */
  public static ContractRequest of(
      String method, String path, String rawQuery, Map<String, List<String>> headers) {
    HttpUrl url = new HttpUrl.Builder()
        .scheme("http").host("localhost").encodedPath(path.isEmpty() ? "/" : path)
        .encodedQuery(rawQuery)
        .build();
    return new ContractRequest(method, path, query(url), headers);
  }

  /**
   * Returns this request with {@code basePath} removed from the front of its path, for a server
   * that lives under a prefix such as {@code /plex}.
   *
   * @throws IllegalArgumentException if the path does not start with the base path
   */
  public ContractRequest withoutBasePath(String basePath) {
    String base = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
    if (!path.startsWith(base + "/")) {
      throw new IllegalArgumentException(path + " is not below the base path " + basePath);
    }
    return new ContractRequest(method, path.substring(base.length()), query, headers);
  }

  /** Returns a copy with the path replaced, for example by the spec path it ends with. */
  public ContractRequest withPath(String newPath) {
    return new ContractRequest(method, newPath, query, headers);
  }

  /** Names the request for messages: method and path, never a query value or header. */
  @Override
  public String toString() {
    return method + " " + path;
  }

  private static ContractRequest of(String method, HttpUrl url, Headers headers) {
    return new ContractRequest(method, url.encodedPath(), query(url), headers.toMultimap());
  }

  private static Map<String, List<String>> query(HttpUrl url) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    for (String name : url.queryParameterNames()) {
      List<String> values = url.queryParameterValues(name);
      // A parameter without "=" decodes to null; to a server it is the empty string.
      query.put(name, values.stream().map(v -> v == null ? "" : v).toList());
    }
    return query;
  }

  private static Map<String, List<String>> copy(Map<String, List<String>> map) {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    if (map != null) {
      map.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    }
    return java.util.Collections.unmodifiableMap(copy);
  }
}
