package dev.plexauth;

import dev.plexauth.model.PlexError;
import java.time.Duration;
import java.util.List;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * The server answered 401 or 403: the token is missing, unknown, expired, or may not call this
 * operation.
 *
 * <p>Older PMS versions answer 401 and newer ones 403 for the same cause, so both map here. Some
 * operations are allowed only with the owner's (admin) token or a transient token minted from it.
 * Immutable and thread-safe.
 */
public class PlexUnauthorizedException extends PlexHttpException {
  private static final long serialVersionUID = 1L;

  PlexUnauthorizedException(String message, int code, Headers headers, String body,
      List<PlexError> errors, @Nullable Duration retryAfter) {
    super(message, code, headers, body, errors, retryAfter);
  }
}
