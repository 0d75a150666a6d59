package dev.plexauth.codegen;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns a spec {@code pattern} (ECMA-262, as OpenAPI defines it) into the Java regex with the same
 * meaning, for {@code Matcher.find()}. The one difference that matters for validation: ECMA's
 * {@code $} matches only at the end of the text, while Java's also matches before a final line
 * break, which would let {@code "server://id\n"} pass {@code ^server://[!-~]+$}. So every
 * unescaped {@code $} outside a character class becomes {@code \z}.
 */
final class Patterns {
  private Patterns() {}

  static String toJava(String ecma) {
    StringBuilder out = new StringBuilder();
    boolean inClass = false;
    for (int i = 0; i < ecma.length(); i++) {
      char c = ecma.charAt(i);
      if (c == '\\' && i + 1 < ecma.length()) {
        out.append(c).append(ecma.charAt(++i));
      } else if (c == '[') {
        inClass = true;
        out.append(c);
      } else if (c == ']') {
        inClass = false;
        out.append(c);
      } else if (c == '$' && !inClass) {
        out.append("\\z");
      } else {
        out.append(c);
      }
    }
    String java = out.toString();
    try {
      Pattern.compile(java);
    } catch (PatternSyntaxException e) {
      throw new IllegalStateException("pattern " + ecma + " is not a valid regex: "
          + e.getDescription(), e);
    }
    return java;
  }
}
