package dev.plexauth;

import dev.plexauth.model.Connection;
import dev.plexauth.model.SourceConnectionInformation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import okhttp3.HttpUrl;

/**
 * The connection {@link ConnectionChooser} chose for a source, with the outcome of every candidate.
 * Immutable and thread-safe.
 *
 * <p>{@link #newClient()} gives a client for the chosen connection. A choice is good while the
 * network stays as it was: when a call on that client fails with a {@link PlexIoException} (the
 * device changed networks, the server's address changed and its plex.direct certificate no longer
 * matches), choose again, after reading the source's connection information again (with {@code
 * refresh}) when the addresses may have changed. The SDK does not switch connections by itself
 * in the middle of calls: an operation such as getTransientToken is not idempotent, and a caller
 * must know which server answered.
 */
public final class ConnectionChoice {
  private final PlexAuthClient client;
  private final SourceConnectionInformation source;
  private final ConnectionCandidate chosen;
  private final List<ConnectionCandidate> candidates;
  private final long millis;

  ConnectionChoice(PlexAuthClient client, SourceConnectionInformation source,
      ConnectionCandidate chosen, List<ConnectionCandidate> candidates, long millis) {
    this.client = client;
    this.source = source;
    this.chosen = chosen;
    this.candidates = Collections.unmodifiableList(new ArrayList<>(candidates));
    this.millis = millis;
  }

  /**
   * The source the choice is for.
   *
   * @return the source's connection information, as given to the chooser; never null
   */
  public SourceConnectionInformation source() {
    return source;
  }

  /**
   * The chosen connection.
   *
   * @return one of the source's connections, never null
   */
  public Connection connection() {
    return chosen.connection();
  }

  /**
   * The chosen connection's base URL, with a trailing slash, for example {@code
   * https://10-0-2-123.<hash>.plex.direct:32400/}.
   *
   * @return the URL, never null
   */
  public String uri() {
    String uri = chosen.uri();
    if (uri == null) {
      throw new AssertionError("a chosen candidate has a uri");
    }
    return uri;
  }

  /**
   * The chosen candidate, with its rank and probe time.
   *
   * @return the candidate whose outcome is {@link ConnectionCandidate.Outcome#CHOSEN}, never null
   */
  public ConnectionCandidate chosen() {
    return chosen;
  }

  /**
   * Every candidate in rank order (the best first), each with its outcome.
   *
   * @return an unmodifiable list, never null nor empty
   */
  public List<ConnectionCandidate> candidates() {
    return candidates;
  }

  /**
   * How long the choosing took, in milliseconds: from the first probe until the choice.
   *
   * @return 0 or more
   */
  public long millis() {
    return millis;
  }

  /**
   * A client for the chosen connection, with the source's {@code accessToken} as its token and
   * otherwise the settings of the client the chooser was made from (identity headers, timeouts,
   * retries, logging). It shares that client's OkHttpClient: its connection pool (the probe's
   * connection is reused, TLS already done) and dispatcher. Closing it only refuses further
   * calls on it; closing the chooser's client ends its dispatcher for both when that client owns
   * it. The access token is sent to the chosen connection only, never to another host.
   *
   * @return a new client; create it once per choice and share it
   * @throws IllegalStateException if the source's connection information holds no usable {@code
   *     accessToken} (some servers give none for the owner's own server: then build a client
   *     with {@code newBuilder().baseUrl(choice.uri())} and a token that belongs to that server),
   *     or the chooser's client is closed
   */
  public PlexAuthClient newClient() {
    String token = source.accessToken();
    if (token == null || token.isEmpty()) {
      throw new IllegalStateException("the source's connection information has no accessToken"
          + " for " + source.clientIdentifier());
    }
    try {
      return client.derived(HttpUrl.get(uri()), token, 0);
    } catch (IllegalArgumentException e) {
      // The message is about the token setting; the token itself is never in it.
      throw new IllegalStateException("the source's accessToken is not usable as a token: "
          + e.getMessage());
    }
  }

  /** Describes the choice: the chosen uri and every candidate's outcome, without tokens. */
  @Override
  public String toString() {
    return "ConnectionChoice{uri=" + uri() + ", millis=" + millis + ", candidates=" + candidates
        + "}";
  }
}
