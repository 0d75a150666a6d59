/**
 * The plex-auth client: {@link dev.plexauth.PlexAuthClient}, its builder, and the {@link
 * dev.plexauth.PlexException} tree of every failure.
 *
 * <p>Null-marked ({@code @NullMarked}): a type without {@code @Nullable} is never null, so Kotlin
 * sees {@code String} where a value is never null and {@code String?} where it may be.
 */
@NullMarked
package dev.plexauth;

import org.jspecify.annotations.NullMarked;
