package dev.plexauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.example.TransientTokens;
import dev.plexauth.testing.ReadmeBlocks;
import dev.plexauth.tools.standin.PlexStandIn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the README's example of {@link TransientTokenCache} ({@link TransientTokens}) against the
 * embedded Plex stand-in, across a restart, and checks that the README shows the code between the
 * README markers of {@code TransientTokens.java} verbatim, so the example cannot rot.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransientTokenCacheReadmeTest {
  private static final Path EXAMPLE =
      Path.of("src/test/java/dev/plexauth/example/TransientTokens.java");

  private final PlexStandIn plex = PlexStandIn.builder().build();
  private final List<PlexAuthClient> clients = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    plex.start();
  }

  @AfterEach
  void stop() {
    clients.forEach(PlexAuthClient::close);
    plex.close();
  }

  private PlexAuthClient clientWith(String token) {
    PlexAuthClient client = PlexAuthClient.builder()
        .baseUrl(plex.baseUrl())
        .token(token)
        .clientIdentifier("transient-token-cache-readme-test")
        .build();
    clients.add(client);
    return client;
  }

  @Test
  void theExampleReusesTheTokenAndMintsANewOneAfterARestart() {
    List<String> handed = new CopyOnWriteArrayList<>();
    List<Boolean> accepted = new CopyOnWriteArrayList<>();
    TransientTokens.Device device = token -> {
      handed.add(token);
      try {
        clientWith(token).getSourceConnectionInformation(plex.defaultSource());
        accepted.add(true);
        return true;
      } catch (PlexUnauthorizedException refused) {
        accepted.add(false);
        return false;
      }
    };
    TransientTokenCache tokens = TransientTokens.cacheFor(clientWith(plex.ownerToken()));

    TransientTokens.handOver(tokens, device);
    TransientTokens.handOver(tokens, device);
    plex.restart();
    TransientTokens.handOver(tokens, device);

    assertEquals(List.of(true, true, false, true), accepted);
    assertEquals(handed.get(0), handed.get(1), "reused");
    assertEquals(handed.get(0), handed.get(2), "the cache cannot see the restart");
    assertNotEquals(handed.get(0), handed.get(3), "minted anew once refused");
    assertTrue(handed.get(3).startsWith("transient-"));
  }

  @Test
  void readmeShowsTheExampleVerbatim() throws IOException {
    ReadmeBlocks.assertReadmeShows(EXAMPLE, 2);
  }
}
