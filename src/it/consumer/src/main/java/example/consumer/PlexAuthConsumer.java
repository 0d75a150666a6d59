package example.consumer;

import dev.plexauth.PlexAuthClient;
import dev.plexauth.model.Connection;
import dev.plexauth.model.SourceConnectionInformation;
import dev.plexauth.model.TransientToken;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What an application does with plex-auth: both operations, synchronously and asynchronously. */
public final class PlexAuthConsumer {
  private PlexAuthConsumer() {}

  /**
   * Calls getTransientToken (blocking, then async) and getSourceConnectionInformation.
   *
   * @return one line per result
   */
  public static List<String> run(String serverUrl, String plexToken, String source)
      throws Exception {
    List<String> lines = new ArrayList<>();
    try (PlexAuthClient client =
        PlexAuthClient.builder()
            .baseUrl(serverUrl)
            .token(plexToken)
            .clientIdentifier("consumer-it-0001")
            .product("plex-auth consumer")
            .version("1")
            .build()) {
      TransientToken transientToken = client.getTransientToken();
      lines.add("token " + transientToken.token());
      lines.add("async " + client.getTransientTokenAsync().get(10, TimeUnit.SECONDS).token());

      SourceConnectionInformation server = client.getSourceConnectionInformation(source);
      lines.add("source " + server.name() + " " + server.clientIdentifier());
      lines.add("accessToken " + server.accessToken());
      for (Connection connection : server.connections()) {
        lines.add("connection " + connection.uri() + " local=" + connection.local()
            + " relay=" + connection.relay());
      }
    }
    return lines;
  }

  /**
   * Runs {@link #run} and prints the lines.
   *
   * @param args the server URL, the token and the source
   */
  public static void main(String[] args) throws Exception {
    for (String line : run(args[0], args[1], args[2])) {
      System.out.println(line);
    }
  }
}
