package dev.plexauth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * None of a source's connections answered as the source: {@link ConnectionChooser} found nothing
 * to use. {@link #candidates()} lists every candidate with why it failed (refused, timed out, TLS,
 * another server, http not allowed, ...), and the message says the same in one line per
 * candidate. Holds no token. Immutable and thread-safe.
 *
 * <p>What to do: read the source's connection information again with {@code refresh} (the
 * server's addresses may have changed), allow http if the network is trusted, or try later.
 */
public final class PlexNoConnectionException extends PlexException {
  private static final long serialVersionUID = 1L;

  /** The message names this many candidates at most; {@link #candidates()} has them all. */
  static final int MAX_LISTED = 20;

  private final transient List<ConnectionCandidate> candidates;

  PlexNoConnectionException(String source, List<ConnectionCandidate> candidates) {
    super(message(source, candidates), null);
    this.candidates = Collections.unmodifiableList(new ArrayList<>(candidates));
  }

  /**
   * Every candidate, in rank order, with its outcome.
   *
   * @return an unmodifiable list, empty when the source lists no connection; never null
   */
  public List<ConnectionCandidate> candidates() {
    // The list is not serialized: a deserialized exception has its message only.
    return candidates == null ? Collections.<ConnectionCandidate>emptyList() : candidates;
  }

  private static String message(String source, List<ConnectionCandidate> candidates) {
    if (candidates.isEmpty()) {
      return "no connection of " + source + " to choose: the source lists none";
    }
    StringBuilder message = new StringBuilder("no connection of ").append(source)
        .append(" answered as that server (").append(candidates.size())
        .append(candidates.size() == 1 ? " candidate)" : " candidates)");
    for (ConnectionCandidate candidate : candidates) {
      if (candidate.rank() > MAX_LISTED) {
        message.append("; and ").append(candidates.size() - MAX_LISTED)
            .append(" more (see candidates())");
        break;
      }
      message.append(candidate.rank() == 1 ? ": " : "; ").append(candidate.rank()).append(". ")
          .append(candidate.uri() == null ? "(no usable uri)" : candidate.uri())
          .append(": ").append(candidate.outcome().label());
      if (candidate.detail() != null) {
        message.append(" (").append(candidate.detail()).append(')');
      }
    }
    return message.toString();
  }
}
