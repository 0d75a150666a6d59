package dev.plexauth.tools.cli;

import dev.plexauth.PlexAuthClient;
import dev.plexauth.PlexDecodingException;
import dev.plexauth.PlexHttpException;
import dev.plexauth.PlexIoException;
import dev.plexauth.PlexUnauthorizedException;
import dev.plexauth.tools.standin.PlexStandIn;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code plex-auth} command: gets a transient token and a source's connection information from
 * a Plex Media Server, or from the embedded {@link PlexStandIn} when no server is named.
 *
 * <p>{@link #main(String[])} is the process entry point; {@link #run(String[], Map, PrintWriter,
 * PrintWriter)} runs one invocation in-process with an explicit environment and output, and
 * returns the exit status instead of exiting, for tests. Each instance serves one invocation.
 */
@Command(
    name = "plex-auth",
    mixinStandardHelpOptions = true,
    versionProvider = PlexAuthCli.Version.class,
    sortOptions = false,
    description = {
      "Gets a transient token and the connection information of a source from a Plex Media"
          + " Server. Without --server it starts an embedded Plex stand-in on loopback and uses"
          + " its owner token and source. The text output shows secrets as \u2588\u2588; --json"
          + " prints them."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:success",
      "2:usage error (bad option, value, URL or token)",
      "3:unauthorized (HTTP 401 or 403)",
      "4:other HTTP error",
      "5:transport or decoding error",
      "1:internal error (for example the stand-in could not start)"
    })
public final class PlexAuthCli implements Callable<Integer> {
  /** The version sent as {@code X-Plex-Version}: the project's, filtered in by Maven. */
  public static final String VERSION = readVersion();

  /** The largest --timeout: OkHttp counts timeouts in int milliseconds (about 24 days). */
  static final int MAX_TIMEOUT_SECONDS = Integer.MAX_VALUE / 1000;

  /** What the SDK accepts as a source: no whitespace or control characters of any kind. */
  private static final String SOURCE_PATTERN =
      "(server|provider)://[^\\s\\p{Cntrl}\\p{Z}\\x{80}-\\x{9f}\\x{200b}\\x{feff}]+";

  /** The product sent as {@code X-Plex-Product}. */
  public static final String PRODUCT = "plex-auth CLI";

  /** The operation {@code token} runs, and {@code all} first. */
  static final String TOKEN_OPERATION = "getTransientToken";

  /** The operation {@code resources} runs, and {@code all} second. */
  static final String RESOURCES_OPERATION = "getSourceConnectionInformation";

  /** Exit status: every operation succeeded. */
  public static final int OK = 0;
  /** Exit status: an unexpected failure, such as the stand-in failing to bind loopback. */
  public static final int INTERNAL_ERROR = 1;
  /** Exit status: a bad option, value, URL, token or client identifier; nothing was sent. */
  public static final int USAGE = 2;
  /** Exit status: the server answered 401 or 403. */
  public static final int UNAUTHORIZED = 3;
  /** Exit status: the server answered another non-2xx status. */
  public static final int HTTP_ERROR = 4;
  /** Exit status: no usable response (transport) or an unusable 2xx body (decoding). */
  public static final int TRANSPORT_OR_DECODING = 5;

  private final Map<String, String> env;
  private final PrintWriter out;
  private final PrintWriter err;

  @Spec private CommandSpec spec;

  @Option(names = "--server", paramLabel = "URL",
      description = "Plex Media Server base URL, e.g. http://192.168.1.10:32400"
          + " (default: $PLEX_SERVER; none: the embedded stand-in).")
  private String server;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "Your Plex token (default: $PLEX_TOKEN with a server; required with"
          + " --server; without a server, the stand-in's owner token).")
  private String token;

  @Option(names = "--client-id", paramLabel = "ID",
      description = "X-Plex-Client-Identifier (default: $PLEX_CLIENT_ID, else a stable id kept in"
          + " $PLEX_AUTH_CONFIG_DIR, $XDG_CONFIG_HOME/plex-auth or ~/.config/plex-auth).")
  private String clientId;

  @Option(names = "--source", paramLabel = "SOURCE",
      description = "server://<clientIdentifier> or provider://<id> (required with --server for"
          + " resources and all; the stand-in's source without --server).")
  private String source;

  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "Limit for each call, in whole seconds, more than 0 (default: 60).")
  private Integer timeoutSeconds;

  @Option(names = "--json", description = "Print one JSON object per operation, secrets included.")
  private boolean json;

  @Parameters(index = "0", arity = "0..1", paramLabel = "token|resources|all",
      description = "What to get: token, resources, or all (the default: token, then resources).")
  private String operation = "all";

  private PlexAuthCli(Map<String, String> env, PrintWriter out, PrintWriter err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  /**
   * Runs the CLI and exits the JVM with its exit status.
   *
   * @param args the command-line arguments
   */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8));
    System.exit(run(args, System.getenv(), out, err));
  }

  /**
   * Runs one invocation in-process and returns its exit status; never calls {@link System#exit}.
   *
   * @param args the command-line arguments; not null
   * @param env the environment variables to read instead of {@link System#getenv()} ({@code
   *     PLEX_SERVER}, {@code PLEX_TOKEN}, {@code PLEX_CLIENT_ID}, {@code PLEX_AUTH_CONFIG_DIR},
   *     {@code XDG_CONFIG_HOME}); not null
   * @param out receives the results (stdout); flushed before returning
   * @param err receives diagnostics and usage errors (stderr); flushed before returning
   * @return the exit status: 0, 2, 3, 4 or 5 as listed in the usage help, or 1 on an internal
   *     error
   */
  public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    PlexAuthCli cli = new PlexAuthCli(env, out, err);
    CommandLine commandLine = new CommandLine(cli)
        .setOut(out)
        .setErr(err)
        .setParameterExceptionHandler(cli::usageError)
        .setExecutionExceptionHandler((e, cmd, parseResult) -> {
          err.println("plex-auth: internal error: " + cli.redact(String.valueOf(e)));
          return INTERNAL_ERROR;
        });
    try {
      return commandLine.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** Runs the parsed invocation; usage errors found here are thrown as ParameterException. */
  @Override
  public Integer call() {
    boolean wantToken = wants("token");
    boolean wantSource = wants("resources");
    if (timeoutSeconds != null && (timeoutSeconds <= 0 || timeoutSeconds > MAX_TIMEOUT_SECONDS)) {
      throw new ParameterException(spec.commandLine(),
          "--timeout must be a whole number of seconds from 1 to " + MAX_TIMEOUT_SECONDS);
    }
    String serverUrl = server != null ? server : envValue("PLEX_SERVER");
    // PLEX_TOKEN belongs to the user's real server: the stand-in knows only its own tokens.
    String callerToken = token != null ? token : serverUrl != null ? envValue("PLEX_TOKEN") : null;
    if (serverUrl != null && callerToken == null) {
      throw new ParameterException(spec.commandLine(),
          "--server needs --token (or PLEX_TOKEN): the embedded stand-in's token only works with"
              + " the stand-in");
    }
    if (serverUrl != null && wantSource && source == null) {
      throw new ParameterException(spec.commandLine(),
          "--server needs --source server://<clientIdentifier> for '" + operation + "'");
    }
    if (wantSource && source != null
        && !source.matches(SOURCE_PATTERN)) {
      // Checked before any call, so that `all` does not mint a token and then stop.
      throw new ParameterException(spec.commandLine(),
          "--source must be server://<clientIdentifier> or provider://<id>");
    }
    OperationPrinter printer = new OperationPrinter(out, err, json, callerToken);
    String clientIdentifier = clientIdentifier(printer);
    if (clientIdentifier == null) {
      return USAGE;
    }
    PlexStandIn standIn = null;
    try {
      if (serverUrl == null) {
        try {
          standIn = PlexStandIn.builder().build().start();
        } catch (IOException e) {
          printer.diagnostic("could not start the embedded Plex stand-in on loopback: " + e);
          return INTERNAL_ERROR;
        }
        serverUrl = standIn.baseUrl();
        printer.diagnostic("no --server given: using the embedded Plex stand-in at " + serverUrl);
      }
      String effectiveToken = callerToken != null ? callerToken : standIn.ownerToken();
      String effectiveSource = source != null ? source : standIn != null ? standIn.defaultSource() : null;
      PlexAuthClient client;
      try {
        client = buildClient(serverUrl, effectiveToken, clientIdentifier);
      } catch (IllegalArgumentException | NullPointerException e) {
        printer.diagnostic("invalid setting: " + e.getMessage());
        return USAGE;
      }
      try (client) {
        int status = OK;
        if (wantToken) {
          status = perform(printer, TOKEN_OPERATION, client::getTransientToken);
        }
        if (status == OK && wantSource) {
          status = perform(printer, RESOURCES_OPERATION,
              () -> client.getSourceConnectionInformation(effectiveSource));
        }
        return status;
      } finally {
        printer.finish();
      }
    } finally {
      if (standIn != null) {
        standIn.close();
      }
    }
  }

  private boolean wants(String part) {
    String op = operation.toLowerCase(Locale.ROOT);
    if (!op.equals("token") && !op.equals("resources") && !op.equals("all")) {
      throw new ParameterException(spec.commandLine(),
          "unknown operation '" + operation + "': expected token, resources or all");
    }
    return op.equals("all") || op.equals(part);
  }

  private String clientIdentifier(OperationPrinter printer) {
    String explicit = clientId != null ? clientId : envValue("PLEX_CLIENT_ID");
    if (explicit != null) {
      return explicit;
    }
    ClientIdentifierStore store =
        ClientIdentifierStore.fromEnvironment(env, System.getProperty("user.home"));
    try {
      return store.loadOrCreate();
    } catch (IllegalStateException e) {
      printer.diagnostic(e.getMessage());
      return null;
    } catch (IOException e) {
      // A read-only home should not stop the job; the owner just sees a new device this once.
      printer.diagnostic("could not store a client identifier in " + store.file() + " (" + e
          + "); using a new one for this run only, pass --client-id to keep one");
      return UUID.randomUUID().toString();
    }
  }

  private PlexAuthClient buildClient(String serverUrl, String callerToken, String clientIdentifier) {
    PlexAuthClient.Builder builder = PlexAuthClient.builder()
        .baseUrl(serverUrl)
        .token(callerToken)
        .clientIdentifier(clientIdentifier)
        .product(PRODUCT)
        .version(VERSION);
    if (timeoutSeconds != null) {
      Duration timeout = Duration.ofSeconds(timeoutSeconds);
      // The per-read and per-write limits follow so that they never cut in before the call's.
      builder.callTimeout(timeout).readTimeout(timeout).writeTimeout(timeout);
    }
    return builder.build();
  }

  private static int perform(OperationPrinter printer, String operation, Supplier<?> call) {
    Object result;
    try {
      result = call.get();
    } catch (RuntimeException e) {
      int status = exitStatus(e);
      if (status == INTERNAL_ERROR) {
        throw e;
      }
      printer.failure(operation, e);
      return status;
    }
    printer.result(operation, result);
    return OK;
  }

  /**
   * Maps what an operation threw to the exit status.
   *
   * @param failure the exception; not null
   * @return 2, 3, 4 or 5; 1 for anything the SDK does not document
   */
  static int exitStatus(RuntimeException failure) {
    if (failure instanceof PlexUnauthorizedException) {
      return UNAUTHORIZED;
    }
    if (failure instanceof PlexHttpException) {
      return HTTP_ERROR;
    }
    if (failure instanceof PlexDecodingException || failure instanceof PlexIoException) {
      return TRANSPORT_OR_DECODING;
    }
    if (failure instanceof IllegalArgumentException || failure instanceof NullPointerException) {
      return USAGE;
    }
    return INTERNAL_ERROR;
  }

  private int usageError(ParameterException e, String[] args) {
    CommandLine commandLine = e.getCommandLine();
    PrintWriter errors = commandLine.getErr();
    errors.println("plex-auth: " + redact(e.getMessage()));
    if (!UnmatchedArgumentException.printSuggestions(e, errors)) {
      errors.println("Try 'plex-auth --help' for the options.");
    }
    errors.flush();
    return USAGE;
  }

  /** Redacts both the --token value (set even when parsing failed later) and $PLEX_TOKEN. */
  private String redact(String text) {
    return OperationPrinter.redact(OperationPrinter.redact(text, token), env.get("PLEX_TOKEN"));
  }

  private static String readVersion() {
    Properties properties = new Properties();
    try (InputStream in = PlexAuthCli.class.getResourceAsStream("plex-auth-cli.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      // Fall through to "unknown": the version is informational only.
    }
    return properties.getProperty("version", "unknown");
  }

  /** Supplies {@code --version} from the filtered properties. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"plex-auth CLI " + VERSION};
    }
  }

  /** An unset or blank variable counts as absent, as {@code PLEX_TOKEN= cmd} intends. */
  private String envValue(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value;
  }
}
