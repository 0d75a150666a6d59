package dev.plexauth.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.Certificates;
import okhttp3.tls.HandshakeCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code plex-auth standin}: in a JVM of its own, as a user runs it, its output lines are read
 * (no waiting on a clock), used to reach the stand-in and its https connections through the printed
 * CA file and host lines, and the process is stopped with SIGTERM; bad ports in-process.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StandInCommandTest {
  @Test
  void theCommandPrintsWhereTheStandInIsServesUntilSigtermAndCleansUp() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        PlexAuthCli.class.getName(), "standin").redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().keySet().removeIf(name -> name.startsWith("PLEX_"));
    Process process = builder.start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String url = value(out.readLine(), "url");
      String ownerToken = value(out.readLine(), "owner-token");
      String source = value(out.readLine(), "source");
      assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/"), url);
      assertTrue(ownerToken.startsWith("owner-"), "owner-token= is the stand-in's own token");
      assertTrue(source.matches("server://[0-9a-f]{40}"), source);
      Path caFile = Path.of(value(out.readLine(), "ca-file"));
      List<String> connections = new ArrayList<>();
      Map<String, InetAddress> hosts = new HashMap<>();
      for (int i = 0; i < 7; i++) {
        connections.add(value(out.readLine(), "connection"));
      }
      for (int i = 0; i < 6; i++) {
        String[] host = value(out.readLine(), "host").split(" ");
        hosts.put(host[1], InetAddress.getByName(host[0]));
      }
      assertEquals("rw-r--r--",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(caFile)));
      assertEquals("rwx------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(caFile.getParent())));

      HandshakeCertificates trust = new HandshakeCertificates.Builder()
          .addTrustedCertificate(Certificates.decodeCertificatePem(Files.readString(caFile)))
          .build();
      Dns fromHostLines = name -> {
        InetAddress address = hosts.get(name);
        if (address == null) {
          throw new UnknownHostException(name);
        }
        return List.of(address);
      };
      OkHttpClient client = new OkHttpClient.Builder()
          .dns(hostname -> hostname.equals("127.0.0.1") ? Dns.SYSTEM.lookup(hostname)
              : fromHostLines.lookup(hostname))
          .sslSocketFactory(trust.sslSocketFactory(), trust.trustManager())
          .build();
      try {
        String relay = connections.get(6);
        assertTrue(relay.endsWith(" relay https answers"), relay);
        String relayUri = relay.substring(0, relay.indexOf(' '));
        try (Response identity = client.newCall(new Request.Builder()
            .url(relayUri + "/identity").header("Accept", "application/json").build()).execute()) {
          assertEquals(200, identity.code());
          assertTrue(identity.body().string().contains(
              "\"machineIdentifier\":\"" + source.substring("server://".length()) + "\""));
        }
        try (Response root = client.newCall(new Request.Builder().url(url)
            .header("X-Plex-Token", ownerToken).build()).execute()) {
          assertEquals(200, root.code());
        }
      } finally {
        client.dispatcher().executorService().shutdownNow();
        client.connectionPool().evictAll();
      }

      process.destroy(); // SIGTERM

      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "SIGTERM did not stop the stand-in");
      assertEquals(143, process.exitValue(), "128 + SIGTERM");
      assertFalse(Files.exists(caFile), "the shutdown hook deletes the CA file");
      URI main = URI.create(url);
      assertThrows(ConnectException.class,
          () -> new Socket(main.getHost(), main.getPort()).close(), "still listening");
    } finally {
      process.destroyForcibly();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-1", "65536", ""})
  void aBadPortIsAUsageErrorNamingIt(String port) {
    StringWriter err = new StringWriter();

    int status = PlexAuthCli.run(new String[] {"standin", "--port", port}, Map.of(),
        new PrintWriter(new StringWriter()), new PrintWriter(err));

    assertEquals(PlexAuthCli.USAGE, status, err.toString());
    assertTrue(err.toString().startsWith("plex-auth: --port "), err.toString());
    assertTrue(err.toString().contains("expected 0..65535"), err.toString());
  }

  @Test
  void aPortInUseIsAUsageErrorNamingIt() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();

      int status = PlexAuthCli.run(
          new String[] {"standin", "--port", Integer.toString(taken.getLocalPort())}, Map.of(),
          new PrintWriter(out), new PrintWriter(err));

      assertEquals(PlexAuthCli.USAGE, status, err.toString());
      assertTrue(err.toString().contains("--port " + taken.getLocalPort() + ": the port is in use"),
          err.toString());
      assertEquals("", out.toString(), "nothing is printed before the stand-in runs");
    }
  }

  @Test
  void theHelpListsTheCommand() {
    StringWriter out = new StringWriter();

    assertEquals(0, PlexAuthCli.run(new String[] {"standin", "--help"}, Map.of(),
        new PrintWriter(out), new PrintWriter(new StringWriter())));
    assertTrue(out.toString().contains("--port=N"), out.toString());
    StringWriter top = new StringWriter();
    assertEquals(0, PlexAuthCli.run(new String[] {"--help"}, Map.of(), new PrintWriter(top),
        new PrintWriter(new StringWriter())));
    assertTrue(top.toString().contains("standin"), top.toString());
  }

  private static String value(String line, String key) {
    assertTrue(line != null && line.startsWith(key + "="), "expected " + key + "=...: " + line);
    return line.substring(key.length() + 1);
  }
}
