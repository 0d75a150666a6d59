package dev.plexauth.bench;

import dev.plexauth.model.TransientToken;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The program {@link ColdStartBenchmark} launches in a fresh JVM: gets one transient token from the
 * server with the SDK ({@code sdk}), with Retrofit and converter-moshi by hand ({@code retrofit},
 * {@link HandRetrofitPlex}) or with raw OkHttp and Moshi ({@code raw}), prints {@code ok} (never
 * the token) and exits. Exit status 0 on success, 1 when the answer had no transient token,
 * 2 on bad arguments.
 */
public final class ColdStartMain {
  /** The sides a launch can take, as named on its command line. */
  static final List<String> SIDES = List.of("sdk", "retrofit", "raw");

  private ColdStartMain() {}

  /**
   * Runs one launch.
   *
   * @param args {@code sdk|retrofit|raw <server base URL>}
   * @throws Exception when the call fails (the stack trace goes to stderr, exit status 1)
   */
  public static void main(String[] args) throws Exception {
    HttpUrl server = args.length == 2 ? HttpUrl.parse(args[1]) : null;
    if (server == null || !SIDES.contains(args[0])) {
      System.err.println("usage: ColdStartMain sdk|retrofit|raw <server base URL>");
      System.exit(2);
    }
    TransientToken token = args[0].equals("sdk") ? sdk(server)
        : args[0].equals("retrofit") ? retrofit(server) : raw(server);
    if (token.token() == null || token.token().isEmpty()) {
      System.err.println("the answer had no transient token");
      System.exit(1);
    }
    System.out.println("ok");
    System.out.flush();
    // Not measured: the launcher has stopped its clock at "ok".
    System.exit(0);
  }

  // Neither client is closed: the JVM exits right after "ok", and closing is not measured.
  private static TransientToken sdk(HttpUrl server) {
    return BenchClients.sdk(server).build().getTransientToken();
  }

  private static TransientToken retrofit(HttpUrl server) throws Exception {
    return new HandRetrofitPlex(HandRetrofitPlex.okHttpClient().build(), server).transientToken();
  }

  private static TransientToken raw(HttpUrl server) throws Exception {
    return new RawPlex(new OkHttpClient(), server).transientToken();
  }
}
