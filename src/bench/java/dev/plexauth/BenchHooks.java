package dev.plexauth;

import java.time.Duration;
import java.util.List;
import okhttp3.Interceptor;

/** Reaches the builder's package-private hooks from the benchmarks' package. */
public final class BenchHooks {
  private BenchHooks() {}

  /**
   * Has every request of the client answered by {@code transport} in memory, after all of the
   * SDK's interceptors (see {@code PlexAuthClient.Builder#transport}).
   *
   * @param builder the builder to change
   * @param transport answers instead of the network; must not call {@code chain.proceed}
   * @return the same builder
   */
  public static PlexAuthClient.Builder answeredBy(
      PlexAuthClient.Builder builder, Interceptor transport) {
    return builder.transport(transport);
  }

  /**
   * The SDK's default timeouts, which the hand-written Retrofit baseline is given too.
   *
   * @return connect, read, write and call timeout, in that order
   */
  public static List<Duration> defaultTimeouts() {
    return List.of(Duration.ofMillis(PlexAuthConfig.DEFAULT_CONNECT_TIMEOUT_MILLIS),
        Duration.ofMillis(PlexAuthConfig.DEFAULT_READ_TIMEOUT_MILLIS),
        Duration.ofMillis(PlexAuthConfig.DEFAULT_WRITE_TIMEOUT_MILLIS),
        Duration.ofMillis(PlexAuthConfig.DEFAULT_CALL_TIMEOUT_MILLIS));
  }
}
