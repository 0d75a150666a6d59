package example.app;

import dev.plexauth.PlexAuthClient;
import dev.plexauth.PlexCallback;
import dev.plexauth.PlexException;
import dev.plexauth.PlexHttpException;
import dev.plexauth.PlexUnauthorizedException;
import dev.plexauth.model.Connection;
import dev.plexauth.model.PlexError;
import dev.plexauth.model.ServerIdentity;
import dev.plexauth.model.SourceConnectionInformation;
import dev.plexauth.model.TransientToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A small application that uses plex-auth as an app would: it builds a client for the server given
 * as its argument, makes every call below as the server's owner, then makes every call again with
 * a revoked token (which the server answers 401 with a JSON {@code errors} body), and prints every
 * field it decoded, one per line, in a stable form. Tokens are never printed: only their length and
 * the start of their SHA-256.
 *
 * <p>Shrunk, optimized and obfuscated, it must print exactly what it prints unshrunk.
 */
public final class PlexAuthApp {
  /** The tokens this app presents; the test server knows them. Not real tokens. */
  static final String OWNER_TOKEN = "app-owner-token-21";
  static final String REVOKED_TOKEN = "app-revoked-token";
  static final String SOURCE = "server://243b471948ace337a8f92f129ec97d1902fcb1df";

  /** How long an async call may take before the app gives up. */
  private static final long ASYNC_SECONDS = 10;

  /**
   * Every call the app makes, in order. To cover one more form of an operation, add one line: its
   * name, the call, and how to print its result ({@link #tokenLines} or {@link #sourceLines}). A
   * form that reports through a callback goes through {@link #viaCallback}.
   */
  private static final List<AppCall<?>> CALLS = List.of(
      new AppCall<>("getTransientToken",
          client -> client.getTransientToken(), PlexAuthApp::tokenLines),
      new AppCall<>("getTransientTokenAsync",
          client -> await(client.getTransientTokenAsync()), PlexAuthApp::tokenLines),
      new AppCall<>("getTransientTokenAsync(callback)",
          client -> await(viaCallback(callback -> client.getTransientTokenAsync(callback))),
          PlexAuthApp::tokenLines),
      new AppCall<>("getSourceConnectionInformation",
          client -> client.getSourceConnectionInformation(SOURCE), PlexAuthApp::sourceLines),
      new AppCall<>("getSourceConnectionInformationAsync",
          client -> await(client.getSourceConnectionInformationAsync(SOURCE)),
          PlexAuthApp::sourceLines),
      new AppCall<>("getSourceConnectionInformationAsync(callback)",
          client -> await(viaCallback(
              callback -> client.getSourceConnectionInformationAsync(SOURCE, callback))),
          PlexAuthApp::sourceLines),
      // Sent without the token, by the spec's rule, which must survive shrinking.
      new AppCall<>("getServerIdentity",
          client -> client.getServerIdentity(), PlexAuthApp::identityLines));

  private PlexAuthApp() {}

  /**
   * Makes every call as the owner, then again with the revoked token, and prints the results.
   *
   * @param args the server's base URL
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: PlexAuthApp <server base URL>");
    }
    List<String> lines = new ArrayList<>();
    run(args[0], OWNER_TOKEN, "owner", lines);
    run(args[0], REVOKED_TOKEN, "revoked", lines);
    for (String line : lines) {
      System.out.println(line);
    }
  }

  private static void run(String baseUrl, String token, String who, List<String> lines)
      throws Exception {
    try (PlexAuthClient client = PlexAuthClient.builder()
        .baseUrl(baseUrl)
        .token(token)
        .clientIdentifier("plex-auth-app-0001")
        .product("plex-auth app")
        .version("1")
        .build()) {
      for (AppCall<?> call : CALLS) {
        lines.add(call.name + " as " + who);
        call.runInto(client, lines);
      }
    }
  }

  private static void tokenLines(TransientToken answer, List<String> lines) {
    lines.add("  size " + answer.size());
    lines.add("  token " + secret(answer.token()));
  }

  private static void identityLines(ServerIdentity answer, List<String> lines) {
    lines.add("  machineIdentifier " + answer.machineIdentifier());
    lines.add("  claimed " + answer.claimed());
    lines.add("  version " + answer.version());
  }

  private static void sourceLines(SourceConnectionInformation answer, List<String> lines) {
    lines.add("  name " + answer.name());
    lines.add("  clientIdentifier " + answer.clientIdentifier());
    lines.add("  accessToken " + secret(answer.accessToken()));
    lines.add("  connections " + answer.connections().size());
    for (Connection connection : answer.connections()) {
      lines.add("  connection protocol=" + connection.protocol()
          + " address=" + connection.address()
          + " port=" + connection.port()
          + " uri=" + connection.uri()
          + " local=" + connection.local()
          + " relay=" + connection.relay());
    }
  }

  private static void failureLines(Throwable failure, List<String> lines) {
    if (!(failure instanceof PlexHttpException)) {
      lines.add("  failed unexpectedly: " + failure);
      return;
    }
    PlexHttpException http = (PlexHttpException) failure;
    // Class names are obfuscated when shrunk: name the type by what it is, not by getClass().
    lines.add("  " + (http instanceof PlexUnauthorizedException
        ? "PlexUnauthorizedException" : "PlexHttpException") + " code " + http.code());
    lines.add("  errors " + http.errors().size());
    for (PlexError error : http.errors()) {
      lines.add("  error code=" + error.code()
          + " message=" + error.message()
          + " status=" + error.status());
    }
  }

  /** Starts a call that reports through a {@link PlexCallback}, as a future of its outcome. */
  static <T> CompletableFuture<T> viaCallback(Consumer<PlexCallback<T>> start) {
    CompletableFuture<T> future = new CompletableFuture<>();
    start.accept(new PlexCallback<T>() {
      @Override
      public void onSuccess(T result) {
        future.complete(result);
      }

      @Override
      public void onFailure(PlexException failure) {
        future.completeExceptionally(failure);
      }
    });
    return future;
  }

  /** Waits for an async call; a failure comes out as the exception the call failed with. */
  static <T> T await(Future<T> future) throws Exception {
    try {
      return future.get(ASYNC_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception) {
        throw (Exception) cause;
      }
      throw e;
    }
  }

  /** A secret's presence and identity, never its value: its length and the start of its SHA-256. */
  private static String secret(String value) {
    if (value == null) {
      return "absent";
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(value.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder();
      for (int i = 0; i < 6; i++) {
        hex.append(String.format("%02x", digest[i]));
      }
      return "length=" + value.length() + " sha256=" + hex;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One call of the SDK. */
  @FunctionalInterface
  interface Call<T> {
    T call(PlexAuthClient client) throws Exception;
  }

  /** Prints one result. */
  @FunctionalInterface
  interface Printer<T> {
    void print(T result, List<String> lines);
  }

  /** A named call and how to print its result; a failure is printed the same way for every call. */
  static final class AppCall<T> {
    final String name;
    private final Call<T> call;
    private final Printer<T> printer;

    AppCall(String name, Call<T> call, Printer<T> printer) {
      this.name = name;
      this.call = call;
      this.printer = printer;
    }

    void runInto(PlexAuthClient client, List<String> lines) {
      T result;
      try {
        result = call.call(client);
      } catch (Exception e) {
        failureLines(e, lines);
        return;
      }
      printer.print(result, lines);
    }
  }
}
