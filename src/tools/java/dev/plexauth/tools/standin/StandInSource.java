package dev.plexauth.tools.standin;

import java.util.List;
import java.util.Objects;

/**
 * A source the stand-in knows: the device that {@code /security/resources?source=server://<id>}
 * describes, with the connections to reach it.
 *
 * <p>Immutable and thread-safe.
 */
public final class StandInSource {
  /** The client identifier of the stand-in's default source. */
  static final String STAND_IN_CLIENT_IDENTIFIER = "73be01eb523ebb3b576f683bf7d90685f49fef64";

  /** The per-server hash in the default source's {@code plex.direct} names. */
  static final String PLEX_DIRECT_HASH = "743509ac4e37a4445719ab2fdfe61926";

  /** The default source's name, which {@code /} reports as {@code friendlyName}. */
  static final String STAND_IN_NAME = "Plex stand-in";

  private final String name;
  private final String clientIdentifier;
  private final List<StandInConnection> connections;

  private StandInSource(String name, String clientIdentifier, List<StandInConnection> connections) {
    this.name = StandInConnection.requireText(name, "name");
    this.clientIdentifier = StandInConnection.requireText(clientIdentifier, "clientIdentifier");
    // List.copyOf rejects null elements and freezes the caller's list.
    this.connections = List.copyOf(Objects.requireNonNull(connections, "connections"));
  }

  /**
   * Creates a source.
   *
   * @param name the device's name, for example {@code "PlexCorp (plex-corp)"}; not blank
   * @param clientIdentifier the device's client identifier, the id in {@code server://<id>}; not
   *     blank
   * @param connections the ways to reach the device, in the order they are reported; may be empty,
   *     copied
   * @return the source
   * @throws NullPointerException if an argument or a connection is null
   * @throws IllegalArgumentException if the name or client identifier is blank
   */
  public static StandInSource of(
      String name, String clientIdentifier, List<StandInConnection> connections) {
    return new StandInSource(name, clientIdentifier, connections);
  }

  /** The default source without candidates: the stand-in's main listener alone. */
  static StandInSource standIn(String host, int port) {
    String self = "http://" + PlexStandIn.urlHost(host) + ":" + port;
    return of(STAND_IN_NAME, STAND_IN_CLIENT_IDENTIFIER,
        List.of(StandInConnection.of("http", host, port, self, true, false)));
  }

  /** Returns the device's name. */
  public String name() {
    return name;
  }

  /** Returns the device's client identifier. */
  public String clientIdentifier() {
    return clientIdentifier;
  }

  /** Returns the connections, unmodifiable, in the order they are reported. */
  public List<StandInConnection> connections() {
    return connections;
  }

  /** Returns the {@code source} query value naming this source: {@code server://<id>}. */
  public String source() {
    return "server://" + clientIdentifier;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof StandInSource)) {
      return false;
    }
    StandInSource that = (StandInSource) o;
    return name.equals(that.name)
        && clientIdentifier.equals(that.clientIdentifier)
        && connections.equals(that.connections);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, clientIdentifier, connections);
  }

  @Override
  public String toString() {
    return "StandInSource{" + source() + ", name=" + name + ", connections=" + connections + '}';
  }
}
