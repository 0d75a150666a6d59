package dev.plexauth;

import dev.plexauth.model.TransientToken;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.codehaus.mojo.animal_sniffer.IgnoreJRERequirement;
import org.jspecify.annotations.Nullable;

/**
 * One transient token, minted through a {@link PlexAuthClient} on demand and reused until it is
 * {@link Builder#maxAge(long, TimeUnit) maxAge} old or reported refused, for handing to other
 * devices (casting targets, companion apps, speakers) in place of the caller's own long-lived
 * token.
 *
 * <pre>{@code
 * TransientTokenCache tokens = TransientTokenCache.builder(client).build(); // maxAge 12 h
 * TransientToken token = tokens.token();        // mints on the first ask, then reuses
 * device.play(media, token.token());
 * // The device says 401 or 403 (the server restarted):
 * tokens.invalidate(token);                     // the next ask mints a new one
 * }</pre>
 *
 * <p><b>What Plex does, and this relies on.</b> Every call of the client's transient-token
 * operation mints a new token (so minting one per command leaves many alive on the server); a
 * transient token lives up to 48 hours and is forgotten when the server restarts, after which it
 * gets 401 or 403. The server says neither how old a token is nor when it restarted: this cache
 * counts a token's age from when it asked for it (so it never underestimates the age) and learns
 * of a restart only from the caller, through {@link #invalidate(TransientToken)}.
 *
 * <p><b>Minting once.</b> While no fresh token is cached, the first ask starts one mint and every
 * ask that comes while it is under way, synchronous or not, waits for that same mint and gets its
 * token, or its failure: the same {@link PlexException} instance for all of them. Nothing is
 * cached from a failure, so the next ask mints again. A synchronous ask that starts the mint runs
 * it on its own thread, exactly as {@code client}'s own synchronous call does (its retries and
 * timeouts apply); an asynchronous one runs it on OkHttp's dispatcher.
 *
 * <p><b>Thread-safe</b>: share one cache per client, for example beside the client in an
 * Android {@code Application}. The synchronous {@link #token()} blocks while a mint is under way
 * (not on Android's main thread); the {@link #tokenAsync(PlexCallback)} form runs from API 21, and
 * {@link #tokenAsync()} needs API 24. The cache holds no thread and no connection of its own, and
 * needs no closing; closing its client makes every ask throw {@link IllegalStateException}, as
 * every call of a closed client does.
 *
 * <p><b>Tokens stay secret.</b> The cache never logs a token; {@link #toString()} shows the age
 * and state only, {@link TransientToken#toString()} masks the token, and no exception message of
 * the cache holds it.
 *
 * <p>Made by a builder, as {@link PlexAuthClient} is, rather than by a method of the client: the
 * settings have the client's two forms ({@code TimeUnit} from API 21, {@code Duration} from API
 * 26), more than one cache can share a client (say, one per kind of device, each with its own
 * {@code maxAge}), and the client stays a plain generated view of the spec's operations.
 */
public final class TransientTokenCache {
  /**
   * The default {@code maxAge}, 12 hours: a quarter of a transient token's 48-hour life, so a
   * token handed out is never older than 12 hours and still has at least 36 hours to live for the
   * device that receives it (a long evening's casting, a speaker kept overnight), while a cache in
   * steady use mints about twice a day.
   */
  public static final long DEFAULT_MAX_AGE_MILLIS = TimeUnit.HOURS.toMillis(12);

  /** How long Plex keeps a transient token at most: a {@code maxAge} must be shorter. */
  static final long TOKEN_LIFE_NANOS = TimeUnit.HOURS.toNanos(48);

  private final PlexAuthClient client;
  private final long maxAgeNanos;
  private final Ticker ticker;
  private final Runnable onJoin;
  private final Object lock = new Object();

  /** The last token minted, fresh or not; null when none or dropped. Guarded by {@link #lock}. */
  private @Nullable TransientToken current;
  /** When the mint of {@link #current} started, in {@link Ticker} nanoseconds. */
  private long currentSince;
  /** The mint under way whose token will be cached; null when none. Guarded by {@link #lock}. */
  private @Nullable Flight inFlight;

  private TransientTokenCache(Builder builder) {
    this.client = builder.client;
    this.maxAgeNanos = checkMaxAge(builder.maxAgeNanos);
    this.ticker = builder.ticker;
    this.onJoin = builder.onJoin;
  }

  /**
   * Starts building a cache that mints through {@code client}.
   *
   * @param client the client whose token the transient tokens are minted from; not null. Its
   *     retries, timeouts and logging apply to each mint.
   * @return a new builder with {@code maxAge} 12 hours, never null
   * @throws NullPointerException if {@code client} is null
   */
  public static Builder builder(PlexAuthClient client) {
    return new Builder(Objects.requireNonNull(client, "client must not be null"));
  }

  /**
   * Returns the cached token while it is younger than {@code maxAge}; otherwise mints a new one,
   * or waits for the mint already under way, and returns its token. Blocks while minting.
   *
   * @return the token, never null; its {@code toString()} masks the token, {@link
   *     TransientToken#token()} gives it
   * @throws PlexUnauthorizedException if the server refused the client's token (401 or 403)
   * @throws PlexHttpException on any other status outside 2xx, after the client's retries
   * @throws PlexDecodingException if the answer held no usable token
   * @throws PlexIoException if no usable answer arrived, or this thread was interrupted while
   *     waiting for another thread's mint (the interrupt flag is kept; that mint goes on)
   * @throws IllegalStateException if the client is closed (nothing is sent)
   */
  public TransientToken token() {
    client.checkOpen();
    Flight flight;
    boolean mine = false;
    synchronized (lock) {
      long now = ticker.read();
      if (current != null && fresh(now)) {
        return current;
      }
      flight = inFlight;
      if (flight == null) {
        flight = inFlight = new Flight(now);
        mine = true;
      }
    }
    if (!mine) {
      onJoin.run();
      return flight.await();
    }
    TransientToken token;
    try {
      token = client.getTransientToken();
    } catch (RuntimeException | Error e) {
      finish(flight, null, e);
      throw e;
    }
    finish(flight, token, null);
    return token;
  }

  /**
   * As {@link #token()}, without blocking: the callback gets the token or the failure, once, on
   * one of OkHttp's dispatcher threads (never on the calling thread, unless the client's
   * dispatcher has stopped), even when the token is cached. Runs from Android API 21.
   *
   * <p>Cancelling the returned handle ends this ask at once in {@link PlexCallback#onFailure}
   * with a {@link PlexIoException}, unless it had completed; the mint it waits for is shared, so
   * it goes on for the other asks, and its token is cached.
   *
   * @param callback receives the token (never null) or the {@link PlexException} that {@link
   *     #token()} would throw; not null
   * @return the handle that cancels this ask, never null
   * @throws NullPointerException if {@code callback} is null
   * @throws IllegalStateException if the client is closed (nothing is sent)
   */
  public PlexCancellable tokenAsync(PlexCallback<? super TransientToken> callback) {
    Objects.requireNonNull(callback, "callback must not be null");
    client.checkOpen();
    Waiter waiter = new Waiter(callback);
    Flight flight;
    @Nullable TransientToken hit = null;
    boolean joined = false;
    synchronized (lock) {
      long now = ticker.read();
      if (current != null && fresh(now)) {
        hit = current;
      } else if (inFlight != null) {
        joined = inFlight.join(waiter); // always: a done mint is never inFlight
      } else {
        inFlight = new Flight(now);
      }
      flight = inFlight;
    }
    if (hit != null) {
      waiter.succeed(hit);
      return waiter;
    }
    if (joined) {
      onJoin.run();
      return waiter;
    }
    Flight started = Objects.requireNonNull(flight);
    try {
      client.getTransientTokenAsync(new PlexCallback<TransientToken>() {
        @Override
        public void onSuccess(TransientToken token) {
          finish(started, token, null);
        }

        @Override
        public void onFailure(PlexException failure) {
          finish(started, null, failure);
        }
      });
    } catch (RuntimeException | Error e) {
      finish(started, null, e); // the asks that joined meanwhile
      throw e;
    }
    boolean waiting;
    synchronized (lock) {
      waiting = started.join(waiter);
    }
    if (!waiting) {
      // Set before done, under the lock, and never changed after.
      TransientToken token = started.token;
      if (token != null) {
        waiter.succeed(token);
      } else {
        waiter.fail(asPlexException(started.thrown));
      }
    }
    return waiter;
  }

  /**
   * As {@link #tokenAsync(PlexCallback)}, with a future. Needs Android API 24 ({@code
   * CompletableFuture}, which core library desugaring does not add); the callback form runs from
   * API 21.
   *
   * @return a future completed with the token, or exceptionally with the {@link PlexException}
   *     that {@link #token()} would throw, on one of OkHttp's dispatcher threads (stages added
   *     without an executor run there); cancelling it cancels this ask only, as the callback
   *     form's handle does. Never null.
   * @throws IllegalStateException if the client is closed (nothing is sent)
   */
  @IgnoreJRERequirement
  public CompletableFuture<TransientToken> tokenAsync() {
    CallbackFuture<TransientToken> future = new CallbackFuture<>();
    future.started = tokenAsync(future);
    return future;
  }

  /**
   * Reports that a token was refused (a 401 or 403 from the server or from the device it was
   * handed to; usually the server restarted and forgot it): if it is the cached token, it is
   * dropped, so the next ask mints a new one. A token that is no longer the cached one (the
   * report came late, after a newer token was minted) changes nothing, so the newer token stays.
   * A mint under way is not affected. Never blocks, sends nothing, works on a closed client.
   *
   * @param token a token this cache gave out (compared by its {@link TransientToken#token()}
   *     value); not null
   * @return true if it was the cached token and is dropped; false if it was not cached
   * @throws NullPointerException if {@code token} is null
   */
  public boolean invalidate(TransientToken token) {
    Objects.requireNonNull(token, "token must not be null");
    synchronized (lock) {
      if (current != null && current.token().equals(token.token())) {
        current = null;
        return true;
      }
      return false;
    }
  }

  /**
   * Drops the cached token, whatever it is, and detaches a mint under way: the asks already
   * waiting for it still get its outcome, but its token is not cached, and the next ask mints a
   * new one. Use it when the server is known to have restarted, or the client's token changed
   * hands. Never blocks, sends nothing.
   */
  public void clear() {
    synchronized (lock) {
      current = null;
      inFlight = null;
    }
  }

  /**
   * Describes the cache without any token: its {@code maxAge}, whether a token is cached and how
   * old it is, and whether a mint is under way, for example {@code TransientTokenCache{maxAge=43200000
   * ms, token=fresh, age 1520 ms}}.
   *
   * @return the description, never null
   */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("TransientTokenCache{maxAge=")
        .append(TimeUnit.NANOSECONDS.toMillis(maxAgeNanos)).append(" ms, token=");
    synchronized (lock) {
      long now = ticker.read();
      if (current == null) {
        out.append("none");
      } else {
        out.append(fresh(now) ? "fresh" : "expired").append(", age ")
            .append(TimeUnit.NANOSECONDS.toMillis(now - currentSince)).append(" ms");
      }
      if (inFlight != null) {
        out.append(", minting");
      }
    }
    return out.append('}').toString();
  }

  /** Whether {@link #current} is younger than maxAge at {@code now}. Holds {@link #lock}. */
  private boolean fresh(long now) {
    return now - currentSince < maxAgeNanos;
  }

  /**
   * Ends a mint: caches its token if it is still the cache's mint, then hands its outcome to
   * every ask waiting for it. {@code thrown} is what the client threw or reported.
   */
  private void finish(Flight flight, @Nullable TransientToken token, @Nullable Throwable thrown) {
    List<Waiter> waiters;
    synchronized (lock) {
      if (flight.done) {
        return; // the client reported twice (it never should); the first outcome stands
      }
      if (inFlight == flight) {
        inFlight = null;
        if (token != null) {
          current = token;
          currentSince = flight.startedAt;
        }
      }
      flight.token = token;
      flight.thrown = thrown;
      flight.done = true;
      waiters = flight.waiters;
      flight.waiters = new ArrayList<>(0);
    }
    flight.latch.countDown();
    PlexException failure = token == null ? asPlexException(thrown) : null;
    for (Waiter waiter : waiters) {
      if (token != null) {
        waiter.succeed(token);
      } else {
        waiter.fail(Objects.requireNonNull(failure));
      }
    }
  }

  /**
   * The failure handed to asynchronous asks: the client's {@link PlexException} itself; anything
   * else the mint ended with (the client closed between an ask and the start of the mint) as a
   * {@link PlexIoException}, as the client ends its own queued calls when it closes.
   */
  private static PlexException asPlexException(@Nullable Throwable thrown) {
    if (thrown instanceof PlexException) {
      return (PlexException) thrown;
    }
    String what = thrown == null ? "no outcome" : thrown.getClass().getName();
    return new PlexIoException("the transient token was not minted: " + what,
        new IOException("the mint ended with " + what, thrown));
  }

  private static long checkMaxAge(long nanos) {
    if (nanos == PlexAuthConfig.NULL_DURATION) {
      throw new NullPointerException("maxAge must not be null");
    }
    if (nanos == PlexAuthConfig.NULL_UNIT) {
      throw new NullPointerException("maxAge's unit must not be null");
    }
    if (nanos < 0) {
      throw new IllegalArgumentException("maxAge must not be negative");
    }
    if (nanos < TimeUnit.MILLISECONDS.toNanos(1)) {
      throw new IllegalArgumentException("maxAge must be at least 1 ms");
    }
    if (nanos >= TOKEN_LIFE_NANOS) {
      throw new IllegalArgumentException(
          "maxAge must be less than 48 hours, the longest a transient token lives");
    }
    return nanos;
  }

  /** One mint and the asks waiting for it. Its fields are guarded by the cache's lock. */
  private final class Flight {
    final long startedAt;
    /** Opened when the outcome is set: synchronous asks wait on it. */
    final CountDownLatch latch = new CountDownLatch(1);
    List<Waiter> waiters = new ArrayList<>();
    boolean done;
    @Nullable TransientToken token;
    @Nullable Throwable thrown;

    Flight(long startedAt) {
      this.startedAt = startedAt;
    }

    /**
     * Adds an asynchronous ask, unless the outcome is in (the mint failed or ended at once).
     * Holds lock.
     *
     * @return true if added; false if done, for the caller to hand over the outcome outside the
     *     lock (a stopped dispatcher runs callbacks on the calling thread)
     */
    boolean join(Waiter waiter) {
      if (done) {
        return false;
      }
      waiter.flight = this;
      waiters.add(waiter);
      return true;
    }

    /** Waits, as a synchronous ask, for this mint's outcome. */
    TransientToken await() {
      try {
        latch.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        InterruptedIOException cause =
            new InterruptedIOException("interrupted while waiting for a transient token");
        cause.initCause(e);
        throw new PlexIoException("interrupted while waiting for a transient token being minted",
            cause);
      }
      synchronized (lock) {
        if (token != null) {
          return token;
        }
        Throwable failure = Objects.requireNonNull(thrown);
        if (failure instanceof RuntimeException) {
          throw (RuntimeException) failure;
        }
        throw (Error) failure;
      }
    }
  }

  /** An asynchronous ask: delivers its outcome once, on the client's dispatcher. */
  private final class Waiter implements PlexCancellable {
    final PlexCallback<? super TransientToken> callback;
    final AtomicBoolean delivered = new AtomicBoolean();
    volatile boolean canceled;
    /** The mint it waits for, if any. Guarded by the cache's lock. */
    @Nullable Flight flight;

    Waiter(PlexCallback<? super TransientToken> callback) {
      this.callback = callback;
    }

    void succeed(TransientToken token) {
      if (delivered.compareAndSet(false, true)) {
        client.dispatch(new Runnable() {
          @Override
          public void run() {
            callback.onSuccess(token);
          }
        });
      }
    }

    void fail(PlexException failure) {
      if (delivered.compareAndSet(false, true)) {
        client.dispatch(new Runnable() {
          @Override
          public void run() {
            callback.onFailure(failure);
          }
        });
      }
    }

    @Override
    public void cancel() {
      canceled = true;
      synchronized (lock) {
        if (flight != null) {
          flight.waiters.remove(this);
        }
      }
      fail(new PlexIoException("the ask for a transient token was cancelled",
          new IOException("Canceled")));
    }

    @Override
    public boolean isCanceled() {
      return canceled;
    }
  }

  private static final Runnable NOTHING =
      new Runnable() {
        @Override
        public void run() {}
      };

  /**
   * The cache's clock: a monotonic source of nanoseconds, as {@link System#nanoTime()} (not the
   * wall clock, which may jump). Inject one with {@link Builder#ticker(Ticker)} to age tokens in
   * tests or by a clock of the app's own. Implementations must be thread-safe; runs from Android
   * API 21.
   */
  public interface Ticker {
    /** {@link System#nanoTime()}. */
    Ticker SYSTEM =
        new Ticker() {
          @Override
          public long read() {
            return System.nanoTime();
          }
        };

    /**
     * Reads the clock.
     *
     * @return nanoseconds from an arbitrary origin, never decreasing; only differences count
     */
    long read();
  }

  /**
   * Builds a {@link TransientTokenCache}. Setters return the builder; {@link #build()} validates
   * and fails fast. Not thread-safe; the cache it builds is.
   */
  public static final class Builder {
    final PlexAuthClient client;
    long maxAgeNanos = TimeUnit.MILLISECONDS.toNanos(DEFAULT_MAX_AGE_MILLIS);
    Ticker ticker = Ticker.SYSTEM;
    Runnable onJoin = NOTHING;

    Builder(PlexAuthClient client) {
      this.client = client;
    }

    /**
     * Sets how long a token is reused, counted from when its mint started. Default 12 hours
     * ({@link #DEFAULT_MAX_AGE_MILLIS}): see there why. A token handed out is at most this old,
     * so it has at least 48 hours less this to live (unless the server restarts). A shorter age
     * mints more often; every mint leaves one more token alive on the server until it expires or
     * the server restarts.
     *
     * @param maxAge at least 1 ms and less than 48 hours
     * @param unit the unit of {@code maxAge}, not null
     * @return this builder
     */
    public Builder maxAge(long maxAge, TimeUnit unit) {
      this.maxAgeNanos = PlexAuthConfig.nanos(maxAge, unit);
      return this;
    }

    /**
     * Sets how long a token is reused, as {@link #maxAge(long, TimeUnit)}. Needs Android API 26
     * ({@code java.time}) or core library desugaring.
     *
     * @param maxAge not null, at least 1 ms and less than 48 hours
     * @return this builder
     */
    @IgnoreJRERequirement
    public Builder maxAge(Duration maxAge) {
      this.maxAgeNanos = PlexAuthConfig.nanos(maxAge);
      return this;
    }

    /**
     * Sets the clock that ages tokens. Default {@link Ticker#SYSTEM} ({@link System#nanoTime()}).
     *
     * @param ticker not null
     * @return this builder
     * @throws NullPointerException if {@code ticker} is null
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
      return this;
    }

    /**
     * For tests: runs each time an ask joins a mint under way (after it is registered, before it
     * waits), on the asking thread, so that a test can hold the mint until every ask waits for it.
     */
    Builder onJoin(Runnable onJoin) {
      this.onJoin = Objects.requireNonNull(onJoin, "onJoin must not be null");
      return this;
    }

    /**
     * Validates the settings and builds the cache. Nothing is sent: the first ask mints.
     *
     * @return a new thread-safe cache holding no token, never null
     * @throws NullPointerException if the {@code Duration} or the {@code TimeUnit} given to
     *     {@code maxAge} was null
     * @throws IllegalArgumentException if {@code maxAge} is negative, under 1 ms, or 48 hours or
     *     more (a transient token's whole life)
     */
    public TransientTokenCache build() {
      return new TransientTokenCache(this);
    }

    /** Describes the settings. */
    @Override
    public String toString() {
      return "TransientTokenCache.Builder{maxAgeNanos=" + maxAgeNanos + "}";
    }
  }
}
