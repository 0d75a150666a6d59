package dev.plexauth.tools.standin;

import dev.plexauth.tools.net.PlexDirectDns;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import okhttp3.Dns;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * The stand-in's {@code plex.direct} world: a root CA made for one run, a {@code
 * *.<hash>.plex.direct} server certificate it signed, and the DNS rule that maps {@code
 * a-b-c-d.<hash>.plex.direct} to {@code a.b.c.d}, as Plex's own DNS does.
 *
 * <p>Only loopback addresses (127.0.0.0/8) are resolved, so a client of the stand-in can never be
 * sent off the machine by a name it was given. Immutable and thread-safe.
 */
final class PlexDirect {
  private final String hash;
  private final String domain;
  private final HeldCertificate rootCa;
  private final HandshakeCertificates server;
  private final HandshakeCertificates client;
  private final Dns dns;

  private PlexDirect(String hash) {
    this.hash = hash;
    this.domain = "." + hash + ".plex.direct";
    this.rootCa = new HeldCertificate.Builder()
        .certificateAuthority(0)
        .commonName("Plex stand-in root CA (not a real CA)")
        .build();
    HeldCertificate leaf = new HeldCertificate.Builder()
        .commonName("*" + domain)
        .addSubjectAlternativeName("*" + domain)
        .signedBy(rootCa)
        .build();
    this.server = new HandshakeCertificates.Builder()
        .heldCertificate(leaf, rootCa.certificate())
        .build();
    this.client = new HandshakeCertificates.Builder()
        .addTrustedCertificate(rootCa.certificate())
        .build();
    this.dns = dns(hash);
  }

  /** The DNS rule alone, for {@code hash}: it needs no certificate. */
  static Dns dns(String hash) {
    String domain = "." + hash + ".plex.direct";
    return hostname -> lookup(hostname, domain);
  }

  /** Issues a new root CA and server certificate for {@code *.<hash>.plex.direct}. */
  static PlexDirect issue(String hash) {
    return new PlexDirect(hash);
  }

  /** Returns {@code <a>-<b>-<c>-<d>.<hash>.plex.direct} for an IPv4 address. */
  String hostFor(String ipv4) {
    return ipv4.replace('.', '-') + domain;
  }

  String hash() {
    return hash;
  }

  /** The server side: the certificate chain for an {@code HttpsServer}. */
  SSLContext serverContext() {
    return server.sslContext();
  }

  /** The client side: trusts the root CA only. */
  HandshakeCertificates clientCertificates() {
    return client;
  }

  /** The root CA's certificate as PEM, for clients that read a CA file. */
  String rootCaPem() {
    return rootCa.certificatePem();
  }

  Dns dns() {
    return dns;
  }

  private static List<InetAddress> lookup(String hostname, String domain)
      throws UnknownHostException {
    if (!hostname.toLowerCase(Locale.ROOT).endsWith(domain)) {
      return Dns.SYSTEM.lookup(hostname);
    }
    InetAddress address = PlexDirectDns.addressOf(hostname);
    if (address == null) {
      throw new UnknownHostException(hostname + ": not <a>-<b>-<c>-<d>" + domain
          + " with an IPv4 address");
    }
    if (address.getAddress()[0] != 127) {
      throw new UnknownHostException(hostname
          + ": the Plex stand-in resolves only loopback plex.direct names (127.0.0.0/8)");
    }
    return List.of(address);
  }
}
