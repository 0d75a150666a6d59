package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.HTML;
import static dev.plexauth.FacadeTestSupport.WAIT_SECONDS;
import static dev.plexauth.FacadeTestSupport.always;
import static dev.plexauth.FacadeTestSupport.builderFor;
import static dev.plexauth.FacadeTestSupport.status;
import static dev.plexauth.FacadeTestSupport.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code Async} forms that take a {@link PlexCallback} (the asynchronous API of Android API 21):
 * one outcome, on a dispatcher thread, and {@link PlexCancellable} ending a call at once wherever
 * it is. The suites that run {@link SpecCall#async()} cover retries and failures through this form.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CallbackTest extends MockServerTest {

  static Stream<SpecCall> callbacks() {
    return SpecCall.callbacks();
  }

  /** Records every outcome and the thread it arrived on. */
  static final class Recording implements PlexCallback<Object> {
    final List<Object> outcomes = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    final CountDownLatch done = new CountDownLatch(1);

    @Override
    public void onSuccess(Object result) {
      record(result);
    }

    @Override
    public void onFailure(PlexException failure) {
      record(failure);
    }

    private void record(Object outcome) {
      outcomes.add(outcome);
      threads.add(Thread.currentThread().getName());
      done.countDown();
    }

    Object await() throws InterruptedException {
      assertTrue(done.await(WAIT_SECONDS, TimeUnit.SECONDS), "the callback was not called");
      return outcomes.get(0);
    }
  }

  private static PlexCancellable start(SpecCall call, PlexAuthClient client, PlexCallback<Object> callback) {
    return call.fixture().operation().callWithCallback()
        .call(client, call.fixture().arguments(), callback);
  }

  @ParameterizedTest
  @MethodSource("callbacks")
  void successArrivesOnceOnADispatcherThread(SpecCall call) throws Exception {
    server.enqueue(call.ok());
    Recording callback = new Recording();
    try (PlexAuthClient client = builderFor(server).build()) {
      PlexCancellable handle = start(call, client, callback);

      call.assertOk(callback.await());
      call.assertRequest(take(server));
      assertFalse(handle.isCanceled());
      assertTrue(callback.threads.get(0).startsWith("OkHttp"), callback.threads.toString());
      // A later cancel leaves the outcome as it was.
      handle.cancel();
      assertTrue(handle.isCanceled());
    }
    assertEquals(1, callback.outcomes.size(), callback.outcomes.toString());
  }

  @ParameterizedTest
  @MethodSource("callbacks")
  void failureArrivesAsThePlexExceptionTheSyncCallThrows(SpecCall call) throws Exception {
    server.enqueue(status(404, HTML, "<h1>404 Not Found</h1>"));
    Recording callback = new Recording();
    try (PlexAuthClient client = builderFor(server).build()) {
      start(call, client, callback);

      PlexHttpException e = assertInstanceOf(PlexHttpException.class, callback.await());
      assertEquals(404, e.code());
    }
    assertEquals(1, callback.outcomes.size(), callback.outcomes.toString());
  }

  @ParameterizedTest
  @MethodSource("callbacks")
  void cancelBetweenRetriesEndsTheCallAtOnceAndSendsNoRetry(SpecCall call) throws Exception {
    server.setDispatcher(always(status(503, HTML, "")));
    BlockingQueue<Runnable> pendingRetries = new LinkedBlockingQueue<>();
    RetryScheduler handingOver = FacadeTestSupport.handingOverTo(pendingRetries);
    Recording callback = new Recording();
    try (PlexAuthClient client = builderFor(server).maxRetries(2).scheduler(handingOver).build()) {
      PlexCancellable handle = start(call, client, callback);
      Runnable retry = pendingRetries.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(retry, "the first 503 did not schedule a retry");

      handle.cancel();

      PlexIoException e = assertInstanceOf(PlexIoException.class, callback.await());
      assertEquals("Canceled", e.getCause().getMessage());
      assertTrue(handle.isCanceled());
      // The retry's time comes: it sends nothing, and the callback hears nothing more.
      retry.run();
      call.assertRequest(take(server));
      assertNull(server.takeRequest(200, TimeUnit.MILLISECONDS), "a retry was sent after cancel");
    }
    assertEquals(1, callback.outcomes.size(), callback.outcomes.toString());
    assertTrue(callback.threads.get(0).startsWith("OkHttp"), callback.threads.toString());
  }

  @ParameterizedTest
  @MethodSource("callbacks")
  void cancelInFlightEndsTheCallWithPlexIoException(SpecCall call) throws Exception {
    server.setDispatcher(always(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE)));
    Recording callback = new Recording();
    try (PlexAuthClient client = builderFor(server).maxRetries(2).build()) {
      PlexCancellable handle = start(call, client, callback);
      call.assertRequest(take(server));

      handle.cancel();
      handle.cancel();

      PlexIoException e = assertInstanceOf(PlexIoException.class, callback.await());
      assertNotNull(e.getCause());
      assertNull(server.takeRequest(200, TimeUnit.MILLISECONDS), "a retry was sent after cancel");
    }
    assertEquals(1, callback.outcomes.size(), callback.outcomes.toString());
  }

  @ParameterizedTest
  @MethodSource("callbacks")
  void nullCallbackIsRefusedByNameAndNothingIsSent(SpecCall call) {
    try (PlexAuthClient client = builderFor(server).build()) {
      NullPointerException e = assertThrows(NullPointerException.class,
          () -> start(call, client, null));

      assertTrue(e.getMessage().contains("callback"), e.getMessage());
    }
    assertEquals(0, server.getRequestCount());
  }

  @ParameterizedTest
  @MethodSource("callbacks")
  void closedClientRefusesTheCallAndSendsNothing(SpecCall call) {
    PlexAuthClient client = builderFor(server).build();
    client.close();
    Recording callback = new Recording();

    assertThrows(IllegalStateException.class, () -> start(call, client, callback));

    assertEquals(List.of(), callback.outcomes);
    assertEquals(0, server.getRequestCount());
  }

  static Stream<Arguments> callbacksWithOwnedOrCallersClient() {
    return SpecCall.callbacks().flatMap(call ->
        Stream.of(Arguments.of(call, false), Arguments.of(call, true)));
  }

  @ParameterizedTest(name = "{0} caller's OkHttpClient: {1}")
  @MethodSource("callbacksWithOwnedOrCallersClient")
  void closeDuringTheWaitEndsTheCallAtOnceWithTheAnswerItWouldHaveRetried(
      SpecCall call, boolean callersClient) throws Exception {
    server.setDispatcher(always(status(503, HTML, "<h1>busy</h1>")));
    BlockingQueue<Runnable> pendingRetries = new LinkedBlockingQueue<>();
    OkHttpClient caller = new OkHttpClient();
    PlexAuthClient.Builder builder =
        builderFor(server).maxRetries(3).scheduler(FacadeTestSupport.handingOverTo(pendingRetries));
    PlexAuthClient client = (callersClient ? builder.okHttpClient(caller) : builder).build();
    Recording callback = new Recording();
    start(call, client, callback);
    Runnable retry = pendingRetries.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(retry, "the first 503 did not schedule a retry");

    client.close();

    PlexHttpException e = assertInstanceOf(PlexHttpException.class, callback.await());
    assertEquals(503, e.code());
    assertEquals("<h1>busy</h1>", e.body());
    assertTrue(callback.threads.get(0).startsWith("OkHttp"), callback.threads.toString());
    retry.run(); // the retry's time comes after close(): nothing is sent
    call.assertRequest(take(server));
    assertNull(server.takeRequest(200, TimeUnit.MILLISECONDS), "a retry was sent after close()");
    assertEquals(1, callback.outcomes.size(), callback.outcomes.toString());
    caller.dispatcher().executorService().shutdown();
  }

  /** Every operation every way: blocking, with a future and with a callback. */
  static Stream<SpecCall> everyWay() {
    return Stream.concat(SpecCall.sync(), SpecCall.async());
  }

  @ParameterizedTest
  @MethodSource("everyWay")
  void aCallTheCallersOkHttpClientCancelsIsNotRetried(SpecCall call) throws Exception {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    server.enqueue(call.ok());
    OkHttpClient caller = new OkHttpClient();
    try (PlexAuthClient client = builderFor(server).maxRetries(2).okHttpClient(caller).build()) {
      CompletableFuture<?> outcome = call.async ? call.start(client)
          : CompletableFuture.supplyAsync(() -> call.call(client));
      call.assertRequest(take(server));

      caller.dispatcher().cancelAll();

      ExecutionException e = assertThrows(ExecutionException.class,
          () -> outcome.get(WAIT_SECONDS, TimeUnit.SECONDS));
      assertInstanceOf(PlexIoException.class, e.getCause());
      assertNull(server.takeRequest(200, TimeUnit.MILLISECONDS), "a cancelled call was retried");
    }
    caller.dispatcher().executorService().shutdown();
  }

  @ParameterizedTest
  @MethodSource("callbacks")
  void cancelOfAQueuedCallEndsItAtOnceAndSendsNothing(SpecCall call) throws Exception {
    server.setDispatcher(always(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE)));
    OkHttpClient caller = new OkHttpClient();
    caller.dispatcher().setMaxRequestsPerHost(1);
    Recording running = new Recording();
    Recording queued = new Recording();
    try (PlexAuthClient client = builderFor(server).okHttpClient(caller).build()) {
      PlexCancellable first = start(call, client, running);
      call.assertRequest(take(server));
      PlexCancellable second = start(call, client, queued);
      assertEquals(1, caller.dispatcher().queuedCallsCount());

      second.cancel();

      assertInstanceOf(PlexIoException.class, queued.await());
      assertEquals(List.of(), running.outcomes, "the queued call ended only when the first did");
      first.cancel();
      assertInstanceOf(PlexIoException.class, running.await());
    }
    assertNull(server.takeRequest(200, TimeUnit.MILLISECONDS), "the cancelled call was sent");
    assertEquals(1, queued.outcomes.size(), queued.outcomes.toString());
    caller.dispatcher().executorService().shutdown();
  }

  @ParameterizedTest
  @MethodSource("callbacks")
  void closeRefusesTheQueuedCallsOfAnOwnedClientAtOnce(SpecCall call) throws Exception {
    server.setDispatcher(always(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE)));
    PlexAuthClient client = builderFor(server).build();
    List<Recording> runningCalls = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) { // OkHttp runs 5 calls per host at once
      Recording running = new Recording();
      runningCalls.add(running);
      start(call, client, running);
      take(server);
    }
    Recording queued = new Recording();
    start(call, client, queued);

    client.close();

    PlexIoException e = assertInstanceOf(PlexIoException.class, queued.await());
    assertNotNull(e.getCause());
    for (Recording running : runningCalls) {
      assertEquals(List.of(), running.outcomes, "the queued call waited for a running one");
    }
    assertEquals(5, server.getRequestCount(), "the queued call was sent");
  }
}
