package dev.plexauth.tools.swaggerui;

import dev.plexauth.tools.spec.Arguments;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code swagger-ui} command: starts {@link SwaggerUiServer}, prints where it listens and the
 * stand-in's owner token, and serves until the process is interrupted (Ctrl-C).
 */
@Command(
    name = "swagger-ui",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Serves Swagger UI for openapi/plex-auth.yaml on loopback, with an embedded Plex stand-in"
          + " listed as the first server so that \"Try it out\" works with no Plex server. Prints"
          + " the page's URL, the stand-in's URL, owner token and source; stop with Ctrl-C."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "1:could not start (port taken)",
      "2:usage error (a bad option or port, or a --spec that is not a regular file of at most"
          + " 4 MiB of UTF-8 text)",
      "130:stopped by Ctrl-C (SIGINT), the usual way to end it"
    })
public final class SwaggerUiCommand implements Callable<Integer> {
  @Option(names = "--port", paramLabel = "N", defaultValue = "8089",
      description = "Swagger UI's port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  private int port;

  @Option(names = "--standin-port", paramLabel = "N", defaultValue = "0",
      description = "The stand-in's port on 127.0.0.1; 0 picks a free one (default: 0).")
  private int standInPort;

  @Option(names = "--spec", paramLabel = "FILE", defaultValue = "openapi/plex-auth.yaml",
      description = "The OpenAPI document to serve, a regular file of at most 4 MiB, re-read on"
          + " every load (default: ${DEFAULT-VALUE}).")
  private Path spec;

  private final PrintWriter out;
  private final PrintWriter err;

  private SwaggerUiCommand(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  /**
   * Runs the command; it returns only on a usage or start error, else serves until the JVM is
   * stopped (Ctrl-C), when a shutdown hook closes both servers.
   *
   * @param args {@code [--port N] [--standin-port N] [--spec FILE]}, or {@code --help}
   */
  public static void main(String[] args) {
    System.exit(execute(args,
        new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true)));
  }

  /**
   * Runs the command with this output; returns its exit status on a usage or start error, else
   * serves until the JVM is stopped.
   */
  static int execute(String[] args, PrintWriter out, PrintWriter err) {
    return new CommandLine(new SwaggerUiCommand(out, err)).setOut(out).setErr(err).execute(args);
  }

  @Override
  public Integer call() throws InterruptedException {
    if (port < 0 || port > 65535 || standInPort < 0 || standInPort > 65535) {
      err.println("swagger-ui: a port must be 0..65535");
      return 2;
    }
    SwaggerUiServer server;
    try {
      server = SwaggerUiServer.start(spec, port, standInPort);
    } catch (SwaggerUiServer.UnusableSpecException e) {
      // Refused before anything listens: the user named a file that cannot be served.
      err.println("swagger-ui: --spec " + Arguments.quoted(spec.toString()) + " "
          + e.getMessage());
      return 2;
    } catch (IOException | RuntimeException e) {
      err.println("swagger-ui: cannot start: " + e);
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "swagger-ui-shutdown"));
    // This is a local development tool: printing the stand-in's (fake) owner token is the point.
    out.println("Swagger UI:            " + server.uiUrl()
        + "  (swagger-ui " + server.swaggerUiVersion() + ", spec " + spec + ")");
    out.println("Plex stand-in:         " + server.standInUrl());
    out.println("Stand-in owner token:  " + server.standIn().ownerToken());
    out.println("Stand-in source:       " + server.standIn().defaultSource());
    out.println("In the page: Authorize, paste the owner token, then \"Try it out\". Ctrl-C stops.");
    new CountDownLatch(1).await(); // Until Ctrl-C: the JVM then exits with 130 after the hook.
    return 0;
  }
}
