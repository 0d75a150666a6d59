package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.WAIT_SECONDS;

import dev.plexauth.testing.SpecFixture;
import dev.plexauth.tools.spec.Arguments;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * One way of calling an operation of the spec: its client method, or its {@code Async} variant
 * waited for, so that a suite parameterized over {@link #all()} checks every operation both ways
 * with one test body. An asynchronous failure is rethrown as the future's cause itself, so {@code
 * assertThrows(PlexIoException.class, ...)} holds for both ways alike, and a future that fails with
 * anything wrapped (a {@code CompletionException}, say) fails such an assertion. Immutable.
 *
 * @param fixture the operation
 * @param async whether the {@code Async} variant is called
 */
record SpecCall(SpecFixture fixture, boolean async) {
  /** Every operation of the spec, synchronously and asynchronously. */
  static Stream<SpecCall> all() {
    return SpecFixture.all().stream()
        .flatMap(fixture -> Stream.of(new SpecCall(fixture, false), new SpecCall(fixture, true)));
  }

  /**
   * Every {@code x-secret} value of every operation's example answer: what the scripted answers of
   * these suites hold, so no exception text may contain any.
   */
  static String[] exampleSecrets() {
    return Secrets.ALL.clone();
  }

  /** Calls with the spec's example arguments. */
  Object call(PlexAuthClient client) {
    return call(client, fixture.arguments());
  }

  /**
   * Calls with the given arguments and returns what the call returned.
   *
   * @throws RuntimeException what the call threw, or the cause the future failed with
   */
  Object call(PlexAuthClient client, Arguments args) {
    if (!async) {
      return fixture.operation().call().call(client, args);
    }
    try {
      return fixture.operation().callAsync().call(client, args).get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException) {
        throw (RuntimeException) e.getCause();
      }
      throw new AssertionError("the future failed with a checked exception or an error", e);
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("the future did not complete in " + WAIT_SECONDS + " s", e);
    }
  }

  /** Computed once: decoding every example for each assertion would be waste. */
  private static final class Secrets {
    static final String[] ALL = collect();

    private static String[] collect() {
      Set<String> secrets = new LinkedHashSet<>();
      for (SpecFixture fixture : SpecFixture.all()) {
        secrets.addAll(SpecFixture.secretsIn(fixture.expected()));
      }
      return secrets.toArray(new String[0]);
    }
  }

  @Override
  public String toString() {
    return fixture.operationId() + (async ? "Async" : "");
  }
}
