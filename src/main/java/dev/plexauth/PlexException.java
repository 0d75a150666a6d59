package dev.plexauth;

import dev.plexauth.internal.ControlCharacters;
import org.jspecify.annotations.Nullable;

/**
 * The root of every exception the SDK throws for a failed Plex call.
 *
 * <p>All are unchecked. The mapping, done in one place:
 *
 * <table>
 *   <caption>What each failure becomes</caption>
 *   <tr><th>condition</th><th>exception</th></tr>
 *   <tr><td>argument null, blank or malformed</td>
 *       <td>{@link IllegalArgumentException} or {@link NullPointerException}, before any request</td></tr>
 *   <tr><td>HTTP 401 or 403</td><td>{@link PlexUnauthorizedException}</td></tr>
 *   <tr><td>any other non-2xx status</td><td>{@link PlexHttpException}</td></tr>
 *   <tr><td>2xx answer whose body is unusable (empty, 204, XML, HTML, wrong types, no token)</td>
 *       <td>{@link PlexDecodingException}</td></tr>
 *   <tr><td>no usable response (connect, timeout, TLS, reset, truncated body)</td>
 *       <td>{@link PlexIoException}</td></tr>
 * </table>
 *
 * <p>No message or {@code toString()} of any of them contains the caller's token or a transient
 * token, and none contains a control character: text the server chose (a reason phrase, a JSON
 * {@code errors[].message}, a certificate's name) shows each as its Java escape
 * (<code>&#92;u001B</code>), so that printing a message cannot clear a terminal, forge a line or
 * reorder its text. {@link PlexHttpException#body()} and {@link PlexHttpException#headers()} keep
 * the server's text as sent (tokens masked). Instances are immutable and may be shared between
 * threads.
 */
public abstract class PlexException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  PlexException(String message, @Nullable Throwable cause) {
    super(ControlCharacters.escape(message), cause);
  }
}
