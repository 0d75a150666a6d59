package dev.plexauth.tools.standin;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
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
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An embedded fake Plex Media Server for the two authentication operations, built on the JDK's
 * {@code HttpServer} only.
 *
 * <p>It answers {@code /security/token} (every verb), {@code /security/resources} and {@code
 * /identity} as PMS does: XML unless {@code Accept: application/json}, HTML error pages for 400,
 * 401, 403 and 404 whatever the Accept header, and CORS preflights for browser pages on another
 * origin. It knows an owner token, a shared-user token and the {@code transient-<uuid>} tokens it
 * mints; a transient token has the access level of the token that minted it, lives 48 hours by the
 * configured clock, and is forgotten by {@link #restart()}.
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
  private final TokenStore tokens;
  private final ContractObserver observer;
  private final AtomicInteger requestCount = new AtomicInteger();

  // Guarded by this; volatile so accessors need no lock.
  private volatile HttpServer server;
  private volatile ExecutorService executor;
  private volatile List<StandInSource> sources;
  private boolean closed;

  private PlexStandIn(Builder builder) {
    this.host = builder.host;
    this.requestedPort = builder.port;
    this.ownerToken =
        builder.ownerToken != null ? builder.ownerToken : "owner-" + UUID.randomUUID();
    this.sharedUserToken =
        builder.sharedUserToken != null ? builder.sharedUserToken : "shared-" + UUID.randomUUID();
    this.configuredSources = List.copyOf(builder.sources);
    this.tokens = new TokenStore(builder.clock, ownerToken, sharedUserToken);
    this.observer = builder.observer;
  }

  /** Returns a builder with the defaults described on each of its setters. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the listening socket and starts answering.
   *
   * @return this, to chain with the builder
   * @throws IOException if the address cannot be resolved or bound
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
    List<StandInSource> known = configuredSources.isEmpty()
        ? List.of(StandInSource.standIn(host, port))
        : configuredSources;
    ExecutorService pool = Executors.newFixedThreadPool(THREADS, daemonThreads(port));
    try {
      http.setExecutor(pool);
      http.createContext("/", new StandInHandler(tokens, known, requestCount, observer));
      http.start();
    } catch (RuntimeException e) {
      // create() has already bound the port; do not leak it, nor the pool.
      http.stop(0);
      pool.shutdownNow();
      throw e;
    }
    this.sources = known;
    this.executor = pool;
    this.server = http;
    return this;
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

  /** Returns how many requests have been answered so far, preflights and errors included. */
  public int requestCount() {
    return requestCount.get();
  }

  /**
   * Stops listening, closes open connections and waits briefly for the handler threads to end.
   * Idempotent; a closed stand-in cannot be started again.
   */
  @Override
  public void close() {
    HttpServer http;
    ExecutorService pool;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      http = server;
      pool = executor;
    }
    if (http != null) {
      http.stop(0);
    }
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

  private static ThreadFactory daemonThreads(int port) {
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
     * stand-in knows one default source that lists itself, a {@code plex.direct} name and a relay.
     */
    public Builder source(StandInSource source) {
      sources.add(Objects.requireNonNull(source, "source"));
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
     * @throws IllegalArgumentException if the owner and shared-user tokens are equal, or two
     *     sources share a client identifier
     */
    public PlexStandIn build() {
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
