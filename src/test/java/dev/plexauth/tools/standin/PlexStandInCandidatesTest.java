package dev.plexauth.tools.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.contract.StandInContract;
import dev.plexauth.tools.standin.ContractObserver.ReceivedRequest;
import dev.plexauth.tools.standin.StandInCandidate.Behaviour;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.w3c.dom.Element;

/**
 * The default source's connections as real loopback listeners: each candidate's address, port,
 * plex.direct name and certificate, and how it answers (at once, late, never, not at all, as
 * another server), reached the way a client would, with OkHttp, the stand-in's DNS and its CA,
 * TLS verification on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PlexStandInCandidatesTest {
  private static final String HASH = StandInSource.PLEX_DIRECT_HASH;

  private final StandInContract contract = StandInContract.responsesOnly();
  private final List<PlexStandIn> started = new ArrayList<>();
  private final List<OkHttpClient> clients = new ArrayList<>();

  @AfterEach
  void closeAll() {
    clients.forEach(client -> {
      client.dispatcher().executorService().shutdownNow();
      client.connectionPool().evictAll();
    });
    started.forEach(PlexStandIn::close);
    contract.assertNoViolations();
  }

  @Test
  void theDefaultSourceListsEachCandidatesRealListenerInOrder() throws Exception {
    PlexStandIn plex = start(PlexStandIn.builder());

    List<StandInConnection> connections = plex.sources().get(0).connections();
    List<StandInListener> listeners = plex.listeners();
    assertEquals(StandInCandidate.defaults().size(), listeners.size());
    assertEquals(7, connections.size());
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < listeners.size(); i++) {
      StandInListener listener = listeners.get(i);
      StandInConnection c = listener.connection();
      assertEquals(c, connections.get(i));
      assertEquals(StandInCandidate.defaults().get(i), listener.candidate());
      assertSame(listener, plex.listener(c));
      assertFalse(listener.onFallbackAddress(), "Linux routes 127.0.0.0/8 to loopback");
      assertEquals("127.0.0." + (i + 2), c.address());
      String dashed = c.address().replace('.', '-');
      assertEquals("https".equals(c.protocol())
          ? "https://" + dashed + "." + HASH + ".plex.direct:" + c.port()
          : "http://" + c.address() + ":" + c.port(), c.uri());
      seen.add(listener.candidate().toString());
    }
    assertEquals(List.of("local https stalled", "local https slow 250 ms", "local http answers",
        "remote https answers", "remote https refusing", "remote https other server",
        "relay https answers"), seen);
    assertTrue(connections.get(6).relay() && !connections.get(6).local());
    assertTrue(connections.get(1).local() && !connections.get(3).local());
    assertNotEquals(plex.port(), connections.get(2).port(), "the main listener is not listed");
  }

  @Test
  void answeringHttpsCandidatesAreVerifiedByTheirPlexDirectNameAndSayWhoTheyAre()
      throws Exception {
    PlexStandIn plex = start(PlexStandIn.builder());
    OkHttpClient client = client(plex, Duration.ofSeconds(10));
    String us = plex.defaultSource().substring("server://".length());

    for (int i : new int[] {3, 5, 6}) {
      StandInConnection c = plex.listeners().get(i).connection();
      try (Response response = client.newCall(identity(c)).execute()) {
        assertEquals(200, response.code());
        X509Certificate presented = (X509Certificate) response.handshake().peerCertificates()
            .get(0);
        assertTrue(presented.getSubjectX500Principal().getName()
            .contains("CN=*." + HASH + ".plex.direct"), presented.toString());
        Element container = PlexStandInWireTest.xml(response.body().string());
        assertEquals(i == 5 ? StandInCandidate.OTHER_MACHINE_IDENTIFIER : us,
            container.getAttribute("machineIdentifier"), c.uri());
      }
    }
    assertTrue(contract.checkedResponses() >= 3, "the candidates' answers were checked");
  }

  @Test
  void byItsBareIpAnHttpsCandidateFailsVerification() throws Exception {
    PlexStandIn plex = start(PlexStandIn.builder());
    StandInConnection c = plex.listeners().get(3).connection();
    Request byIp = new Request.Builder()
        .url("https://" + c.address() + ":" + c.port() + "/identity").build();

    IOException e = assertThrows(IOException.class,
        () -> client(plex, Duration.ofSeconds(10)).newCall(byIp).execute().close());

    assertInstanceOf(SSLPeerUnverifiedException.class, e, e.toString());
  }

  @Test
  void aClientThatTrustsOnlyTheSystemCasRejectsTheStandInsCertificate() throws Exception {
    PlexStandIn plex = start(PlexStandIn.builder());
    OkHttpClient systemTrust = track(new OkHttpClient.Builder().dns(plex.dns()).build());

    assertThrows(javax.net.ssl.SSLHandshakeException.class, () -> systemTrust.newCall(
        identity(plex.listeners().get(3).connection())).execute().close());
  }

  @Test
  void thePlainHttpCandidateAnswersOverHttpWithoutAToken() throws Exception {
    PlexStandIn plex = start(PlexStandIn.builder());
    StandInListener http = plex.listeners().get(2);

    try (Response response = client(plex, Duration.ofSeconds(10))
        .newCall(identity(http.connection())).execute()) {
      assertEquals(200, response.code());
      assertEquals(null, response.handshake());
    }
    ReceivedRequest probe = http.requests().get(0);
    assertEquals("/identity", probe.path());
    assertTrue(probe.headers().keySet().stream().noneMatch("X-Plex-Token"::equalsIgnoreCase));
  }

  @Test
  void aSlowCandidateAnswersNoSoonerThanItsDelay() throws Exception {
    PlexStandIn plex = start(PlexStandIn.builder()
        .candidates(List.of(StandInCandidate.slow(Duration.ofMillis(300)))));
    OkHttpClient client = client(plex, Duration.ofSeconds(10));
    StandInConnection c = plex.listeners().get(0).connection();
    // A first call sets up TLS, so the second measures the answer alone.
    client.newCall(identity(c)).execute().close();

    long before = System.nanoTime();
    try (Response response = client.newCall(identity(c)).execute()) {
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
      assertEquals(200, response.code());
      assertTrue(tookMillis >= 300, "answered after " + tookMillis + " ms");
    }
    assertEquals(2, plex.listeners().get(0).requestCount());
  }

  @Test
  void aStalledCandidateReadsTheRequestAndNeverAnswersUntilClose() throws Exception {
    PlexStandIn plex = start(PlexStandIn.builder().candidates(List.of(StandInCandidate.stalled())));
    StandInListener stalled = plex.listeners().get(0);
    IOException timedOut = assertThrows(IOException.class, () -> client(plex,
        Duration.ofMillis(300)).newCall(identity(stalled.connection())).execute().close());
    assertInstanceOf(SocketTimeoutException.class, timedOut, timedOut.toString());
    assertEquals(1, stalled.requestCount(), "the TLS handshake and the request went through");

    OkHttpClient patient = client(plex, Duration.ofSeconds(30));
    CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
      try (Response response = patient.newCall(identity(stalled.connection())).execute()) {
        return response.code();
      } catch (IOException e) {
        return -1;
      }
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (stalled.requestCount() < 2 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(2, stalled.requestCount(), "the second request did not arrive");
    assertFalse(waiting.isDone(), "a stalled candidate answered");

    long before = System.nanoTime();
    plex.close();

    assertEquals(-1, waiting.get(10, TimeUnit.SECONDS), "close() ends the stalled exchange");
    assertTrue(System.nanoTime() - before < TimeUnit.SECONDS.toNanos(5), "close() was prompt");
  }

  @Test
  void aRefusingCandidateIsReportedButNothingListensThere() throws Exception {
    PlexStandIn plex = start(PlexStandIn.builder());
    StandInListener refusing = plex.listeners().get(4);
    assertEquals(Behaviour.REFUSING, refusing.candidate().behaviour());

    InetAddress address = InetAddress.getByName(refusing.connection().address());
    assertThrows(ConnectException.class,
        () -> new Socket(address, refusing.connection().port()).close());
    assertThrows(ConnectException.class, () -> client(plex, Duration.ofSeconds(5))
        .newCall(identity(refusing.connection())).execute().close());
    assertEquals(List.of(), refusing.requests());
  }

  @Test
  void probesAreRecordedPerListenerSoATestCanTellWhetherATokenWentAlong() throws Exception {
    PlexStandIn plex = start(PlexStandIn.builder());
    OkHttpClient client = client(plex, Duration.ofSeconds(10));
    StandInListener remote = plex.listeners().get(3);
    client.newCall(identity(remote.connection())).execute().close();
    client.newCall(new Request.Builder().url(remote.connection().uri() + "/")
        .header("X-Plex-Token", plex.ownerToken()).build()).execute().close();

    List<ReceivedRequest> requests = remote.requests();
    assertEquals(2, requests.size());
    assertEquals(List.of("/identity", "/"), requests.stream().map(ReceivedRequest::path).toList());
    assertFalse(hasToken(requests.get(0)));
    assertTrue(hasToken(requests.get(1)));
    assertFalse(requests.get(1).toString().contains(plex.ownerToken()), requests.toString());
    assertEquals(List.of(), plex.listeners().get(6).requests(), "nothing went to the relay");
  }

  @Test
  void candidatesShareTheTokensAndARestartForgetsTransientOnesEverywhere() throws Exception {
    PlexStandIn plex = start(PlexStandIn.builder());
    OkHttpClient client = client(plex, Duration.ofSeconds(10));
    String relay = plex.listeners().get(6).connection().uri();
    String minted;
    try (Response response = client.newCall(new Request.Builder()
        .url(relay + "/security/token?type=delegation&scope=all")
        .header("X-Plex-Token", plex.ownerToken()).build()).execute()) {
      minted = PlexStandInWireTest.xml(response.body().string()).getAttribute("token");
    }
    Request rootOnMain = new Request.Builder().url(plex.baseUrl())
        .header("X-Plex-Token", minted).build();
    try (Response response = client.newCall(rootOnMain).execute()) {
      assertEquals(200, response.code(), "a token minted by a candidate works on the main listener");
    }

    plex.restart();

    try (Response response = client.newCall(rootOnMain).execute()) {
      assertEquals(401, response.code());
    }
  }

  @Test
  void theDnsMapsOnlyTheStandInsLoopbackPlexDirectNamesAndDelegatesTheRest() throws Exception {
    PlexStandIn plex = PlexStandIn.builder().build();

    assertEquals(List.of(InetAddress.getByAddress(new byte[] {127, 0, 0, 9})),
        plex.dns().lookup("127-0-0-9." + HASH + ".plex.direct"));
    assertEquals(List.of(InetAddress.getByAddress(new byte[] {127, 0, 0, 9})),
        plex.dns().lookup("127-0-0-9." + HASH.toUpperCase() + ".PLEX.direct"));
    assertThrows(UnknownHostException.class,
        () -> plex.dns().lookup("10-0-0-2." + HASH + ".plex.direct"));
    assertThrows(UnknownHostException.class,
        () -> plex.dns().lookup("127-0-0-300." + HASH + ".plex.direct"));
    assertThrows(UnknownHostException.class,
        () -> plex.dns().lookup("www." + HASH + ".plex.direct"));
    assertTrue(plex.dns().lookup("localhost").stream().allMatch(InetAddress::isLoopbackAddress));
  }

  @Test
  void closeStopsEveryListenerAndNothingStartsTwiceOrAfterClose() throws Exception {
    PlexStandIn plex = start(PlexStandIn.builder());
    assertThrows(IllegalStateException.class, plex::start);
    List<StandInConnection> connections = plex.sources().get(0).connections();
    String prefix = "plex-standin-" + plex.port() + "-";

    plex.close();

    for (StandInConnection c : connections) {
      assertThrows(ConnectException.class,
          () -> new Socket(InetAddress.getByName(c.address()), c.port()).close(), c.uri());
    }
    assertTrue(Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().startsWith(prefix) && t.isAlive()));
    assertThrows(IllegalStateException.class, plex::start);
  }

  @Test
  void candidatesBelongToTheDefaultSourceAndNeedAStartForTheirCa() {
    StandInSource other = StandInSource.of("a", "id", List.of());

    assertThrows(IllegalArgumentException.class, () -> PlexStandIn.builder().source(other)
        .candidates(List.of(StandInCandidate.answering())).build());
    assertThrows(IllegalArgumentException.class, () -> PlexStandIn.builder().candidates(
        List.of(StandInCandidate.otherServer(StandInSource.STAND_IN_CLIENT_IDENTIFIER))).build());
    assertThrows(IllegalArgumentException.class, () -> StandInCandidate.slow(Duration.ZERO));
    assertThrows(IllegalStateException.class, () -> PlexStandIn.builder().build()
        .clientCertificates());
    assertEquals(List.of(), PlexStandIn.builder().build().listeners());
  }

  private PlexStandIn start(PlexStandIn.Builder builder) throws IOException {
    PlexStandIn plex = builder.contractObserver(contract).build();
    started.add(plex);
    return plex.start();
  }

  /** A caller's client for the candidates: the stand-in's DNS and CA, TLS verification on. */
  private OkHttpClient client(PlexStandIn plex, Duration readTimeout) {
    HandshakeCertificates trust = plex.clientCertificates();
    return track(new OkHttpClient.Builder()
        .dns(plex.dns())
        .sslSocketFactory(trust.sslSocketFactory(), trust.trustManager())
        .connectTimeout(Duration.ofSeconds(5))
        .readTimeout(readTimeout)
        .retryOnConnectionFailure(false)
        .build());
  }

  private OkHttpClient track(OkHttpClient client) {
    clients.add(client);
    return client;
  }

  private static Request identity(StandInConnection c) {
    return new Request.Builder().url(c.uri() + "/identity").build();
  }

  private static boolean hasToken(ReceivedRequest request) {
    return request.headers().keySet().stream().anyMatch("X-Plex-Token"::equalsIgnoreCase);
  }
}
