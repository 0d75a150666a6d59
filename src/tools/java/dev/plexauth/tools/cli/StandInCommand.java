package dev.plexauth.tools.cli;

import dev.plexauth.tools.spec.Arguments;
import dev.plexauth.tools.standin.PlexStandIn;
import dev.plexauth.tools.standin.StandInListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code plex-auth standin [--port N]}: starts the embedded Plex stand-in, prints where it is and
 * how to use it, and runs until the process is stopped (SIGINT or SIGTERM; a shutdown hook closes
 * it and deletes the CA file).
 *
 * <p>Standard output starts with exactly three lines, {@code url=<baseUrl>}, {@code
 * owner-token=<owner token>} and {@code source=<default source>}, then {@code ca-file=<PEM of the
 * stand-in's root CA>}, one {@code connection=<uri> <candidate>} line per connection of the default
 * source in the order it reports them, and one {@code host=<ip> <plex.direct name>} line per https
 * connection (an {@code /etc/hosts} line), all flushed at once. The owner token is printed on
 * purpose: it is the stand-in's own, random per run, and means nothing to a real server.
 *
 * <p>One instance serves one invocation; not thread-safe.
 */
@Command(
    name = StandInCommand.NAME,
    mixinStandardHelpOptions = true,
    description = {
      "Starts the embedded Plex stand-in and runs until stopped (Ctrl-C or SIGTERM). Prints"
          + " url=, owner-token= and source= first, then ca-file= (the PEM of its root CA, for"
          + " the https connections), a connection= line per connection of its source and a"
          + " host= line (ip and plex.direct name) per https one."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "2:usage error (a bad --port, or a port in use)",
      "1:internal error (the stand-in could not start)",
      "130:stopped by SIGINT; 143: by SIGTERM (the JVM's own statuses)"
    })
final class StandInCommand implements Callable<Integer> {
  /** The command's name, after {@code plex-auth}. */
  static final String NAME = "standin";

  private final PrintWriter out;
  private final PrintWriter err;
  /** Released never: the JVM ends by its signal, after the shutdown hook. */
  private final CountDownLatch forever = new CountDownLatch(1);

  @Spec private CommandSpec spec;

  @Option(names = "--port", paramLabel = "N",
      description = "The main listener's TCP port on 127.0.0.1, 0..65535 (default: 0, an"
          + " ephemeral port).")
  private String port;

  StandInCommand(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws InterruptedException {
    int chosen = port();
    PlexStandIn standIn = PlexStandIn.builder().port(chosen).build();
    try {
      standIn.start();
    } catch (BindException e) {
      if (chosen != 0) {
        throw new ParameterException(spec.commandLine(),
            "--port " + chosen + ": the port is in use or cannot be bound on 127.0.0.1 ("
                + e.getMessage() + ")");
      }
      err.println("plex-auth: could not start the embedded Plex stand-in: " + e);
      return PlexAuthCli.INTERNAL_ERROR;
    } catch (IOException | RuntimeException e) {
      err.println("plex-auth: could not start the embedded Plex stand-in: " + e);
      return PlexAuthCli.INTERNAL_ERROR;
    }
    Path caDirectory;
    Path caFile;
    try {
      caDirectory = Files.createTempDirectory("plex-standin-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      caFile = caDirectory.resolve("ca.pem");
      Files.writeString(caFile, standIn.rootCaPem(), StandardCharsets.US_ASCII);
      Files.setPosixFilePermissions(caFile, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (IOException | UnsupportedOperationException e) {
      standIn.close();
      err.println("plex-auth: could not write the stand-in's CA file: " + e);
      return PlexAuthCli.INTERNAL_ERROR;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      standIn.close();
      try {
        Files.deleteIfExists(caFile);
        Files.deleteIfExists(caDirectory);
      } catch (IOException e) {
        // A temporary file left behind: nothing secret is in it.
      }
    }, "plex-standin-shutdown"));
    out.println("url=" + standIn.baseUrl());
    out.println("owner-token=" + standIn.ownerToken());
    out.println("source=" + standIn.defaultSource());
    out.println("ca-file=" + caFile);
    for (StandInListener listener : standIn.listeners()) {
      out.println("connection=" + listener.connection().uri() + " " + listener.candidate());
    }
    for (StandInListener listener : standIn.listeners()) {
      if ("https".equals(listener.connection().protocol())) {
        String uri = listener.connection().uri();
        String name = uri.substring("https://".length(), uri.lastIndexOf(':'));
        out.println("host=" + listener.connection().address() + " " + name);
      }
    }
    out.flush();
    if (out.checkError()) {
      standIn.close();
      err.println("plex-auth: could not write to standard output");
      return PlexAuthCli.INTERNAL_ERROR;
    }
    err.println("plex-auth: the Plex stand-in runs until stopped (Ctrl-C)");
    err.flush();
    forever.await();
    return PlexAuthCli.OK;
  }

  private int port() {
    if (port == null) {
      return 0;
    }
    int value;
    try {
      value = Integer.parseInt(port.trim());
    } catch (NumberFormatException e) {
      throw new ParameterException(spec.commandLine(),
          "--port " + Arguments.quoted(port) + ": not a number; expected 0..65535");
    }
    if (value < 0 || value > 65535) {
      throw new ParameterException(spec.commandLine(),
          "--port " + value + ": out of range; expected 0..65535");
    }
    return value;
  }
}
