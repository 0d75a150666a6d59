package dev.plexauth.tools.standin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tokens the stand-in accepts: two fixed ones and the transient ones it minted.
 *
 * <p>Thread-safe: handler threads mint and look up concurrently.
 */
final class TokenStore {
  /** How long PMS keeps a transient token. */
  static final Duration TRANSIENT_LIFETIME = Duration.ofHours(48);

  /** Sweeping expired tokens on every mint would make minting O(n); this amortises it. */
  private static final long SWEEP_EVERY = 1024;

  /** What a token may do; a transient token gets the level of the token that minted it. */
  enum Access {
    /** The server owner (admin): may call every operation. */
    OWNER,
    /** A user the server is shared with: may not call {@code /security/resources}. */
    SHARED
  }

  private static final class Grant {
    final Access access;
    final Instant expiresAt;

    Grant(Access access, Instant expiresAt) {
      this.access = access;
      this.expiresAt = expiresAt;
    }
  }

  private final Clock clock;
  private final String ownerToken;
  private final String sharedUserToken;
  private final ConcurrentMap<String, Grant> transients = new ConcurrentHashMap<>();
  private final AtomicLong minted = new AtomicLong();

  TokenStore(Clock clock, String ownerToken, String sharedUserToken) {
    this.clock = clock;
    this.ownerToken = ownerToken;
    this.sharedUserToken = sharedUserToken;
  }

  /**
   * Returns the access level of a token, or null when it is missing, unknown or expired (all of
   * which PMS answers with the same 401).
   */
  Access access(String token) {
    if (token == null || token.isEmpty()) {
      return null;
    }
    if (token.equals(ownerToken)) {
      return Access.OWNER;
    }
    if (token.equals(sharedUserToken)) {
      return Access.SHARED;
    }
    Grant grant = transients.get(token);
    if (grant == null) {
      return null;
    }
    if (!clock.instant().isBefore(grant.expiresAt)) {
      // Two-argument remove: a concurrent restart() plus re-mint can never reuse a UUID, but this
      // keeps the removal exact anyway.
      transients.remove(token, grant);
      return null;
    }
    return grant.access;
  }

  /** Mints a new transient token with the given access level, valid for 48 hours from now. */
  String mint(Access access) {
    Instant now = clock.instant();
    if (minted.incrementAndGet() % SWEEP_EVERY == 0) {
      transients.values().removeIf(g -> !now.isBefore(g.expiresAt));
    }
    String token = "transient-" + UUID.randomUUID();
    transients.put(token, new Grant(access, now.plus(TRANSIENT_LIFETIME)));
    return token;
  }

  /** Forgets every transient token, as a PMS restart does. */
  void forgetTransients() {
    transients.clear();
  }
}
