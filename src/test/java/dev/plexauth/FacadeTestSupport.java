package dev.plexauth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.plexauth.contract.ContractInterceptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/** Shared fakes, fixtures and assertions of the facade tests. Fake tokens only. */
final class FacadeTestSupport {
  /** The caller's (fake) Plex token; deliberately not of the {@code transient-} form. */
  static final String CALLER_TOKEN = "fake-owner-token-Zq81xYw3";
  static final String CLIENT_ID = "3f0c2a5e-9b7d-4c1e-8a61-0d2f4b6c8e10";

  /** The transient token of the official getTransientToken example. */
  static final String TRANSIENT_TOKEN = "transient-90904684-f91a-4391-8bf7-e0dfa7240285";
  /** The accessToken of the official getSourceConnectionInformation example. */
  static final String ACCESS_TOKEN = "transient-fa75f159-b9d2-42b6-8fbd-1761c7a4195a";
  static final String SERVER_ID = "243b471948ace337a8f92f129ec97d1902fcb1df";
  static final String SOURCE = "server://" + SERVER_ID;

  /** Every secret that a test may put on the wire; none may show up in an exception's text. */
  static final String[] SECRETS = {CALLER_TOKEN, TRANSIENT_TOKEN, ACCESS_TOKEN};

  static final String HTML = "text/html; charset=utf-8";
  static final String JSON = "application/json";

  /** Generous bound for anything that should be quick on loopback. */
  static final long WAIT_SECONDS = 10;

  private FacadeTestSupport() {}

  /** Reads a fixture from {@code src/test/resources/fixtures}. */
  static String fixture(String name) {
    try (InputStream in = FacadeTestSupport.class.getResourceAsStream("/fixtures/" + name)) {
      assertNotNull(in, "missing fixture " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static MockResponse json(String body) {
    return new MockResponse().setHeader("Content-Type", JSON).setBody(body);
  }

  static MockResponse status(int code, String contentType, String body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", contentType)
        .setBody(body);
  }

  /** A dispatcher that gives every request (retries included) the same answer. */
  static Dispatcher always(MockResponse response) {
    return new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return response.clone();
      }

      @Override
      public MockResponse peek() {
        return response.clone();
      }
    };
  }

  /**
   * A builder for the server with short timeouts, so that a broken test fails instead of hanging,
   * and without retries, so that each scripted answer is seen once; RetryTest covers retries.
   *
   * <p>Every request the client sends to a spec path (below any base path) is checked against
   * openapi/plex-auth.yaml as sent, and fails the test with an AssertionError if it breaks the
   * spec. Answers are not checked: these tests script broken ones on purpose.
   */
  static PlexAuthClient.Builder builderFor(MockWebServer server) {
    return PlexAuthClient.builder()
        .wireObserver(ContractInterceptor.requestsOnly())
        .maxRetries(0)
        .baseUrl(server.url("/").toString())
        .token(CALLER_TOKEN)
        .clientIdentifier(CLIENT_ID)
        .connectTimeout(Duration.ofSeconds(5))
        .readTimeout(Duration.ofSeconds(5))
        .callTimeout(Duration.ofSeconds(WAIT_SECONDS));
  }

  /**
   * A retry scheduler for async calls that hands each retry to the test instead of running it, so
   * a test can act while a call waits between attempts; a sync call's wait fails the test.
   */
  static RetryScheduler handingOverTo(java.util.Queue<Runnable> pendingRetries) {
    return new RetryScheduler() {
      @Override
      public void sleep(long delayNanos) {
        throw new AssertionError("an async call does not block");
      }

      @Override
      public java.util.concurrent.Executor after(long delayNanos) {
        return pendingRetries::add;
      }
    };
  }

  static RecordedRequest take(MockWebServer server) throws InterruptedException {
    RecordedRequest request = server.takeRequest(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(request, "the server received no request");
    return request;
  }

  /** Waits for a future that must fail, and returns its cause checked against the expected type. */
  static <T extends Throwable> T failureOf(CompletableFuture<?> future, Class<T> type)
      throws Exception {
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> future.get(WAIT_SECONDS, TimeUnit.SECONDS));
    return assertInstanceOf(type, e.getCause());
  }

  /**
   * Asserts that neither the message nor the {@code toString()} of the exception, nor of any of its
   * causes, contains a token.
   */
  static void assertNoSecrets(Throwable thrown, String... extraSecrets) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      String text = t.getMessage() + " | " + t;
      String where = "a token leaked into " + t.getClass().getName() + ": " + text;
      for (String secret : SECRETS) {
        assertFalse(text.contains(secret), where);
      }
      for (String secret : extraSecrets) {
        assertFalse(text.contains(secret), where);
      }
      if (t.getCause() == t) {
        break;
      }
    }
  }
}
