package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.CALLER_TOKEN;
import static dev.plexauth.FacadeTestSupport.CLIENT_ID;
import static dev.plexauth.FacadeTestSupport.HTML;
import static dev.plexauth.FacadeTestSupport.JSON;
import static dev.plexauth.FacadeTestSupport.WAIT_SECONDS;
import static dev.plexauth.FacadeTestSupport.always;
import static dev.plexauth.FacadeTestSupport.assertNoSecrets;
import static dev.plexauth.FacadeTestSupport.json;
import static dev.plexauth.FacadeTestSupport.status;
import static dev.plexauth.FacadeTestSupport.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.contract.ContractInterceptor;
import dev.plexauth.testing.SpecFixture;
import dev.plexauth.testing.SpecJson;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The retry policy: what is retried, how often, how long the client waits in between, and that
 * retries stay within the call timeout. Every test runs for every operation of the spec (see {@link
 * SpecCall}), sync and async where both apply, with the spec's example answers and arguments; none
 * names an operation. A recording scheduler replaces the real waits, so nothing here sleeps;
 * request counts come from the server.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RetryTest {
  static Stream<SpecCall> calls() {
    return SpecCall.all();
  }

  static Stream<SpecCall> syncCalls() {
    return SpecCall.sync();
  }

  static Stream<SpecCall> asyncCalls() {
    return SpecCall.async();
  }

  /**
   * Records every requested wait and does not wait: synchronous calls come through {@link
   * #sleep}, asynchronous ones through {@link #after}, whose executor runs the retry at once.
   */
  static final class RecordingScheduler implements RetryScheduler {
    final List<Duration> slept = new CopyOnWriteArrayList<>();
    final List<Duration> scheduled = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(long delayNanos) {
      slept.add(Duration.ofNanos(delayNanos));
    }

    @Override
    public Executor after(long delayNanos) {
      scheduled.add(Duration.ofNanos(delayNanos));
      return Runnable::run;
    }

    /** Every requested wait, in order, whichever way the call waited. */
    List<Duration> delays() {
      List<Duration> all = new ArrayList<>(slept);
      all.addAll(scheduled);
      return all;
    }
  }

  private MockWebServer server;
  private RecordingScheduler scheduler;
  private final List<PlexAuthClient> clients = new ArrayList<>();

  @BeforeEach
  void startServer() throws IOException {
    server = new MockWebServer();
    server.start();
    UnansweredRequests.expectedOn(server);
    scheduler = new RecordingScheduler();
  }

  @AfterEach
  void stopServer() throws IOException {
    clients.forEach(PlexAuthClient::close);
    server.shutdown();
  }

  /** A builder with the default retry settings, the recording scheduler and short timeouts. */
  private PlexAuthClient.Builder retrying() {
    return PlexAuthClient.builder()
        .wireObserver(ContractInterceptor.requestsOnly()) // every request checked against the spec
        .baseUrl(server.url("/").toString())
        .token(CALLER_TOKEN)
        .clientIdentifier(CLIENT_ID)
        .product("Retry Test")
        .connectTimeout(Duration.ofSeconds(5))
        .readTimeout(Duration.ofSeconds(5))
        .callTimeout(Duration.ofSeconds(WAIT_SECONDS))
        .scheduler(scheduler);
  }

  private PlexAuthClient build(PlexAuthClient.Builder builder) {
    PlexAuthClient client = builder.build();
    clients.add(client);
    return client;
  }

  private static final List<Integer> RETRYABLE = List.of(429, 502, 503, 504);

  private static Stream<Arguments> retryableStatusesForEveryCall() {
    return RETRYABLE.stream()
        .flatMap(code -> SpecCall.all().map(call -> Arguments.of(code, call)));
  }

  /** Common error statuses and every other one the operation's spec declares, none retryable. */
  private static Stream<Arguments> finalStatusesForEveryCall() {
    return SpecCall.all().flatMap(call -> {
      Set<Integer> codes = new TreeSet<>(List.of(400, 401, 403, 404, 500));
      for (String status : call.fixture.spec().getResponses().keySet()) {
        if (status.matches("[3-5][0-9][0-9]")) {
          codes.add(Integer.parseInt(status));
        }
      }
      codes.removeAll(RETRYABLE);
      return codes.stream().map(code -> Arguments.of(code, call));
    });
  }

  /** Asserts that the server saw exactly {@code count} identical requests for the call. */
  private List<RecordedRequest> assertIdenticalRequests(SpecCall call, int count) throws Exception {
    assertEquals(count, server.getRequestCount(), "requests sent");
    List<RecordedRequest> requests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      requests.add(take(server));
    }
    RecordedRequest first = requests.get(0);
    assertEquals("Retry Test", first.getHeader("X-Plex-Product"));
    for (RecordedRequest request : requests) {
      call.assertRequest(request);
      assertEquals(first.getPath(), request.getPath());
      assertEquals(first.getHeaders(), request.getHeaders());
    }
    return requests;
  }

  // --- what is retried -------------------------------------------------------------------------

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("retryableStatusesForEveryCall")
  void retryableStatusIsRetriedTwiceByDefaultAndTheThirdAnswerWins(int code, SpecCall call)
      throws Exception {
    server.enqueue(status(code, HTML, "<html>busy</html>"));
    server.enqueue(status(code, HTML, "<html>busy</html>"));
    server.enqueue(call.ok());
    PlexAuthClient client = build(retrying());

    Object result = call.run(client);

    call.assertOk(result);
    assertIdenticalRequests(call, 3);
    assertEquals(2, scheduler.delays().size(), "waits " + scheduler.delays());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("retryableStatusesForEveryCall")
  void retryableStatusThatOutlastsTheRetriesBecomesHttpExceptionAfterThreeRequests(
      int code, SpecCall call) throws Exception {
    server.setDispatcher(always(status(code, HTML, "<html>busy</html>")));
    PlexAuthClient client = build(retrying());

    PlexHttpException e = assertThrows(PlexHttpException.class, () -> call.run(client));

    assertEquals(code, e.code());
    assertEquals("<html>busy</html>", e.body());
    assertIdenticalRequests(call, 3);
    assertEquals(2, scheduler.delays().size(), "waits " + scheduler.delays());
    assertNoSecrets(e, call.secrets());
  }

  @ParameterizedTest
  @MethodSource("calls")
  void syncCallsWaitOnTheirThreadAndAsyncCallsScheduleTheRetry(SpecCall call) throws Exception {
    server.enqueue(status(503, HTML, ""));
    server.enqueue(call.ok());
    PlexAuthClient client = build(retrying());

    call.assertOk(call.run(client));

    assertEquals(call.async ? 0 : 1, scheduler.slept.size(), "blocking waits");
    assertEquals(call.async ? 1 : 0, scheduler.scheduled.size(), "scheduled waits");
    assertIdenticalRequests(call, 2);
  }

  @ParameterizedTest
  @MethodSource("calls")
  void connectionDroppedBeforeAnyResponseIsRetried(SpecCall call) throws Exception {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
    server.enqueue(call.ok());
    PlexAuthClient client = build(retrying());

    Object result = call.run(client);

    call.assertOk(result);
    assertEquals(1, scheduler.delays().size(), "waits " + scheduler.delays());
    // The dropped connection is counted by the server without a request line.
    assertEquals(2, server.getRequestCount());
    take(server);
    call.assertRequest(take(server));
  }

  @ParameterizedTest
  @MethodSource("calls")
  void connectionDroppedAtEveryAttemptBecomesIoExceptionAfterTheRetries(SpecCall call)
      throws Exception {
    server.setDispatcher(
        always(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START)));
    PlexAuthClient client = build(retrying());

    PlexIoException e = assertThrows(PlexIoException.class, () -> call.run(client));

    assertInstanceOf(IOException.class, e.getCause());
    assertEquals(2, scheduler.delays().size(), "waits " + scheduler.delays());
    assertEquals(3, server.getRequestCount());
    assertNoSecrets(e, call.secrets());
  }

  @ParameterizedTest
  @MethodSource("calls")
  void connectionDroppedAfterTheRequestIsRetried(SpecCall call) throws Exception {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    server.enqueue(call.ok());
    PlexAuthClient client = build(retrying());

    call.assertOk(call.run(client));

    assertEquals(1, scheduler.delays().size(), "waits " + scheduler.delays());
    assertIdenticalRequests(call, 2);
  }

  @ParameterizedTest
  @MethodSource("calls")
  void refusedConnectionIsRetriedThenBecomesIoExceptionWithTheConnectCause(SpecCall call)
      throws Exception {
    MockWebServer closed = new MockWebServer();
    closed.start();
    String url = closed.url("/").toString();
    closed.shutdown();
    AtomicInteger attempts = new AtomicInteger();
    OkHttpClient counting = new OkHttpClient.Builder()
        .addInterceptor(chain -> {
          attempts.incrementAndGet();
          return chain.proceed(chain.request());
        })
        .build();
    PlexAuthClient client = build(retrying().baseUrl(url).okHttpClient(counting));

    PlexIoException e = assertThrows(PlexIoException.class, () -> call.run(client));

    assertInstanceOf(ConnectException.class, e.getCause());
    assertEquals(3, attempts.get(), "attempts");
    assertEquals(2, scheduler.delays().size(), "waits " + scheduler.delays());
    assertNoSecrets(e, call.secrets());
  }

  @ParameterizedTest
  @MethodSource("calls")
  void bodyCutShortIsNotRetried(SpecCall call) throws Exception {
    server.enqueue(call.ok().setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
    server.enqueue(call.ok());
    PlexAuthClient client = build(retrying());

    PlexIoException e = assertThrows(PlexIoException.class, () -> call.run(client));

    assertInstanceOf(IOException.class, e.getCause());
    assertIdenticalRequests(call, 1);
    assertEquals(List.of(), scheduler.delays());
    assertNoSecrets(e, call.secrets());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("finalStatusesForEveryCall")
  void otherErrorStatusIsNeverRetried(int code, SpecCall call) throws Exception {
    server.enqueue(status(code, HTML, "<html>no</html>").setHeader("Retry-After", "1"));
    server.enqueue(call.ok());
    PlexAuthClient client = build(retrying());

    PlexHttpException e = assertThrows(PlexHttpException.class, () -> call.run(client));

    assertEquals(code, e.code());
    assertEquals(code == 401 || code == 403, e instanceof PlexUnauthorizedException);
    assertIdenticalRequests(call, 1);
    assertEquals(List.of(), scheduler.delays());
  }

  /**
   * 2xx answers that cannot be used, for each operation: empty, HTML, its XML form, 204, its
   * example without each required property, and its example cut in half.
   */
  private static Stream<Arguments> unusableBodiesForEveryCall() {
    List<Arguments> all = new ArrayList<>();
    SpecCall.all().forEach(call -> {
      SpecFixture fixture = call.fixture;
      String xml = fixture.okXml() != null ? fixture.okXml()
          : "<MediaContainer size=\"0\"></MediaContainer>";
      all.add(Arguments.of("empty", status(200, JSON, ""), call));
      all.add(Arguments.of("html", status(200, HTML, "<html><body>Plex Web</body></html>"), call));
      all.add(Arguments.of("xml", status(200, "text/xml;charset=utf-8", xml), call));
      all.add(Arguments.of("204", new MockResponse().setResponseCode(204), call));
      for (SpecJson.Site site : SpecJson.sites(fixture)) {
        if (site.required()) {
          all.add(Arguments.of("without " + site.jsonPath(),
              json(SpecJson.remove(fixture.okJson(), site)), call));
        }
      }
      String example = fixture.okJson();
      all.add(Arguments.of("cut in half", json(example.substring(0, example.length() / 2)), call));
    });
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("unusableBodiesForEveryCall")
  void unusableSuccessBodyIsNeverRetried(String name, MockResponse answer, SpecCall call)
      throws Exception {
    server.enqueue(answer);
    server.enqueue(call.ok());
    PlexAuthClient client = build(retrying());

    PlexDecodingException e = assertThrows(PlexDecodingException.class, () -> call.run(client));

    assertEquals(answer.getStatus().contains("204") ? 204 : 200, e.code(), name);
    assertIdenticalRequests(call, 1);
    assertEquals(List.of(), scheduler.delays());
  }

  // --- how often -------------------------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("calls")
  void maxRetriesZeroSendsOneRequest(SpecCall call) throws Exception {
    server.enqueue(status(503, HTML, ""));
    server.enqueue(call.ok());
    PlexAuthClient client = build(retrying().maxRetries(0));

    PlexHttpException e = assertThrows(PlexHttpException.class, () -> call.run(client));

    assertEquals(503, e.code());
    assertIdenticalRequests(call, 1);
    assertEquals(List.of(), scheduler.delays());
  }

  @ParameterizedTest
  @MethodSource("calls")
  void maxRetriesZeroDoesNotRetryADroppedConnection(SpecCall call) throws Exception {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
    server.enqueue(call.ok());
    PlexAuthClient client = build(retrying().maxRetries(0));

    assertThrows(PlexIoException.class, () -> call.run(client));

    assertEquals(1, server.getRequestCount());
    assertEquals(List.of(), scheduler.delays());
  }

  @ParameterizedTest
  @MethodSource("calls")
  void maxRetriesOneSendsTwoRequests(SpecCall call) throws Exception {
    server.enqueue(status(502, HTML, ""));
    server.enqueue(status(502, HTML, ""));
    server.enqueue(call.ok());
    PlexAuthClient client = build(retrying().maxRetries(1));

    PlexHttpException e = assertThrows(PlexHttpException.class, () -> call.run(client));

    assertEquals(502, e.code());
    assertIdenticalRequests(call, 2);
    assertEquals(1, scheduler.delays().size());
  }

  @ParameterizedTest
  @MethodSource("calls")
  void maxRetriesOneSucceedsOnTheSecondRequest(SpecCall call) throws Exception {
    server.enqueue(status(504, HTML, ""));
    server.enqueue(call.ok());
    PlexAuthClient client = build(retrying().maxRetries(1));

    call.assertOk(call.run(client));

    assertIdenticalRequests(call, 2);
  }

  @ParameterizedTest
  @MethodSource("calls")
  void maxRetriesTenSendsElevenRequests(SpecCall call) throws Exception {
    server.setDispatcher(always(status(503, HTML, "")));
    PlexAuthClient client =
        build(retrying().maxRetries(10).retryDelay(Duration.ofMillis(1)));

    PlexHttpException e = assertThrows(PlexHttpException.class, () -> call.run(client));

    assertEquals(503, e.code());
    assertIdenticalRequests(call, 11);
    assertEquals(10, scheduler.delays().size());
  }

  // --- how long --------------------------------------------------------------------------------

  private static void assertBetween(long minMillis, long maxMillis, Duration actual, String what) {
    assertTrue(
        actual.compareTo(Duration.ofMillis(minMillis)) >= 0
            && actual.compareTo(Duration.ofMillis(maxMillis)) <= 0,
        what + " " + actual + " not in [" + minMillis + ", " + maxMillis + "] ms");
  }

  @ParameterizedTest
  @MethodSource("calls")
  void backoffDoublesFromRetryDelayWithJitterInTheSecondHalf(SpecCall call) throws Exception {
    server.enqueue(status(503, HTML, ""));
    server.enqueue(status(503, HTML, ""));
    server.enqueue(call.ok());
    PlexAuthClient client = build(retrying().retryDelay(Duration.ofMillis(100)));

    call.assertOk(call.run(client));

    List<Duration> delays = scheduler.delays();
    assertEquals(2, delays.size(), "waits " + delays);
    assertBetween(50, 100, delays.get(0), "first wait");
    assertBetween(100, 200, delays.get(1), "second wait");
  }

  @ParameterizedTest
  @MethodSource("calls")
  void defaultRetryDelayIsHalfASecondDoubling(SpecCall call) throws Exception {
    server.setDispatcher(always(status(503, HTML, "")));
    PlexAuthClient client = build(retrying());

    assertThrows(PlexHttpException.class, () -> call.run(client));

    List<Duration> delays = scheduler.delays();
    assertEquals(2, delays.size(), "waits " + delays);
    assertBetween(250, 500, delays.get(0), "first wait");
    assertBetween(500, 1000, delays.get(1), "second wait");
  }

  @ParameterizedTest
  @MethodSource("calls")
  void jitterSpreadsTheWaitsOfRepeatedCalls(SpecCall call) throws Exception {
    server.setDispatcher(always(status(503, HTML, "")));
    PlexAuthClient client = build(retrying().maxRetries(1).retryDelay(Duration.ofMillis(100)));

    for (int i = 0; i < 10; i++) {
      assertThrows(PlexHttpException.class, () -> call.run(client));
    }

    List<Duration> delays = scheduler.delays();
    assertEquals(10, delays.size());
    for (Duration delay : delays) {
      assertBetween(50, 100, delay, "wait");
    }
    assertTrue(new HashSet<>(delays).size() > 1, "ten identical waits: no jitter " + delays);
  }

  @ParameterizedTest
  @MethodSource("calls")
  void backoffIsCappedByMaxRetryDelay(SpecCall call) throws Exception {
    server.setDispatcher(always(status(503, HTML, "")));
    PlexAuthClient client = build(retrying()
        .maxRetries(4)
        .retryDelay(Duration.ofMillis(100))
        .maxRetryDelay(Duration.ofMillis(150)));

    assertThrows(PlexHttpException.class, () -> call.run(client));

    List<Duration> delays = scheduler.delays();
    assertEquals(4, delays.size(), "waits " + delays);
    assertBetween(50, 100, delays.get(0), "first wait");
    for (Duration later : delays.subList(1, 4)) {
      assertBetween(75, 150, later, "capped wait");
    }
    assertEquals(5, server.getRequestCount());
  }

  @ParameterizedTest
  @MethodSource("calls")
  void retryAfterInSecondsIsTheWait(SpecCall call) throws Exception {
    server.enqueue(status(429, HTML, "").setHeader("Retry-After", "2"));
    server.enqueue(call.ok());
    PlexAuthClient client = build(retrying());

    call.assertOk(call.run(client));

    assertEquals(List.of(Duration.ofSeconds(2)), scheduler.delays());
    assertIdenticalRequests(call, 2);
  }

  @ParameterizedTest
  @MethodSource("calls")
  void retryAfterAsAnHttpDateIsTheWaitUntilThatDate(SpecCall call) throws Exception {
    Instant now = Instant.parse("2024-05-01T12:00:00Z");
    String threeSecondsLater = DateTimeFormatter.RFC_1123_DATE_TIME.format(
        ZonedDateTime.ofInstant(now.plusSeconds(3), ZoneOffset.UTC));
    server.enqueue(status(503, HTML, "").setHeader("Retry-After", threeSecondsLater));
    server.enqueue(call.ok());
    PlexAuthClient client = build(retrying().clock(now::toEpochMilli));

    call.assertOk(call.run(client));

    assertEquals("Wed, 1 May 2024 12:00:03 GMT", threeSecondsLater);
    assertEquals(List.of(Duration.ofSeconds(3)), scheduler.delays());
    assertIdenticalRequests(call, 2);
  }

  @ParameterizedTest
  @MethodSource("calls")
  void retryAfterInTheObsoleteDateFormsIsReadToo(SpecCall call) throws Exception {
    Instant now = Instant.parse("2024-05-01T12:00:00Z");
    // RFC 9110 section 5.6.7: recipients accept the RFC 850 and asctime forms as well.
    server.enqueue(status(503, HTML, "").setHeader("Retry-After", "Wednesday, 01-May-24 12:00:04 GMT"));
    server.enqueue(status(503, HTML, "").setHeader("Retry-After", "Wed May  1 12:00:02 2024"));
    server.enqueue(call.ok());
    PlexAuthClient client = build(retrying().clock(now::toEpochMilli));

    call.assertOk(call.run(client));

    assertEquals(List.of(Duration.ofSeconds(4), Duration.ofSeconds(2)), scheduler.delays());
    assertIdenticalRequests(call, 3);
  }

  @Test
  void theApi21FormsOfTheSpansSetWhatTheDurationFormsSet() {
    PlexAuthClient.Builder units = retrying()
        .connectTimeout(7, TimeUnit.SECONDS).readTimeout(1500, TimeUnit.MILLISECONDS)
        .writeTimeout(2, TimeUnit.MINUTES).callTimeout(90, TimeUnit.SECONDS)
        .retryDelay(250_000, TimeUnit.MICROSECONDS).maxRetryDelay(4, TimeUnit.SECONDS);
    PlexAuthClient.Builder durations = retrying()
        .connectTimeout(Duration.ofSeconds(7)).readTimeout(Duration.ofMillis(1500))
        .writeTimeout(Duration.ofMinutes(2)).callTimeout(Duration.ofSeconds(90))
        .retryDelay(Duration.ofMillis(250)).maxRetryDelay(Duration.ofSeconds(4));

    PlexAuthConfig a = new PlexAuthConfig(units);
    PlexAuthConfig b = new PlexAuthConfig(durations);

    assertEquals(List.of(7_000L, 1_500L, 120_000L, 90_000L, 250L, 4_000L), spans(a));
    assertEquals(spans(a), spans(b));
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> retrying().readTimeout(5, null).build());
    assertTrue(e.getMessage().contains("readTimeout"), e.getMessage());
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> retrying().retryDelay(-1, TimeUnit.DAYS).build());
    assertTrue(negative.getMessage().contains("retryDelay must not be negative"),
        negative.getMessage());
    IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
        () -> retrying().callTimeout(Long.MAX_VALUE, TimeUnit.DAYS).build());
    assertTrue(huge.getMessage().contains("callTimeout must be at most about 24 days"), huge.getMessage());
  }

  private static List<Long> spans(PlexAuthConfig config) {
    return List.of(config.connectTimeoutMillis(), config.readTimeoutMillis(),
        config.writeTimeoutMillis(), config.callTimeoutMillis(), config.retryDelayMillis(),
        config.maxRetryDelayMillis());
  }

  @ParameterizedTest
  @MethodSource("calls")
  void retryAfterDateInThePastMeansRetryAtOnce(SpecCall call) throws Exception {
    Instant now = Instant.parse("2024-05-01T12:00:00Z");
    server.enqueue(status(503, HTML, "").setHeader("Retry-After", "Wed, 1 May 2024 11:59:00 GMT"));
    server.enqueue(call.ok());
    PlexAuthClient client = build(retrying().clock(now::toEpochMilli));

    call.assertOk(call.run(client));

    assertEquals(List.of(Duration.ZERO), scheduler.delays());
    assertIdenticalRequests(call, 2);
  }

  @ParameterizedTest
  @MethodSource("calls")
  void unreadableRetryAfterFallsBackToTheBackoff(SpecCall call) throws Exception {
    server.enqueue(status(503, HTML, "").setHeader("Retry-After", "soon"));
    server.enqueue(call.ok());
    PlexAuthClient client = build(retrying().retryDelay(Duration.ofMillis(100)));

    call.assertOk(call.run(client));

    assertEquals(1, scheduler.delays().size());
    assertBetween(50, 100, scheduler.delays().get(0), "wait");
    assertIdenticalRequests(call, 2);
  }

  @ParameterizedTest
  @MethodSource("calls")
  void retryAfterLongerThanMaxRetryDelayIsNotRetriedAndIsExposed(SpecCall call) throws Exception {
    // A call timeout far beyond the wait, so that only maxRetryDelay (30 s) refuses it.
    assertRetryAfterNotWaited(call, 429, 31, Duration.ofMinutes(5));
  }

  @ParameterizedTest
  @MethodSource("calls")
  void retryAfterDateLaterThanMaxRetryDelayIsNotRetriedAndIsExposed(SpecCall call)
      throws Exception {
    Instant now = Instant.parse("2024-05-01T12:00:00Z");
    server.enqueue(status(503, HTML, "").setHeader("Retry-After", "Wed, 1 May 2024 12:01:00 GMT"));
    server.enqueue(call.ok());
    PlexAuthClient client = build(retrying()
        .maxRetryDelay(Duration.ofSeconds(10))
        .callTimeout(Duration.ofMinutes(5))
        .clock(now::toEpochMilli));

    PlexHttpException e = assertThrows(PlexHttpException.class, () -> call.run(client));

    assertEquals(503, e.code());
    assertEquals(Duration.ofMinutes(1), e.retryAfter().orElseThrow());
    assertIdenticalRequests(call, 1);
    assertEquals(List.of(), scheduler.delays());
  }

  @ParameterizedTest
  @MethodSource("calls")
  void rateLimitThatOutlastsTheRetriesExposesRetryAfter(SpecCall call) throws Exception {
    server.setDispatcher(always(status(429, HTML, "").setHeader("Retry-After", "1")));
    PlexAuthClient client = build(retrying());

    PlexHttpException e = assertThrows(PlexHttpException.class, () -> call.run(client));

    assertEquals(429, e.code());
    assertFalse(e instanceof PlexUnauthorizedException);
    assertEquals(Duration.ofSeconds(1), e.retryAfter().orElseThrow());
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1)), scheduler.delays());
    assertIdenticalRequests(call, 3);
  }

  @ParameterizedTest
  @MethodSource("calls")
  void unavailableWithoutRetryAfterHasNoRetryAfter(SpecCall call) throws Exception {
    server.setDispatcher(always(status(503, HTML, "")));
    PlexAuthClient client = build(retrying().retryDelay(Duration.ofMillis(1)));

    PlexHttpException e = assertThrows(PlexHttpException.class, () -> call.run(client));

    assertEquals(503, e.code());
    assertTrue(e.retryAfter().isEmpty(), "retryAfter " + e.retryAfter());
    assertEquals(3, server.getRequestCount());
  }

  /** The retried answers echo the caller's token and every secret of the operation's example. */
  @ParameterizedTest
  @MethodSource("calls")
  void exceptionsAfterRetriesNeverCarryATokenFromTheRetriedAnswers(SpecCall call)
      throws Exception {
    List<String> secrets = new ArrayList<>(List.of(call.secrets()));
    secrets.add(CALLER_TOKEN);
    server.setDispatcher(always(status(503, HTML, "<html>" + String.join(" ", secrets) + "</html>")
        .setHeader("Retry-After", "1")));
    PlexAuthClient client = build(retrying());

    PlexHttpException e = assertThrows(PlexHttpException.class, () -> call.run(client));

    assertIdenticalRequests(call, 3);
    assertEquals(Duration.ofSeconds(1), e.retryAfter().orElseThrow());
    for (String secret : secrets) {
      assertFalse(e.body().contains(secret), e.body());
    }
    assertTrue(e.body().startsWith("<html>"), e.body());
    assertNoSecrets(e, call.secrets());
  }

  // --- statuses OkHttp would retry on its own --------------------------------------------------

  @ParameterizedTest
  @MethodSource("calls")
  void requestTimeoutIsNeverRetried(SpecCall call) throws Exception {
    // OkHttp retries a 408 once by itself unless retryOnConnectionFailure is off.
    server.enqueue(status(408, HTML, "<html>408</html>"));
    server.enqueue(call.ok());
    PlexAuthClient client = build(retrying());

    PlexHttpException e = assertThrows(PlexHttpException.class, () -> call.run(client));

    assertEquals(408, e.code());
    assertIdenticalRequests(call, 1);
    assertEquals(List.of(), scheduler.delays());
  }

  @ParameterizedTest
  @MethodSource("calls")
  void unavailableWithRetryAfterZeroIsRetriedOnlyByThePolicy(SpecCall call) throws Exception {
    // OkHttp retries a 503 with Retry-After: 0 once by itself, doubling every attempt.
    server.setDispatcher(always(status(503, HTML, "").setHeader("Retry-After", "0")));
    PlexAuthClient client = build(retrying());

    PlexHttpException e = assertThrows(PlexHttpException.class, () -> call.run(client));

    assertEquals(503, e.code());
    assertEquals(Duration.ZERO, e.retryAfter().orElseThrow());
    assertEquals(List.of(Duration.ZERO, Duration.ZERO), scheduler.delays());
    assertIdenticalRequests(call, 3);
  }

  @ParameterizedTest
  @MethodSource("calls")
  void maxRetriesZeroSendsOneRequestEvenForRetryAfterZero(SpecCall call) throws Exception {
    server.setDispatcher(always(status(503, HTML, "").setHeader("Retry-After", "0")));
    PlexAuthClient client = build(retrying().maxRetries(0));

    PlexHttpException e = assertThrows(PlexHttpException.class, () -> call.run(client));

    assertEquals(503, e.code());
    assertIdenticalRequests(call, 1);
    assertEquals(List.of(), scheduler.delays());
  }

  // --- within the call timeout -----------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("calls")
  void retriesOfAStalledServerStopAtTheCallTimeout(SpecCall call) throws Exception {
    server.setDispatcher(always(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE)));
    List<Long> attemptTimeouts = new CopyOnWriteArrayList<>();
    OkHttpClient observed = new OkHttpClient.Builder()
        .addInterceptor(chain -> {
          attemptTimeouts.add(chain.call().timeout().timeoutNanos());
          return chain.proceed(chain.request());
        })
        .build();
    PlexAuthClient client = build(retrying()
        .okHttpClient(observed)
        .maxRetries(10)
        .retryDelay(Duration.ofMillis(1))
        .readTimeout(Duration.ofMillis(300))
        .callTimeout(Duration.ofSeconds(1)));

    PlexIoException e = assertThrows(PlexIoException.class, () -> call.run(client));

    InterruptedIOException cause = assertInstanceOf(InterruptedIOException.class, e.getCause());
    assertTrue(String.valueOf(cause.getMessage()).contains("timeout")
        || cause instanceof SocketTimeoutException, "cause " + cause);
    // Each attempt waits at least the 300 ms read timeout, so at most four fit in one second;
    // without the call timeout ten retries would give eleven requests.
    int requests = server.getRequestCount();
    assertTrue(requests >= 1 && requests <= 4, "requests " + requests);
    assertEquals(requests, attemptTimeouts.size(), "attempts " + attemptTimeouts);
    assertEquals(requests - 1, scheduler.delays().size(), "waits " + scheduler.delays());
    // Every attempt gets only what is left of the one call timeout: at most one second, and
    // each at least one read timeout less than the one before.
    assertTrue(attemptTimeouts.get(0) <= TimeUnit.SECONDS.toNanos(1), "first " + attemptTimeouts);
    for (int i = 1; i < attemptTimeouts.size(); i++) {
      assertTrue(attemptTimeouts.get(i)
          <= attemptTimeouts.get(i - 1) - TimeUnit.MILLISECONDS.toNanos(300),
          "attempt timeouts " + attemptTimeouts);
    }
    assertNoSecrets(e, call.secrets());
  }

  @ParameterizedTest
  @MethodSource("calls")
  void retryAfterThatWouldPassTheCallTimeoutIsNotWaited(SpecCall call) throws Exception {
    assertRetryAfterNotWaited(call, 503, 5, Duration.ofSeconds(2));
  }

  /** One answer asking for a wait the client will not make: not retried, the wait exposed. */
  private void assertRetryAfterNotWaited(SpecCall call, int code, int seconds, Duration callTimeout)
      throws Exception {
    server.enqueue(status(code, HTML, "").setHeader("Retry-After", String.valueOf(seconds)));
    server.enqueue(call.ok());
    PlexAuthClient client = build(retrying().callTimeout(callTimeout));

    PlexHttpException e = assertThrows(PlexHttpException.class, () -> call.run(client));

    assertEquals(code, e.code());
    assertEquals(Duration.ofSeconds(seconds), e.retryAfter().orElseThrow());
    assertIdenticalRequests(call, 1);
    assertEquals(List.of(), scheduler.delays());
  }

  @ParameterizedTest
  @MethodSource("calls")
  void backoffThatWouldPassTheCallTimeoutIsNotWaited(SpecCall call) throws Exception {
    server.enqueue(status(502, HTML, ""));
    server.enqueue(call.ok());
    PlexAuthClient client = build(retrying()
        .retryDelay(Duration.ofSeconds(4))
        .callTimeout(Duration.ofSeconds(2)));

    PlexHttpException e = assertThrows(PlexHttpException.class, () -> call.run(client));

    assertEquals(502, e.code());
    assertIdenticalRequests(call, 1);
    assertEquals(List.of(), scheduler.delays());
  }

  @ParameterizedTest
  @MethodSource("syncCalls")
  void interruptedWaitEndsTheSyncCallWithIoException(SpecCall call) throws Exception {
    InterruptedIOException interrupted = new InterruptedIOException("interrupted while waiting");
    RetryScheduler refusing = new RetryScheduler() {
      @Override
      public void sleep(long delayNanos) throws InterruptedIOException {
        throw interrupted;
      }

      @Override
      public Executor after(long delayNanos) {
        throw new AssertionError("a sync call does not schedule");
      }
    };
    server.enqueue(status(503, HTML, ""));
    server.enqueue(call.ok());
    PlexAuthClient client = build(retrying().scheduler(refusing));

    PlexIoException e = assertThrows(PlexIoException.class, () -> call.run(client));

    assertSame(interrupted, e.getCause());
    assertIdenticalRequests(call, 1);
  }

  // --- cancellation ----------------------------------------------------------------------------

  @ParameterizedTest
  @MethodSource("asyncCalls")
  void cancellingTheFutureStopsFurtherRetries(SpecCall call) throws Exception {
    BlockingQueue<Runnable> pendingRetries = new LinkedBlockingQueue<>();
    RetryScheduler handingOver = FacadeTestSupport.handingOverTo(pendingRetries);
    server.setDispatcher(always(status(503, HTML, "")));
    PlexAuthClient client = build(retrying().scheduler(handingOver));
    CompletableFuture<?> future = call.start(client);
    Runnable retry = pendingRetries.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(retry, "the first 503 did not schedule a retry");

    assertTrue(future.cancel(true));
    retry.run();

    assertTrue(future.isCancelled());
    call.assertRequest(take(server));
    assertNull(server.takeRequest(500, TimeUnit.MILLISECONDS), "a retry was sent after cancel");
    assertEquals(1, server.getRequestCount());
    assertTrue(pendingRetries.isEmpty());
  }

  @ParameterizedTest
  @MethodSource("asyncCalls")
  void cancellingInsideTheWaitStopsFurtherRetries(SpecCall call) throws Exception {
    CompletableFuture<CompletableFuture<?>> started = new CompletableFuture<>();
    List<Duration> waits = new CopyOnWriteArrayList<>();
    RetryScheduler cancelling = new RetryScheduler() {
      @Override
      public void sleep(long delayNanos) {
        throw new AssertionError("an async call does not block");
      }

      @Override
      public Executor after(long delayNanos) {
        waits.add(Duration.ofNanos(delayNanos));
        return task -> {
          started.join().cancel(true);
          task.run();
        };
      }
    };
    server.setDispatcher(always(status(503, HTML, "")));
    PlexAuthClient client = build(retrying().scheduler(cancelling));

    CompletableFuture<?> future = call.start(client);
    started.complete(future);

    assertThrows(CancellationException.class,
        () -> future.get(WAIT_SECONDS, TimeUnit.SECONDS));
    call.assertRequest(take(server));
    assertNull(server.takeRequest(500, TimeUnit.MILLISECONDS), "a retry was sent after cancel");
    assertEquals(1, server.getRequestCount());
    assertEquals(1, waits.size(), "waits " + waits);
  }

  @ParameterizedTest
  @MethodSource("asyncCalls")
  void cancellingTheFutureCancelsTheCallInFlightAndRetriesNothing(SpecCall call)
      throws Exception {
    server.setDispatcher(always(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE)));
    CountDownLatch canceled = new CountDownLatch(1);
    OkHttpClient listening = new OkHttpClient.Builder()
        .eventListener(new EventListener() {
          @Override
          public void canceled(okhttp3.Call call) {
            canceled.countDown();
          }
        })
        .build();
    PlexAuthClient client = build(retrying().okHttpClient(listening));

    CompletableFuture<?> future = call.start(client);
    call.assertRequest(take(server));
    future.cancel(true);

    assertThrows(CancellationException.class,
        () -> future.get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertTrue(canceled.await(WAIT_SECONDS, TimeUnit.SECONDS), "the OkHttp call was not cancelled");
    assertNull(server.takeRequest(500, TimeUnit.MILLISECONDS), "a retry was sent after cancel");
    assertEquals(1, server.getRequestCount());
    assertEquals(List.of(), scheduler.delays());
  }

  // --- builder validation ----------------------------------------------------------------------

  private static IllegalArgumentException rejected(PlexAuthClient.Builder builder) {
    return assertThrows(IllegalArgumentException.class, builder::build);
  }

  @Test
  void maxRetriesOutsideZeroToTenIsRejectedByName() {
    for (int bad : new int[] {-1, 11, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
      IllegalArgumentException e = rejected(retrying().maxRetries(bad));
      assertTrue(e.getMessage().contains("maxRetries"), e.getMessage());
    }
    assertNotNull(build(retrying().maxRetries(0)));
    assertNotNull(build(retrying().maxRetries(10)));
  }

  @Test
  void negativeRetryDelayIsRejectedByName() {
    IllegalArgumentException e = rejected(retrying().retryDelay(Duration.ofMillis(-1)));

    assertTrue(e.getMessage().contains("retryDelay"), e.getMessage());
  }

  @Test
  void negativeMaxRetryDelayIsRejectedByName() {
    IllegalArgumentException e = rejected(retrying().maxRetryDelay(Duration.ofSeconds(-1)));

    assertTrue(e.getMessage().contains("maxRetryDelay"), e.getMessage());
  }

  @Test
  void retryDelayAboveMaxRetryDelayIsRejectedNamingBoth() {
    IllegalArgumentException e = rejected(
        retrying().retryDelay(Duration.ofSeconds(2)).maxRetryDelay(Duration.ofSeconds(1)));

    assertTrue(e.getMessage().contains("retryDelay"), e.getMessage());
    assertTrue(e.getMessage().contains("maxRetryDelay"), e.getMessage());
  }

  @Test
  void nullRetryDelaysAreRejectedByName() {
    NullPointerException delay =
        assertThrows(NullPointerException.class, retrying().retryDelay(null)::build);
    NullPointerException max =
        assertThrows(NullPointerException.class, retrying().maxRetryDelay(null)::build);

    assertTrue(delay.getMessage().contains("retryDelay"), delay.getMessage());
    assertTrue(max.getMessage().contains("maxRetryDelay"), max.getMessage());
  }

  @Test
  void rejectedRetrySettingsSendNothing() {
    rejected(retrying().maxRetries(-1));
    rejected(retrying().retryDelay(Duration.ofMillis(-5)));

    assertEquals(0, server.getRequestCount());
  }

  @ParameterizedTest
  @MethodSource("calls")
  void retrySettingsSurviveNewBuilder(SpecCall call) throws Exception {
    server.setDispatcher(always(status(503, HTML, "")));
    PlexAuthClient original = build(retrying().maxRetries(1).retryDelay(Duration.ofMillis(100)));
    PlexAuthClient copy = build(original.newBuilder());

    assertThrows(PlexHttpException.class, () -> call.run(copy));

    assertIdenticalRequests(call, 2);
    assertEquals(1, scheduler.delays().size());
    assertBetween(50, 100, scheduler.delays().get(0), "wait");
  }
}
