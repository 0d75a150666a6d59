package dev.plexauth.bench;

import dev.plexauth.BenchHooks;
import dev.plexauth.PlexAuthClient;
import dev.plexauth.model.SourceConnectionInformation;
import dev.plexauth.model.TransientToken;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What one call costs in CPU time and allocated bytes with no network at all. The SDK, {@link
 * HandRetrofitPlex} and {@link RawPlex} are all answered by the same {@link FixtureInterceptor},
 * after all of their own interceptors; run with JMH's gc profiler for bytes per operation. The SDK
 * and the hand-written Retrofit client both have a 60 s call timeout, raw OkHttp has none; the SDK
 * is also measured with {@code callTimeout(ZERO)}, to compare with raw like for like.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InMemoryBenchmark extends OperationSides {
  PlexAuthClient sdkNoCallTimeout;
  static final HttpUrl SERVER = HttpUrl.get("http://plex.invalid:32400/");

  /** Builds every client once; nothing is set up per call. */
  @Setup
  public void setUp() {
    FixtureInterceptor answers = new FixtureInterceptor();
    sdk = BenchHooks.answeredBy(BenchClients.sdk(SERVER), answers).build();
    sdkNoCallTimeout =
        BenchHooks.answeredBy(BenchClients.sdk(SERVER).callTimeout(Duration.ZERO), answers).build();
    retrofit =
        new HandRetrofitPlex(HandRetrofitPlex.okHttpClient().addInterceptor(answers).build(), SERVER);
    raw = new RawPlex(new OkHttpClient.Builder().addInterceptor(answers).build(), SERVER);
  }

  @TearDown
  public void tearDown() {
    sdk.close();
    sdkNoCallTimeout.close();
  }

  /**
   * The SDK without its default 60 s call timeout: shows what that timeout costs in memory, where
   * entering okio's timeout queue and waking its watchdog thread is most of a call's overhead.
   */
  @Benchmark
  public TransientToken sdkNoCallTimeoutTransientToken() {
    return sdkNoCallTimeout.getTransientToken();
  }

  @Benchmark
  public SourceConnectionInformation sdkNoCallTimeoutSourceConnectionInformation() {
    return sdkNoCallTimeout.getSourceConnectionInformation(Fixtures.SOURCE);
  }
}
