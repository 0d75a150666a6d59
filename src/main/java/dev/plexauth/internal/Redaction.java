package dev.plexauth.internal;

import dev.plexauth.internal.generated.SecretNames;
import java.io.UnsupportedEncodingException;
import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;

/**
 * The one redaction rule: what is masked wherever the SDK shows text that may hold a token (log
 * lines at every level, exception messages, {@code body()} and {@code headers()}, the models'
 * {@code toString()}, the CLI's human output). Not part of the API. Immutable and thread-safe.
 *
 * <p>Masked, each by {@link #MASK}:
 *
 * <ul>
 *   <li>the caller's token, as it is and URL-encoded (instances made with {@link #of(String)});
 *   <li>every transient token ({@code transient-} and the characters of a UUID, of URL-encoding
 *       and of base64, so that no tail of an unusual one survives);
 *   <li>every {@code X-Plex-Token} query value;
 *   <li>the value of every property the spec marks {@code x-secret} (the generated {@link
 *       SecretNames}), in JSON ({@code "token": "..."}, or a number, literal or flat array or object
 *       in its place) and XML ({@code token="..."}).
 * </ul>
 *
 * <p>A token spelt with JSON escapes or XML character references is found too: when the text holds
 * any, its unescaped form is checked, and if that hides a token, the unescaped form is what comes
 * back, masked.
 */
public final class Redaction {
  /** What replaces a secret: the mask OkHttp's logging interceptor uses for redacted headers. */
  public static final String MASK = "██";

  private static final Redaction STATIC = new Redaction(null);

  /**
   * The patterns, compiled on first use rather than when a client is built: a call that succeeds
   * and logs nothing never redacts.
   */
  private static final class Patterns {
    static final Pattern TRANSIENT_TOKEN = Pattern.compile("transient-[A-Za-z0-9._~%+/=-]+");
    static final Pattern QUERY_TOKEN = Pattern.compile("(?i)(X-Plex-Token=)[^&#\\s]*");
    static final Pattern ESCAPE =
        Pattern.compile("\\\\u([0-9a-fA-F]{4})|&#([0-9]{1,7});|&#[xX]([0-9a-fA-F]{1,6});");
    static final Pattern JSON_SECRET;
    static final Pattern JSON_SECRET_NOT_STRING;
    static final Pattern XML_SECRET;

    static {
      StringBuilder names = new StringBuilder();
      for (String name : SecretNames.names()) {
        names.append(names.length() == 0 ? "" : "|").append(Pattern.quote(name));
      }
      // No secret in the spec: patterns that never match.
      String alternatives = names.length() == 0 ? "(?!)" : names.toString();
      JSON_SECRET = Pattern.compile(
          // Possessive: a plain (?:a|b)* recurses once per character and overflows the stack on
          // a value of a few thousand characters.
          "(\"(?:" + alternatives + ")\"\\s*:\\s*\")((?:[^\"\\\\]++|\\\\.)*+)(\")");
      // A server may send a secret as another JSON value: a number, a literal, or a flat array
      // or object (deeper nesting is not a form any Plex secret takes).
      JSON_SECRET_NOT_STRING = Pattern.compile("(\"(?:" + alternatives + ")\"\\s*:\\s*)"
          + "(-?[0-9][0-9.eE+-]*+|true|false|\\[[^\\[\\]{}]*+]|\\{[^{}]*+})()");
      XML_SECRET = Pattern.compile(
          "(\\b(?:" + alternatives + ")\\s*=\\s*[\"'])([^\"']*)([\"'])");
    }
  }

  private final @Nullable String token;
  /** The token URL-encoded, made on first use (racing threads make equal ones). */
  private volatile @Nullable String encodedToken;

  private Redaction(@Nullable String token) {
    this.token = token;
  }

  /**
   * The rule for a client: also masks the caller's token.
   *
   * @param callerToken the caller's token, already validated (printable ASCII, at least the
   *     builder's 16 characters, so that masking it hides no ordinary text but by design); null
   *     for the rule without one, as {@link
   *     #inText(String)} applies it
   * @return the rule, never null
   */
  public static Redaction of(@Nullable String callerToken) {
    return new Redaction(callerToken);
  }

  /**
   * Masks every secret this rule knows in {@code text}.
   *
   * @param text any text, or null
   * @return the masked text; null for null
   */
  public @Nullable String text(@Nullable String text) {
    if (text == null) {
      return null;
    }
    String masked = mask(text);
    if (text.indexOf('\\') >= 0 || text.indexOf('&') >= 0) {
      String plain = unescape(text);
      String plainMasked = mask(plain);
      if (!plainMasked.equals(plain)) {
        return plainMasked;
      }
    }
    return masked;
  }

  /**
   * Masks every secret in header values (a server may echo the token, for example in {@code
   * WWW-Authenticate}).
   *
   * @param headers the headers
   * @return the same headers when none held a secret, else a masked copy
   */
  public Headers headers(Headers headers) {
    Headers.Builder masked = null;
    for (int i = 0; i < headers.size(); i++) {
      String value = headers.value(i);
      String redacted = text(value);
      if (!redacted.equals(value) && masked == null) {
        masked = new Headers.Builder();
        for (int j = 0; j < i; j++) {
          masked.addUnsafeNonAscii(headers.name(j), headers.value(j));
        }
      }
      if (masked != null) {
        masked.addUnsafeNonAscii(headers.name(i), redacted);
      }
    }
    return masked == null ? headers : masked.build();
  }

  /**
   * Masks what needs no caller's token to find: transient tokens, {@code X-Plex-Token} query
   * values and {@code x-secret} values. For text a server chose, such as a device name or a
   * connection URI in a model's {@code toString()}.
   *
   * @param text any text, or null
   * @return the masked text; null for null
   */
  public static @Nullable String inText(@Nullable String text) {
    return STATIC.text(text);
  }

  private String mask(String text) {
    String result = token == null ? text : maskCallerToken(text, token);
    result = keepGroups(Patterns.JSON_SECRET, result);
    result = keepGroups(Patterns.JSON_SECRET_NOT_STRING, result);
    result = keepGroups(Patterns.XML_SECRET, result);
    result = Patterns.QUERY_TOKEN.matcher(result).replaceAll("$1" + Matcher.quoteReplacement(MASK));
    return Patterns.TRANSIENT_TOKEN.matcher(result).replaceAll(Matcher.quoteReplacement(MASK));
  }

  /**
   * Masks the caller's token (as it is and URL-encoded) and, in the same pass, every transient
   * token: each span is found in the text as given and overlapping spans are masked as one, so a
   * caller's token that is part of a transient token ({@code transient}) cannot break the
   * transient-token pattern and leave the rest readable, nor a transient-token-shaped part of the
   * caller's token leave the rest of it.
   */
  private String maskCallerToken(String text, String callerToken) {
    String encoded = encodedToken;
    if (encoded == null) {
      encoded = urlEncoded(callerToken);
      encodedToken = encoded;
    }
    List<int[]> spans = new ArrayList<>();
    addOccurrences(text, callerToken, spans);
    if (!encoded.equals(callerToken)) {
      addOccurrences(text, encoded, spans);
    }
    if (spans.isEmpty()) {
      return text;
    }
    Matcher transientToken = Patterns.TRANSIENT_TOKEN.matcher(text);
    while (transientToken.find()) {
      spans.add(new int[] {transientToken.start(), transientToken.end()});
    }
    Collections.sort(spans, new Comparator<int[]>() {
      @Override
      public int compare(int[] a, int[] b) {
        return Integer.compare(a[0], b[0]);
      }
    });
    StringBuilder out = new StringBuilder(text.length());
    int done = 0;
    for (int i = 0; i < spans.size(); ) {
      int start = spans.get(i)[0];
      int end = spans.get(i)[1];
      for (i++; i < spans.size() && spans.get(i)[0] < end; i++) {
        end = Math.max(end, spans.get(i)[1]);
      }
      out.append(text, done, start).append(MASK);
      done = end;
    }
    return out.append(text, done, text.length()).toString();
  }

  private static void addOccurrences(String text, String part, List<int[]> spans) {
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      spans.add(new int[] {at, at + part.length()});
    }
  }

  /** Replaces group 2 of every match by the mask, keeping groups 1 and 3. */
  private static String keepGroups(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    if (!matcher.find()) {
      return text;
    }
    StringBuffer out = new StringBuffer();
    do {
      matcher.appendReplacement(out,
          Matcher.quoteReplacement(matcher.group(1) + MASK + matcher.group(3)));
    } while (matcher.find());
    return matcher.appendTail(out).toString();
  }

  static String unescape(String text) {
    Matcher matcher = Patterns.ESCAPE.matcher(text);
    StringBuffer out = new StringBuffer();
    while (matcher.find()) {
      int code = matcher.group(1) != null ? Integer.parseInt(matcher.group(1), 16)
          : matcher.group(2) != null ? Integer.parseInt(matcher.group(2))
          : Integer.parseInt(matcher.group(3), 16);
      String replacement = Character.isValidCodePoint(code)
          ? new String(Character.toChars(code)) : matcher.group();
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    return matcher.appendTail(out).toString();
  }

  private static String urlEncoded(String token) {
    try {
      return URLEncoder.encode(token, "UTF-8");
    } catch (UnsupportedEncodingException e) {
      throw new AssertionError("UTF-8 is always supported", e);
    }
  }

  @Override
  public String toString() {
    return token == null ? "Redaction{}" : "Redaction{callerToken=" + MASK + "}";
  }
}
