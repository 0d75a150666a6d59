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
 * Issue 6 (b): both operations end to end over loopback HTTP against {@link LoopbackServer}, SDK
 * and raw, each with its own default OkHttp client (connection pool included). {@link BenchMain}
 * runs it twice: one thread for latency (average time) and 16 threads for throughput.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LoopbackBenchmark extends OperationPair {
  LoopbackServer server;
  OkHttpClient rawClient;

  @Setup
  public void setUp() {
    server = new LoopbackServer();
    sdk = BenchClients.sdk(server.url()).build();
    rawClient = new OkHttpClient();
    raw = new RawPlex(rawClient, server.url());
  }

  @TearDown
  public void tearDown() {
    sdk.close();
    rawClient.dispatcher().executorService().shutdown();
    rawClient.connectionPool().evictAll();
    server.close();
  }
}
