package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.HTML;
import static dev.plexauth.FacadeTestSupport.WAIT_SECONDS;
import static dev.plexauth.FacadeTestSupport.assertNoSecrets;
import static dev.plexauth.FacadeTestSupport.builderFor;
import static dev.plexauth.FacadeTestSupport.fixture;
import static dev.plexauth.FacadeTestSupport.json;
import static dev.plexauth.FacadeTestSupport.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.model.TransientToken;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link TransientTokenCache} against a MockWebServer that mints a new {@code transient-<uuid>}
 * token per request and can hold its answer: one mint for many asks, its failure shared and not
 * cached, ages by a fake ticker, refused tokens, the async forms, validation and secrecy.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransientTokenCacheTest extends MockServerTest {
  /** The server side: mints, counts, and holds each answer until {@link #gate} opens. */
  private final Minter minter = new Minter();
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final TransientTokenCache.Ticker ticker = now::get;
  private PlexAuthClient client;
  private ExecutorService pool;

  @BeforeEach
  void setUp() {
    server.setDispatcher(minter);
    client = builderFor(server).build();
    pool = Executors.newCachedThreadPool();
  }

  @AfterEach
  void tearDown() {
    minter.open(); // a broken test must not leave a server thread waiting
    pool.shutdownNow();
    client.close();
  }

  private TransientTokenCache.Builder cache() {
    return TransientTokenCache.builder(client).ticker(ticker);
  }

  @Test
  void thirtyTwoThreadsAskingAtOnceShareOneMint() throws Exception {
    int asks = 32;
    // The mint's answer is held until the other 31 asks have joined it.
    CountDownLatch joined = new CountDownLatch(asks - 1);
    minter.gate = joined;
    TransientTokenCache tokens = cache().onJoin(joined::countDown).build();
    CyclicBarrier start = new CyclicBarrier(asks);
    List<Future<TransientToken>> results = new ArrayList<>();
    for (int i = 0; i < asks; i++) {
      results.add(pool.submit(() -> {
        start.await(WAIT_SECONDS, TimeUnit.SECONDS);
        return tokens.token();
      }));
    }

    TransientToken first = results.get(0).get(WAIT_SECONDS, TimeUnit.SECONDS);
    for (Future<TransientToken> result : results) {
      assertSame(first, result.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }
    assertEquals(0, joined.getCount(), "31 asks joined the one mint");
    assertEquals(1, server.getRequestCount(), "one mint for 32 asks");
    assertEquals(first.token(), minter.last);
    assertSame(first, tokens.token(), "and it is cached");
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void syncAndAsyncAsksShareOneMintAndEachIsAnsweredOnce() throws Exception {
    CountDownLatch joined = new CountDownLatch(9);
    minter.gate = joined;
    TransientTokenCache tokens = cache().onJoin(joined::countDown).build();
    Future<TransientToken> leader = pool.submit(tokens::token);
    List<Recording> callbacks = new ArrayList<>();
    List<CompletableFuture<TransientToken>> futures = new ArrayList<>();
    List<Future<TransientToken>> syncs = new ArrayList<>();
    minter.arrived.await(WAIT_SECONDS, TimeUnit.SECONDS); // the leader's mint is under way
    for (int i = 0; i < 3; i++) {
      Recording callback = new Recording();
      assertFalse(tokens.tokenAsync(callback).isCanceled());
      callbacks.add(callback);
      futures.add(tokens.tokenAsync());
      syncs.add(pool.submit(tokens::token));
    }
    assertTrue(joined.await(WAIT_SECONDS, TimeUnit.SECONDS), "3 callbacks, 3 futures, 3 sync");

    TransientToken token = leader.get(WAIT_SECONDS, TimeUnit.SECONDS);
    for (Recording callback : callbacks) {
      assertSame(token, callback.result());
    }
    for (CompletableFuture<TransientToken> future : futures) {
      assertSame(token, future.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }
    for (Future<TransientToken> sync : syncs) {
      assertSame(token, sync.get(WAIT_SECONDS, TimeUnit.SECONDS));
    }
    assertEquals(1, server.getRequestCount());

    // A cached token comes through the callback too, once, on a dispatcher thread.
    Recording hit = new Recording();
    tokens.tokenAsync(hit);
    assertSame(token, hit.result());
    assertSame(token, tokens.tokenAsync().get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals(1, server.getRequestCount());
    for (Recording callback : callbacks) {
      callback.assertAnsweredOnce();
    }
    hit.assertAnsweredOnce();
  }

  @Test
  void anAsyncAskAloneMintsThroughTheClientsAsyncCall() throws Exception {
    TransientTokenCache tokens = cache().build();
    Recording callback = new Recording();
    tokens.tokenAsync(callback);
    TransientToken token = (TransientToken) callback.result();
    assertEquals(token.token(), minter.last);
    assertSame(token, tokens.token());
    assertEquals(1, server.getRequestCount());
    callback.assertAnsweredOnce();
  }

  @Test
  void aFailedMintIsSharedByItsWaitersAndNotCached() throws Exception {
    int asks = 8;
    CountDownLatch joined = new CountDownLatch(asks - 1);
    minter.gate = joined;
    minter.failures.set(1);
    TransientTokenCache tokens = cache().onJoin(joined::countDown).build();
    CyclicBarrier start = new CyclicBarrier(asks - 1);
    List<Future<PlexException>> sync = new ArrayList<>();
    for (int i = 0; i < asks - 1; i++) {
      sync.add(pool.submit(() -> {
        start.await(WAIT_SECONDS, TimeUnit.SECONDS);
        return assertThrows(PlexException.class, tokens::token);
      }));
    }
    Recording async = new Recording();
    minter.arrived.await(WAIT_SECONDS, TimeUnit.SECONDS);
    tokens.tokenAsync(async);

    PlexException failure = sync.get(0).get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertInstanceOf(PlexUnauthorizedException.class, failure);
    for (Future<PlexException> other : sync) {
      assertSame(failure, other.get(WAIT_SECONDS, TimeUnit.SECONDS), "the same failure for all");
    }
    assertSame(failure, async.result());
    async.assertAnsweredOnce();
    assertEquals(1, server.getRequestCount(), "one mint failed for all " + asks);
    assertEquals("TransientTokenCache{maxAge=43200000 ms, token=none}", tokens.toString());

    TransientToken token = tokens.token();
    assertEquals(2, server.getRequestCount(), "the next ask mints again");
    assertEquals(token.token(), minter.last);
    assertSame(token, tokens.token());
    assertEquals(2, server.getRequestCount());
  }

  @Test
  void aTokenIsReusedUntilItIsMaxAgeOldThenMintedAnew() {
    TransientTokenCache tokens = cache().maxAge(1, TimeUnit.HOURS).build();
    TransientToken first = tokens.token();

    now.addAndGet(TimeUnit.HOURS.toNanos(1) - 1);
    assertSame(first, tokens.token(), "one nanosecond younger than maxAge: reused");
    assertEquals(1, server.getRequestCount());
    assertEquals("TransientTokenCache{maxAge=3600000 ms, token=fresh, age 3599999 ms}",
        tokens.toString());

    now.addAndGet(1);
    assertTrue(tokens.toString().contains("token=expired, age 3600000 ms"), tokens.toString());
    TransientToken second = tokens.token();
    assertNotEquals(first.token(), second.token(), "maxAge old: minted anew");
    assertEquals(2, server.getRequestCount());
    assertSame(second, tokens.token());
    assertEquals(2, server.getRequestCount());
  }

  @Test
  void theDefaultMaxAgeIsTwelveHours() {
    TransientTokenCache tokens = cache().build();
    TransientToken first = tokens.token();
    now.addAndGet(TimeUnit.HOURS.toNanos(12) - 1);
    assertSame(first, tokens.token());
    now.addAndGet(1);
    assertNotSame(first, tokens.token());
    assertEquals(2, server.getRequestCount());
    assertEquals(TimeUnit.HOURS.toMillis(12), TransientTokenCache.DEFAULT_MAX_AGE_MILLIS);
  }

  @Test
  void theAgeCountsFromWhenTheMintStarted() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    minter.gate = release;
    TransientTokenCache tokens = cache().maxAge(Duration.ofMinutes(10)).build();
    Future<TransientToken> mint = pool.submit(tokens::token);
    minter.arrived.await(WAIT_SECONDS, TimeUnit.SECONDS);
    assertEquals("TransientTokenCache{maxAge=600000 ms, token=none, minting}", tokens.toString());
    now.addAndGet(TimeUnit.MINUTES.toNanos(4)); // a slow answer
    release.countDown();
    TransientToken token = mint.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertTrue(tokens.toString().contains("age 240000 ms"), tokens.toString());
    now.addAndGet(TimeUnit.MINUTES.toNanos(6));
    assertNotSame(token, tokens.token(), "10 minutes after the mint was asked for");
  }

  @Test
  void invalidateDropsTheCachedTokenButAStaleReportKeepsTheNewerOne() {
    TransientTokenCache tokens = cache().build();
    TransientToken old = tokens.token();

    assertTrue(tokens.invalidate(old));
    TransientToken newer = tokens.token();
    assertNotEquals(old.token(), newer.token());
    assertEquals(2, server.getRequestCount());

    assertFalse(tokens.invalidate(old), "a late report of the old token");
    assertFalse(tokens.invalidate(old.newBuilder().build()), "compared by value too");
    assertSame(newer, tokens.token(), "the newer token stays");
    assertEquals(2, server.getRequestCount());

    assertTrue(tokens.invalidate(newer.newBuilder().build()), "an equal copy is the cached token");
    assertNotSame(newer, tokens.token());
    assertEquals(3, server.getRequestCount());
  }

  @Test
  void clearDropsTheTokenAndDetachesAMintUnderWay() throws Exception {
    TransientTokenCache tokens = cache().build();
    TransientToken first = tokens.token();
    tokens.clear();
    assertEquals("TransientTokenCache{maxAge=43200000 ms, token=none}", tokens.toString());
    TransientToken second = tokens.token();
    assertNotEquals(first.token(), second.token());

    tokens.clear();
    CountDownLatch release = new CountDownLatch(1);
    minter.gate = release;
    minter.arrived = new CountDownLatch(1);
    Future<TransientToken> underWay = pool.submit(tokens::token);
    minter.arrived.await(WAIT_SECONDS, TimeUnit.SECONDS);
    tokens.clear();
    minter.gate = null;
    release.countDown();
    TransientToken detached = underWay.get(WAIT_SECONDS, TimeUnit.SECONDS);
    TransientToken after = tokens.token();
    assertNotEquals(detached.token(), after.token(), "a mint asked for before clear() is not kept");
    assertEquals(4, server.getRequestCount());
  }

  @Test
  void cancellingAnAskEndsItAloneAndTheSharedMintGoesOn() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    minter.gate = release;
    TransientTokenCache tokens = cache().build();
    Future<TransientToken> leader = pool.submit(tokens::token);
    minter.arrived.await(WAIT_SECONDS, TimeUnit.SECONDS);
    Recording cancelled = new Recording();
    PlexCancellable ask = tokens.tokenAsync(cancelled);
    CompletableFuture<TransientToken> future = tokens.tokenAsync();
    Recording kept = new Recording();
    tokens.tokenAsync(kept);

    ask.cancel();
    assertTrue(ask.isCanceled());
    PlexIoException failure = assertInstanceOf(PlexIoException.class, cancelled.result());
    assertTrue(future.cancel(false));
    release.countDown();

    TransientToken token = leader.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertSame(token, kept.result());
    assertSame(token, tokens.token(), "the mint went on and its token is cached");
    assertEquals(1, server.getRequestCount());
    ask.cancel();
    cancelled.assertAnsweredOnce();
    kept.assertAnsweredOnce();
    assertNoSecrets(failure, token.token());
  }

  @Test
  void aClosedClientsCacheThrowsAndSendsNothing() {
    TransientTokenCache tokens = cache().build();
    TransientToken token = tokens.token();
    client.close();

    assertEquals("this PlexAuthClient is closed",
        assertThrows(IllegalStateException.class, tokens::token).getMessage());
    assertThrows(IllegalStateException.class, () -> tokens.tokenAsync(new Recording()));
    assertThrows(IllegalStateException.class, tokens::tokenAsync);
    assertEquals(1, server.getRequestCount(), "nothing sent, even with a cached token");

    TransientTokenCache empty = cache().build();
    assertThrows(IllegalStateException.class, empty::token);
    assertEquals(1, server.getRequestCount());
    assertTrue(tokens.invalidate(token), "invalidate sends nothing and still works");
  }

  @Test
  void maxAgeIsValidatedByBuild() {
    assertEquals("client must not be null",
        assertThrows(NullPointerException.class, () -> TransientTokenCache.builder(null))
            .getMessage());
    assertMaxAgeRefused(IllegalArgumentException.class, "maxAge must not be negative",
        cache().maxAge(-1, TimeUnit.SECONDS));
    assertMaxAgeRefused(IllegalArgumentException.class, "maxAge must not be negative",
        cache().maxAge(Duration.ofMillis(-1)));
    assertMaxAgeRefused(IllegalArgumentException.class, "maxAge must be at least 1 ms",
        cache().maxAge(0, TimeUnit.SECONDS));
    assertMaxAgeRefused(IllegalArgumentException.class, "maxAge must be at least 1 ms",
        cache().maxAge(999_999, TimeUnit.NANOSECONDS));
    String tooLong = "maxAge must be less than 48 hours, the longest a transient token lives";
    assertMaxAgeRefused(IllegalArgumentException.class, tooLong, cache().maxAge(48, TimeUnit.HOURS));
    assertMaxAgeRefused(IllegalArgumentException.class, tooLong, cache().maxAge(Duration.ofDays(2)));
    assertMaxAgeRefused(IllegalArgumentException.class, tooLong,
        cache().maxAge(Long.MAX_VALUE, TimeUnit.DAYS));
    assertMaxAgeRefused(IllegalArgumentException.class, tooLong,
        cache().maxAge(Duration.ofSeconds(Long.MAX_VALUE)));
    assertMaxAgeRefused(NullPointerException.class, "maxAge must not be null",
        cache().maxAge(null));
    assertMaxAgeRefused(NullPointerException.class, "maxAge's unit must not be null",
        cache().maxAge(1, null));

    assertTrue(cache().maxAge(1, TimeUnit.MILLISECONDS).build().toString()
        .startsWith("TransientTokenCache{maxAge=1 ms,"));
    assertTrue(cache().maxAge(Duration.ofHours(48).minusMillis(1)).build().toString()
        .startsWith("TransientTokenCache{maxAge=172799999 ms,"));

    TransientTokenCache tokens = cache().build();
    assertEquals("token must not be null",
        assertThrows(NullPointerException.class, () -> tokens.invalidate(null)).getMessage());
    assertEquals("callback must not be null",
        assertThrows(NullPointerException.class, () -> tokens.tokenAsync(null)).getMessage());
    assertEquals(0, server.getRequestCount());
  }

  private static void assertMaxAgeRefused(Class<? extends RuntimeException> type, String message,
      TransientTokenCache.Builder builder) {
    assertEquals(message, assertThrows(type, builder::build).getMessage());
  }

  @Test
  void toStringAndFailuresHoldNoToken() {
    TransientTokenCache tokens = cache().build();
    assertEquals("TransientTokenCache{maxAge=43200000 ms, token=none}", tokens.toString());
    TransientToken token = tokens.token();
    assertTrue(token.token().startsWith("transient-"));
    assertEquals("TransientTokenCache{maxAge=43200000 ms, token=fresh, age 0 ms}",
        tokens.toString());
    assertFalse(tokens.toString().contains(token.token()));
    assertFalse(token.toString().contains(token.token()), "the model masks it");

    tokens.invalidate(token);
    minter.failures.set(1);
    PlexException failure = assertThrows(PlexUnauthorizedException.class, tokens::token);
    assertNoSecrets(failure, token.token());
  }

  /** A callback that records each outcome, the thread it came on, and the thread that asked. */
  private static final class Recording implements PlexCallback<TransientToken> {
    final Thread asker = Thread.currentThread();
    final List<Object> outcomes = new CopyOnWriteArrayList<>();
    final List<Thread> threads = new CopyOnWriteArrayList<>();
    final CompletableFuture<Object> first = new CompletableFuture<>();

    @Override
    public void onSuccess(TransientToken result) {
      record(result);
    }

    @Override
    public void onFailure(PlexException failure) {
      record(failure);
    }

    private void record(Object outcome) {
      outcomes.add(outcome);
      threads.add(Thread.currentThread());
      first.complete(outcome);
    }

    Object result() throws InterruptedException, ExecutionException,
        java.util.concurrent.TimeoutException {
      return first.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    void assertAnsweredOnce() {
      assertEquals(1, outcomes.size(), outcomes::toString);
      assertNotSame(asker, threads.get(0), "not on the asking thread");
      assertTrue(threads.get(0).getName().startsWith("OkHttp"), threads.get(0).getName());
    }
  }

  /**
   * Mints {@code transient-<uuid>} tokens, answers 401 while {@link #failures} is positive, and
   * holds each answer until {@link #gate} (when set) opens; {@link #arrived} opens when the first
   * request is in.
   */
  private static final class Minter extends Dispatcher {
    volatile @Nullable CountDownLatch gate;
    volatile CountDownLatch arrived = new CountDownLatch(1);
    final AtomicInteger failures = new AtomicInteger();
    /** The last token minted. */
    volatile @Nullable String last;

    @Override
    public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
      if (!request.getPath().startsWith("/security/token?")) {
        return status(404, HTML, fixture("unauthorized.html"));
      }
      arrived.countDown();
      CountDownLatch held = gate;
      if (held != null) {
        held.await(WAIT_SECONDS, TimeUnit.SECONDS);
      }
      if (failures.getAndDecrement() > 0) {
        return status(401, HTML, fixture("unauthorized.html"));
      }
      String token = "transient-" + UUID.randomUUID();
      last = token;
      return json("{\"MediaContainer\":{\"size\":0,\"token\":\"" + token + "\"}}");
    }

    void open() {
      CountDownLatch held = gate;
      while (held != null && held.getCount() > 0) {
        held.countDown();
      }
    }
  }
}
