package dev.plexauth.tools.cli;

import dev.plexauth.ConnectionChoice;
import dev.plexauth.ConnectionChooser;
import dev.plexauth.PlexAuthClient;
import dev.plexauth.PlexNoConnectionException;
import dev.plexauth.model.SourceConnectionInformation;
import dev.plexauth.tools.spec.Arguments;
import dev.plexauth.tools.spec.SpecOperation;

/**
 * {@code plex-auth connect}: reads the source's connection information, probes its connections
 * with the SDK's {@link ConnectionChooser} and prints every candidate and the one to use.
 */
final class ConnectCommand {
  private ConnectCommand() {}

  /**
   * Runs the command.
   *
   * @param printer prints the outcome
   * @param client the client of the server that knows the source
   * @param resources getSourceConnectionInformation
   * @param args its arguments (the source)
   * @param chooser the chooser, made from {@code client}
   * @return 0 when a connection was chosen, 5 when none works, else the resources call's status
   */
  static int run(OperationPrinter printer, PlexAuthClient client, SpecOperation resources,
      Arguments args, ConnectionChooser chooser) {
    SourceConnectionInformation source;
    try {
      source = (SourceConnectionInformation) resources.call().call(client, args);
    } catch (RuntimeException e) {
      int status = PlexAuthCli.exitStatus(e);
      if (status == PlexAuthCli.INTERNAL_ERROR) {
        throw e;
      }
      // Reported as connect's, whose one object it is; the message names the call that failed.
      printer.failure(PlexAuthCli.CONNECT, e);
      return status;
    }
    try {
      ConnectionChoice choice = chooser.choose(source);
      printer.connection(choice);
      return PlexAuthCli.OK;
    } catch (PlexNoConnectionException e) {
      printer.noConnection(e);
      return PlexAuthCli.TRANSPORT_OR_DECODING;
    } catch (RuntimeException e) {
      int status = PlexAuthCli.exitStatus(e);
      if (status == PlexAuthCli.INTERNAL_ERROR) {
        throw e;
      }
      printer.failure(PlexAuthCli.CONNECT, e);
      return status;
    }
  }
}
