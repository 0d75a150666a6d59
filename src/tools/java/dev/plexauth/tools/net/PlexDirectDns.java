package dev.plexauth.tools.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Dns;

/**
 * Resolves {@code <a>-<b>-<c>-<d>.<hash>.plex.direct} to {@code a.b.c.d} without asking a DNS
 * server, exactly as Plex's own DNS answers it, and every other name through the system's DNS.
 *
 * <p>Why: routers with DNS-rebinding protection refuse plex.direct answers that point into the
 * local network, which is every local connection of a source, and a machine without DNS (or the
 * stand-in's connections, on loopback) has none to ask. The name stays what TLS verifies: the
 * server's certificate must still be valid for it. The CLI resolves with it, and the stand-in with
 * {@link #addressOf} (limited to its own names on loopback). Immutable and thread-safe.
 */
public final class PlexDirectDns implements Dns {
  private static final Pattern NAME = Pattern.compile(
      "((?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:-(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]"
          + "|[1-9]?[0-9])){3})\\.[0-9a-f]{32}\\.plex\\.direct");

  private final Dns system;

  /**
   * Creates the resolver.
   *
   * @param system what resolves every other name, for example {@link Dns#SYSTEM}
   */
  public PlexDirectDns(Dns system) {
    this.system = system;
  }

  @Override
  public List<InetAddress> lookup(String hostname) throws UnknownHostException {
    InetAddress address = addressOf(hostname);
    return address != null ? Collections.singletonList(address) : system.lookup(hostname);
  }

  /**
   * The address a plex.direct name stands for.
   *
   * @param hostname any host name
   * @return {@code a.b.c.d} for {@code a-b-c-d.<32 hex digits>.plex.direct} (any case), named
   *     {@code hostname}; null for any other name
   */
  public static InetAddress addressOf(String hostname) {
    Matcher name = NAME.matcher(hostname.toLowerCase(Locale.ROOT));
    if (!name.matches()) {
      return null;
    }
    String[] parts = name.group(1).split("-");
    byte[] address = new byte[4];
    for (int i = 0; i < 4; i++) {
      address[i] = (byte) Integer.parseInt(parts[i]);
    }
    try {
      return InetAddress.getByAddress(hostname, address);
    } catch (UnknownHostException e) {
      throw new AssertionError("four bytes are an IPv4 address", e);
    }
  }
}
