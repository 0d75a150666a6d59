package dev.plexauth.tools.standin;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One connection of the stand-in's default source that is a real loopback listener, and how it
 * behaves when a client probes it: what a connection chooser meets among a real server's
 * connections.
 *
 * <p>A candidate is https by default (a {@code *.<hash>.plex.direct} certificate signed by the
 * stand-in's own root CA) and local; {@link #plainHttp()}, {@link #remote()} and {@link #viaRelay()}
 * change that. Immutable and thread-safe: each {@code with}-style method returns a new candidate.
 *
 * <pre>{@code
 * PlexStandIn.builder()
 *     .candidates(List.of(
 *         StandInCandidate.slow(Duration.ofMillis(100)),
 *         StandInCandidate.answering().remote()))
 *     .build();
 * }</pre>
 */
public final class StandInCandidate {
  /** The machine identifier {@link #otherServer()} reports: not the default source's. */
  public static final String OTHER_MACHINE_IDENTIFIER =
      "0be7e5e50000000000000000000000000000ffff";

  /** How a candidate answers. */
  public enum Behaviour {
    /** Answers every request at once, as the stand-in does. */
    ANSWERS,
    /**
     * Answers every request after {@link StandInCandidate#delay()}, from a scheduled executor: no
     * thread waits meanwhile, and {@link PlexStandIn#close()} drops answers still pending.
     */
    SLOW,
    /**
     * Accepts the connection (and, for https, completes the TLS handshake) and reads the request,
     * but never answers; {@link PlexStandIn#close()} closes the connection.
     */
    STALLED,
    /**
     * Nothing listens: the stand-in binds a port on the candidate's address and closes it at once,
     * then reports that address and port, so connecting is refused. Another program could take the
     * port meanwhile; on loopback addresses other than 127.0.0.1 that is very unlikely.
     */
    REFUSING,
    /** Answers at once, but as another server: {@code /identity} and {@code /} name {@link
     * StandInCandidate#machineIdentifier()} instead of the default source's. */
    OTHER_SERVER
  }

  private final Behaviour behaviour;
  private final boolean https;
  private final boolean local;
  private final boolean relay;
  private final Duration delay;
  private final String machineIdentifier;

  private StandInCandidate(Behaviour behaviour, boolean https, boolean local, boolean relay,
      Duration delay, String machineIdentifier) {
    this.behaviour = behaviour;
    this.https = https;
    this.local = local;
    this.relay = relay;
    this.delay = delay;
    this.machineIdentifier = machineIdentifier;
  }

  /** Returns a local https candidate that answers at once. */
  public static StandInCandidate answering() {
    return new StandInCandidate(Behaviour.ANSWERS, true, true, false, Duration.ZERO, null);
  }

  /**
   * Returns a local https candidate that answers each request after {@code delay}.
   *
   * @param delay how long each answer waits, at least 1 ms and at most 1 hour (whole
   *     milliseconds are kept)
   * @throws NullPointerException if {@code delay} is null
   * @throws IllegalArgumentException if {@code delay} is outside 1 ms..1 h
   */
  public static StandInCandidate slow(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.toMillis() < 1 || delay.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("delay must be 1 ms..1 h: " + delay);
    }
    return new StandInCandidate(Behaviour.SLOW, true, true, false,
        Duration.ofMillis(delay.toMillis()), null);
  }

  /** Returns a local https candidate that accepts connections and never answers. */
  public static StandInCandidate stalled() {
    return new StandInCandidate(Behaviour.STALLED, true, true, false, Duration.ZERO, null);
  }

  /** Returns a local https candidate on which nothing listens: connecting is refused. */
  public static StandInCandidate refusing() {
    return new StandInCandidate(Behaviour.REFUSING, true, true, false, Duration.ZERO, null);
  }

  /** Returns a local https candidate that answers as the server {@link
   * #OTHER_MACHINE_IDENTIFIER}. */
  public static StandInCandidate otherServer() {
    return otherServer(OTHER_MACHINE_IDENTIFIER);
  }

  /**
   * Returns a local https candidate that answers as another server.
   *
   * @param machineIdentifier what its {@code /identity} and {@code /} report; not blank, and not
   *     the stand-in's default source's (checked when the stand-in is built)
   * @throws NullPointerException if {@code machineIdentifier} is null
   * @throws IllegalArgumentException if it is blank
   */
  public static StandInCandidate otherServer(String machineIdentifier) {
    return new StandInCandidate(Behaviour.OTHER_SERVER, true, true, false, Duration.ZERO,
        StandInConnection.requireText(machineIdentifier, "machineIdentifier"));
  }

  /**
   * The default source's candidates, in the order {@code /security/resources} reports them: local
   * https stalled (a local address of a network the device left), local https slow (250 ms), local
   * plain http, remote https answering at once, remote https refusing, remote https answering as
   * another server, relay https answering at once.
   */
  public static List<StandInCandidate> defaults() {
    return List.of(
        stalled(),
        slow(Duration.ofMillis(250)),
        answering().plainHttp(),
        answering().remote(),
        refusing().remote(),
        otherServer().remote(),
        answering().viaRelay());
  }

  /** Returns this candidate as a plain HTTP listener: protocol {@code http}, uri {@code
   * http://<ip>:<port>}. */
  public StandInCandidate plainHttp() {
    return new StandInCandidate(behaviour, false, local, relay, delay, machineIdentifier);
  }

  /** Returns this candidate as a remote connection (local=false, relay=false). */
  public StandInCandidate remote() {
    return new StandInCandidate(behaviour, https, false, false, delay, machineIdentifier);
  }

  /** Returns this candidate as a relay connection (local=false, relay=true). */
  public StandInCandidate viaRelay() {
    return new StandInCandidate(behaviour, https, false, true, delay, machineIdentifier);
  }

  /** Returns how it behaves. */
  public Behaviour behaviour() {
    return behaviour;
  }

  /** Returns {@code https} or {@code http}. */
  public String protocol() {
    return https ? "https" : "http";
  }

  /** Returns whether it is reported as on the server's local network. */
  public boolean local() {
    return local;
  }

  /** Returns whether it is reported as going through Plex's relay. */
  public boolean relay() {
    return relay;
  }

  /** Returns the delay of a {@link Behaviour#SLOW} candidate; {@link Duration#ZERO} otherwise. */
  public Duration delay() {
    return delay;
  }

  /**
   * Returns the machine identifier an {@link Behaviour#OTHER_SERVER} candidate reports, or null
   * for the others (they report the default source's).
   */
  public String machineIdentifier() {
    return machineIdentifier;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof StandInCandidate)) {
      return false;
    }
    StandInCandidate that = (StandInCandidate) o;
    return behaviour == that.behaviour && https == that.https && local == that.local
        && relay == that.relay && delay.equals(that.delay)
        && Objects.equals(machineIdentifier, that.machineIdentifier);
  }

  @Override
  public int hashCode() {
    return Objects.hash(behaviour, https, local, relay, delay, machineIdentifier);
  }

  /** For example {@code local https slow 250 ms}, {@code relay https answers}. */
  @Override
  public String toString() {
    return (relay ? "relay" : local ? "local" : "remote") + ' ' + protocol() + ' '
        + behaviour.name().toLowerCase(Locale.ROOT).replace('_', ' ')
        + (behaviour == Behaviour.SLOW ? " " + delay.toMillis() + " ms" : "");
  }
}
