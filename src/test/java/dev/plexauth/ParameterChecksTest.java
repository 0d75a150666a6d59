package dev.plexauth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rule helpers the generated client methods call. The spec's own operations have no path or
 * number parameter, so these rules are checked here as well as through the regeneration gate.
 */
class ParameterChecksTest {
  @Test
  void aPathParameterMustBeAPathSegment() {
    for (String bad : List.of("", ".", "..")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ParameterChecks.pathSegment(bad, "id must be a path segment"));
      assertEquals("id must be a path segment", e.getMessage());
    }
    for (String good : List.of("a", "...", ".a", "12")) {
      assertDoesNotThrow(() -> ParameterChecks.pathSegment(good, "unused"));
    }
    assertDoesNotThrow(() -> ParameterChecks.pathSegment(null, "null is left out"));
  }

  @Test
  void aNumberMustBeFinite() {
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY}) {
      assertThrows(IllegalArgumentException.class, () -> ParameterChecks.finite(bad, "finite"));
    }
    assertDoesNotThrow(() -> ParameterChecks.finite(-0.5, "unused"));
  }

  @Test
  void integerBoundsAreComparedExactlyHoweverLarge() {
    long max = 1L << 53;
    // As a double, 2^53 + 1 rounds to 2^53, and the value would pass.
    assertThrows(IllegalArgumentException.class,
        () -> ParameterChecks.atMost(max + 1, max, "at most 2^53"));
    assertDoesNotThrow(() -> ParameterChecks.atMost(max, max, "unused"));
    assertThrows(IllegalArgumentException.class,
        () -> ParameterChecks.atLeast(-max - 1, -max, "at least -2^53"));
  }
}
