package dev.plexauth.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The answers every benchmark serves: the official example answers kept in the test fixtures
 * ({@code src/test/resources/fixtures}), byte for byte, and the caller's values that go with them.
 */
public final class Fixtures {
  /** The caller's token the servers accept. */
  public static final String TOKEN = "bench-owner-token-0123456789";
  /** The caller's client identifier ({@code X-Plex-Client-Identifier}). */
  public static final String CLIENT_IDENTIFIER = "plex-auth-bench-7b1e0c2a";
  /** {@code X-Plex-Product} and {@code X-Plex-Version}, which most apps send. */
  public static final String PRODUCT = "plex-auth-bench";
  /** {@code X-Plex-Version}. */
  public static final String VERSION = "1.0";
  /** The source asked for, as in the official example. */
  public static final String SOURCE = "server://243b471948ace337a8f92f129ec97d1902fcb1df";
  /** {@code GET /security/token?type=delegation&scope=all}: the transient token answer. */
  public static final byte[] TRANSIENT_TOKEN = read("transient-token.json");
  /** {@code GET /security/resources?source=...}: the source connection information answer. */
  public static final byte[] SOURCE_CONNECTION_INFORMATION =
      read("source-connection-information.json");
  /** The transient token in {@link #TRANSIENT_TOKEN}. */
  public static final String TRANSIENT_TOKEN_VALUE =
      "transient-90904684-f91a-4391-8bf7-e0dfa7240285";

  private Fixtures() {}

  /**
   * The fixture answering a request path, or null for any other path.
   *
   * @param path the request's encoded path
   * @return the JSON body bytes (shared: do not modify), or null
   */
  public static byte[] answerFor(String path) {
    switch (path) {
      case "/security/token":
        return TRANSIENT_TOKEN;
      case "/security/resources":
        return SOURCE_CONNECTION_INFORMATION;
      default:
        return null;
    }
  }

  private static byte[] read(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the fixture " + name + " is not on the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
