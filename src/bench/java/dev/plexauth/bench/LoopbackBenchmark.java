package dev.plexauth.bench;

import dev.plexauth.PlexAuthClient;
import dev.plexauth.model.SourceConnectionInformation;
import dev.plexauth.model.TransientToken;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
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
 * Issue 6 (b): both operations end to end over loopback HTTP against {@link LoopbackServer}, SDK
 * and raw, each with its own default OkHttp client (connection pool included). {@link BenchMain}
 * runs it twice: one thread for latency (average time) and 16 threads for throughput.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LoopbackBenchmark {
  LoopbackServer server;
  PlexAuthClient sdk;
  RawPlex raw;
  OkHttpClient rawClient;

  @Setup
  public void setUp() {
    server = new LoopbackServer();
    sdk = InMemoryBenchmark.sdkBuilder(server.url()).build();
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

  @Benchmark
  public TransientToken sdkTransientToken() {
    return sdk.getTransientToken();
  }

  @Benchmark
  public TransientToken rawTransientToken() throws IOException {
    return raw.transientToken();
  }

  @Benchmark
  public SourceConnectionInformation sdkSourceConnectionInformation() {
    return sdk.getSourceConnectionInformation(Fixtures.SOURCE);
  }

  @Benchmark
  public SourceConnectionInformation rawSourceConnectionInformation() throws IOException {
    return raw.sourceConnectionInformation(Fixtures.SOURCE);
  }
}
