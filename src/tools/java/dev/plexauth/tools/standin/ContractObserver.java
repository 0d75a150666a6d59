package dev.plexauth.tools.standin;

import java.util.List;
import java.util.Map;

/**
 * Sees every request the stand-in receives and every answer it gives, so that tests can check
 * both against {@code openapi/plex-auth.yaml} without the stand-in depending on a validator.
 *
 * <p>Called on the stand-in's handler threads, so implementations must be thread-safe. They must
 * not throw: record what they find and report it from the test instead (the stand-in does not
 * catch what an observer throws, and the client would see a dropped connection, not the cause).
 */
public interface ContractObserver {
  /** Observes nothing; the default. */
  ContractObserver NONE = new ContractObserver() {};

  /**
   * A request as the stand-in received it.
   *
   * @param method the HTTP method
   * @param path the decoded path, for example {@code /security/token}
   * @param rawQuery the query as sent (percent-encoded), or null when there is none
   * @param headers the request headers, names as the JDK server normalises them
   */
  record ReceivedRequest(
      String method, String path, String rawQuery, Map<String, List<String>> headers) {
    /**
     * Returns the method, the path, whether there was a query and the header names, never a
     * header or query value: those may carry a token.
     */
    @Override
    public String toString() {
      return "ReceivedRequest{" + method + ' ' + path + (rawQuery == null ? "" : "?\u2026")
          + ", headers=" + new java.util.TreeSet<>(headers.keySet()) + '}';
    }
  }

  /** Called with each request before it is answered. */
  default void onRequest(ReceivedRequest request) {}

  /**
   * Called with each answer just before its headers go out.
   *
   * @param request the request being answered
   * @param status the HTTP status
   * @param headers the response headers, {@code Content-Type} included
   * @param body the body as sent (empty for HEAD, 204 and preflights)
   */
  default void onResponse(
      ReceivedRequest request, int status, Map<String, List<String>> headers, String body) {}
}
