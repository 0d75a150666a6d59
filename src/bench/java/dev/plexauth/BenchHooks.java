package dev.plexauth;

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
}
