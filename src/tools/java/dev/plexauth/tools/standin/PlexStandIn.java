package dev.plexauth.tools.standin;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Dns;
import okhttp3.tls.HandshakeCertificates;

/**
 * An embedded fake Plex Media Server for the two authentication operations, built on the JDK's
 * {@code HttpServer} only.
 *
 * <p>It answers {@code /security/token} (every verb), {@code /security/resources}, {@code
 * /identity} (no token needed) and {@code /} (the root Media Container that python-plexapi's
 * {@code PlexServer} reads first; any valid token) as PMS does: XML unless {@code Accept:
 * application/json}, HTML error pages for 400, 401, 403 and 404 whatever the Accept header, and
 * CORS preflights for browser pages on another origin. It knows an owner token, a shared-user
 * token and the {@code transient-<uuid>} tokens it mints; a transient token has the access level
 * of the token that minted it, lives 48 hours by the configured clock, and is forgotten by {@link
 * #restart()}.
 *
 * <p><b>Listeners.</b> The main listener, plain HTTP on the builder's host (127.0.0.1 by default),
 * is {@link #baseUrl()}. Unless sources are configured, the default source's connections are real
 * loopback listeners too, one per {@link StandInCandidate} ({@link StandInCandidate#defaults()}
 * unless {@link Builder#candidates(List)} says otherwise), started by {@link #start()} and closed by
 * {@link #close()}: the n-th (from 0) binds 127.0.0.(n+2) on an ephemeral port (Linux routes all of
 * 127.0.0.0/8 to loopback), or 127.0.0.1 on its own ephemeral port where that address cannot be
 * bound ({@link StandInListener#onFallbackAddress()}). An https candidate presents a {@code
 * *.<hash>.plex.direct} certificate signed by a root CA made at start, and is reported as {@code
 * https://<a-b-c-d>.<hash>.plex.direct:<port>} with its IP as address; an http one as {@code
 * http://<ip>:<port>}. A client reaches them with {@link #dns()} and {@link
 * #clientCertificates()}, TLS verification on. Every listener shares the tokens, answers every
 * operation and reports the default source's machine identifier, except as its behaviour says
 * ({@link StandInCandidate.Behaviour}).
 *
 * <p>Thread-safe. Typical use:
 *
 * <pre>{@code
 * try (PlexStandIn plex = PlexStandIn.builder().build().start()) {
 *   // call plex.baseUrl() with plex.ownerToken()
 * }
 * }</pre>
 */
public final class PlexStandIn implements AutoCloseable {
  /** The plex.direct names of the default source's hash; stateless, so shared. */
  private static final Dns DNS = PlexDirect.dns(StandInSource.PLEX_DIRECT_HASH);

  /** Enough for 32 concurrent clients; a fixed pool keeps a flood from spawning threads. */
  private static final int THREADS = 32;

  private static final int BACKLOG = 128;

  static {
    // The JDK server writes headers and body separately and leaves Nagle's algorithm on, so each
    // answer waited for the client's delayed ACK (about 40 ms). The property is read once, when
    // the JVM's first HttpServer starts; a value set by the user wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final String host;
  private final int requestedPort;
  private final String ownerToken;
  private final String sharedUserToken;
  private final List<StandInSource> configuredSources;
  private final List<StandInCandidate> candidates;
  private final TokenStore tokens;
  private final ContractObserver observer;
  private final AtomicInteger requestCount = new AtomicInteger();

  // Guarded by this; volatile so accessors need no lock.
  private volatile HttpServer server;
  private volatile ExecutorService executor;
  private volatile List<StandInSource> sources;
  private volatile List<StandInListener> listeners = List.of();
  private volatile ScheduledExecutorService scheduler;
  private volatile PlexDirect plexDirect;
  private boolean closed;

  private PlexStandIn(Builder builder) {
    this.host = builder.host;
    this.requestedPort = builder.port;
    this.ownerToken =
        builder.ownerToken != null ? builder.ownerToken : "owner-" + UUID.randomUUID();
    this.sharedUserToken =
        builder.sharedUserToken != null ? builder.sharedUserToken : "shared-" + UUID.randomUUID();
    this.configuredSources = List.copyOf(builder.sources);
    this.candidates = configuredSources.isEmpty()
        ? (builder.candidates != null ? builder.candidates : StandInCandidate.defaults())
        : List.of();
    this.tokens = new TokenStore(builder.clock, ownerToken, sharedUserToken);
    this.observer = builder.observer;
  }

  /** Returns a builder with the defaults described on each of its setters. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the main listener and every candidate's listener, and starts answering.
   *
   * @return this, to chain with the builder
   * @throws IOException if the address cannot be resolved or bound (nothing is left listening)
   * @throws IllegalStateException if already started or closed
   */
  public synchronized PlexStandIn start() throws IOException {
    if (closed || server != null) {
      throw new IllegalStateException(closed ? "closed" : "already started");
    }
    InetSocketAddress address = new InetSocketAddress(host, requestedPort);
    if (address.isUnresolved()) {
      throw new UnknownHostException(host);
    }
    HttpServer http = HttpServer.create(address, BACKLOG);
    int port = http.getAddress().getPort();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS, daemonThreads(port));
    ScheduledThreadPoolExecutor delays =
        new ScheduledThreadPoolExecutor(1, daemonThreads(port + "-delay"));
    delays.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    List<StandInListener> started = new ArrayList<>();
    try {
      PlexDirect tls = PlexDirect.issue(StandInSource.PLEX_DIRECT_HASH);
      List<StandInSource> known;
      if (!configuredSources.isEmpty()) {
        known = configuredSources;
      } else if (candidates.isEmpty()) {
        known = List.of(StandInSource.standIn(host, port));
      } else {
        for (int i = 0; i < candidates.size(); i++) {
          started.add(bind(candidates.get(i), i, tls));
        }
        List<StandInConnection> connections = new ArrayList<>();
        started.forEach(listener -> connections.add(listener.connection()));
        known = List.of(StandInSource.of(StandInSource.STAND_IN_NAME,
            StandInSource.STAND_IN_CLIENT_IDENTIFIER, connections));
      }
      http.setExecutor(pool);
      http.createContext("/", new StandInHandler(tokens, known, requestCount, observer));
      for (StandInListener listener : started) {
        listener.start(pool, delays, tokens, known, observer);
      }
      http.start();
      this.sources = known;
      this.plexDirect = tls;
    } catch (IOException | RuntimeException e) {
      // create() has already bound the ports; do not leak them, nor the threads.
      http.stop(0);
      started.forEach(StandInListener::close);
      delays.shutdownNow();
      pool.shutdownNow();
      throw e;
    }
    this.listeners = List.copyOf(started);
    this.scheduler = delays;
    this.executor = pool;
    this.server = http;
    return this;
  }

  /** Binds the n-th candidate's listener on 127.0.0.(n+2), or on 127.0.0.1 if that fails. */
  private static StandInListener bind(StandInCandidate candidate, int n, PlexDirect tls)
      throws IOException {
    InetAddress own = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (n + 2)});
    InetAddress fallback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    boolean https = "https".equals(candidate.protocol());
    InetSocketAddress bound;
    HttpServer listening = null;
    boolean onFallback = false;
    if (candidate.behaviour() == StandInCandidate.Behaviour.REFUSING) {
      ServerSocket probe;
      try {
        probe = new ServerSocket(0, 1, own);
      } catch (BindException e) {
        probe = new ServerSocket(0, 1, fallback);
        onFallback = true;
      }
      try (ServerSocket closing = probe) {
        bound = (InetSocketAddress) closing.getLocalSocketAddress();
      }
    } else {
      try {
        listening = create(https, new InetSocketAddress(own, 0), tls);
      } catch (BindException e) {
        listening = create(https, new InetSocketAddress(fallback, 0), tls);
        onFallback = true;
      }
      bound = listening.getAddress();
    }
    String ip = bound.getAddress().getHostAddress();
    String uri = https
        ? "https://" + tls.hostFor(ip) + ":" + bound.getPort()
        : "http://" + ip + ":" + bound.getPort();
    StandInConnection connection = StandInConnection.of(candidate.protocol(), ip,
        bound.getPort(), uri, candidate.local(), candidate.relay());
    return new StandInListener(candidate, connection, listening, onFallback);
  }

  private static HttpServer create(boolean https, InetSocketAddress address, PlexDirect tls)
      throws IOException {
    try {
      if (!https) {
        return HttpServer.create(address, BACKLOG);
      }
      HttpsServer server = HttpsServer.create(address, BACKLOG);
      server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
      return server;
    } catch (SocketException e) {
      // "Cannot assign requested address" is a SocketException, not always a BindException.
      if (e instanceof BindException) {
        throw e;
      }
      BindException bind = new BindException(address + ": " + e.getMessage());
      bind.initCause(e);
      throw bind;
    }
  }

  /**
   * Returns the URL to call, with a trailing slash, for example {@code http://127.0.0.1:41234/}.
   *
   * @throws IllegalStateException if not started
   */
  public String baseUrl() {
    return "http://" + urlHost(host) + ":" + port() + "/";
  }

  /**
   * Returns the bound TCP port (the ephemeral one when the builder's port was 0).
   *
   * @throws IllegalStateException if not started
   */
  public int port() {
    return started().getAddress().getPort();
  }

  /** Returns the owner (admin) token: it may call every operation. Never log it. */
  public String ownerToken() {
    return ownerToken;
  }

  /** Returns the shared-user token: it may mint transient tokens but not read resources. */
  public String sharedUserToken() {
    return sharedUserToken;
  }

  /**
   * Returns the sources {@code /security/resources} knows, in the order given to the builder.
   *
   * @throws IllegalStateException if no source was configured and the stand-in is not started yet
   *     (the default source lists the stand-in's own port)
   */
  public List<StandInSource> sources() {
    if (!configuredSources.isEmpty()) {
      return configuredSources;
    }
    List<StandInSource> known = sources;
    if (known == null) {
      throw new IllegalStateException("not started: the default source needs the bound port");
    }
    return known;
  }

  /**
   * Returns the listeners of the default source's connections, in the order {@code
   * /security/resources} reports them; empty when sources were configured or no candidates were
   * given, and before {@link #start()}. Unmodifiable.
   */
  public List<StandInListener> listeners() {
    return listeners;
  }

  /**
   * Returns the listener that serves {@code connection}, one of the default source's.
   *
   * @param connection a connection of {@link #sources()}; not null
   * @return its listener
   * @throws IllegalArgumentException if no listener of this stand-in serves it
   */
  public StandInListener listener(StandInConnection connection) {
    Objects.requireNonNull(connection, "connection");
    for (StandInListener listener : listeners) {
      if (listener.connection().equals(connection)) {
        return listener;
      }
    }
    throw new IllegalArgumentException("no listener of this stand-in serves " + connection);
  }

  /**
   * Returns a resolver for OkHttp ({@code OkHttpClient.Builder.dns(...)}) that maps {@code
   * <a>-<b>-<c>-<d>.<hash>.plex.direct}, with the default source's hash, to {@code a.b.c.d}, as
   * Plex's own DNS does, and hands every other name to {@link Dns#SYSTEM}. It resolves only
   * loopback addresses (127.0.0.0/8): any other dashed address under the hash throws {@link
   * UnknownHostException}, so a client is never sent off the machine. Thread-safe; usable before
   * {@link #start()} and after {@link #close()}.
   */
  public Dns dns() {
    return DNS;
  }

  /**
   * Returns client TLS material that trusts this run's stand-in root CA and nothing else: give
   * OkHttp {@code sslSocketFactory(c.sslSocketFactory(), c.trustManager())} and keep its hostname
   * verifier, and each https candidate is verified by its plex.direct name. A new CA is made at
   * each start.
   *
   * @throws IllegalStateException if not started
   */
  public HandshakeCertificates clientCertificates() {
    return startedTls().clientCertificates();
  }

  /**
   * Returns this run's root CA certificate in PEM form, for clients that read a CA file (curl's
   * {@code --cacert}, Python's {@code requests}). Not secret: it holds no key.
   *
   * @throws IllegalStateException if not started
   */
  public String rootCaPem() {
    return startedTls().rootCaPem();
  }

  /** Returns {@code server://<clientIdentifier>} of the first source; usable before start. */
  public String defaultSource() {
    return "server://"
        + (configuredSources.isEmpty()
            ? StandInSource.STAND_IN_CLIENT_IDENTIFIER
            : configuredSources.get(0).clientIdentifier());
  }

  /**
   * Forgets every transient token minted so far, as a PMS restart does; the server keeps
   * listening on the same port, and the owner and shared-user tokens stay valid.
   */
  public void restart() {
    tokens.forgetTransients();
  }

  /**
   * Returns how many requests the main listener ({@link #baseUrl()}) has answered so far,
   * preflights and errors included; each candidate counts its own ({@link
   * StandInListener#requestCount()}).
   */
  public int requestCount() {
    return requestCount.get();
  }

  /**
   * Stops every listener, drops answers still delayed, closes open connections (stalled ones
   * included) and waits briefly (at most 5 s) for the handler threads to end. Idempotent; a closed
   * stand-in cannot be started again.
   */
  @Override
  public void close() {
    HttpServer http;
    ExecutorService pool;
    ScheduledExecutorService delays;
    List<StandInListener> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      http = server;
      pool = executor;
      delays = scheduler;
      all = listeners;
    }
    if (delays != null) {
      delays.shutdownNow();
    }
    if (http != null) {
      http.stop(0);
    }
    all.forEach(StandInListener::close);
    if (pool != null) {
      pool.shutdownNow();
      try {
        pool.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    HttpServer http = server;
    return "PlexStandIn{" + (http == null ? "not started" : baseUrl()) + '}';
  }

  private PlexDirect startedTls() {
    PlexDirect tls = plexDirect;
    if (tls == null) {
      throw new IllegalStateException("not started");
    }
    return tls;
  }

  private HttpServer started() {
    HttpServer http = server;
    if (http == null) {
      throw new IllegalStateException("not started");
    }
    return http;
  }

  /** IPv6 literals need brackets inside a URL. */
  static String urlHost(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private static ThreadFactory daemonThreads(Object port) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      // Daemon: a forgotten close() must not keep a CLI's JVM alive.
      String name = "plex-standin-" + port + "-" + counter.incrementAndGet();
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Configures a {@link PlexStandIn}; not thread-safe, use from one thread. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private String ownerToken;
    private String sharedUserToken;
    private final List<StandInSource> sources = new ArrayList<>();
    private List<StandInCandidate> candidates;
    private String host = "127.0.0.1";
    private int port;
    private ContractObserver observer = ContractObserver.NONE;

    private Builder() {}

    /** Sets the clock that dates transient tokens (48 h lifetime); default the UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Sets the owner (admin) token; default a random {@code owner-<uuid>}. */
    public Builder ownerToken(String token) {
      this.ownerToken = StandInConnection.requireText(token, "ownerToken");
      return this;
    }

    /** Sets the shared-user token; default a random {@code shared-<uuid>}. */
    public Builder sharedUserToken(String token) {
      this.sharedUserToken = StandInConnection.requireText(token, "sharedUserToken");
      return this;
    }

    /**
     * Adds a source {@code /security/resources} knows; call once per source. Without any, the
     * stand-in knows one default source whose connections are its candidates' listeners (see
     * {@link #candidates(List)}).
     */
    public Builder source(StandInSource source) {
      sources.add(Objects.requireNonNull(source, "source"));
      return this;
    }

    /**
     * Sets the default source's candidates, each a real listener started with the stand-in, in the
     * order {@code /security/resources} reports them; default {@link StandInCandidate#defaults()}.
     * An empty list makes the default source list the main listener alone ({@code
     * http://<host>:<port>}). At most 250 candidates (127.0.0.2 to 127.0.0.251).
     *
     * @throws NullPointerException if the list or a candidate is null
     * @throws IllegalArgumentException if there are more than 250
     */
    public Builder candidates(List<StandInCandidate> candidates) {
      List<StandInCandidate> copy = List.copyOf(candidates);
      if (copy.size() > 250) {
        throw new IllegalArgumentException("at most 250 candidates: " + copy.size());
      }
      this.candidates = copy;
      return this;
    }

    /** Sets the address to bind and to put in {@link #baseUrl()}; default {@code 127.0.0.1}. */
    public Builder host(String host) {
      this.host = StandInConnection.requireText(host, "host");
      return this;
    }

    /** Sets the TCP port, 0..65535; default 0, an ephemeral port chosen at start. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Sets who sees every request and answer, for tests that check them against the spec; default
     * {@link ContractObserver#NONE}. The observer runs on the handler threads and must not throw.
     */
    public Builder contractObserver(ContractObserver observer) {
      this.observer = Objects.requireNonNull(observer, "observer");
      return this;
    }

    /**
     * Creates the stand-in, not yet listening; call {@link PlexStandIn#start()}.
     *
     * @throws IllegalArgumentException if the owner and shared-user tokens are equal, two sources
     *     share a client identifier, candidates were given with sources (candidates belong to the
     *     default source), or a candidate answers as another server with the default source's
     *     client identifier
     */
    public PlexStandIn build() {
      if (candidates != null && !sources.isEmpty()) {
        throw new IllegalArgumentException(
            "candidates belong to the default source: give candidates or sources, not both");
      }
      if (candidates != null) {
        for (StandInCandidate candidate : candidates) {
          if (StandInSource.STAND_IN_CLIENT_IDENTIFIER.equals(candidate.machineIdentifier())) {
            throw new IllegalArgumentException(
                "another server's machineIdentifier must differ from the default source's");
          }
        }
      }
      if (ownerToken != null && ownerToken.equals(sharedUserToken)) {
        throw new IllegalArgumentException("owner and shared-user tokens must differ");
      }
      Set<String> seen = new HashSet<>();
      for (StandInSource source : sources) {
        if (!seen.add(source.clientIdentifier())) {
          throw new IllegalArgumentException(
              "duplicate source clientIdentifier: " + source.clientIdentifier());
        }
      }
      return new PlexStandIn(this);
    }
  }
}
