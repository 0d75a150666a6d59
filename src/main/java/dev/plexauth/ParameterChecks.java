package dev.plexauth;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The argument checks that the generated client methods run before anything is sent, one per rule
 * a parameter's schema can state. The messages come from the spec through the templates; they name
 * the parameter and the rule, never the value. Null values pass: required ones are checked for
 * null first, optional ones are left out of the request.
 */
final class ParameterChecks {
  private ParameterChecks() {}

  static void minLength(@Nullable String value, int min, String message) {
    if (value != null && value.length() < min) {
      throw new IllegalArgumentException(message);
    }
  }

  static void maxLength(@Nullable String value, int max, String message) {
    if (value != null && value.length() > max) {
      throw new IllegalArgumentException(message);
    }
  }

  static void pattern(@Nullable String value, Pattern pattern, String message) {
    if (value != null && !pattern.matcher(value).find()) {
      throw new IllegalArgumentException(message);
    }
  }

  static void oneOf(@Nullable Object value, String message, Object... allowed) {
    if (value == null) {
      return;
    }
    for (Object candidate : allowed) {
      if (candidate.equals(value)) {
        return;
      }
    }
    throw new IllegalArgumentException(message);
  }

  static void finite(@Nullable Double value, String message) {
    if (value != null && (value.isNaN() || value.isInfinite())) {
      throw new IllegalArgumentException(message);
    }
  }

  static void pathSegment(@Nullable String value, String message) {
    if (value != null && (value.isEmpty() || value.equals(".") || value.equals(".."))) {
      throw new IllegalArgumentException(message);
    }
  }

  static void atLeast(@Nullable Number value, double min, String message) {
    if (value != null && value.doubleValue() < min) {
      throw new IllegalArgumentException(message);
    }
  }

  static void atMost(@Nullable Number value, double max, String message) {
    if (value != null && value.doubleValue() > max) {
      throw new IllegalArgumentException(message);
    }
  }

  static void atLeast(@Nullable Number value, long min, String message) {
    if (value != null && value.longValue() < min) {
      throw new IllegalArgumentException(message);
    }
  }

  static void atMost(@Nullable Number value, long max, String message) {
    if (value != null && value.longValue() > max) {
      throw new IllegalArgumentException(message);
    }
  }
}
