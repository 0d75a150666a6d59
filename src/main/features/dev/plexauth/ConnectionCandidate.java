package dev.plexauth;

import dev.plexauth.model.Connection;
import org.jspecify.annotations.Nullable;

/**
 * One connection of a source as {@link ConnectionChooser} saw it: its rank, what its probe found
 * and how long that took. Immutable and thread-safe.
 */
public final class ConnectionCandidate {
  /** What became of a candidate. */
  public enum Outcome {
    /** Answered as the source, and is the connection to use. */
    CHOSEN("chosen"),
    /** Answered as the source, but a better-ranked candidate was chosen. */
    ANSWERED("answered"),
    /**
     * Answered {@code /identity} with another {@code machineIdentifier}: another server (the
     * address now belongs to someone else). Never used.
     */
    OTHER_SERVER("other-server"),
    /** Did not answer usably within the probe timeout; {@link #failure()} tells why. */
    FAILED("failed"),
    /** A plain-http connection, not probed because the chooser does not allow http. */
    HTTP_NOT_ALLOWED("http-not-allowed"),
    /** Its uri (or protocol, address and port) is not an http or https URL: not probed. */
    UNUSABLE("unusable"),
    /** The same URL as a better-ranked candidate, which was probed in its place. */
    DUPLICATE("duplicate"),
    /**
     * Still under way (or waiting in OkHttp's queue) when the choice was made, when the probe
     * timeout and grace period had passed since the start, or when the choosing was cancelled;
     * stopped.
     */
    STOPPED("stopped");

    private final String label;

    Outcome(String label) {
      this.label = label;
    }

    /**
     * The outcome's name in lower case words, as the CLI prints it.
     *
     * @return for example {@code "other-server"}, never null
     */
    public String label() {
      return label;
    }
  }

  private final Connection connection;
  private final @Nullable String uri;
  private final int rank;
  private final Outcome outcome;
  private final long millis;
  private final @Nullable String detail;
  private final @Nullable PlexException failure;

  ConnectionCandidate(Connection connection, @Nullable String uri, int rank, Outcome outcome,
      long millis, @Nullable String detail, @Nullable PlexException failure) {
    this.connection = connection;
    this.uri = uri;
    this.rank = rank;
    this.outcome = outcome;
    this.millis = millis;
    this.detail = detail;
    this.failure = failure;
  }

  /**
   * The connection, as the source's connection information lists it.
   *
   * @return the connection, never null
   */
  public Connection connection() {
    return connection;
  }

  /**
   * The base URL probed (or that would have been), with a trailing slash: the connection's {@code
   * uri}, else one made of its protocol, address and port.
   *
   * @return the URL, or null when the connection gives none that is usable ({@link
   *     Outcome#UNUSABLE})
   */
  public @Nullable String uri() {
    return uri;
  }

  /**
   * The candidate's place in the order of preference, from 1 (the best): local before remote
   * before relay, https before http within each, and the source's own order between equals.
   *
   * @return 1 or more
   */
  public int rank() {
    return rank;
  }

  /**
   * Whether the connection is on the server's local network.
   *
   * @return the connection's {@code local} flag
   */
  public boolean local() {
    return connection.local();
  }

  /**
   * Whether the connection goes through Plex's relay.
   *
   * @return the connection's {@code relay} flag
   */
  public boolean relay() {
    return connection.relay();
  }

  /**
   * What became of the candidate.
   *
   * @return the outcome, never null
   */
  public Outcome outcome() {
    return outcome;
  }

  /**
   * How long its probe ran, in milliseconds, from the start of the choosing until its answer,
   * failure or stop.
   *
   * @return 0 or more; 0 for a candidate that was not probed
   */
  public long millis() {
    return millis;
  }

  /**
   * Why the candidate was not used, in words: the failure's message, the other server's {@code
   * machineIdentifier}, or why it was not probed. Holds no token and no control character.
   *
   * @return the reason, or null for {@link Outcome#CHOSEN} and {@link Outcome#ANSWERED}
   */
  public @Nullable String detail() {
    return detail;
  }

  /**
   * The probe's failure, for {@link Outcome#FAILED}: a {@link PlexIoException} (refused, timed
   * out, TLS, including a certificate that does not match the plex.direct name), a {@link
   * PlexHttpException} or a {@link PlexDecodingException}.
   *
   * @return the failure, or null for every other outcome
   */
  public @Nullable PlexException failure() {
    return failure;
  }

  /** Describes the candidate: rank, uri, flags, outcome, time and reason. */
  @Override
  public String toString() {
    return "ConnectionCandidate{rank=" + rank + ", uri=" + uri + ", local=" + local()
        + ", relay=" + relay() + ", outcome=" + outcome.label() + ", millis=" + millis
        + (detail == null ? "" : ", detail=" + detail) + "}";
  }
}
