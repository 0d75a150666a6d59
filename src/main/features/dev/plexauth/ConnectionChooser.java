package dev.plexauth;

import dev.plexauth.internal.ControlCharacters;
import dev.plexauth.model.Connection;
import dev.plexauth.model.ServerIdentity;
import dev.plexauth.model.SourceConnectionInformation;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import org.codehaus.mojo.animal_sniffer.IgnoreJRERequirement;
import org.jspecify.annotations.Nullable;

/**
 * Chooses which of a source's connections to use, by asking each candidate who it is.
 *
 * <pre>{@code
 * SourceConnectionInformation source = client.getSourceConnectionInformation("server://...");
 * ConnectionChoice choice = ConnectionChooser.of(client).choose(source);
 * try (PlexAuthClient server = choice.newClient()) {
 *   ...
 * }
 * }</pre>
 *
 * <p>How: the candidates are ranked local, then remote, then relay (Plex's relay has little
 * bandwidth: a last resort), https before http within each, and in the source's own order between
 * equals. Plain-http candidates are not probed unless {@link Builder#allowHttp(boolean)} allows
 * them. Every other candidate is probed at once, in parallel, with {@code GET /identity}
 * (getServerIdentity), which PMS answers without a token: <b>no probe carries a token</b>, so a
 * candidate that turns out to be another server learns nothing. A candidate answers as the source
 * only when its {@code machineIdentifier} equals the source's {@code clientIdentifier}; any other
 * answer rejects it as {@link ConnectionCandidate.Outcome#OTHER_SERVER}. The best-ranked candidate
 * that answers as the source is chosen as soon as no better-ranked one is still under way; once a
 * worse one has answered, better-ranked ones still under way have the {@linkplain
 * Builder#gracePeriod(long, TimeUnit) grace period} to answer, after which the best that answered
 * wins and the others are stopped. Each probe is one attempt (no retries) limited by the
 * {@linkplain Builder#probeTimeout(long, TimeUnit) probe timeout}.
 *
 * <p>TLS verification stays on: a {@code https://<ip-with-dashes>.<hash>.plex.direct} candidate is
 * verified against its plex.direct name, as every call of the SDK is. Everything runs on the
 * OkHttpClient of the client the chooser was made from (its connection pool, dispatcher, DNS,
 * proxy and TLS settings), so the chosen connection's TLS session is reused by {@link
 * ConnectionChoice#newClient()}. The probes run through that OkHttpClient's own interceptors and
 * carry the client's identity headers ({@code X-Plex-Client-Identifier} and the like, which are no
 * secrets), but never a token: a probe's client holds none.
 *
 * <p>Immutable and thread-safe; one chooser may run many choices at once.
 */
public final class ConnectionChooser {
  /** The default {@link Builder#probeTimeout(long, TimeUnit)}: 3 seconds. */
  public static final long DEFAULT_PROBE_TIMEOUT_MILLIS = 3_000;

  /** The default {@link Builder#gracePeriod(long, TimeUnit)}: 500 milliseconds. */
  public static final long DEFAULT_GRACE_PERIOD_MILLIS = 500;

  /** Best first: local, remote, relay; https before http; the sort is stable. */
  private static final Comparator<Ranked> RANKING =
      new Comparator<Ranked>() {
        @Override
        public int compare(Ranked a, Ranked b) {
          return Integer.compare(a.key, b.key);
        }
      };

  private final PlexAuthClient client;
  private final boolean allowHttp;
  private final long probeTimeoutMillis;
  private final long gracePeriodMillis;
  private final RetryScheduler scheduler;

  private ConnectionChooser(Builder builder) {
    this.client = builder.client;
    this.allowHttp = builder.allowHttp;
    this.probeTimeoutMillis = PlexAuthConfig.checkSpan("probeTimeout", builder.probeTimeoutNanos);
    if (probeTimeoutMillis == 0) {
      throw new IllegalArgumentException("probeTimeout must not be zero (a probe needs a limit)");
    }
    this.gracePeriodMillis = PlexAuthConfig.checkSpan("gracePeriod", builder.gracePeriodNanos);
    this.scheduler = builder.scheduler;
  }

  /**
   * A chooser with the defaults: http not allowed, a 3-second probe timeout and a 500 ms grace
   * period.
   *
   * @param client the client whose OkHttpClient and identity headers the probes use; its token is
   *     never sent by a probe
   * @return the chooser, never null
   * @throws NullPointerException if {@code client} is null
   */
  public static ConnectionChooser of(PlexAuthClient client) {
    return builder(client).build();
  }

  /**
   * Starts configuring a chooser.
   *
   * @param client the client whose OkHttpClient and identity headers the probes use; its token is
   *     never sent by a probe
   * @return a builder with the defaults of {@link #of(PlexAuthClient)}, never null
   * @throws NullPointerException if {@code client} is null
   */
  public static Builder builder(PlexAuthClient client) {
    return new Builder(Objects.requireNonNull(client, "client must not be null"));
  }

  /**
   * Chooses a connection of the source, blocking until the choice is made.
   *
   * @param source the source's connection information, as getSourceConnectionInformation returns
   *     it; not null
   * @return the choice, with the outcome of every candidate; never null
   * @throws NullPointerException if {@code source} is null
   * @throws PlexNoConnectionException if no candidate answered as the source (listing each one
   *     and why)
   * @throws PlexIoException if the calling thread is interrupted (the probes are stopped and the
   *     interrupt flag is kept)
   * @throws IllegalStateException if the chooser's client is closed (nothing is sent)
   */
  public ConnectionChoice choose(SourceConnectionInformation source) {
    final CountDownLatch done = new CountDownLatch(1);
    final Object[] outcome = new Object[1];
    Run run = start(source, new PlexCallback<ConnectionChoice>() {
      @Override
      public void onSuccess(ConnectionChoice result) {
        outcome[0] = result;
        done.countDown();
      }

      @Override
      public void onFailure(PlexException failure) {
        outcome[0] = failure;
        done.countDown();
      }
    }, false);
    try {
      done.await();
    } catch (InterruptedException e) {
      run.cancel();
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted =
          new InterruptedIOException("interrupted while choosing a connection");
      interrupted.initCause(e);
      throw new PlexIoException("choosing a connection of " + run.sourceName
          + " was interrupted; the probes were stopped", interrupted);
    }
    if (outcome[0] instanceof PlexException) {
      throw (PlexException) outcome[0];
    }
    return (ConnectionChoice) outcome[0];
  }

  /**
   * Chooses a connection of the source without blocking, with a callback. Runs from Android API
   * 21.
   *
   * @param source the source's connection information; not null
   * @param callback receives the {@link ConnectionChoice}, or the {@link PlexNoConnectionException}
   *     (or, once cancelled, a {@link PlexIoException}), once, on one of OkHttp's dispatcher
   *     threads; not null
   * @return the handle that stops every probe still under way
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if the chooser's client is closed (nothing is sent)
   */
  public PlexCancellable chooseAsync(SourceConnectionInformation source,
      PlexCallback<? super ConnectionChoice> callback) {
    return start(source, Objects.requireNonNull(callback, "callback must not be null"), true);
  }

  /**
   * Chooses a connection of the source without blocking. Needs Android API 24 ({@code
   * CompletableFuture}); the form with a {@link PlexCallback} runs from API 21.
   *
   * @param source the source's connection information; not null
   * @return a future of the choice, completed exceptionally with a {@link
   *     PlexNoConnectionException} when none works; cancelling it stops every probe under way
   * @throws NullPointerException if {@code source} is null
   * @throws IllegalStateException if the chooser's client is closed (nothing is sent)
   */
  @IgnoreJRERequirement
  public CompletableFuture<ConnectionChoice> chooseAsync(SourceConnectionInformation source) {
    CallbackFuture<ConnectionChoice> future = new CallbackFuture<>();
    future.started = start(source, future, true);
    return future;
  }

  private static String quoted(@Nullable String text) {
    return text == null ? "null" : "\"" + ControlCharacters.escape(text) + "\"";
  }

  /** A uri as a reason may show it: cut at its query or fragment, its user info left out. */
  static String withoutSecrets(String uri) {
    int cut = uri.length();
    for (char mark : new char[] {'?', '#'}) {
      int at = uri.indexOf(mark);
      if (at >= 0 && at < cut) {
        cut = at;
      }
    }
    String shown = uri.substring(0, cut);
    int authority = shown.indexOf("//");
    int user = shown.indexOf('@', authority < 0 ? 0 : authority);
    if (authority >= 0 && user > authority) {
      int pathStart = shown.indexOf('/', authority + 2);
      if (pathStart < 0 || user < pathStart) {
        shown = shown.substring(0, authority + 2) + shown.substring(user + 1);
      }
    }
    return cut < uri.length() ? shown + "..." : shown;
  }

  /** Describes the settings. */
  @Override
  public String toString() {
    return "ConnectionChooser{allowHttp=" + allowHttp + ", probeTimeout=" + probeTimeoutMillis
        + "ms, gracePeriod=" + gracePeriodMillis + "ms}";
  }

  private Run start(SourceConnectionInformation source,
      PlexCallback<? super ConnectionChoice> callback, boolean async) {
    Objects.requireNonNull(source, "source must not be null");
    client.checkOpen();
    List<Ranked> ranked = new ArrayList<>(source.connections().size());
    for (Connection connection : source.connections()) {
      ranked.add(new Ranked(connection));
    }
    Collections.sort(ranked, RANKING);
    Run run = new Run(source, ranked, callback, async);
    run.start();
    return run;
  }

  /** A connection with its URL, made once, and its place in the order of preference. */
  private static final class Ranked {
    final Connection connection;
    final @Nullable HttpUrl url;
    /**
     * 0 local https, 1 local http, 2 remote https, 3 remote http, 4 relay https, 5 relay http, 6
     * no usable URL (never probed, listed last).
     */
    final int key;

    Ranked(Connection connection) {
      this.connection = connection;
      this.url = url(connection);
      int tier = connection.relay() ? 2 : connection.local() ? 0 : 1;
      this.key = url == null ? 6 : tier * 2 + (url.scheme().equals("http") ? 1 : 0);
    }
  }

  /**
   * The connection's base URL: its {@code uri}, else (when it has none, or none that is usable)
   * {@code protocol://address:port}; with a trailing slash and no query, fragment or user.
   */
  static @Nullable HttpUrl url(Connection connection) {
    HttpUrl url = null;
    if (connection.uri() != null && !connection.uri().isEmpty()) {
      url = usable(HttpUrl.parse(connection.uri()));
    }
    if (url == null && connection.protocol() != null && connection.address() != null
        && connection.port() != null && connection.port() > 0 && connection.port() <= 65535) {
      try {
        url = usable(new HttpUrl.Builder().scheme(connection.protocol().toLowerCase(Locale.ROOT))
            .host(connection.address()).port(connection.port()).build());
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return url;
  }

  /** The URL as a base URL (trailing slash), or null when it has a query, fragment or user. */
  private static @Nullable HttpUrl usable(@Nullable HttpUrl url) {
    if (url == null || url.query() != null || url.fragment() != null
        || !url.username().isEmpty() || !url.password().isEmpty()) {
      return null;
    }
    return url.encodedPath().endsWith("/") ? url : url.newBuilder().addPathSegment("").build();
  }

  /** One choosing: the probes, their outcomes so far, the grace timer, and the one delivery. */
  private final class Run implements PlexCancellable {
    final String sourceName;
    private final SourceConnectionInformation source;
    private final PlexCallback<? super ConnectionChoice> callback;
    private final boolean async;
    private final long startNanos = System.nanoTime();
    private final Connection[] connections;
    private final @Nullable HttpUrl[] urls;
    /** Guarded by this: null while under way. */
    private final ConnectionCandidate.@Nullable Outcome[] outcomes;
    private final long[] millis;
    private final @Nullable String[] details;
    private final @Nullable PlexException[] failures;
    private final @Nullable PlexCancellable[] probes;
    private boolean graceStarted;
    private boolean done;
    /** What the grace timer and the deadline run. */
    private final Runnable timeUp =
        new Runnable() {
          @Override
          public void run() {
            timeUp();
          }
        };
    private volatile boolean canceled;

    Run(SourceConnectionInformation source, List<Ranked> ranked,
        PlexCallback<? super ConnectionChoice> callback, boolean async) {
      this.source = source;
      this.sourceName = "server://" + source.clientIdentifier();
      this.callback = callback;
      this.async = async;
      int n = ranked.size();
      this.connections = new Connection[n];
      this.urls = new HttpUrl[n];
      this.outcomes = new ConnectionCandidate.Outcome[n];
      this.millis = new long[n];
      this.details = new String[n];
      this.failures = new PlexException[n];
      this.probes = new PlexCancellable[n];
      Map<HttpUrl, Integer> seen = new HashMap<>();
      for (int i = 0; i < n; i++) {
        connections[i] = ranked.get(i).connection;
        HttpUrl url = ranked.get(i).url;
        urls[i] = url;
        if (url == null) {
          outcomes[i] = ConnectionCandidate.Outcome.UNUSABLE;
          details[i] = unusable(connections[i]);
        } else if (url.scheme().equals("http") && !allowHttp) {
          outcomes[i] = ConnectionCandidate.Outcome.HTTP_NOT_ALLOWED;
          details[i] = "plain http is not allowed by this chooser";
        } else if (seen.containsKey(url)) {
          // One probe per URL: a server listing a connection twice gets asked once.
          outcomes[i] = ConnectionCandidate.Outcome.DUPLICATE;
          details[i] = "the same URL as rank " + (seen.get(url) + 1);
        } else {
          seen.put(url, i);
        }
      }
    }

    /**
     * Why a connection gives no URL to probe, naming what it has: the uri without its query,
     * fragment or user info (where a token might hide) and with control characters escaped.
     */
    private String unusable(Connection connection) {
      String uri = connection.uri();
      return (uri == null || uri.isEmpty() ? "no uri" : "uri " + quoted(withoutSecrets(uri))
              + " is not an http or https base URL")
          + ", and protocol " + quoted(connection.protocol()) + ", address "
          + quoted(connection.address()) + " and port " + connection.port()
          + " make none either";
    }

    void start() {
      List<Integer> started = new ArrayList<>();
      synchronized (this) {
        for (int i = 0; i < connections.length; i++) {
          if (outcomes[i] == null) {
            started.add(i);
          }
        }
      }
      if (started.isEmpty()) {
        if (async) {
          // Nothing to probe: the outcome still arrives where asynchronous outcomes do.
          client.dispatch(new Runnable() {
            @Override
            public void run() {
              decide();
            }
          });
        } else {
          decide();
        }
        return;
      }
      // The whole choosing ends by this deadline, even when OkHttp queues probes (its dispatcher
      // runs 5 per host and 64 in all): each probe's own timeout starts only when it runs.
      scheduler.after(TimeUnit.MILLISECONDS.toNanos(probeTimeoutMillis + gracePeriodMillis))
          .execute(timeUp);
      for (final int i : started) {
        synchronized (this) {
          if (done) {
            // Chosen or cancelled while starting: the rest are stopped (markDone) and sent none.
            return;
          }
        }
        HttpUrl url = Objects.requireNonNull(urls[i]);
        PlexCancellable probe;
        try {
          // A probe client holds no token: getServerIdentity is an operation without one by the
          // spec's rule, and a client without one cannot send it even if that rule were lost.
          PlexAuthClient prober = client.derived(url, null, probeTimeoutMillis);
          probe = prober.getServerIdentityAsync(new PlexCallback<ServerIdentity>() {
            @Override
            public void onSuccess(ServerIdentity identity) {
              answered(i, identity);
            }

            @Override
            public void onFailure(PlexException failure) {
              failed(i, failure);
            }
          });
        } catch (RuntimeException e) {
          // The client was closed meanwhile: end the run first, so that neither a probe's answer
          // nor the deadline delivers anything after this throws, then stop what started.
          synchronized (this) {
            if (!done) {
              canceled = true;
              markDone(-1);
            }
          }
          cancelProbes();
          throw e;
        }
        boolean stop;
        synchronized (this) {
          probes[i] = probe;
          stop = done;
        }
        if (stop) {
          probe.cancel();
        }
      }
    }

    private void answered(int i, ServerIdentity identity) {
      synchronized (this) {
        if (done || outcomes[i] != null) {
          return;
        }
        millis[i] = elapsedMillis();
        if (source.clientIdentifier().equals(identity.machineIdentifier())) {
          outcomes[i] = ConnectionCandidate.Outcome.ANSWERED;
        } else {
          outcomes[i] = ConnectionCandidate.Outcome.OTHER_SERVER;
          details[i] = "answered as machineIdentifier "
              + ControlCharacters.escape(identity.machineIdentifier()) + ", not "
              + ControlCharacters.escape(source.clientIdentifier());
        }
      }
      decide();
    }

    private void failed(int i, PlexException failure) {
      synchronized (this) {
        if (done || outcomes[i] != null) {
          return;
        }
        millis[i] = elapsedMillis();
        outcomes[i] = ConnectionCandidate.Outcome.FAILED;
        details[i] = failure.getMessage();
        failures[i] = failure;
      }
      decide();
    }

    /** Chooses when the best answer so far can no longer be beaten, or starts the grace timer. */
    private void decide() {
      ConnectionChoice choice = null;
      PlexException none = null;
      boolean startGrace = false;
      synchronized (this) {
        if (done) {
          return;
        }
        int best = -1;
        boolean betterPending = false;
        boolean anyPending = false;
        for (int i = 0; i < connections.length; i++) {
          if (outcomes[i] == null) {
            anyPending = true;
            if (best < 0) {
              betterPending = true;
            }
          } else if (outcomes[i] == ConnectionCandidate.Outcome.ANSWERED && best < 0) {
            best = i;
          }
        }
        if (best >= 0 && !betterPending) {
          choice = finish(best);
        } else if (best >= 0) {
          startGrace = !graceStarted;
          graceStarted = true;
        } else if (!anyPending) {
          none = noConnection();
        }
      }
      if (startGrace) {
        scheduler.after(TimeUnit.MILLISECONDS.toNanos(gracePeriodMillis)).execute(timeUp);
        return;
      }
      deliver(choice, none);
    }

    /**
     * The grace period is over, or the deadline (probe timeout and grace period since the start)
     * has passed with probes still under way (queued behind others, or stalled): the best that
     * answered wins over those still under way; without one, none works. (Once the grace period
     * has started, a candidate has answered, so it always chooses.)
     */
    private void timeUp() {
      ConnectionChoice choice = null;
      PlexException none = null;
      synchronized (this) {
        if (done) {
          return;
        }
        for (int i = 0; i < connections.length && choice == null; i++) {
          if (outcomes[i] == ConnectionCandidate.Outcome.ANSWERED) {
            choice = finish(i);
          }
        }
        if (choice == null) {
          none = noConnection();
        }
      }
      deliverOnDispatcher(choice, none);
    }

    /**
     * From the timer thread: an asynchronous callback runs where every outcome of the SDK does,
     * on the dispatcher; a blocking choose() is woken at once, even if the dispatcher is busy.
     */
    private void deliverOnDispatcher(final @Nullable ConnectionChoice choice,
        final @Nullable PlexException failure) {
      if (!async) {
        deliver(choice, failure);
        return;
      }
      client.dispatch(new Runnable() {
        @Override
        public void run() {
          deliver(choice, failure);
        }
      });
    }

    /** Marks the run done and the rest stopped; guarded by this. */
    private ConnectionChoice finish(int chosen) {
      markDone(chosen);
      outcomes[chosen] = ConnectionCandidate.Outcome.CHOSEN;
      List<ConnectionCandidate> candidates = candidates();
      return new ConnectionChoice(client, source, candidates.get(chosen), candidates,
          elapsedMillis());
    }

    private PlexNoConnectionException noConnection() {
      markDone(-1);
      return new PlexNoConnectionException(sourceName, candidates());
    }

    /**
     * Marks the run done and every probe still under way stopped, saying why; guarded by this.
     *
     * @param chosen the index of the chosen candidate, or -1 when there is none
     */
    private void markDone(int chosen) {
      done = true;
      long now = elapsedMillis();
      for (int i = 0; i < connections.length; i++) {
        if (outcomes[i] == null) {
          outcomes[i] = ConnectionCandidate.Outcome.STOPPED;
          // A probe that never started took no time.
          millis[i] = probes[i] == null ? 0 : now;
          details[i] = canceled ? "the choosing was cancelled"
              : chosen < 0 ? "no answer within the probe timeout and grace period"
              : i < chosen ? "no answer within the grace period after a worse-ranked one answered"
              : "a better-ranked candidate was chosen first";
        }
      }
    }

    /** Guarded by this. */
    private List<ConnectionCandidate> candidates() {
      List<ConnectionCandidate> all = new ArrayList<>(connections.length);
      for (int i = 0; i < connections.length; i++) {
        all.add(new ConnectionCandidate(connections[i],
            urls[i] == null ? null : urls[i].toString(), i + 1,
            Objects.requireNonNull(outcomes[i]), millis[i], details[i], failures[i]));
      }
      return all;
    }

    private void deliver(@Nullable ConnectionChoice choice, @Nullable PlexException failure) {
      if (choice == null && failure == null) {
        return;
      }
      cancelProbes();
      if (choice != null) {
        callback.onSuccess(choice);
      } else {
        callback.onFailure(Objects.requireNonNull(failure));
      }
    }

    /**
     * Cancels every probe, the last started first: those are the ones OkHttp may still hold in
     * its queue, and cancelling a running one first would let OkHttp start a queued one that is
     * not cancelled yet.
     */
    private void cancelProbes() {
      List<PlexCancellable> running = new ArrayList<>();
      synchronized (this) {
        for (int i = probes.length - 1; i >= 0; i--) {
          if (probes[i] != null) {
            running.add(probes[i]);
          }
        }
      }
      for (PlexCancellable probe : running) {
        probe.cancel();
      }
    }

    @Override
    public void cancel() {
      boolean wasDone;
      synchronized (this) {
        if (canceled) {
          return;
        }
        canceled = true;
        wasDone = done;
        if (!done) {
          markDone(-1);
        }
      }
      cancelProbes();
      if (!wasDone) {
        final PlexIoException failure = new PlexIoException("choosing a connection of "
            + sourceName + " was cancelled; the probes were stopped",
            new InterruptedIOException("Canceled"));
        if (async) {
          client.dispatch(new Runnable() {
            @Override
            public void run() {
              callback.onFailure(failure);
            }
          });
        } else {
          callback.onFailure(failure);
        }
      }
    }

    @Override
    public boolean isCanceled() {
      return canceled;
    }

    private long elapsedMillis() {
      return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
  }

  /**
   * Configures a {@link ConnectionChooser}. Setters return the builder; {@link #build()} checks
   * the values. Not thread-safe; the chooser it builds is.
   */
  public static final class Builder {
    final PlexAuthClient client;
    boolean allowHttp;
    long probeTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(DEFAULT_PROBE_TIMEOUT_MILLIS);
    long gracePeriodNanos = TimeUnit.MILLISECONDS.toNanos(DEFAULT_GRACE_PERIOD_MILLIS);
    RetryScheduler scheduler = RetryScheduler.SYSTEM;

    Builder(PlexAuthClient client) {
      this.client = client;
    }

    /**
     * Whether plain-http candidates are probed (after every https one of the same tier). Default
     * false: over http the server's answers, and later the source's access token, travel in
     * clear text, which only a trusted network should carry; a server set to "secure connections:
     * required" refuses them anyway.
     *
     * @param allowHttp true to probe http candidates too
     * @return this builder
     */
    public Builder allowHttp(boolean allowHttp) {
      this.allowHttp = allowHttp;
      return this;
    }

    /**
     * Sets the limit of each probe, from connecting (TLS included) to the last byte of the
     * answer. Default 3 seconds: a server on the local network answers in milliseconds and a
     * remote one or a relay within a second; a candidate that cannot answer {@code /identity} in
     * that time is not one to stream from.
     *
     * @param timeout at least 1 ms, at most about 24 days; kept in whole milliseconds
     * @param unit the unit of {@code timeout}, not null
     * @return this builder
     */
    public Builder probeTimeout(long timeout, TimeUnit unit) {
      this.probeTimeoutNanos = PlexAuthConfig.nanos(timeout, unit);
      return this;
    }

    /**
     * Sets the probe timeout, as {@link #probeTimeout(long, TimeUnit)}. Needs Android API 26
     * ({@code java.time}) or core library desugaring.
     *
     * @param timeout not null, within the range of {@link #probeTimeout(long, TimeUnit)}
     * @return this builder
     */
    @IgnoreJRERequirement
    public Builder probeTimeout(Duration timeout) {
      this.probeTimeoutNanos = PlexAuthConfig.nanos(timeout);
      return this;
    }

    /**
     * Sets how long better-ranked candidates still under way may take, once a worse-ranked one
     * has answered, before the best that answered is chosen. Default 500 ms: long enough for a
     * local server slowed by a busy network, short enough not to be felt; zero chooses the best
     * that has answered at the first answer.
     *
     * @param gracePeriod zero, or at least 1 ms and at most about 24 days; kept in whole
     *     milliseconds
     * @param unit the unit of {@code gracePeriod}, not null
     * @return this builder
     */
    public Builder gracePeriod(long gracePeriod, TimeUnit unit) {
      this.gracePeriodNanos = PlexAuthConfig.nanos(gracePeriod, unit);
      return this;
    }

    /**
     * Sets the grace period, as {@link #gracePeriod(long, TimeUnit)}. Needs Android API 26
     * ({@code java.time}) or core library desugaring.
     *
     * @param gracePeriod not null, within the range of {@link #gracePeriod(long, TimeUnit)}
     * @return this builder
     */
    @IgnoreJRERequirement
    public Builder gracePeriod(Duration gracePeriod) {
      this.gracePeriodNanos = PlexAuthConfig.nanos(gracePeriod);
      return this;
    }

    /** For tests: replaces the timer of the grace period and of the choosing's deadline. */
    Builder scheduler(RetryScheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
      return this;
    }

    /**
     * Checks the settings and builds the chooser. Nothing is sent.
     *
     * @return a new immutable, thread-safe chooser
     * @throws NullPointerException if a time unit or duration is null
     * @throws IllegalArgumentException if the probe timeout is zero or a span is out of range;
     *     the message names the setting
     */
    public ConnectionChooser build() {
      return new ConnectionChooser(this);
    }
  }
}
