package dev.plexauth.bench;

import dev.plexauth.PlexAuthClient;
import dev.plexauth.model.SourceConnectionInformation;
import dev.plexauth.model.TransientToken;
import java.io.IOException;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * The four measured calls every side-by-side benchmark makes: both operations through the SDK and
 * through {@link RawPlex}. Subclasses set up {@link #sdk} and {@link #raw} in their
 * {@code @Setup}; JMH generates the benchmarks for each concrete subclass.
 */
public abstract class OperationPair {
  PlexAuthClient sdk;
  RawPlex raw;

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
