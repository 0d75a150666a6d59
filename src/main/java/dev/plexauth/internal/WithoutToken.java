package dev.plexauth.internal;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a generated Retrofit method whose operation the spec declares without a token ({@code
 * security: []}, or a security that names no {@code X-Plex-Token} scheme): {@link PlexInterceptor}
 * sends every hop of such a call without {@code X-Plex-Token}. The identity headers, which are no
 * secret, still go. Not part of the API.
 *
 * <p>Why a rule rather than a choice per call: PMS answers {@code /identity} without a token, and
 * such an operation is what probes unknown candidates of a source, which must never see the
 * caller's token.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface WithoutToken {}
