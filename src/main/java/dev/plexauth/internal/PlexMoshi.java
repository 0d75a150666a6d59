package dev.plexauth.internal;

import com.squareup.moshi.Moshi;
import dev.plexauth.model.PlexModelAdapters;

/**
 * The one {@link Moshi} that reads Plex answers: the generated adapter of every model (which read
 * loose values through {@link PlexJsonReaders}), and nothing reflective. Immutable and
 * thread-safe, and it caches its adapters, so it is shared.
 */
public final class PlexMoshi {
  private static final Moshi MOSHI = new Moshi.Builder().add(PlexModelAdapters.FACTORY).build();

  private PlexMoshi() {}

  /**
   * Returns the shared instance.
   *
   * @return the Moshi instance with the generated adapters, never null
   */
  public static Moshi moshi() {
    return MOSHI;
  }
}
