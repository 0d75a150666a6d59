package dev.plexauth.bench;

import dev.plexauth.PlexAuthClient;
import dev.plexauth.model.SourceConnectionInformation;
import dev.plexauth.model.TransientToken;
import java.io.IOException;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * The six measured calls every side-by-side benchmark makes: both operations through the SDK,
 * through {@link HandRetrofitPlex} (Retrofit and converter-moshi by hand) and through {@link
 * RawPlex} (raw OkHttp and Moshi). Subclasses set up {@link #sdk}, {@link #retrofit} and {@link
 * #raw} in their {@code @Setup}; JMH generates the benchmarks for each concrete subclass. The
 * methods are named {@code <side><Operation>}, which is how {@link BenchMain} finds their results.
 */
public abstract class OperationSides {
  PlexAuthClient sdk;
  HandRetrofitPlex retrofit;
  RawPlex raw;

  @Benchmark
  public TransientToken sdkTransientToken() {
    return sdk.getTransientToken();
  }

  @Benchmark
  public TransientToken retrofitTransientToken() throws IOException {
    return retrofit.transientToken();
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
  public SourceConnectionInformation retrofitSourceConnectionInformation() throws IOException {
    return retrofit.sourceConnectionInformation(Fixtures.SOURCE);
  }

  @Benchmark
  public SourceConnectionInformation rawSourceConnectionInformation() throws IOException {
    return raw.sourceConnectionInformation(Fixtures.SOURCE);
  }
}
