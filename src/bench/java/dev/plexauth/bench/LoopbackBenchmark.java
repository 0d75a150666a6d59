package dev.plexauth.bench;

import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Both operations end to end over loopback HTTP against {@link LoopbackServer}: the SDK with its
 * defaults, {@link HandRetrofitPlex} with the OkHttp client of {@link HandRetrofitPlex#okHttpClient()}
 * and {@link RawPlex} with a default OkHttp client, each client its own (connection pool included).
 * {@link BenchMain} runs it twice: one thread for latency (average time, with JMH's gc profiler for
 * the whole JVM's allocation per call, server included) and 16 threads for throughput.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LoopbackBenchmark extends OperationSides {
  LoopbackServer server;
  OkHttpClient retrofitClient;
  OkHttpClient rawClient;

  @Setup
  public void setUp() {
    server = new LoopbackServer();
    sdk = BenchClients.sdk(server.url()).build();
    retrofitClient = HandRetrofitPlex.okHttpClient().build();
    retrofit = new HandRetrofitPlex(retrofitClient, server.url());
    rawClient = new OkHttpClient();
    raw = new RawPlex(rawClient, server.url());
  }

  @TearDown
  public void tearDown() {
    sdk.close();
    for (OkHttpClient client : new OkHttpClient[] {retrofitClient, rawClient}) {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
    server.close();
  }
}
