package dev.plexauth.tools.cli;

import dev.plexauth.ConnectionChooser;
import dev.plexauth.PlexAuthClient;
import dev.plexauth.PlexDecodingException;
import dev.plexauth.PlexHttpException;
import dev.plexauth.PlexIoException;
import dev.plexauth.PlexUnauthorizedException;
import dev.plexauth.internal.ControlCharacters;
import dev.plexauth.tools.generated.SpecOperations;
import dev.plexauth.tools.io.BoundedFile;
import dev.plexauth.tools.net.PlexDirectDns;
import dev.plexauth.tools.spec.Arguments;
import dev.plexauth.tools.spec.SpecOperation;
import dev.plexauth.tools.spec.SpecParameter;
import dev.plexauth.tools.standin.PlexStandIn;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.Layout;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Help.TextTable.Cell;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code plex-auth} command: runs the operations of the spec against a Plex Media Server, or
 * against the embedded {@link PlexStandIn} when no server is named. By default it gets a transient
 * token and a source's connection information.
 *
 * <p>Only the shortcuts {@code token}, {@code resources} and {@code all} name operations. Every
 * operation of {@link SpecOperations} runs by its operationId, every spec parameter is a {@code
 * --<name>} option, the client's own generated checks test the arguments before anything is sent,
 * and {@link OperationPrinter} prints the returned model from its properties.
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
      "Runs an operation of the Plex Media Server auth spec and prints what it returns; by"
          + " default gets a transient token and the connection information of a source. Without"
          + " --server it starts an embedded Plex stand-in on loopback and uses its owner token"
          + " and source. The text output shows secrets as \u2588\u2588; --json prints them."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:success",
      "2:usage error (bad option, value, URL, token, variable or file)",
      "3:unauthorized (HTTP 401 or 403)",
      "4:other HTTP error",
      "5:transport or decoding error",
      "1:internal error (for example the stand-in could not start, or the output could not be"
          + " written)"
    })
public final class PlexAuthCli implements Callable<Integer> {
  /** The version sent as {@code X-Plex-Version}: the project's, filtered in by Maven. */
  public static final String VERSION = readVersion();

  /** The largest --timeout: OkHttp counts timeouts in int milliseconds (about 24 days). */
  static final int MAX_TIMEOUT_SECONDS = Integer.MAX_VALUE / 1000;

  /** The product sent as {@code X-Plex-Product}. */
  public static final String PRODUCT = "plex-auth CLI";

  /** The operation {@code token} runs, and {@code all} first. */
  static final String TOKEN_OPERATION = "getTransientToken";

  /** The operation {@code resources} runs, and {@code all} second. */
  static final String RESOURCES_OPERATION = "getSourceConnectionInformation";

  /** The parameter that defaults to the stand-in's source when no server is named. */
  static final String SOURCE_PARAMETER = "source";

  /** The command that chooses one of a source's connections. */
  static final String CONNECT = "connect";

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
  /** Standard input, for {@code --token-file -}; null when the process started with it closed. */
  private final InputStream stdin;
  private final PrintWriter out;
  private final PrintWriter err;
  private final List<SpecOperation> operations;
  /** The option of each spec parameter, by the parameter's name. */
  private final Map<String, OptionSpec> parameterOptions = new LinkedHashMap<>();
  /** The operations that take each spec parameter, by the parameter's name. */
  private final Map<String, List<String>> parameterOperations = new LinkedHashMap<>();

  @Spec private CommandSpec spec;

  @Option(names = "--server", paramLabel = "URL",
      description = "Plex Media Server base URL, e.g. http://192.168.1.10:32400"
          + " (default: $PLEX_SERVER; none: the embedded stand-in).")
  private String server;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "Your Plex token (default: $PLEX_TOKEN with a server; required with"
          + " --server; without a server, the stand-in's owner token).")
  private String token;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "Read your Plex token from the first line of FILE (- for standard input,"
          + " read up to its first line feed), which keeps it out of the process list, unlike"
          + " --token.")
  private String tokenFile;

  /** Standard input as the messages about {@code --token-file -} name it. */
  private static final String STANDARD_INPUT = "standard input (--token-file -)";

  /**
   * The longest token file read, and the longest first line read from standard input: far more
   * than any Plex token, and never a whole disk.
   */
  static final int MAX_TOKEN_FILE_BYTES = 4096;

  /** A CA file holds a few certificates of a few KiB each. */
  static final int MAX_CA_FILE_BYTES = 256 * 1024;

  @Option(names = "--client-id", paramLabel = "ID",
      description = "X-Plex-Client-Identifier (default: $PLEX_CLIENT_ID, else a stable id kept in"
          + " $PLEX_AUTH_CONFIG_DIR, $XDG_CONFIG_HOME/plex-auth or ~/.config/plex-auth).")
  private String clientId;

  // Text, not an int: picocli's "'x' is not an int" would not say what is valid.
  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "Limit for each call, in whole seconds, more than 0 (default: 60).")
  private String timeout;

  /** The --timeout in seconds, once checked; null without one. */
  private Integer timeoutSeconds;

  @Option(names = "--json", description = "Print one JSON object per operation, secrets included.")
  private boolean json;

  @Option(names = "--allow-http", description = "With connect: probe the source's plain-http"
      + " connections too (after the https ones of each kind); off by default.")
  private boolean allowHttp;

  @Option(names = "--probe-timeout", paramLabel = "MILLIS", description = "With connect: the"
      + " limit of each probe, in milliseconds, more than 0 (default: 3000).")
  private String probeTimeout;

  @Option(names = "--grace-period", paramLabel = "MILLIS", description = "With connect: how long"
      + " better-ranked connections may still answer once a worse-ranked one has, in"
      + " milliseconds, 0 or more (default: 500).")
  private String gracePeriod;

  @Option(names = "--ca-file", paramLabel = "FILE", description = "Also trust the CA"
      + " certificates (PEM) in FILE, beside the system's, for example the ca-file that"
      + " scripts/plex-auth standin prints.")
  private String caFile;

  @Parameters(index = "0", arity = "0..1",
      paramLabel = "token|resources|all|connect|<operationId>",
      completionCandidates = OperationIds.class,
      description = "What to run: token (" + TOKEN_OPERATION + "), resources ("
          + RESOURCES_OPERATION + "), all (the default: both, in that order), connect (reads the"
          + " source's connections, probes them and prints the one to use; exit 5 when none"
          + " works), or any operation of the spec by its operationId: ${COMPLETION-CANDIDATES}."
          + " Its parameters are the --<parameter> options below.")
  private String operation = "all";

  private PlexAuthCli(Map<String, String> env, InputStream stdin, PrintWriter out,
      PrintWriter err, List<SpecOperation> operations) {
    this.env = env;
    this.stdin = stdin;
    this.out = out;
    this.err = err;
    this.operations = operations;
  }

  /**
   * Runs the CLI and exits the JVM with its exit status.
   *
   * @param args the command-line arguments
   */
  public static void main(String[] args) {
    // The file descriptor itself, not System.out: a PrintStream swallows write failures, so
    // run() could not see them.
    PrintWriter out = new PrintWriter(new OutputStreamWriter(
        new java.io.FileOutputStream(java.io.FileDescriptor.out), StandardCharsets.UTF_8));
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8));
    InputStream stdin = StandardInput.closedAtStart() ? null : System.in;
    System.exit(run(args, System.getenv(), stdin, out, err, SpecOperations.all()));
  }

  /**
   * Runs one invocation in-process and returns its exit status; never calls {@link System#exit}.
   * {@code --token-file -} reads {@link System#in}.
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
    return run(args, env, out, err, SpecOperations.all());
  }

  /** As {@link #run(String[], Map, PrintWriter, PrintWriter)}, over the given operations. */
  static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err,
      List<SpecOperation> operations) {
    return run(args, env, System.in, out, err, operations);
  }

  /**
   * As {@link #run(String[], Map, PrintWriter, PrintWriter)}, over the given operations, with
   * {@code stdin} as standard input: null stands for one that was closed when the process started.
   */
  static int run(String[] args, Map<String, String> env, InputStream stdin, PrintWriter out,
      PrintWriter err, List<SpecOperation> operations) {
    PlexAuthCli cli = new PlexAuthCli(env, stdin, out, err, operations);
    try {
      CommandLine commandLine = new CommandLine(cli)
          // Added first, so that the settings below reach it too.
          .addSubcommand(StandInCommand.NAME, new StandInCommand(out, err))
          .setOut(out)
          .setErr(err)
          .setHelpFactory(SpaceWrappingHelp::new)
          .setParameterExceptionHandler(cli::usageError)
          .setExecutionExceptionHandler((e, cmd, parseResult) -> {
            err.println("plex-auth: internal error: " + cli.redact(String.valueOf(e)));
            return INTERNAL_ERROR;
          });
      try {
        cli.addParameterOptions(commandLine.getCommandSpec());
      } catch (IllegalStateException e) {
        err.println("plex-auth: internal error: " + cli.redact(e.getMessage()));
        return INTERNAL_ERROR;
      }
      int status = commandLine.execute(args);
      // PrintWriter keeps write failures to itself: a full disk or a closed pipe must not pass for
      // success.
      if (out.checkError()) {
        err.println("plex-auth: could not write the results to standard output"
            + " (disk full, or the reader went away)");
        return INTERNAL_ERROR;
      }
      return status;
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * Adds one {@code --<name>} option per parameter name of the spec, whose help says which
   * operations take it.
   *
   * @throws IllegalStateException if a parameter's option would be one of the CLI's own
   */
  private void addParameterOptions(CommandSpec command) {
    Map<String, SpecParameter> first = new LinkedHashMap<>();
    Map<String, List<String>> uses = new LinkedHashMap<>();
    for (SpecOperation op : operations) {
      for (SpecParameter parameter : op.parameters()) {
        first.putIfAbsent(parameter.name(), parameter);
        parameterOperations.computeIfAbsent(parameter.name(), name -> new ArrayList<>())
            .add(op.operationId());
        uses.computeIfAbsent(parameter.name(), name -> new ArrayList<>())
            .add(op.operationId() + " (" + (parameter.required() ? "required" : "optional")
                + (parameter.singleValue() == null ? "" : "; its only value: "
                    + parameter.singleValue())
                + ")");
      }
    }
    for (Map.Entry<String, SpecParameter> entry : first.entrySet()) {
      String name = entry.getKey();
      String optionName = "--" + name;
      if (command.optionsMap().containsKey(optionName)) {
        throw new IllegalStateException("the spec parameter '" + name + "' of "
            + String.join(", ", parameterOperations.get(name)) + " clashes with the CLI's own "
            + optionName + " option: rename one of them");
      }
      SpecParameter parameter = entry.getValue();
      String description = (parameter.description() == null ? ""
              : parameter.description().replace("`", "").trim() + " ")
          + "Parameter of " + String.join(", ", uses.get(name)) + "."
          + (parameter.example() == null || parameter.singleValue() != null ? ""
              : " Example: " + optionExample(parameter) + ".")
          + (SOURCE_PARAMETER.equals(name) ? " Without --server: the stand-in's source." : "");
      OptionSpec option = OptionSpec.builder(optionName)
          .paramLabel(name.toUpperCase(Locale.ROOT))
          .type(String.class)
          .arity("1")
          .description(helpText(description))
          .build();
      command.addOption(option);
      parameterOptions.put(name, option);
    }
  }

  /**
   * The spec's example as the option takes it: a flag's example is the wire's 0 or 1, but the
   * option is documented as true or false.
   */
  private static String optionExample(SpecParameter parameter) {
    if (parameter.type() == Boolean.class) {
      try {
        return String.valueOf(Arguments.flag(parameter.example()));
      } catch (IllegalArgumentException e) {
        // Not a flag's text: show it as the spec has it.
      }
    }
    return parameter.example();
  }

  /** Runs the parsed invocation; usage errors found here are thrown as ParameterException. */
  @Override
  public Integer call() {
    List<SpecOperation> chosen = chosenOperations();
    boolean connect = CONNECT.equals(operation.toLowerCase(Locale.ROOT));
    for (String[] connectOnly : new String[][] {{"--allow-http", allowHttp ? "" : null},
        {"--probe-timeout", probeTimeout}, {"--grace-period", gracePeriod}}) {
      if (connectOnly[1] != null && !connect) {
        throw new ParameterException(spec.commandLine(),
            connectOnly[0] + " is an option of connect only");
      }
    }
    long probeMillis = millisOption("--probe-timeout", probeTimeout, 1,
        ConnectionChooser.DEFAULT_PROBE_TIMEOUT_MILLIS);
    long graceMillis = millisOption("--grace-period", gracePeriod, 0,
        ConnectionChooser.DEFAULT_GRACE_PERIOD_MILLIS);
    List<X509Certificate> trusted = caFile == null ? List.of() : readCaFile(caFile);
    checkParameterOptions(chosen);
    timeoutSeconds = timeoutSeconds();
    // Where the token came from, for its messages: the option, the file, standard input.
    String tokenSource = token != null ? "--token" : null;
    if (tokenFile != null) {
      if (token != null) {
        throw new ParameterException(spec.commandLine(),
            "--token and --token-file both give the token: use one");
      }
      token = readTokenFile(tokenFile);
      tokenSource = tokenFile.equals("-") ? "the token on " + STANDARD_INPUT
          : "the token in --token-file " + Arguments.quoted(tokenFile);
    }
    String serverUrl = server != null ? server : envValue("PLEX_SERVER");
    // PLEX_TOKEN belongs to the user's real server: the stand-in knows only its own tokens.
    String callerToken = token != null ? token : serverUrl != null ? envValue("PLEX_TOKEN") : null;
    if (token == null && callerToken != null) {
      tokenSource = "$PLEX_TOKEN";
    }
    String clientIdentifier = clientId != null ? clientId : envValue("PLEX_CLIENT_ID");
    // Each setting is checked by the client's rules and named by where it came from, before
    // anything else is printed.
    String namedServer = serverUrl;
    if (namedServer != null) {
      checkSetting(server != null ? "--server" : "$PLEX_SERVER",
          builder -> builder.baseUrl(namedServer));
    }
    if (callerToken != null) {
      checkSetting(tokenSource, builder -> builder.token(callerToken));
    }
    if (clientIdentifier != null) {
      checkSetting(clientId != null ? "--client-id" : "$PLEX_CLIENT_ID",
          builder -> builder.clientIdentifier(clientIdentifier));
    }
    if (serverUrl != null && callerToken == null) {
      throw new ParameterException(spec.commandLine(),
          "--server needs a token: --token, --token-file or $PLEX_TOKEN (the embedded stand-in's"
              + " token only works with the stand-in)");
    }
    PlexStandIn standIn = serverUrl == null ? PlexStandIn.builder().build() : null;
    okhttp3.OkHttpClient okHttp = null;
    List<Arguments> arguments = new ArrayList<>();
    for (SpecOperation op : chosen) {
      arguments.add(arguments(op, standIn));
    }
    String effectiveToken = callerToken != null ? callerToken : standIn.ownerToken();
    OperationPrinter printer = new OperationPrinter(out, err, json, effectiveToken);
    String effectiveClientIdentifier =
        clientIdentifier != null ? clientIdentifier : storedClientIdentifier(printer);
    try {
      if (standIn != null) {
        try {
          standIn.start();
        } catch (IOException e) {
          printer.diagnostic("could not start the embedded Plex stand-in on loopback: " + e);
          return INTERNAL_ERROR;
        }
        serverUrl = standIn.baseUrl();
      }
      PlexAuthClient client;
      try {
        client = buildClient(serverUrl, effectiveToken, effectiveClientIdentifier,
            okHttp = standIn == null ? serverOkHttp(trusted) : standInOkHttp(standIn, trusted));
      } catch (IllegalArgumentException | NullPointerException e) {
        printer.diagnostic("invalid setting: " + e.getMessage());
        return USAGE;
      }
      try (client) {
        checkArguments(client, chosen, arguments);
        if (standIn != null) {
          printer.diagnostic("no --server given: using the embedded Plex stand-in at " + serverUrl);
        }
        if (connect) {
          return ConnectCommand.run(printer, client, chosen.get(0), arguments.get(0),
              ConnectionChooser.builder(client).allowHttp(allowHttp)
                  .probeTimeout(probeMillis, TimeUnit.MILLISECONDS)
                  .gracePeriod(graceMillis, TimeUnit.MILLISECONDS).build());
        }
        int status = OK;
        // `all` runs every operation, failures included, and exits with the first failure's status.
        for (int i = 0; i < chosen.size(); i++) {
          int outcome = perform(printer, client, chosen.get(i), arguments.get(i));
          status = status == OK ? outcome : status;
        }
        return status;
      } finally {
        printer.finish();
      }
    } finally {
      if (okHttp != null) {
        okHttp.dispatcher().executorService().shutdown();
        okHttp.connectionPool().evictAll();
      }
      if (standIn != null) {
        standIn.close();
      }
    }
  }

  /**
   * What reaches the stand-in's connections as a client reaches a real server's: its plex.direct
   * names resolve as plex.direct's DNS resolves them (to the address in the name), and its
   * certificates are trusted because its own CA is, with hostname verification on.
   */
  private static okhttp3.OkHttpClient standInOkHttp(PlexStandIn standIn,
      List<X509Certificate> trusted) {
    okhttp3.tls.HandshakeCertificates.Builder trust = new okhttp3.tls.HandshakeCertificates.Builder()
        .addTrustedCertificate(okhttp3.tls.Certificates.decodeCertificatePem(standIn.rootCaPem()));
    trusted.forEach(trust::addTrustedCertificate);
    okhttp3.tls.HandshakeCertificates certificates = trust.build();
    return new okhttp3.OkHttpClient.Builder()
        .dns(standIn.dns())
        .sslSocketFactory(certificates.sslSocketFactory(), certificates.trustManager())
        .build();
  }

  /**
   * A real server's: plex.direct names resolved from the name itself ({@link PlexDirectDns}), the
   * system's trust plus any {@code --ca-file} certificates, hostname verification on.
   */
  private static okhttp3.OkHttpClient serverOkHttp(List<X509Certificate> trusted) {
    okhttp3.OkHttpClient.Builder builder = new okhttp3.OkHttpClient.Builder()
        .dns(new PlexDirectDns(okhttp3.Dns.SYSTEM));
    if (!trusted.isEmpty()) {
      okhttp3.tls.HandshakeCertificates.Builder trust =
          new okhttp3.tls.HandshakeCertificates.Builder().addPlatformTrustedCertificates();
      trusted.forEach(trust::addTrustedCertificate);
      okhttp3.tls.HandshakeCertificates certificates = trust.build();
      builder.sslSocketFactory(certificates.sslSocketFactory(), certificates.trustManager());
    }
    return builder.build();
  }

  /** A whole number of milliseconds from {@code min} up to a day, or the default when absent. */
  private long millisOption(String name, String text, long min, long defaultMillis) {
    if (text == null) {
      return defaultMillis;
    }
    if (text.matches("[0-9]{1,9}")) {
      long value = Long.parseLong(text);
      if (value >= min && value <= TimeUnit.DAYS.toMillis(1)) {
        return value;
      }
    }
    throw new ParameterException(spec.commandLine(), name + " must be a whole number of"
        + " milliseconds from " + min + " to " + TimeUnit.DAYS.toMillis(1) + ", got "
        + Arguments.quoted(text));
  }

  /** The CA certificates of a PEM file, read bounded; a usage error names what is wrong. */
  private List<X509Certificate> readCaFile(String name) {
    byte[] bytes;
    try {
      bytes = BoundedFile.read(java.nio.file.Path.of(name), MAX_CA_FILE_BYTES);
    } catch (java.nio.file.InvalidPathException e) {
      throw new ParameterException(spec.commandLine(), "--ca-file " + Arguments.quoted(name)
          + " could not be read: " + e.getClass().getSimpleName());
    } catch (BoundedFile.UnusableFileException e) {
      throw new ParameterException(spec.commandLine(), "--ca-file " + Arguments.quoted(name)
          + " " + e.getMessage());
    }
    if (bytes.length > MAX_CA_FILE_BYTES) {
      throw new ParameterException(spec.commandLine(), "--ca-file " + Arguments.quoted(name)
          + " is larger than " + MAX_CA_FILE_BYTES + " bytes");
    }
    List<X509Certificate> certificates = new ArrayList<>();
    java.util.regex.Matcher pem = java.util.regex.Pattern.compile(
        "-----BEGIN CERTIFICATE-----[^-]*-----END CERTIFICATE-----")
        .matcher(new String(bytes, StandardCharsets.US_ASCII));
    while (pem.find()) {
      try {
        certificates.add(okhttp3.tls.Certificates.decodeCertificatePem(pem.group()));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--ca-file " + Arguments.quoted(name)
            + " holds a certificate that cannot be read: " + e.getMessage());
      }
    }
    if (certificates.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--ca-file " + Arguments.quoted(name)
          + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return certificates;
  }


  private Integer timeoutSeconds() {
    if (timeout == null) {
      return null;
    }
    Integer seconds = null;
    if (timeout.matches("[0-9]{1,10}")) {
      long value = Long.parseLong(timeout);
      seconds = value >= 1 && value <= MAX_TIMEOUT_SECONDS ? (int) value : null;
    }
    if (seconds == null) {
      throw new ParameterException(spec.commandLine(), "--timeout must be a whole number of"
          + " seconds from 1 to " + MAX_TIMEOUT_SECONDS + ", got " + Arguments.quoted(timeout));
    }
    return seconds;
  }

  private List<SpecOperation> chosenOperations() {
    switch (operation.toLowerCase(Locale.ROOT)) {
      case "token":
        return List.of(shortcut(TOKEN_OPERATION));
      case "resources":
        return List.of(shortcut(RESOURCES_OPERATION));
      case "all":
        return List.of(shortcut(TOKEN_OPERATION), shortcut(RESOURCES_OPERATION));
      case CONNECT:
        return List.of(shortcut(RESOURCES_OPERATION));
      default:
        SpecOperation op = find(operation);
        if (op == null) {
          throw new ParameterException(spec.commandLine(), "unknown operation '" + operation
              + "': expected token, resources, all, connect or an operationId of the spec: "
              + operations.stream().map(SpecOperation::operationId)
                  .collect(Collectors.joining(", ")));
        }
        return List.of(op);
    }
  }

  private SpecOperation shortcut(String operationId) {
    SpecOperation op = find(operationId);
    if (op == null) {
      throw new IllegalStateException("the spec has no operation " + operationId
          + ", which '" + operation + "' runs");
    }
    return op;
  }

  private SpecOperation find(String operationId) {
    for (SpecOperation op : operations) {
      if (op.operationId().equals(operationId)) {
        return op;
      }
    }
    return null;
  }

  /** Refuses a parameter option that none of the chosen operations takes. */
  private void checkParameterOptions(List<SpecOperation> chosen) {
    for (Map.Entry<String, OptionSpec> entry : parameterOptions.entrySet()) {
      if (!given(entry.getValue())) {
        continue;
      }
      String name = entry.getKey();
      boolean taken = chosen.stream().anyMatch(op -> op.parameter(name) != null);
      if (!taken) {
        throw new ParameterException(spec.commandLine(), "--" + name + " is not a parameter of "
            + chosen.stream().map(SpecOperation::operationId).collect(Collectors.joining(" or "))
            + " (only of " + String.join(", ", parameterOperations.get(name)) + ")");
      }
    }
  }

  /**
   * The arguments of one operation: the options given, else a required parameter's only value,
   * else (without a server) the stand-in's default.
   */
  private Arguments arguments(SpecOperation op, PlexStandIn standIn) {
    Arguments args = new Arguments();
    for (SpecParameter parameter : op.parameters()) {
      OptionSpec option = parameterOptions.get(parameter.name());
      String value = given(option) ? option.getValue() : null;
      if (value == null && parameter.required()) {
        value = parameter.singleValue() != null ? parameter.singleValue()
            : standIn != null && SOURCE_PARAMETER.equals(parameter.name())
                ? standIn.defaultSource() : null;
        if (value == null) {
          throw new ParameterException(spec.commandLine(), op.operationId() + " needs --"
              + parameter.name() + (standIn == null ? " with --server" : "")
              + (parameter.example() == null ? ""
                  : ", for example --" + parameter.name() + " " + optionExample(parameter)));
        }
      }
      if (value != null) {
        args.put(parameter.name(), value);
      }
    }
    return args;
  }

  /**
   * Checks every chosen operation's arguments before anything is sent, with the client's own
   * checks: each operation is called on a closed client with the same settings, which runs the
   * argument conversion and the generated checks and then refuses to send.
   */
  private void checkArguments(PlexAuthClient client, List<SpecOperation> chosen,
      List<Arguments> arguments) {
    PlexAuthClient closed = client.newBuilder().build();
    closed.close();
    for (int i = 0; i < chosen.size(); i++) {
      SpecOperation op = chosen.get(i);
      try {
        op.call().call(closed, arguments.get(i));
      } catch (IllegalStateException e) {
        // The closed client refused to send: the arguments passed every check before that.
        continue;
      } catch (Arguments.InvalidValueException e) {
        throw new ParameterException(spec.commandLine(), "--" + e.parameter() + " must be "
            + e.expected() + ", got " + Arguments.quoted(e.text()));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new ParameterException(spec.commandLine(),
            "invalid arguments for " + op.operationId() + ": " + e.getMessage());
      }
      throw new IllegalStateException("a closed client did not refuse " + op.operationId());
    }
  }

  /**
   * The token on the first line of a file, read bounded by {@link BoundedFile} (a FIFO or device
   * is refused rather than read, and a file longer than any token is refused), or on the first
   * line of standard input for {@code -}, read by {@link StandardInput#firstLine} up to its first
   * line feed and no further.
   */
  private String readTokenFile(String name) {
    if (name.equals("-")) {
      return tokenFromStandardInput();
    }
    byte[] bytes;
    try {
      bytes = BoundedFile.read(java.nio.file.Path.of(name), MAX_TOKEN_FILE_BYTES);
    } catch (java.nio.file.InvalidPathException e) {
      throw new ParameterException(spec.commandLine(), "--token-file " + Arguments.quoted(name)
          + " could not be read: " + e.getClass().getSimpleName());
    } catch (BoundedFile.UnusableFileException e) {
      throw new ParameterException(spec.commandLine(), "--token-file " + Arguments.quoted(name)
          + " " + e.getMessage());
    }
    if (bytes.length > MAX_TOKEN_FILE_BYTES) {
      throw new ParameterException(spec.commandLine(), "--token-file " + Arguments.quoted(name)
          + " is longer than any Plex token (more than " + MAX_TOKEN_FILE_BYTES + " bytes)");
    }
    int end = 0;
    while (end < bytes.length && bytes[end] != '\n') {
      end++;
    }
    return firstLineToken(bytes, end, "--token-file " + Arguments.quoted(name));
  }

  /**
   * The token on the first line of standard input. No time limit: what writes it may be a person
   * at a terminal or a password manager asking one for a passphrase.
   */
  private String tokenFromStandardInput() {
    String source = STANDARD_INPUT;
    if (stdin == null) {
      throw new ParameterException(spec.commandLine(), source
          + " is closed: give the token on it, or name a file");
    }
    StandardInput.Line line;
    try {
      line = StandardInput.firstLine(stdin, MAX_TOKEN_FILE_BYTES);
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), source + " could not be read: "
          + BoundedFile.describe(e));
    }
    if (line.bytes().length > MAX_TOKEN_FILE_BYTES) {
      throw new ParameterException(spec.commandLine(), source + " has a first line longer than"
          + " any Plex token (more than " + MAX_TOKEN_FILE_BYTES + " bytes before a line feed)");
    }
    if (line.bytes().length == 0 && !line.ended()) {
      throw new ParameterException(spec.commandLine(), source
          + " is empty: it ended before any token");
    }
    return firstLineToken(line.bytes(), line.bytes().length, source);
  }

  /**
   * The token in the first {@code end} bytes, a line without its line feed: the spaces, tabs and
   * carriage returns around it are not part of it, as around a client identifier in its file.
   */
  private String firstLineToken(byte[] bytes, int end, String source) {
    int start = 0;
    while (start < end && isPadding(bytes[start])) {
      start++;
    }
    while (end > start && isPadding(bytes[end - 1])) {
      end--;
    }
    if (start == end) {
      throw new ParameterException(spec.commandLine(), source + " has no token on its first line");
    }
    return new String(bytes, start, end - start, StandardCharsets.UTF_8);
  }

  private static boolean isPadding(byte b) {
    return b == ' ' || b == '\t' || b == '\r';
  }

  /**
   * Checks one setting by the client's own rules, so that a bad value is reported as its source's:
   * the option, the token's file or standard input, or the variable (the rules' messages never
   * quote a token).
   */
  private void checkSetting(String source, Consumer<PlexAuthClient.Builder> setting) {
    PlexAuthClient.Builder builder = PlexAuthClient.builder()
        .baseUrl("http://127.0.0.1/").token("placeholder-token").clientIdentifier("placeholder");
    try {
      setting.accept(builder);
      builder.build().close();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ParameterException(spec.commandLine(),
          source + " is not usable: " + redact(String.valueOf(e.getMessage())));
    }
  }

  private boolean given(OptionSpec option) {
    return option != null && spec.commandLine().getParseResult().hasMatchedOption(option);
  }

  /** The stable client identifier of {@link ClientIdentifierStore}, created on first use. */
  private String storedClientIdentifier(OperationPrinter printer) {
    ClientIdentifierStore store = null;
    try {
      store = ClientIdentifierStore.fromEnvironment(env, System.getProperty("user.home"));
      return store.loadOrCreate();
    } catch (ClientIdentifierStore.UnusableException e) {
      // A bad file, or a bad $PLEX_AUTH_CONFIG_DIR, is the user's to fix: nothing is sent.
      throw new ParameterException(spec.commandLine(), e.getMessage());
    } catch (IOException e) {
      // A read-only home should not stop the job; the owner just sees a new device this once.
      printer.diagnostic("could not store a client identifier in " + store.file() + " ("
          + BoundedFile.describe(e) + "); using a new one for this run only, pass --client-id to"
          + " keep one");
      return UUID.randomUUID().toString();
    }
  }

  private PlexAuthClient buildClient(String serverUrl, String callerToken, String clientIdentifier,
      okhttp3.OkHttpClient okHttpClient) {
    PlexAuthClient.Builder builder = PlexAuthClient.builder()
        .okHttpClient(okHttpClient)
        .baseUrl(serverUrl)
        .token(callerToken)
        .clientIdentifier(clientIdentifier)
        .product(PRODUCT)
        .version(VERSION);
    if (timeoutSeconds != null) {
      Duration limit = Duration.ofSeconds(timeoutSeconds);
      // The per-read and per-write limits follow so that they never cut in before the call's.
      builder.callTimeout(limit).readTimeout(limit).writeTimeout(limit);
    }
    return builder.build();
  }

  static int perform(
      OperationPrinter printer, PlexAuthClient client, SpecOperation op, Arguments args) {
    Object result;
    try {
      result = op.call().call(client, args);
    } catch (RuntimeException e) {
      int status = exitStatus(e);
      if (status == INTERNAL_ERROR) {
        throw e;
      }
      printer.failure(op.operationId(), e);
      return status;
    }
    printer.result(op.operationId(), result);
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

  /**
   * Redacts both the --token value (set even when parsing failed later) and $PLEX_TOKEN, and
   * escapes control characters, for a diagnostic line.
   */
  private String redact(String text) {
    return ControlCharacters.escape(
        OperationPrinter.redact(OperationPrinter.redact(text, token), env.get("PLEX_TOKEN")));
  }

  /** Keeps text from the spec literal in the help, which picocli formats and interpolates. */
  private static String helpText(String text) {
    return text.replace("%", "%%").replace("${", "$${");
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

  /** The usage help, with the option and parameter lists laid out by {@link SpaceWrappingTable}. */
  static final class SpaceWrappingHelp extends CommandLine.Help {
    SpaceWrappingHelp(CommandSpec command, ColorScheme colorScheme) {
      super(command, colorScheme);
    }

    @Override
    public Layout createDefaultLayout(List<OptionSpec> options,
        List<PositionalParamSpec> positionals, ColorScheme colorScheme) {
      Layout layout = super.createDefaultLayout(options, positionals, colorScheme);
      TextTable table = layout.textTable();
      return new Layout(colorScheme, new SpaceWrappingTable(colorScheme, table),
          layout.optionRenderer(), layout.parameterRenderer());
    }
  }

  /**
   * picocli's table, but a wrapped column breaks lines only at spaces: picocli's own line breaking
   * also breaks after a colon, which split {@code server://<id>} and {@code http://host:32400}
   * across lines, so that they could not be copied from the help. A word longer than the column
   * is still broken by picocli.
   */
  static final class SpaceWrappingTable extends TextTable {
    private final ColorScheme colorScheme;

    SpaceWrappingTable(ColorScheme colorScheme, TextTable like) {
      super(colorScheme, like.columns());
      this.colorScheme = colorScheme;
      indentWrappedLines = like.indentWrappedLines;
      setAdjustLineBreaksForWideCJKCharacters(like.isAdjustLineBreaksForWideCJKCharacters());
    }

    @Override
    public Cell putValue(int row, int col, Text value) {
      Column column = columns()[col];
      if (column.overflow != Column.Overflow.WRAP || value == null
          || !textAt(row, col).plainString().isEmpty()) {
        return super.putValue(row, col, value);
      }
      String plain = value.plainString();
      int width = column.width - column.indent;
      int start = 0;
      Cell cell = null;
      while (start < plain.length()) {
        int end = lineEnd(plain, start, width);
        Text line = value.substring(start, end);
        if (cell == null) {
          cell = super.putValue(row, col, line);
        } else {
          addEmptyRow();
          cell = super.putValue(rowCount() - 1, col,
              colorScheme.text(" ".repeat(indentWrappedLines)).concat(line));
        }
        width = column.width - column.indent - indentWrappedLines;
        start = end;
        while (start < plain.length() && plain.charAt(start) == ' ') {
          start++;
        }
      }
      return cell == null ? super.putValue(row, col, value) : cell;
    }

    /** Where the line from start ends: after the last word that fits, else after its first word. */
    private static int lineEnd(String plain, int start, int width) {
      if (plain.length() - start <= width) {
        return plain.length();
      }
      int space = plain.lastIndexOf(' ', start + width);
      if (space <= start) {
        space = plain.indexOf(' ', start);
      }
      return space < 0 ? plain.length() : space;
    }
  }

  /** The operationIds of the spec, for the help of the operation parameter. */
  static final class OperationIds implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return SpecOperations.all().stream().map(SpecOperation::operationId).iterator();
    }
  }

  /**
   * An unset or empty variable counts as absent, as {@code PLEX_TOKEN= cmd} intends; any other
   * value, whitespace only included, is the user's setting, which the client's rules then check.
   */
  private String envValue(String name) {
    String value = env.get(name);
    return value == null || value.isEmpty() ? null : value;
  }
}
