package dev.plexauth.bench;

import dev.plexauth.PlexAuthClient;
import okhttp3.HttpUrl;

/**
 * The SDK client every benchmark and the cold-start launch use: the caller's values, otherwise the
 * defaults. Kept apart from {@link Fixtures}, whose fixture files a cold-start launch must not read.
 */
final class BenchClients {
  private BenchClients() {}

  static PlexAuthClient.Builder sdk(HttpUrl server) {
    return PlexAuthClient.builder()
        .baseUrl(server)
        .token(Fixtures.TOKEN)
        .clientIdentifier(Fixtures.CLIENT_IDENTIFIER)
        .product(Fixtures.PRODUCT)
        .version(Fixtures.VERSION);
  }
}
