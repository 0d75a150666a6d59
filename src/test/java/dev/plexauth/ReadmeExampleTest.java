package dev.plexauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.model.Connection;
import dev.plexauth.model.SourceConnectionInformation;
import dev.plexauth.model.TransientToken;
import dev.plexauth.tools.standin.PlexStandIn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the README's usage example against the embedded Plex stand-in, and checks that the README
 * shows exactly the code between the README markers below, so the example cannot rot.
 */
class ReadmeExampleTest {
  private PlexStandIn plex;
  private final List<String> printed = new ArrayList<>();

  @BeforeEach
  void startStandIn() throws IOException {
    plex = PlexStandIn.builder().build().start();
  }

  @AfterEach
  void stopStandIn() {
    plex.close();
  }

  @Test
  void readmeExampleRunsAgainstTheStandIn() throws Exception {
    String serverUrl = plex.baseUrl();
    String plexToken = plex.ownerToken();
    String source = plex.defaultSource();

    // README-START
    PlexAuthClient client = PlexAuthClient.builder()
        .baseUrl(serverUrl)                  // e.g. "http://192.168.1.10:32400"
        .token(plexToken)                    // sent as X-Plex-Token, never in a URL or log
        .clientIdentifier("3f0c2a5e-9b7d-4c1e-8a61-0d2f4b6c8e10") // stable per install
        .product("My App").version("1.2.0")  // optional identity headers
        .build();

    TransientToken transientToken = client.getTransientToken();
    print("transient token: " + transientToken.token());

    SourceConnectionInformation server = client.getSourceConnectionInformation(source);
    print(server.name() + " (" + server.clientIdentifier() + ")");
    for (Connection connection : server.connections()) {
      print((connection.local() ? "local  " : "remote ") + connection.uri());
    }

    CompletableFuture<TransientToken> later = client.getTransientTokenAsync();
    print("async: " + later.get(10, TimeUnit.SECONDS).token());
    // README-END

    assertTrue(printed.get(0).startsWith("transient token: transient-"), printed.get(0));
    assertEquals("Plex stand-in (" + plex.sources().get(0).clientIdentifier() + ")", printed.get(1));
    assertEquals(plex.sources().get(0).connections().size() + 3, printed.size());
    assertTrue(printed.get(printed.size() - 1).startsWith("async: transient-"));
    assertFalse(printed.get(0).endsWith(printed.get(printed.size() - 1).substring(7)),
        "each call mints a new transient token");
    client.close();
  }

  @Test
  void readmeShowsTheExampleThatThisTestRuns() throws IOException {
    String test = Files.readString(
        Path.of("src/test/java/dev/plexauth/ReadmeExampleTest.java"), StandardCharsets.UTF_8);
    String example = between(test, "    // README-START\n", "    // README-END\n")
        .replaceAll("(?m)^    ", "");
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    assertTrue(readme.contains("```java\n" + example + "```"),
        "README.md must show the example of ReadmeExampleTest verbatim:\n" + example);
  }

  private void print(String line) {
    printed.add(line);
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start) + start.length();
    return text.substring(from, text.indexOf(end, from));
  }
}
