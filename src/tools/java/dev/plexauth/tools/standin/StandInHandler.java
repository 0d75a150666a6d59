package dev.plexauth.tools.standin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.plexauth.tools.standin.TokenStore.Access;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Routes every request of the stand-in and answers it the way PMS does.
 *
 * <p>Stateless apart from the shared {@link TokenStore} and counter, so one instance serves all
 * handler threads.
 */
final class StandInHandler implements HttpHandler {
  /** Reported by {@code /identity} and {@code /}; the suffix tells a human this is no real server. */
  static final String VERSION = "1.41.0.0000-standin";

  /** The owner's Plex account that {@code /} reports: a reserved domain, clearly no real one. */
  static final String MY_PLEX_USERNAME = "owner@plex-standin.invalid";

  private final TokenStore tokens;
  private final List<StandInSource> sources;
  private final AtomicInteger answered;
  private final ContractObserver observer;
  private final MediaContainers.ServerFacts facts;

  /** A handler that answers as the first source: its name and client identifier. */
  StandInHandler(
      TokenStore tokens,
      List<StandInSource> sources,
      AtomicInteger answered,
      ContractObserver observer) {
    this(tokens, sources, answered, observer,
        facts(sources.get(0).name(), sources.get(0).clientIdentifier()));
  }

  /** A handler that answers {@code /identity} and {@code /} with {@code facts}. */
  StandInHandler(
      TokenStore tokens,
      List<StandInSource> sources,
      AtomicInteger answered,
      ContractObserver observer,
      MediaContainers.ServerFacts facts) {
    this.tokens = tokens;
    this.sources = List.copyOf(sources);
    this.answered = answered;
    this.observer = observer;
    this.facts = facts;
  }

  /** The facts of a stand-in server named {@code friendlyName}, on this machine's OS. */
  static MediaContainers.ServerFacts facts(String friendlyName, String machineIdentifier) {
    return new MediaContainers.ServerFacts(friendlyName, machineIdentifier, VERSION,
        MY_PLEX_USERNAME, System.getProperty("os.name", "Linux"),
        System.getProperty("os.version", "unknown"));
  }

  /** Answers the exchange and closes it; never throws. */
  @Override
  public void handle(HttpExchange http) {
    StandInExchange exchange = new StandInExchange(http, answered::incrementAndGet, observer);
    try {
      observer.onRequest(exchange.received());
      exchange.drainRequestBody();
      route(exchange);
    } catch (IOException e) {
      // The client went away mid-exchange; there is nobody left to answer.
    } catch (RuntimeException e) {
      internalError(exchange);
    } finally {
      http.close();
    }
  }

  private void route(StandInExchange exchange) throws IOException {
    if ("OPTIONS".equals(exchange.method())) {
      exchange.sendPreflight();
      return;
    }
    switch (exchange.path()) {
      case "/":
        serverCapabilities(exchange);
        break;
      case "/identity":
        identity(exchange);
        break;
      case "/security/token":
        transientToken(exchange);
        break;
      case "/security/resources":
        resources(exchange);
        break;
      default:
        exchange.sendError(404, "Not Found");
    }
  }

  /** The reachability probe: no token needed. */
  private void identity(StandInExchange exchange) throws IOException {
    if (!exchange.isGetOrHead()) {
      exchange.sendMethodNotAllowed("GET, HEAD, OPTIONS");
      return;
    }
    exchange.sendMediaContainer(
        MediaContainers.identityJson(facts.machineIdentifier(), facts.version()),
        MediaContainers.identityXml(facts.machineIdentifier(), facts.version()));
  }

  /** getServerCapabilities: the root Media Container, for any valid token (as PMS). */
  private void serverCapabilities(StandInExchange exchange) throws IOException {
    if (!exchange.isGetOrHead()) {
      exchange.sendMethodNotAllowed("GET, HEAD, OPTIONS");
      return;
    }
    if (tokens.access(exchange.token()) == null) {
      exchange.sendError(401, "Unauthorized");
      return;
    }
    exchange.sendMediaContainer(
        MediaContainers.serverCapabilitiesJson(facts),
        MediaContainers.serverCapabilitiesXml(facts));
  }

  /** getTransientToken: PMS answers every verb here, so no method check. */
  private void transientToken(StandInExchange exchange) throws IOException {
    Access access = tokens.access(exchange.token());
    if (access == null) {
      exchange.sendError(401, "Unauthorized");
      return;
    }
    if (exchange.malformedQuery()
        || !"delegation".equals(exchange.query("type"))
        || !"all".equals(exchange.query("scope"))) {
      exchange.sendError(400, "Bad Request");
      return;
    }
    String token = tokens.mint(access);
    exchange.sendMediaContainer(
        MediaContainers.transientTokenJson(token), MediaContainers.transientTokenXml(token));
  }

  /** getSourceConnectionInformation: owner-level tokens only (PMS >= 1.15.4). */
  private void resources(StandInExchange exchange) throws IOException {
    if (!exchange.isGetOrHead()) {
      exchange.sendMethodNotAllowed("GET, HEAD, OPTIONS");
      return;
    }
    Access access = tokens.access(exchange.token());
    if (access == null) {
      exchange.sendError(401, "Unauthorized");
      return;
    }
    if (access != Access.OWNER) {
      exchange.sendError(403, "Forbidden");
      return;
    }
    String source = exchange.query("source");
    String refresh = exchange.query("refresh");
    if (exchange.malformedQuery()
        || !wellFormedSource(source)
        || (refresh != null && !"0".equals(refresh) && !"1".equals(refresh))) {
      exchange.sendError(400, "Bad Request");
      return;
    }
    StandInSource found = find(source);
    if (found == null) {
      exchange.sendError(404, "Not Found");
      return;
    }
    // The access token must work against this stand-in, so it is minted here at owner level.
    String accessToken = tokens.mint(Access.OWNER);
    exchange.sendMediaContainer(
        MediaContainers.resourcesJson(found, accessToken),
        MediaContainers.resourcesXml(found, accessToken));
  }

  private static boolean wellFormedSource(String source) {
    if (source == null || source.isBlank()) {
      return false;
    }
    for (String scheme : new String[] {"server://", "provider://"}) {
      if (source.startsWith(scheme)) {
        return !source.substring(scheme.length()).isBlank();
      }
    }
    return false;
  }

  private StandInSource find(String source) {
    for (StandInSource candidate : sources) {
      if (candidate.source().equals(source)) {
        return candidate;
      }
    }
    return null;
  }

  private static void internalError(StandInExchange exchange) {
    if (exchange.answered()) {
      return;
    }
    try {
      exchange.sendError(500, "Internal Server Error");
    } catch (IOException | RuntimeException e) {
      // Nothing more can be done for this exchange; close() in handle() releases it.
    }
  }
}
