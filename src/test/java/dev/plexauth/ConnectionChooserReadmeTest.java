package dev.plexauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.example.ConnectingToASource;
import dev.plexauth.model.Connection;
import dev.plexauth.model.SourceConnectionInformation;
import dev.plexauth.model.TransientToken;
import dev.plexauth.testing.ReadmeBlocks;
import dev.plexauth.tools.standin.PlexStandIn;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.tls.HandshakeCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the README's example of {@link ConnectionChooser} ({@link ConnectingToASource}) against the
 * embedded stand-in's real connections, trusted and resolved as a client trusts and resolves a
 * real server's plex.direct names, and checks that the README shows both blocks verbatim.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionChooserReadmeTest {
  private final PlexStandIn plex = PlexStandIn.builder().build();
  private PlexAuthClient client;
  private OkHttpClient okHttp;

  @BeforeEach
  void start() throws IOException {
    plex.start();
    HandshakeCertificates trust = plex.clientCertificates();
    okHttp = new OkHttpClient.Builder().dns(plex.dns())
        .sslSocketFactory(trust.sslSocketFactory(), trust.trustManager()).build();
    client = PlexAuthClient.builder().baseUrl(plex.baseUrl()).token(plex.ownerToken())
        .clientIdentifier("connection-chooser-readme-test").okHttpClient(okHttp).build();
  }

  @AfterEach
  void stop() {
    client.close();
    okHttp.dispatcher().executorService().shutdown();
    okHttp.connectionPool().evictAll();
    plex.close();
  }

  @Test
  void theExampleChoosesAndUsesAConnection() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    ConnectionChoice choice;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      choice = ConnectingToASource.connect(client, plex.defaultSource());
    } finally {
      System.setOut(stdout);
    }

    String output = printed.toString(StandardCharsets.UTF_8);
    assertEquals(plex.sources().get(0).connections().get(1).uri() + "/", choice.uri(), output);
    assertTrue(output.contains("2. " + choice.uri() + " chosen after "), output);
    assertTrue(output.contains("chose " + choice.uri() + ": "
        + plex.defaultSource().substring("server://".length())), output);
    assertEquals(8, output.split("\n").length, output);
  }

  @Test
  void theExampleChoosesAgainWhenTheChosenConnectionStopsWorking() throws IOException {
    SourceConnectionInformation live = client.getSourceConnectionInformation(plex.defaultSource());
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    // A choice made before the server moved: its connection now refuses.
    Connection moved = Connection.builder().protocol("http").address("127.0.0.1").port(closed)
        .local(true).build();
    ConnectionCandidate chosen = new ConnectionCandidate(moved, "http://127.0.0.1:" + closed + "/",
        1, ConnectionCandidate.Outcome.CHOSEN, 0, null, null);
    ConnectionChoice stale = new ConnectionChoice(client, live, chosen, List.of(chosen), 0);

    TransientToken token =
        ConnectingToASource.tokenFromTheSource(client, plex.defaultSource(),
            ConnectionChooser.of(client), stale);

    assertTrue(token.token().startsWith("transient-"));
  }

  @Test
  void readmeShowsTheExampleVerbatim() throws IOException {
    ReadmeBlocks.assertReadmeShows(
        Path.of("src/test/java/dev/plexauth/example/ConnectingToASource.java"), 2);
  }
}
