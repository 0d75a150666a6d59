package dev.plexauth.internal;

import org.jspecify.annotations.Nullable;

/**
 * Makes text a server chose safe to show on a terminal or in a log: every control character is
 * replaced by its Java escape ({@code ESC} becomes the six characters <code>&#92;u001B</code>),
 * so an escape sequence cannot clear a screen or move the cursor, a carriage return or line break
 * cannot forge a line, and a bidirectional override cannot reorder what is read. Not part of the
 * API.
 *
 * <p>Escaped: C0 controls (U+0000 to U+001F), DEL (U+007F), C1 controls (U+0080 to U+009F), the
 * line and paragraph separators (U+2028, U+2029) and the bidirectional formatting characters
 * (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069). Everything else, other non-ASCII
 * letters included, is kept. Applied to every exception message the SDK makes, to every log line,
 * to the models' {@code toString()} and to the CLI's human output; never to what a caller reads as
 * data ({@code body()}, {@code headers()}, the models' values, the CLI's {@code --json}).
 */
public final class ControlCharacters {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private ControlCharacters() {}

  /**
   * Escapes every control character, line breaks included.
   *
   * @param text any text, or null
   * @return the text with each control character as <code>&#92;uXXXX</code>; the same instance
   *     when it holds none; null for null
   */
  public static @Nullable String escape(@Nullable String text) {
    return escape(text, false);
  }

  /**
   * Escapes every control character except line feed and tab: for a log line, whose sink may
   * receive a whole body with its lines; a carriage return is still escaped, so no line can be
   * overwritten.
   *
   * @param text any text, or null
   * @return the escaped text; the same instance when nothing needed escaping; null for null
   */
  public static @Nullable String escapeKeepingLines(@Nullable String text) {
    return escape(text, true);
  }

  private static @Nullable String escape(@Nullable String text, boolean keepLines) {
    if (text == null) {
      return null;
    }
    int first = 0;
    while (first < text.length() && !escaped(text.charAt(first), keepLines)) {
      first++;
    }
    if (first == text.length()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      if (escaped(c, keepLines)) {
        out.append('\\').append('u')
            .append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
            .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean escaped(char c, boolean keepLines) {
    if (c < 0x20) {
      return !(keepLines && (c == '\n' || c == '\t'));
    }
    if (c < 0x7F) {
      return false;
    }
    return c <= 0x9F
        || c == '\u061C' || c == '\u200E' || c == '\u200F'
        || (c >= '\u2028' && c <= '\u202E')
        || (c >= '\u2066' && c <= '\u2069');
  }
}
