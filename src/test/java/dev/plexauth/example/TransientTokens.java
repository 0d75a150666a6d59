package dev.plexauth.example;

import dev.plexauth.PlexAuthClient;
import dev.plexauth.TransientTokenCache;
import dev.plexauth.model.TransientToken;
import java.util.concurrent.TimeUnit;

/**
 * The README's example of {@link TransientTokenCache}, outside the SDK's package so that it can
 * only use the public API. {@code TransientTokenCacheReadmeTest} runs it against the embedded Plex
 * stand-in, across a restart, and checks that the README shows each block between the README
 * markers verbatim.
 */
public final class TransientTokens {
  private TransientTokens() {}

  /** Another device (a cast target, a companion app) that is handed a transient token. */
  public interface Device {
    /**
     * Hands the device a token.
     *
     * @return false if the server refused the token (401 or 403), true if it worked
     */
    boolean accept(String transientToken);
  }

  /** The cache, made once beside the client. */
  public static TransientTokenCache cacheFor(PlexAuthClient client) {
    // README-START
    TransientTokenCache tokens = TransientTokenCache.builder(client)
        .maxAge(6, TimeUnit.HOURS)  // optional: default 12 h; always under the token's 48 h life
        .build();                   // thread-safe: share it, as the client
    // README-END
    return tokens;
  }

  /** Hands a device the cached token, minting a new one if the server refused it. */
  public static void handOver(TransientTokenCache tokens, Device device) {
    // README-START
    TransientToken token = tokens.token();  // mints on the first ask, then reuses it
    if (!device.accept(token.token())) {    // refused (401 or 403): the server restarted
      tokens.invalidate(token);             // so the next ask mints a new one
      device.accept(tokens.token().token());
    }
    // README-END
  }
}
