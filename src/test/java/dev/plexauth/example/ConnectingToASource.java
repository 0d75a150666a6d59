package dev.plexauth.example;

import dev.plexauth.ConnectionCandidate;
import dev.plexauth.ConnectionChoice;
import dev.plexauth.ConnectionChooser;
import dev.plexauth.PlexAuthClient;
import dev.plexauth.PlexIoException;
import dev.plexauth.model.ServerIdentity;
import dev.plexauth.model.SourceConnectionInformation;
import dev.plexauth.model.TransientToken;
import java.util.concurrent.TimeUnit;

/**
 * The README's example of {@link ConnectionChooser}, outside the SDK's package so that it can only
 * use the public API. {@code ConnectionChooserReadmeTest} runs it against the embedded Plex
 * stand-in's real connections and checks that the README shows each block between the README
 * markers verbatim.
 */
public final class ConnectingToASource {
  private ConnectingToASource() {}

  /** Chooses a connection of {@code sourceId}, prints every candidate, and uses the choice. */
  public static ConnectionChoice connect(PlexAuthClient client, String sourceId) {
    // README-START
    SourceConnectionInformation source = client.getSourceConnectionInformation(sourceId);
    ConnectionChooser chooser = ConnectionChooser.builder(client)  // share it, as the client
        .probeTimeout(3, TimeUnit.SECONDS)        // optional: the defaults
        .gracePeriod(500, TimeUnit.MILLISECONDS)
        .allowHttp(false)
        .build();
    ConnectionChoice choice = chooser.choose(source); // PlexNoConnectionException if none works
    for (ConnectionCandidate candidate : choice.candidates()) {
      System.out.println(candidate.rank() + ". " + candidate.uri() + " "
          + candidate.outcome().label() + " after " + candidate.millis() + " ms");
    }
    try (PlexAuthClient server = choice.newClient()) { // the source's accessToken, same OkHttp
      ServerIdentity identity = server.getServerIdentity();
      System.out.println("chose " + choice.uri() + ": " + identity.machineIdentifier());
    }
    // README-END
    return choice;
  }

  /** Uses a connection, and chooses again when it stops working. */
  public static TransientToken tokenFromTheSource(PlexAuthClient client, String sourceId,
      ConnectionChooser chooser, ConnectionChoice choice) {
    // README-START
    try (PlexAuthClient server = choice.newClient()) {
      return server.getTransientToken();
    } catch (PlexIoException unreachable) {  // network changed, address moved, certificate
      SourceConnectionInformation fresh =    // no longer matching: read again, choose again
          client.getSourceConnectionInformation(sourceId, true);
      try (PlexAuthClient server = chooser.choose(fresh).newClient()) {
        return server.getTransientToken();
      }
    }
    // README-END
  }
}
