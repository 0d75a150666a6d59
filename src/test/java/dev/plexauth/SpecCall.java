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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * One operation of the spec, called one way: through its blocking client method or its {@code
 * Async} one. {@link #all()} gives every operation both ways, so a suite parameterized over it
 * covers a new operation without new test code. Arguments, answers and expected values come from
 * the operation's {@link SpecFixture}. Immutable.
 */
final class SpecCall {
  final SpecFixture fixture;
  final boolean async;

  private SpecCall(SpecFixture fixture, boolean async) {
    this.fixture = fixture;
    this.async = async;
  }

  /** Every operation, sync then async. */
  static Stream<SpecCall> all() {
    return SpecFixture.all().stream()
        .flatMap(fixture -> Stream.of(new SpecCall(fixture, false), new SpecCall(fixture, true)));
  }

  /** Every operation through its blocking method. */
  static Stream<SpecCall> sync() {
    return all().filter(call -> !call.async);
  }

  /** Every operation through its {@code Async} method. */
  static Stream<SpecCall> async() {
    return all().filter(call -> call.async);
  }

  /** The operation's 200 example as a JSON answer. */
  MockResponse ok() {
    return json(fixture.okJson());
  }

  /** Starts the {@code Async} form, whichever form this call is. */
  CompletableFuture<?> start(PlexAuthClient client) {
    return fixture.callAsync(client);
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
    assertEquals(CALLER_TOKEN, request.getHeader("X-Plex-Token"), this + " X-Plex-Token");
    assertEquals(CLIENT_ID, request.getHeader("X-Plex-Client-Identifier"), this + " client id");
  }

  /** The secrets ({@code x-secret} values) of the example answer, to keep out of exceptions. */
  String[] secrets() {
    List<String> secrets = new ArrayList<>(SpecFixture.secretsIn(fixture.expected()));
    return secrets.toArray(new String[0]);
  }

  @Override
  public String toString() {
    return fixture + (async ? " async" : " sync");
  }
}
