package dev.plexauth.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.logging.HttpLoggingInterceptor;

/**
 * Masks tokens in every line OkHttp's logging interceptor writes, before the caller's sink sees
 * it: the caller's token (plain or URL-encoded), every {@code transient-...} token, and the values of {@code token} and
 * {@code accessToken} in JSON and XML bodies. The {@code X-Plex-Token} header itself is redacted
 * by the interceptor ({@code redactHeader}). Not part of the API. Immutable and thread-safe.
 */
public final class RedactingLogger implements HttpLoggingInterceptor.Logger {
  private static final String MASK = "██";
  private static final Pattern JSON_TOKEN =
      Pattern.compile("(\"(?:token|accessToken)\"\\s*:\\s*\")((?:[^\"\\\\]|\\\\.)*)(\")");
  private static final Pattern XML_TOKEN =
      Pattern.compile("(\\b(?:token|accessToken)\\s*=\\s*[\"'])([^\"']*)([\"'])");

  private final HttpLoggingInterceptor.Logger sink;
  private final String token;
  private final String encodedToken;

  /**
   * Creates the logger.
   *
   * @param sink where the masked lines go
   * @param token the caller's token, masked wherever it appears
   */
  public RedactingLogger(HttpLoggingInterceptor.Logger sink, String token) {
    this.sink = sink;
    this.token = token;
    this.encodedToken = URLEncoder.encode(token, StandardCharsets.UTF_8);
  }

  @Override
  public void log(String message) {
    String redacted = redact(message);
    if (message.indexOf('\\') >= 0 || message.indexOf('&') >= 0) {
      // A token spelt with JSON escapes or XML character references slips past the patterns:
      // check the unescaped line too, and if it hides one, log the unescaped line masked.
      String plain = unescape(message);
      String plainRedacted = redact(plain);
      if (!plainRedacted.equals(plain)) {
        redacted = plainRedacted;
      }
    }
    sink.log(redacted);
  }

  private static final Pattern ESCAPE =
      Pattern.compile("\\\\u([0-9a-fA-F]{4})|&#([0-9]{1,7});|&#[xX]([0-9a-fA-F]{1,6});");

  static String unescape(String text) {
    return ESCAPE.matcher(text).replaceAll(m -> {
      int code = m.group(1) != null ? Integer.parseInt(m.group(1), 16)
          : m.group(2) != null ? Integer.parseInt(m.group(2))
          : Integer.parseInt(m.group(3), 16);
      return Character.isValidCodePoint(code)
          ? Matcher.quoteReplacement(new String(Character.toChars(code)))
          : Matcher.quoteReplacement(m.group());
    });
  }

  String redact(String message) {
    String result = message.replace(token, MASK).replace(encodedToken, MASK);
    result = mask(JSON_TOKEN, result);
    result = mask(XML_TOKEN, result);
    return TokenMasking.TRANSIENT_TOKEN.matcher(result).replaceAll(MASK);
  }

  private static String mask(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    return matcher.find()
        ? matcher.replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + m.group(3)))
        : text;
  }
}
