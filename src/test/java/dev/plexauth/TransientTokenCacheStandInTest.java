package dev.plexauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.model.TransientToken;
import dev.plexauth.testing.MutableClock;
import dev.plexauth.tools.standin.PlexStandIn;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link TransientTokenCache} against the embedded Plex stand-in, which forgets its transient
 * tokens on {@code restart()} as PMS does and dates them by its clock (48-hour life).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransientTokenCacheStandInTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final PlexStandIn plex = PlexStandIn.builder().clock(clock).build();
  private final List<PlexAuthClient> clients = new ArrayList<>();
  private PlexAuthClient owner;

  @BeforeEach
  void start() throws IOException {
    plex.start();
    owner = clientWith(plex.ownerToken());
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
        .clientIdentifier("transient-token-cache-test")
        .maxRetries(0)
        .build();
    clients.add(client);
    return client;
  }

  /** What a device handed the token does with it: reads the server's sources. */
  private void use(TransientToken token) {
    clientWith(token.token()).getSourceConnectionInformation(plex.defaultSource());
  }

  @Test
  void afterARestartTheRefusedTokenIsReportedAndANewOneWorks() {
    TransientTokenCache tokens = TransientTokenCache.builder(owner).build();
    TransientToken old = tokens.token();
    use(old);
    assertSame(old, tokens.token());
    int requests = plex.requestCount();

    plex.restart();
    PlexUnauthorizedException refused =
        assertThrows(PlexUnauthorizedException.class, () -> use(old));
    assertEquals(401, refused.code());
    assertSame(old, tokens.token(), "the cache cannot see a restart until it is told");
    assertEquals(requests + 1, plex.requestCount(), "the refused use only");

    assertTrue(tokens.invalidate(old));
    TransientToken fresh = tokens.token();
    assertNotEquals(old.token(), fresh.token());
    use(fresh);
    assertThrows(PlexUnauthorizedException.class, () -> use(old), "the old one stays dead");
    assertEquals(requests + 4, plex.requestCount(), "one new mint, two uses");
  }

  @Test
  void aTokenHandedOutAtMaxAgeStillWorksAndANewOneIsMintedAfter() {
    AtomicLong nanos = new AtomicLong();
    TransientTokenCache tokens = TransientTokenCache.builder(owner)
        .ticker(nanos::get).maxAge(Duration.ofHours(47)).build();
    TransientToken first = tokens.token();

    Duration justUnder = Duration.ofHours(47).minusNanos(1);
    clock.advance(justUnder);
    nanos.addAndGet(justUnder.toNanos());
    assertSame(first, tokens.token());
    use(first); // on the server it has an hour left

    clock.advance(Duration.ofHours(1).plusNanos(1)); // 48 hours: the server drops it
    nanos.addAndGet(Duration.ofHours(1).plusNanos(1).toNanos());
    assertThrows(PlexUnauthorizedException.class, () -> use(first));
    TransientToken second = tokens.token();
    assertNotEquals(first.token(), second.token());
    use(second);
  }
}
