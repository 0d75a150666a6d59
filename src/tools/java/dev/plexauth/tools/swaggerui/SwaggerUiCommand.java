package dev.plexauth.tools.swaggerui;

import java.io.IOException;
import java.io.PrintWriter;
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
      "1:could not start (port taken, spec unreadable)",
      "2:usage error",
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
      description = "The OpenAPI document to serve, re-read on every load"
          + " (default: ${DEFAULT-VALUE}).")
  private Path spec;

  private SwaggerUiCommand() {}

  /**
   * Runs the command; it returns only on a usage or start error, else serves until the JVM is
   * stopped (Ctrl-C), when a shutdown hook closes both servers.
   *
   * @param args {@code [--port N] [--standin-port N] [--spec FILE]}, or {@code --help}
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new SwaggerUiCommand()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = new PrintWriter(System.out, true);
    if (port < 0 || port > 65535 || standInPort < 0 || standInPort > 65535) {
      System.err.println("swagger-ui: a port must be 0..65535");
      return 2;
    }
    SwaggerUiServer server;
    try {
      server = SwaggerUiServer.start(spec, port, standInPort);
    } catch (IOException | RuntimeException e) {
      System.err.println("swagger-ui: cannot start: " + e);
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
