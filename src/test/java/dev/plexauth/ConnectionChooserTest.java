package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.ACCESS_TOKEN;
import static dev.plexauth.FacadeTestSupport.CALLER_TOKEN;
import static dev.plexauth.FacadeTestSupport.CLIENT_ID;
import static dev.plexauth.FacadeTestSupport.SERVER_ID;
import static dev.plexauth.FacadeTestSupport.WAIT_SECONDS;
import static dev.plexauth.FacadeTestSupport.assertNoSecrets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.ConnectionCandidate.Outcome;
import dev.plexauth.model.Connection;
import dev.plexauth.model.SourceConnectionInformation;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Choosing one of a source's connections: every candidate is a real loopback server (https ones
 * with a {@code *.<hash>.plex.direct} certificate from a test CA, reached through a {@link Dns}
 * that resolves plex.direct names to loopback), so ranking, probing, TLS and the grace period run
 * for real. The grace timer is the test's: it runs when the test says, so no test waits on the
 * clock.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnectionChooserTest {
  private static final String HASH = "93b10b279ff8456686414add109854cd";
  private static final String OTHER_SERVER_ID = "0000000000000000000000000000000000000bad";
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private static HandshakeCertificates serverCertificates;
  private static OkHttpClient okHttp;

  private final List<MockWebServer> servers = new ArrayList<>();
  private final List<Gate> gates = new ArrayList<>();
  private PlexAuthClient client;

  @BeforeAll
  static void issueCertificates() {
    HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0)
        .commonName("plex-auth chooser test CA").build();
    HeldCertificate plexDirect = new HeldCertificate.Builder()
        .commonName("*." + HASH + ".plex.direct")
        .addSubjectAlternativeName("*." + HASH + ".plex.direct")
        .signedBy(ca).build();
    serverCertificates = new HandshakeCertificates.Builder()
        .heldCertificate(plexDirect, ca.certificate()).build();
    HandshakeCertificates trust = new HandshakeCertificates.Builder()
        .addTrustedCertificate(ca.certificate()).build();
    okHttp = new OkHttpClient.Builder()
        .sslSocketFactory(trust.sslSocketFactory(), trust.trustManager())
        .dns(hostname -> hostname.endsWith(".plex.direct")
            ? Collections.singletonList(LOOPBACK) : Dns.SYSTEM.lookup(hostname))
        .build();
  }

  @AfterEach
  void tearDown() throws IOException {
    for (Gate gate : gates) {
      gate.release.countDown();
    }
    if (client != null) {
      client.close();
    }
    for (MockWebServer server : servers) {
      server.shutdown();
    }
  }

  // ---- ranking ----

  @Test
  void ranksLocalThenRemoteThenRelayAndHttpsBeforeHttpKeepingTheSourcesOrderBetweenEquals()
      throws Exception {
    Connection relay = connection(https(SERVER_ID), false, true);
    Connection remoteHttp = connection(http(SERVER_ID), false, false);
    Connection remote = connection(https(SERVER_ID), false, false);
    Connection localHttp = connection(http(SERVER_ID), true, false);
    Connection localA = connection(https(SERVER_ID), true, false);
    Connection localB = connection(https(SERVER_ID), true, false);
    // A relay flagged local too is still a relay.
    Connection relayLocal = connection(https(SERVER_ID), true, true);
    SourceConnectionInformation source =
        source(relay, remoteHttp, remote, localHttp, localA, localB, relayLocal);

    ConnectionChoice choice =
        ConnectionChooser.builder(client()).allowHttp(true).build().choose(source);

    List<Connection> order = new ArrayList<>();
    for (ConnectionCandidate candidate : choice.candidates()) {
      order.add(candidate.connection());
      assertEquals(order.size(), candidate.rank());
    }
    assertEquals(List.of(localA, localB, localHttp, remote, remoteHttp, relay, relayLocal), order);
    assertEquals(localA.uri() + "/", choice.uri());
    assertEquals(Outcome.CHOSEN, choice.chosen().outcome());
    assertEquals(1, choice.chosen().rank());
  }

  @Test
  void theBestRankedAnswerWinsAtOnceWhenNothingBetterIsUnderWay() throws Exception {
    Gate remoteHeld = hold();
    Connection local = connection(https(SERVER_ID), true, false);
    Connection remote = connection(https(SERVER_ID, remoteHeld), false, false);
    TestTimer timer = new TestTimer();

    ConnectionChoice choice = chooser(timer).choose(source(remote, local));

    assertEquals(local.uri() + "/", choice.uri());
    assertEquals(Outcome.STOPPED, choice.candidates().get(1).outcome());
    assertEquals(0, timer.scheduled.size(), "no grace period when the best answered first");
  }

  // ---- grace period ----

  @Test
  void aBetterRankedCandidateThatAnswersWithinTheGracePeriodWins() throws Exception {
    Gate localHeld = hold();
    Connection local = connection(https(SERVER_ID, localHeld), true, false);
    Connection remote = connection(https(SERVER_ID), false, false);
    TestTimer timer = new TestTimer();

    CompletableFuture<ConnectionChoice> choosing = chooser(timer).chooseAsync(source(remote, local));
    assertNotNull(timer.scheduled.poll(WAIT_SECONDS, TimeUnit.SECONDS),
        "the remote answer starts the grace period");
    assertFalse(choosing.isDone(), "the local candidate is still under way, within its grace");
    localHeld.release.countDown();
    ConnectionChoice choice = choosing.get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertEquals(local.uri() + "/", choice.uri());
    assertEquals(Outcome.CHOSEN, choice.candidates().get(0).outcome());
    assertEquals(Outcome.ANSWERED, choice.candidates().get(1).outcome());
    assertEquals(ConnectionChooser.DEFAULT_GRACE_PERIOD_MILLIS,
        TimeUnit.NANOSECONDS.toMillis(timer.delays.get(0)));
  }

  @Test
  void whenTheGracePeriodEndsTheBestThatAnsweredWinsAndTheRestAreStopped() throws Exception {
    Gate localHeld = hold();
    Gate relayHeld = hold();
    Connection local = connection(https(SERVER_ID, localHeld), true, false);
    Connection relay = connection(https(SERVER_ID, relayHeld), false, true);
    Connection remote = connection(https(SERVER_ID), false, false);
    TestTimer timer = new TestTimer();

    CompletableFuture<ConnectionChoice> choosing =
        chooser(timer).chooseAsync(source(relay, remote, local));
    Runnable graceOver = timer.scheduled.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(graceOver, "the remote answer starts the grace period");
    graceOver.run();
    ConnectionChoice choice = choosing.get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertEquals(remote.uri() + "/", choice.uri());
    ConnectionCandidate stoppedLocal = choice.candidates().get(0);
    assertEquals(Outcome.STOPPED, stoppedLocal.outcome());
    assertEquals(local.uri() + "/", stoppedLocal.uri());
    assertEquals("no answer within the grace period after a worse-ranked one answered",
        stoppedLocal.detail());
    ConnectionCandidate stoppedRelay = choice.candidates().get(2);
    assertEquals(Outcome.STOPPED, stoppedRelay.outcome());
    assertEquals("a better-ranked candidate was chosen first", stoppedRelay.detail());
    assertEquals(1, timer.delays.size(), "one grace period per choosing");
  }

  @Test
  void theGracePeriodIsReallyTimedWhenNotReplaced() throws Exception {
    Gate localHeld = hold();
    Connection local = connection(https(SERVER_ID, localHeld), true, false);
    Connection remote = connection(https(SERVER_ID), false, false);

    ConnectionChoice choice = ConnectionChooser.builder(client())
        .gracePeriod(Duration.ofMillis(1)).build().choose(source(remote, local));

    assertEquals(remote.uri() + "/", choice.uri());
    assertEquals(Outcome.STOPPED, choice.candidates().get(0).outcome());
  }

  // ---- what a probe sends ----

  @Test
  void noProbeCarriesAToken() throws Exception {
    Connection local = connection(https(SERVER_ID), true, false);
    Connection other = connection(https(OTHER_SERVER_ID), true, false);
    Connection remote = connection(https(SERVER_ID), false, false);
    Connection relay = connection(http(SERVER_ID), false, true);
    // A caller's interceptor that adds the token to everything, and rebuilds each request
    // without Retrofit's tags (which name the operation), must not get it onto a probe.
    OkHttpClient addsToken = okHttp.newBuilder().addInterceptor(chain -> chain.proceed(
        new okhttp3.Request.Builder().url(chain.request().url())
            .headers(chain.request().headers()).header("X-Plex-Token", CALLER_TOKEN).build()))
        .build();
    client = PlexAuthClient.builder().baseUrl("http://127.0.0.1:9/").token(CALLER_TOKEN)
        .clientIdentifier(CLIENT_ID).product("Chooser Test").okHttpClient(addsToken).build();

    ConnectionChooser.builder(client).allowHttp(true).gracePeriod(5, TimeUnit.SECONDS).build()
        .choose(source(relay, remote, other, local));

    int probes = 0;
    for (MockWebServer server : servers) {
      for (RecordedRequest request = server.takeRequest(0, TimeUnit.SECONDS); request != null;
          request = server.takeRequest(0, TimeUnit.SECONDS)) {
        probes++;
        assertEquals("GET", request.getMethod());
        assertEquals("/identity", request.getPath());
        assertNull(request.getHeader("X-Plex-Token"), "a probe carried the token");
        assertFalse(request.getHeaders().toString().contains(CALLER_TOKEN));
        assertFalse(request.getHeaders().toString().contains(ACCESS_TOKEN));
        assertEquals(CLIENT_ID, request.getHeader("X-Plex-Client-Identifier"));
        assertEquals("application/json", request.getHeader("Accept"));
      }
    }
    assertTrue(probes >= 1, "at least the chosen candidate was probed");
  }

  @Test
  void aCandidateAnsweringAsAnotherServerIsRejected() throws Exception {
    Connection impostor = connection(https(OTHER_SERVER_ID), true, false);
    Connection remote = connection(https(SERVER_ID), false, false);

    ConnectionChoice choice = chooser(new TestTimer()).choose(source(remote, impostor));

    assertEquals(remote.uri() + "/", choice.uri());
    ConnectionCandidate rejected = choice.candidates().get(0);
    assertEquals(Outcome.OTHER_SERVER, rejected.outcome());
    assertTrue(rejected.detail().contains(OTHER_SERVER_ID), rejected.detail());
  }

  // ---- http ----

  @Test
  void plainHttpIsNotProbedByDefault() throws Exception {
    MockWebServer httpServer = identityServer(SERVER_ID, null);
    Connection local = connection("http://127.0.0.1:" + httpServer.getPort(), true, false);
    Connection relay = connection(https(SERVER_ID), false, true);

    ConnectionChoice choice = ConnectionChooser.of(client()).choose(source(local, relay));

    assertEquals(relay.uri() + "/", choice.uri());
    assertEquals(Outcome.HTTP_NOT_ALLOWED, choice.candidates().get(0).outcome());
    assertEquals(0, httpServer.getRequestCount(), "nothing was sent over http");
  }

  @Test
  void plainHttpIsProbedWhenAllowed() throws Exception {
    Connection local = connection(http(SERVER_ID), true, false);
    Connection relay = connection(https(SERVER_ID), false, true);

    ConnectionChoice choice =
        ConnectionChooser.builder(client()).allowHttp(true).build().choose(source(relay, local));

    assertEquals(local.uri() + "/", choice.uri());
    assertEquals("http", choice.connection().protocol());
  }

  @Test
  void aConnectionWithoutUriIsReachedByProtocolAddressAndPort() throws Exception {
    MockWebServer server = identityServer(SERVER_ID, null);
    Connection parts = Connection.builder().protocol("http").address("127.0.0.1")
        .port(server.getPort()).local(true).build();

    ConnectionChoice choice =
        ConnectionChooser.builder(client()).allowHttp(true).build().choose(source(parts));

    assertEquals("http://127.0.0.1:" + server.getPort() + "/", choice.uri());
  }

  // ---- TLS ----

  @Test
  void httpsByBareIpFailsVerificationAndThePlexDirectNameIsUsed() throws Exception {
    MockWebServer server = identityServer(SERVER_ID, null);
    server.useHttps(serverCertificates.sslSocketFactory(), false);
    // The client checks the certificate's names after the handshake, and leaves without a request.
    UnansweredRequests.requestlessConnectionsExpectedOn(server);
    Connection byIp = connection("https://127.0.0.1:" + server.getPort(), true, false);
    Connection byName = connection(https(SERVER_ID), false, false);

    ConnectionChoice choice = chooser(new TestTimer()).choose(source(byName, byIp));

    ConnectionCandidate failed = choice.candidates().get(0);
    assertEquals(Outcome.FAILED, failed.outcome());
    assertInstanceOf(PlexIoException.class, failed.failure());
    assertInstanceOf(SSLPeerUnverifiedException.class, failed.failure().getCause());
    assertEquals(byName.uri() + "/", choice.uri());
  }

  // ---- none works ----

  @Test
  void whenNoCandidateWorksOneExceptionListsEveryCandidateAndWhy() throws Exception {
    int refused = closedPort();
    Connection refusing = connection("https://127-0-0-1." + HASH + ".plex.direct:" + refused,
        true, false);
    Connection impostor = connection(https(OTHER_SERVER_ID), false, false);
    Connection http = connection(http(SERVER_ID), false, false);
    Connection broken = Connection.builder().uri("ftp://example.invalid/").build();
    MockWebServer erroring = server(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse().setResponseCode(500).setBody("<html>500</html>");
      }
    }, true);
    Connection fiveHundred = connection(plexDirect(erroring), false, true);

    PlexNoConnectionException none = assertThrows(PlexNoConnectionException.class,
        () -> ConnectionChooser.of(client())
            .choose(source(broken, fiveHundred, http, impostor, refusing)));

    List<Outcome> outcomes = new ArrayList<>();
    for (ConnectionCandidate candidate : none.candidates()) {
      outcomes.add(candidate.outcome());
      assertNotNull(candidate.detail(), candidate.toString());
    }
    assertEquals(List.of(Outcome.FAILED, Outcome.OTHER_SERVER, Outcome.HTTP_NOT_ALLOWED,
        Outcome.FAILED, Outcome.UNUSABLE), outcomes);
    assertInstanceOf(PlexIoException.class, none.candidates().get(0).failure());
    assertInstanceOf(PlexHttpException.class, none.candidates().get(3).failure());
    String message = none.getMessage();
    assertTrue(message.startsWith("no connection of server://" + SERVER_ID
        + " answered as that server (5 candidates)"), message);
    for (String expected : new String[] {"1. " + refusing.uri() + "/: failed",
        "2. " + impostor.uri() + "/: other-server", "3. " + http.uri() + "/: http-not-allowed",
        "4. " + fiveHundred.uri() + "/: failed", "5. (no usable uri): unusable"}) {
      assertTrue(message.contains(expected), expected + " in " + message);
    }
    assertNoSecrets(none);
  }

  @Test
  void aSourceWithoutConnectionsHasNothingToChoose() {
    PlexNoConnectionException none = assertThrows(PlexNoConnectionException.class,
        () -> ConnectionChooser.of(client()).choose(source()));
    assertEquals(0, none.candidates().size());
    assertTrue(none.getMessage().contains("lists none"), none.getMessage());
  }

  @Test
  void theWholeChoosingEndsAtTheDeadlineEvenWithProbesStillQueuedAndThoseAreNeverSent()
      throws Exception {
    // Seven candidates on one host: OkHttp runs five at once and queues the rest.
    List<Gate> held = new ArrayList<>();
    List<Connection> stalled = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      Gate gate = hold();
      held.add(gate);
      stalled.add(connection(https(SERVER_ID, gate), false, false));
    }
    okhttp3.Dispatcher dispatcher = new okhttp3.Dispatcher();
    CountDownLatch idle = new CountDownLatch(1);
    dispatcher.setIdleCallback(idle::countDown);
    client = PlexAuthClient.builder().baseUrl("http://127.0.0.1:9/").token(CALLER_TOKEN)
        .clientIdentifier(CLIENT_ID).okHttpClient(okHttp.newBuilder().dispatcher(dispatcher)
            .build()).build();
    TestTimer timer = new TestTimer();
    CompletableFuture<ConnectionChoice> choosing =
        chooser(timer).chooseAsync(source(stalled.toArray(new Connection[0])));
    for (int i = 0; i < 5; i++) {
      held.get(i).awaitArrival();
    }
    assertEquals(2, dispatcher.queuedCallsCount());
    Runnable deadline = timer.deadlines.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(deadline, "a choosing has a deadline");

    deadline.run();

    ExecutionException failed = assertThrows(ExecutionException.class,
        () -> choosing.get(WAIT_SECONDS, TimeUnit.SECONDS));
    PlexNoConnectionException none =
        assertInstanceOf(PlexNoConnectionException.class, failed.getCause());
    for (ConnectionCandidate candidate : none.candidates()) {
      assertEquals(Outcome.STOPPED, candidate.outcome());
      assertEquals("no answer within the probe timeout and grace period", candidate.detail());
    }
    assertTrue(idle.await(WAIT_SECONDS, TimeUnit.SECONDS), "the probes were not stopped");
    assertEquals(0, servers.get(5).getRequestCount() + servers.get(6).getRequestCount(),
        "a queued probe was sent after the choosing ended");
  }

  @Test
  void aConnectionListedTwiceIsProbedOnce() throws Exception {
    MockWebServer server = identityServer(SERVER_ID, null);
    server.useHttps(serverCertificates.sslSocketFactory(), false);
    Connection once = connection(plexDirect(server), true, false);
    Connection again = connection(plexDirect(server) + "/", false, false);

    ConnectionChoice choice = chooser(new TestTimer()).choose(source(again, once));

    assertEquals(Outcome.CHOSEN, choice.candidates().get(0).outcome());
    assertEquals(Outcome.DUPLICATE, choice.candidates().get(1).outcome());
    assertEquals("the same URL as rank 1", choice.candidates().get(1).detail());
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void aMalformedUriFallsBackToProtocolAddressAndPortAndOtherwiseSaysWhatItHas()
      throws Exception {
    MockWebServer server = identityServer(SERVER_ID, null);
    Connection parts = Connection.builder().uri("not a uri").protocol("http")
        .address("127.0.0.1").port(server.getPort()).local(true).build();
    Connection nothing = Connection.builder().uri("ftp://files.example/").protocol("gopher")
        .address("127.0.0.1").port(70).build();

    ConnectionChoice choice = ConnectionChooser.builder(client()).allowHttp(true).build()
        .choose(source(nothing, parts));

    assertEquals("http://127.0.0.1:" + server.getPort() + "/", choice.uri());
    ConnectionCandidate unusable = choice.candidates().get(1);
    assertEquals(Outcome.UNUSABLE, unusable.outcome());
    assertEquals("uri \"ftp://files.example/\" is not an http or https base URL, and protocol"
        + " \"gopher\", address \"127.0.0.1\" and port 70 make none either", unusable.detail());
  }

  @Test
  void reasonsShowNoUserInfoQueryOrControlCharacterOfWhatTheServerSent() throws Exception {
    Connection hidden = Connection.builder()
        .uri("https://owner:pass-word@10.0.0.1:32400/?X-Plex-Token=" + CALLER_TOKEN + "#frag")
        .build();
    Connection impostor = connection(https(SERVER_ID.substring(1) + "\u001b]0;owned\u0007"), true,
        false);

    PlexNoConnectionException none = assertThrows(PlexNoConnectionException.class,
        () -> ConnectionChooser.of(client()).choose(source(hidden, impostor)));

    String forged = none.candidates().get(0).detail();
    assertTrue(forged.contains("\\u001B]0;owned\\u0007"), forged);
    String unusable = none.candidates().get(1).detail();
    assertTrue(unusable.startsWith("uri \"https://10.0.0.1:32400/...\" is not"), unusable);
    for (String text : new String[] {forged, unusable, none.getMessage()}) {
      assertFalse(text.contains("pass-word") || text.contains(CALLER_TOKEN)
          || text.contains("\u001b"), text);
    }
  }

  @Test
  void theMessageOfManyFailuresNamesTwentyAndCountsTheRest() {
    List<Connection> many = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      many.add(Connection.builder().uri("ftp://host" + i + ".example/").build());
    }
    PlexNoConnectionException none = assertThrows(PlexNoConnectionException.class,
        () -> ConnectionChooser.of(client()).choose(source(many.toArray(new Connection[0]))));
    assertEquals(25, none.candidates().size());
    assertTrue(none.getMessage().contains("20. (no usable uri): unusable"), none.getMessage());
    assertFalse(none.getMessage().contains("21. "), none.getMessage());
    assertTrue(none.getMessage().endsWith("; and 5 more (see candidates())"), none.getMessage());
  }

  // ---- cancellation ----

  @Test
  void cancellingTheFutureStopsEveryProbe() throws Exception {
    Gate localHeld = hold();
    Gate remoteHeld = hold();
    Connection local = connection(https(SERVER_ID, localHeld), true, false);
    Connection remote = connection(https(SERVER_ID, remoteHeld), false, false);
    okhttp3.Dispatcher dispatcher = new okhttp3.Dispatcher();
    CountDownLatch idle = new CountDownLatch(1);
    dispatcher.setIdleCallback(idle::countDown);
    client = PlexAuthClient.builder().baseUrl("http://127.0.0.1:9/").token(CALLER_TOKEN)
        .clientIdentifier(CLIENT_ID).okHttpClient(okHttp.newBuilder().dispatcher(dispatcher)
            .build()).build();
    CompletableFuture<ConnectionChoice> choosing =
        chooser(new TestTimer()).chooseAsync(source(local, remote));
    localHeld.awaitArrival();
    remoteHeld.awaitArrival();
    assertEquals(2, dispatcher.runningCallsCount());

    assertTrue(choosing.cancel(true));

    assertThrows(CancellationException.class, choosing::get);
    // The servers still hold their answers: only the cancel can end the calls.
    assertTrue(idle.await(WAIT_SECONDS, TimeUnit.SECONDS), "the probes were not stopped");
    assertEquals(0, dispatcher.runningCallsCount());
  }

  @Test
  void cancellingTheCallbackFormStopsTheProbesAndReportsOnce() throws Exception {
    Gate held = hold();
    Connection local = connection(https(SERVER_ID, held), true, false);
    LinkedBlockingQueue<Object> outcomes = new LinkedBlockingQueue<>();
    PlexCancellable choosing = chooser(new TestTimer()).chooseAsync(source(local),
        new PlexCallback<ConnectionChoice>() {
          @Override
          public void onSuccess(ConnectionChoice result) {
            outcomes.add(result);
          }

          @Override
          public void onFailure(PlexException failure) {
            outcomes.add(failure);
          }
        });
    held.awaitArrival();

    choosing.cancel();
    choosing.cancel();

    Object outcome = outcomes.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertInstanceOf(PlexIoException.class, outcome);
    assertEquals("choosing a connection of server://" + SERVER_ID
        + " was cancelled; the probes were stopped", ((PlexException) outcome).getMessage());
    assertTrue(choosing.isCanceled());
  }

  @Test
  void anInterruptedChooseStopsTheProbesAndKeepsTheInterrupt() throws Exception {
    Gate held = hold();
    Connection local = connection(https(SERVER_ID, held), true, false);
    ConnectionChooser chooser = chooser(new TestTimer());
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> interrupted = new AtomicReference<>();
    Thread caller = new Thread(() -> {
      try {
        chooser.choose(source(local));
      } catch (RuntimeException e) {
        thrown.set(e);
        interrupted.set(Thread.currentThread().isInterrupted());
      }
    });
    caller.start();
    held.awaitArrival();
    caller.interrupt();
    caller.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));

    assertInstanceOf(PlexIoException.class, thrown.get());
    assertTrue(interrupted.get());
  }

  // ---- using the choice ----

  @Test
  void theChoicesClientSendsTheSourcesAccessTokenToTheChosenConnectionOnTheSameConnection()
      throws Exception {
    MockWebServer chosen = identityServer(SERVER_ID, null);
    chosen.useHttps(serverCertificates.sslSocketFactory(), false);
    Connection local = connection(plexDirect(chosen), true, false);

    ConnectionChoice choice = ConnectionChooser.of(client()).choose(source(local));
    RecordedRequest probe = chosen.takeRequest(WAIT_SECONDS, TimeUnit.SECONDS);
    try (PlexAuthClient server = choice.newClient()) {
      assertEquals(SERVER_ID, server.getServerIdentity().machineIdentifier());
      server.getTransientToken(); // a token operation, to see which token goes
    }
    RecordedRequest identity = chosen.takeRequest(WAIT_SECONDS, TimeUnit.SECONDS);
    RecordedRequest tokenRequest = chosen.takeRequest(WAIT_SECONDS, TimeUnit.SECONDS);

    assertNull(probe.getHeader("X-Plex-Token"));
    assertNull(identity.getHeader("X-Plex-Token"));
    assertEquals(ACCESS_TOKEN, tokenRequest.getHeader("X-Plex-Token"));
    assertEquals("/security/token?type=delegation&scope=all", tokenRequest.getPath());
    assertTrue(identity.getSequenceNumber() > 0, "the probe's TLS connection was reused");
  }

  @Test
  void aSourceWithoutAccessTokenGivesNoClient() throws Exception {
    Connection local = connection(https(SERVER_ID), true, false);
    SourceConnectionInformation source = source(local).newBuilder().accessToken(null).build();

    ConnectionChoice choice = ConnectionChooser.of(client()).choose(source);

    IllegalStateException refused = assertThrows(IllegalStateException.class, choice::newClient);
    assertTrue(refused.getMessage().contains("no accessToken"), refused.getMessage());
  }

  // ---- settings ----

  @Test
  void settingsAreCheckedAndNamed() {
    PlexAuthClient plex = client();
    assertEquals("probeTimeout must not be zero (a probe needs a limit)",
        assertThrows(IllegalArgumentException.class, () -> ConnectionChooser.builder(plex)
            .probeTimeout(0, TimeUnit.SECONDS).build()).getMessage());
    assertEquals("gracePeriod must not be negative",
        assertThrows(IllegalArgumentException.class, () -> ConnectionChooser.builder(plex)
            .gracePeriod(-1, TimeUnit.SECONDS).build()).getMessage());
    assertEquals("probeTimeout's unit must not be null",
        assertThrows(NullPointerException.class, () -> ConnectionChooser.builder(plex)
            .probeTimeout(1, null).build()).getMessage());
    assertEquals("gracePeriod must not be null",
        assertThrows(NullPointerException.class, () -> ConnectionChooser.builder(plex)
            .gracePeriod((Duration) null).build()).getMessage());
    assertThrows(NullPointerException.class, () -> ConnectionChooser.of(null));
    assertThrows(NullPointerException.class, () -> ConnectionChooser.of(plex).choose(null));
    plex.close();
    assertThrows(IllegalStateException.class,
        () -> ConnectionChooser.of(plex).choose(source(connection(https(SERVER_ID), true, false))));
  }

  // ---- helpers ----

  private PlexAuthClient client() {
    if (client == null) {
      client = PlexAuthClient.builder().baseUrl("http://127.0.0.1:9/").token(CALLER_TOKEN)
          .clientIdentifier(CLIENT_ID).okHttpClient(okHttp).build();
    }
    return client;
  }

  private ConnectionChooser chooser(TestTimer timer) {
    return ConnectionChooser.builder(client()).scheduler(timer).build();
  }

  private Gate hold() {
    Gate gate = new Gate();
    gates.add(gate);
    return gate;
  }

  /** Holds a server's answers: {@link #arrived} opens when a request is in, {@link #release} lets it go. */
  private static final class Gate {
    final CountDownLatch arrived = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    void awaitArrival() throws InterruptedException {
      assertTrue(arrived.await(WAIT_SECONDS, TimeUnit.SECONDS), "no probe arrived");
    }
  }

  private String https(String machineIdentifier) throws IOException {
    return https(machineIdentifier, null);
  }

  private String https(String machineIdentifier, Gate hold) throws IOException {
    MockWebServer server = identityServer(machineIdentifier, hold);
    server.useHttps(serverCertificates.sslSocketFactory(), false);
    return plexDirect(server);
  }

  private static String plexDirect(MockWebServer server) {
    return "https://127-0-0-1." + HASH + ".plex.direct:" + server.getPort();
  }

  private String http(String machineIdentifier) throws IOException {
    return "http://127.0.0.1:" + identityServer(machineIdentifier, null).getPort();
  }

  /** Answers /identity as the given server, after {@code hold} opens when there is one. */
  private MockWebServer identityServer(String machineIdentifier, Gate hold)
      throws IOException {
    return server(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        if (hold != null) {
          hold.arrived.countDown();
          // Longer than any wait of a test: only the test (or tearDown) lets the answer go.
          hold.release.await(2 * WAIT_SECONDS, TimeUnit.SECONDS);
        }
        if ("/identity".equals(request.getPath())) {
          return new MockResponse().setHeader("Content-Type", "application/json")
              .setBody("{\"MediaContainer\":{\"size\":0,\"claimed\":true,\"machineIdentifier\":\""
                  + machineIdentifier + "\",\"version\":\"1.41.3.9314-a0bfb8370\"}}");
        }
        return new MockResponse().setHeader("Content-Type", "application/json")
            .setBody("{\"MediaContainer\":{\"size\":0,\"token\":\"transient-"
                + "90904684-f91a-4391-8bf7-e0dfa7240285\"}}");
      }
    }, false);
  }

  private MockWebServer server(Dispatcher dispatcher, boolean https) throws IOException {
    MockWebServer server = new MockWebServer();
    // HTTP/1.1, as PMS speaks it (and without HTTP/2's logging of every cancelled stream).
    server.setProtocols(List.of(okhttp3.Protocol.HTTP_1_1));
    server.setDispatcher(dispatcher);
    if (https) {
      server.useHttps(serverCertificates.sslSocketFactory(), false);
    }
    server.start(LOOPBACK, 0);
    UnansweredRequests.expectedOn(server);
    servers.add(server);
    return server;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
      return socket.getLocalPort();
    }
  }

  private static Connection connection(String uri, boolean local, boolean relay) {
    return Connection.builder().protocol(uri.startsWith("https") ? "https" : "http")
        .address("127.0.0.1").port(Integer.parseInt(uri.substring(uri.lastIndexOf(':') + 1)
            .replace("/", ""))).uri(uri).local(local).relay(relay).build();
  }

  private static SourceConnectionInformation source(Connection... connections) {
    return SourceConnectionInformation.builder().name("Test server").clientIdentifier(SERVER_ID)
        .accessToken(ACCESS_TOKEN).connections(List.of(connections)).build();
  }

  /**
   * The chooser's timers, run by the test: each grace period waits in {@link #scheduled}, each
   * deadline of a whole choosing (probe timeout plus grace period) in {@link #deadlines}.
   */
  private static final class TestTimer implements RetryScheduler {
    static final long DEADLINE_NANOS = TimeUnit.MILLISECONDS.toNanos(
        ConnectionChooser.DEFAULT_PROBE_TIMEOUT_MILLIS + ConnectionChooser.DEFAULT_GRACE_PERIOD_MILLIS);
    final LinkedBlockingQueue<Runnable> scheduled = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Runnable> deadlines = new LinkedBlockingQueue<>();
    final List<Long> delays = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(long delayNanos) {
      throw new AssertionError("the chooser never sleeps");
    }

    @Override
    public Executor after(long delayNanos) {
      if (delayNanos == DEADLINE_NANOS) {
        return deadlines::add;
      }
      delays.add(delayNanos);
      return scheduled::add;
    }
  }
}
