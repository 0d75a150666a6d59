package dev.plexauth.example;

// README-START
import dev.plexauth.PlexAuthClient;
import dev.plexauth.model.Connection;
import dev.plexauth.model.SourceConnectionInformation;
import dev.plexauth.model.TransientToken;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
// README-END

/**
 * The README's quick start, as a user would paste it into a {@code main} method: outside the SDK's
 * package, so it can only use the public API. {@code ReadmeExampleTest} runs it in a fresh JVM
 * against the embedded Plex stand-in and checks that the README shows each block between the
 * README markers verbatim. The server, token and source come from the environment variables
 * PLEX_SERVER, PLEX_TOKEN and PLEX_SOURCE (not the command line, which process listings show).
 */
public final class QuickStart {
  private QuickStart() {}

  public static void main(String[] args) throws Exception {
    String serverUrl = System.getenv("PLEX_SERVER");
    String plexToken = System.getenv("PLEX_TOKEN");
    String source = System.getenv("PLEX_SOURCE");

    // README-START
    try (PlexAuthClient client = PlexAuthClient.builder()
        .baseUrl(serverUrl)                  // e.g. "http://192.168.1.10:32400"
        .token(plexToken)                    // sent as X-Plex-Token, never in a URL or log
        .clientIdentifier("3f0c2a5e-9b7d-4c1e-8a61-0d2f4b6c8e10") // stable per install
        .product("My App").version("1.2.0")  // optional identity headers
        .build()) {
      TransientToken transientToken = client.getTransientToken();
      System.out.println("transient token: " + transientToken.token());

      SourceConnectionInformation server = client.getSourceConnectionInformation(source);
      System.out.println(server.name() + " (" + server.clientIdentifier() + ")");
      for (Connection connection : server.connections()) {
        System.out.println((connection.local() ? "local  " : "remote ") + connection.uri());
      }

      CompletableFuture<TransientToken> later = client.getTransientTokenAsync();
      System.out.println("async: " + later.get(10, TimeUnit.SECONDS).token());
    } // close() ends OkHttp's dispatcher threads, so the JVM exits at once
    // README-END
  }
}
