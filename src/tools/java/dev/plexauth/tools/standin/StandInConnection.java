package dev.plexauth.tools.standin;

import java.util.Objects;

/**
 * One way to reach a {@link StandInSource}, as {@code /security/resources} reports it.
 *
 * <p>Only data. A configured source's connections are reported as given; the default source's
 * describe the stand-in's real candidate listeners ({@link StandInListener}). Immutable and
 * thread-safe.
 */
public final class StandInConnection {
  private final String protocol;
  private final String address;
  private final int port;
  private final String uri;
  private final boolean local;
  private final boolean relay;

  private StandInConnection(
      String protocol, String address, int port, String uri, boolean local, boolean relay) {
    this.protocol = requireText(protocol, "protocol");
    this.address = requireText(address, "address");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535: " + port);
    }
    this.port = port;
    this.uri = requireText(uri, "uri");
    this.local = local;
    this.relay = relay;
  }

  /**
   * Creates a connection.
   *
   * @param protocol {@code http} or {@code https}; not blank
   * @param address the IP address or host name; not blank
   * @param port the TCP port, 1..65535
   * @param uri the full URI a client should use, for https a {@code *.plex.direct} name; not blank
   * @param local whether the connection is on the server's local network
   * @param relay whether the connection goes through Plex's relay
   * @return the connection
   * @throws NullPointerException if a string argument is null
   * @throws IllegalArgumentException if a string argument is blank or the port is out of range
   */
  public static StandInConnection of(
      String protocol, String address, int port, String uri, boolean local, boolean relay) {
    return new StandInConnection(protocol, address, port, uri, local, relay);
  }

  /** Returns the protocol, {@code http} or {@code https}. */
  public String protocol() {
    return protocol;
  }

  /** Returns the IP address or host name. */
  public String address() {
    return address;
  }

  /** Returns the TCP port. */
  public int port() {
    return port;
  }

  /** Returns the full URI a client should use. */
  public String uri() {
    return uri;
  }

  /** Returns whether the connection is on the server's local network. */
  public boolean local() {
    return local;
  }

  /** Returns whether the connection goes through Plex's relay. */
  public boolean relay() {
    return relay;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof StandInConnection)) {
      return false;
    }
    StandInConnection that = (StandInConnection) o;
    return port == that.port
        && local == that.local
        && relay == that.relay
        && protocol.equals(that.protocol)
        && address.equals(that.address)
        && uri.equals(that.uri);
  }

  @Override
  public int hashCode() {
    return Objects.hash(protocol, address, port, uri, local, relay);
  }

  @Override
  public String toString() {
    return "StandInConnection{" + uri + ", local=" + local + ", relay=" + relay + '}';
  }

  static String requireText(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }
}
