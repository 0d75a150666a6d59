/**
 * The SDK's internals: headers, redirects, bounded bodies, redaction and the tolerant JSON
 * readers. Not part of the API: public only so that the SDK's other packages, the generated ones
 * included, can reach them.
 *
 * <p>Null-marked ({@code @NullMarked}): a type without {@code @Nullable} is never null.
 */
@NullMarked
package dev.plexauth.internal;

import org.jspecify.annotations.NullMarked;
