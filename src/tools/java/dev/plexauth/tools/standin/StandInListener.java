package dev.plexauth.tools.standin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.plexauth.tools.standin.ContractObserver.ReceivedRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real listener behind one connection of the stand-in's default source: its {@link
 * StandInCandidate}, the {@link StandInConnection} {@code /security/resources} reports for it, and
 * the requests it received, for tests that check what a client sent to each candidate (for example
 * that no probe carried {@code X-Plex-Token}).
 *
 * <p>Made by {@link PlexStandIn#start()} and closed by {@link PlexStandIn#close()}. Thread-safe.
 */
public final class StandInListener {
  /** The most requests kept per listener; older ones are dropped first. */
  public static final int MAX_RECORDED = 1024;

  private final StandInCandidate candidate;
  private final StandInConnection connection;
  private final HttpServer server;
  private final boolean fallbackAddress;
  private final Deque<ReceivedRequest> recorded = new ArrayDeque<>();
  private final AtomicInteger received = new AtomicInteger();
  private final AtomicInteger answered = new AtomicInteger();
  private final Set<HttpExchange> stalled = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  StandInListener(StandInCandidate candidate, StandInConnection connection, HttpServer server,
      boolean fallbackAddress) {
    this.candidate = candidate;
    this.connection = connection;
    this.server = server;
    this.fallbackAddress = fallbackAddress;
  }

  /** Returns the candidate this listener was made from. */
  public StandInCandidate candidate() {
    return candidate;
  }

  /** Returns the connection as {@code /security/resources} reports it, with the real port. */
  public StandInConnection connection() {
    return connection;
  }

  /**
   * Returns whether this listener had to bind 127.0.0.1 because its own loopback address
   * (127.0.0.2 and up) could not be bound, as on systems that route only 127.0.0.1 to loopback.
   */
  public boolean onFallbackAddress() {
    return fallbackAddress;
  }

  /**
   * Returns the requests received so far, oldest first, as they arrived (before any delay): at
   * most {@link #MAX_RECORDED}; always empty for a {@link StandInCandidate.Behaviour#REFUSING}
   * candidate. A snapshot, unmodifiable. Header values are as sent, tokens included: never log
   * them (the records' {@code toString()} shows header names only).
   */
  public List<ReceivedRequest> requests() {
    synchronized (recorded) {
      return List.copyOf(new ArrayList<>(recorded));
    }
  }

  /** Returns how many requests arrived so far, including those no longer kept. */
  public int requestCount() {
    return received.get();
  }

  @Override
  public String toString() {
    return "StandInListener{" + candidate + ", " + connection.uri() + '}';
  }

  /**
   * Starts answering on the pool, as the stand-in does, with this candidate's behaviour; a
   * refusing candidate has nothing to start.
   */
  void start(ExecutorService pool, ScheduledExecutorService scheduler, TokenStore tokens,
      List<StandInSource> sources, ContractObserver observer) {
    if (server == null) {
      return;
    }
    StandInSource first = sources.get(0);
    MediaContainers.ServerFacts facts = candidate.machineIdentifier() == null
        ? StandInHandler.facts(first.name(), first.clientIdentifier())
        : StandInHandler.facts("Another server", candidate.machineIdentifier());
    StandInHandler answers = new StandInHandler(tokens, sources, answered, observer, facts);
    server.setExecutor(pool);
    server.createContext("/", handler(answers, scheduler));
    server.start();
  }

  /** Wraps the stand-in's handler with this candidate's behaviour. */
  private HttpHandler handler(StandInHandler delegate, ScheduledExecutorService scheduler) {
    return http -> {
      record(http);
      switch (candidate.behaviour()) {
        case STALLED:
          stalled.add(http);
          if (closed) {
            http.close();
          }
          return;
        case SLOW:
          try {
            scheduler.schedule(() -> delegate.handle(http), candidate.delay().toMillis(),
                TimeUnit.MILLISECONDS);
          } catch (RejectedExecutionException e) {
            http.close(); // closing: nobody will answer it
          }
          return;
        default:
          delegate.handle(http);
      }
    };
  }

  private void record(HttpExchange http) {
    ReceivedRequest request = new ReceivedRequest(http.getRequestMethod(),
        http.getRequestURI().getPath(), http.getRequestURI().getRawQuery(),
        StandInExchange.copy(http.getRequestHeaders()));
    received.incrementAndGet();
    synchronized (recorded) {
      if (recorded.size() == MAX_RECORDED) {
        recorded.removeFirst();
      }
      recorded.addLast(request);
    }
  }

  /** Stops listening and closes every connection, stalled ones included. */
  void close() {
    closed = true;
    if (server != null) {
      server.stop(0);
    }
    for (HttpExchange http : stalled) {
      http.close();
    }
    stalled.clear();
  }
}
