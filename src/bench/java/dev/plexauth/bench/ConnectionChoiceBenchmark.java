package dev.plexauth.bench;

import dev.plexauth.ConnectionChoice;
import dev.plexauth.ConnectionChooser;
import dev.plexauth.PlexAuthClient;
import dev.plexauth.model.SourceConnectionInformation;
import dev.plexauth.tools.standin.PlexStandIn;
import dev.plexauth.tools.standin.StandInCandidate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.tls.HandshakeCertificates;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What choosing a connection costs, from {@code choose} to the choice, against the embedded
 * stand-in's real loopback connections (plex.direct TLS, verified by name), with a warm chooser
 * whose probes reuse pooled TLS connections. Scenarios: {@code one} (a single local connection
 * that answers at once: the bare cost of a probe round), {@code slowBest} (the local connection
 * answers after 100 ms, a remote one at once: the choice follows the slow one), {@code
 * stalledBest} (the local connection never answers, a remote one does at once: the choice waits out
 * the 500 ms grace period) and {@code standInDefault} (the stand-in's seven connections, as
 * {@code scripts/plex-auth connect} sees them). Run alone: not part of {@code scripts/bench}'s
 * report.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConnectionChoiceBenchmark {
  @Param({"one", "slowBest", "stalledBest", "standInDefault"})
  public String scenario;

  private PlexStandIn plex;
  private OkHttpClient okHttp;
  private PlexAuthClient client;
  private ConnectionChooser chooser;
  private SourceConnectionInformation source;

  @Setup
  public void setUp() {
    PlexStandIn.Builder builder = PlexStandIn.builder();
    switch (scenario) {
      case "one":
        builder.candidates(List.of(StandInCandidate.answering()));
        break;
      case "slowBest":
        builder.candidates(List.of(StandInCandidate.slow(Duration.ofMillis(100)),
            StandInCandidate.answering().remote()));
        break;
      case "stalledBest":
        builder.candidates(List.of(StandInCandidate.stalled(),
            StandInCandidate.answering().remote()));
        break;
      default:
        break;
    }
    try {
      plex = builder.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HandshakeCertificates trust = plex.clientCertificates();
    okHttp = new OkHttpClient.Builder().dns(plex.dns())
        .sslSocketFactory(trust.sslSocketFactory(), trust.trustManager()).build();
    client = PlexAuthClient.builder().baseUrl(plex.baseUrl()).token(plex.ownerToken())
        .clientIdentifier("connection-choice-benchmark").okHttpClient(okHttp).build();
    chooser = ConnectionChooser.of(client);
    source = client.getSourceConnectionInformation(plex.defaultSource());
  }

  @Benchmark
  public ConnectionChoice choose() {
    return chooser.choose(source);
  }

  @TearDown
  public void tearDown() {
    client.close();
    okHttp.dispatcher().executorService().shutdown();
    okHttp.connectionPool().evictAll();
    plex.close();
  }
}
