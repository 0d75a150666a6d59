package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.CALLER_TOKEN;
import static dev.plexauth.FacadeTestSupport.CLIENT_ID;
import static dev.plexauth.FacadeTestSupport.WAIT_SECONDS;
import static dev.plexauth.FacadeTestSupport.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.plexauth.testing.SpecFixture;
import dev.plexauth.tools.spec.Arguments;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * One operation of the spec, called one way: through its blocking client method, its {@code
 * Async} one that returns a future, or the {@code Async} one that takes a callback, waited for.
 * {@link #all()} gives every operation the first two ways (the future is made by the callback
 * form, so it runs that too), so a suite parameterized over it covers a new operation without new
 * test code; {@link #async()} adds the callback form itself. Arguments, answers and expected values
 * come from the operation's {@link SpecFixture}. Immutable.
 */
final class SpecCall {
  final SpecFixture fixture;
  final boolean async;
  /** Through the form that takes a callback (async is then true). */
  final boolean callback;

  SpecCall(SpecFixture fixture, boolean async) {
    this(fixture, async, false);
  }

  private SpecCall(SpecFixture fixture, boolean async, boolean callback) {
    this.fixture = fixture;
    this.async = async;
    this.callback = callback;
  }

  /** Every operation of the spec, sync then async with a future. */
  static Stream<SpecCall> all() {
    return SpecFixture.all().stream()
        .flatMap(fixture -> Stream.of(new SpecCall(fixture, false), new SpecCall(fixture, true)));
  }

  /** The token this operation's requests carry: the caller's, or none when the spec says so. */
  String expectedToken() {
    return fixture.operation().withoutToken() ? null : CALLER_TOKEN;
  }

  /** {@link #expectedToken()} as the list of a request's X-Plex-Token values. */
  List<String> expectedTokens() {
    return fixture.operation().withoutToken() ? List.of() : List.of(CALLER_TOKEN);
  }

  /** Every operation through its blocking method. */
  static Stream<SpecCall> sync() {
    return all().filter(call -> !call.async);
  }

  /** Every operation through both {@code Async} methods: with a future and with a callback. */
  static Stream<SpecCall> async() {
    return SpecFixture.all().stream().flatMap(fixture ->
        Stream.of(new SpecCall(fixture, true, false), new SpecCall(fixture, true, true)));
  }

  /** Every operation through its {@code Async} method that takes a callback. */
  static Stream<SpecCall> callbacks() {
    return async().filter(call -> call.callback);
  }

  /**
   * Every {@code x-secret} value of every operation's example answer: what the scripted answers of
   * these suites hold, so no exception text may contain any.
   */
  static String[] exampleSecrets() {
    return Secrets.ALL.clone();
  }

  SpecFixture fixture() {
    return fixture;
  }

  /** The operation's 200 example as a JSON answer. */
  MockResponse ok() {
    return json(fixture.okJson());
  }

  /**
   * Starts an {@code Async} form: the callback one when this call is that form (its outcome then
   * completes the future, and cancelling the future cancels the call), else the future one.
   */
  CompletableFuture<?> start(PlexAuthClient client) {
    return start(client, fixture.arguments());
  }

  private CompletableFuture<?> start(PlexAuthClient client, Arguments args) {
    if (!callback) {
      return fixture.operation().callAsync().call(client, args);
    }
    return Callbacks.start(fixture.operation(), client, args);
  }

  /**
   * Makes the call with the example arguments; an async failure is rethrown as the {@link
   * PlexException} the future holds.
   */
  Object run(PlexAuthClient client) throws Exception {
    if (!async) {
      return fixture.call(client);
    }
    try {
      return start(client).get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw assertInstanceOf(PlexException.class, e.getCause());
    }
  }

  /** Calls with the spec's example arguments. */
  Object call(PlexAuthClient client) {
    return call(client, fixture.arguments());
  }

  /**
   * Calls with the given arguments and returns what the call returned. An asynchronous failure is
   * rethrown as the future's cause itself, so {@code assertThrows(PlexIoException.class, ...)}
   * holds for both ways alike, and a future that fails with anything wrapped fails it.
   *
   * @throws RuntimeException what the call threw, or the cause the future failed with
   */
  Object call(PlexAuthClient client, Arguments args) {
    if (!async) {
      return fixture.operation().call().call(client, args);
    }
    try {
      return start(client, args).get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException) {
        throw (RuntimeException) e.getCause();
      }
      throw new AssertionError("the future failed with a checked exception or an error", e);
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("the future did not complete in " + WAIT_SECONDS + " s", e);
    }
  }

  /** Asserts that a successful call returned what the spec's example says. */
  void assertOk(Object result) {
    assertEquals(fixture.expected(), result, this + " returned");
  }

  /**
   * Asserts that a recorded request is this operation's: method, path and exactly the example
   * arguments as query parameters, and the caller's Plex headers.
   */
  void assertRequest(RecordedRequest request) {
    HttpUrl url = request.getRequestUrl();
    assertEquals(fixture.operation().method(), request.getMethod(), this + " method");
    assertEquals(fixture.path(), url.encodedPath(), this + " path");
    Arguments args = fixture.arguments();
    for (String name : args.names()) {
      assertEquals(args.text(name), url.queryParameter(name), this + " query parameter " + name);
    }
    assertEquals(args.names().size(), url.querySize(), this + ": no other query parameter " + url);
    assertEquals(expectedToken(), request.getHeader("X-Plex-Token"), this + " X-Plex-Token");
    assertEquals(CLIENT_ID, request.getHeader("X-Plex-Client-Identifier"), this + " client id");
  }

  /** The secrets ({@code x-secret} values) of this operation's example answer. */
  String[] secrets() {
    List<String> secrets = new ArrayList<>(SpecFixture.secretsIn(fixture.expected()));
    return secrets.toArray(new String[0]);
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
    return fixture.operationId() + (callback ? "Async(callback)" : async ? "Async" : "");
  }
}
