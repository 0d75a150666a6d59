package dev.plexauth.internal;

import java.util.regex.Pattern;

/**
 * Masks token-shaped text inside values a server chose (a device name, a connection URI), for the
 * generated models' {@code toString()}. Not part of the API. Thread-safe.
 */
public final class TokenMasking {
  /**
   * A transient token as it may appear in text: {@code transient-} and the characters of a UUID,
   * of URL-encoding and of base64, so that no tail of an unusual token survives masking.
   */
  public static final Pattern TRANSIENT_TOKEN = Pattern.compile("transient-[A-Za-z0-9._~%+/=-]+");
  private static final Pattern QUERY_TOKEN =
      Pattern.compile("(?i)(X-Plex-Token=)[^&#\\s]*");

  private TokenMasking() {}

  /**
   * Returns {@code text} with every {@code transient-...} token and every {@code X-Plex-Token}
   * query value replaced by {@code <redacted>}.
   *
   * @param text the value, or null
   * @return the masked value, or null for null
   */
  public static String inText(String text) {
    if (text == null) {
      return null;
    }
    String masked = QUERY_TOKEN.matcher(text).replaceAll("$1<redacted>");
    return TRANSIENT_TOKEN.matcher(masked).replaceAll("<redacted>");
  }
}
