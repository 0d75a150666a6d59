package dev.plexauth.internal;

import com.squareup.moshi.Moshi;
import dev.plexauth.model.SourceConnectionInformation;
import java.util.Set;

/**
 * The one {@link Moshi} that reads Plex answers, with every tolerant adapter registered here and
 * nowhere else.
 *
 * <p>Real Plex payloads are looser than the spec: {@code Device} comes as an object or a one-element
 * array, {@code Connection} as an object or an array, flags as {@code true}/{@code false}, {@code 1}/{@code 0} or
 * {@code "1"}/{@code "0"}, numbers as strings. Unknown fields are ignored (Moshi's default). The
 * instance is immutable and thread-safe, and caches its adapters, so it is shared.
 */
public final class PlexMoshi {
  private static final Moshi MOSHI =
      new Moshi.Builder()
          .add(TolerantAdapters.FACTORY)
          .add(SingleOrListAdapterFactory.INSTANCE)
          .add(new OneElementArrayAdapterFactory(Set.of(SourceConnectionInformation.class)))
          .build();

  private PlexMoshi() {}

  /**
   * Returns the shared instance.
   *
   * @return the Moshi instance with the tolerant adapters, never null
   */
  public static Moshi moshi() {
    return MOSHI;
  }
}
