package dev.plexauth;

import dev.plexauth.contract.ContractInterceptor;
import static dev.plexauth.FacadeTestSupport.CALLER_TOKEN;
import static dev.plexauth.FacadeTestSupport.CLIENT_ID;
import static dev.plexauth.FacadeTestSupport.SOURCE;
import static dev.plexauth.FacadeTestSupport.TRANSIENT_TOKEN;
import static dev.plexauth.FacadeTestSupport.WAIT_SECONDS;
import static dev.plexauth.FacadeTestSupport.assertNoSecrets;
import static dev.plexauth.FacadeTestSupport.failureOf;
import static dev.plexauth.FacadeTestSupport.fixture;
import static dev.plexauth.FacadeTestSupport.json;
import static dev.plexauth.FacadeTestSupport.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.Call;
import okhttp3.Dns;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TLS verification is always on (plex-auth-facts.md section 5): PMS certificates cover {@code
 * *.<hash>.plex.direct}, not the bare IP, so https works by the plex.direct name and fails by IP,
 * and a caller brings extra trust through its own OkHttpClient. A test CA stands in for Plex's; a
 * custom {@link Dns} resolves the plex.direct name to loopback, so nothing leaves the machine.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PlexDirectTlsTest {
  private static final String HASH = "93b10b279ff8456686414add109854cd";
  private static final String OTHER_HASH = "0123456789abcdef0123456789abcdef";
  private static final String PLEX_DIRECT_NAME = "127-0-0-1." + HASH + ".plex.direct";
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private static HeldCertificate testCa;
  private static HandshakeCertificates serverCertificates;
  private static HandshakeCertificates trustingTheTestCa;

  private MockWebServer server;
  private final AtomicInteger connectAttempts = new AtomicInteger();

  @BeforeAll
  static void issueCertificates() {
    testCa = new HeldCertificate.Builder()
        .certificateAuthority(0)
        .commonName("plex-auth test CA")
        .build();
    HeldCertificate serverCertificate = new HeldCertificate.Builder()
        .commonName("*." + HASH + ".plex.direct")
        .addSubjectAlternativeName("*." + HASH + ".plex.direct")
        .signedBy(testCa)
        .build();
    serverCertificates = new HandshakeCertificates.Builder()
        .heldCertificate(serverCertificate, testCa.certificate())
        .build();
    trustingTheTestCa = new HandshakeCertificates.Builder()
        .addTrustedCertificate(testCa.certificate())
        .build();
  }

  @BeforeEach
  void startHttpsServer() throws IOException {
    assertEquals("127.0.0.1", LOOPBACK.getHostAddress(), "the plex.direct name below encodes it");
    server = new MockWebServer();
    server.useHttps(serverCertificates.sslSocketFactory(), false);
    server.start(LOOPBACK, 0);
  }

  @AfterEach
  void stopServer() throws IOException {
    server.shutdown();
  }

  @Test
  void byIpTheCallFailsHostnameVerificationOnceAndSendsNothing() {
    server.enqueue(json(fixture("transient-token.json")));
    PlexAuthClient client = clientFor("https://127.0.0.1:" + server.getPort(), trustingCaller());

    PlexIoException e = assertThrows(PlexIoException.class, client::getTransientToken);

    assertInstanceOf(SSLPeerUnverifiedException.class, e.getCause());
    assertTrue(e.getMessage().contains("the server's certificate does not name 127.0.0.1: PMS's"
        + " certificates name its plex.direct hosts"), e.getMessage());
    assertTrue(e.getMessage().contains("docs/TLS.md"), e.getMessage());
    assertTrue(e.getMessage().contains("*." + HASH + ".plex.direct"),
        "the certificate's names are kept: " + e.getMessage());
    assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\\u000A"),
        "one line: " + e.getMessage());
    assertNoSecrets(e);
    assertEquals(1, connectAttempts.get(), "a certificate failure is not retried");
    assertEquals(0, server.getRequestCount(), "no request, so no token, reached the server");
  }

  @Test
  void byIpTheAsyncCallFailsTheSameWay() throws Exception {
    PlexAuthClient client = clientFor("https://127.0.0.1:" + server.getPort(), trustingCaller());

    PlexIoException e =
        failureOf(client.getSourceConnectionInformationAsync(SOURCE), PlexIoException.class);

    assertInstanceOf(SSLPeerUnverifiedException.class, e.getCause());
    assertNoSecrets(e);
    assertEquals(1, connectAttempts.get());
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void byThePlexDirectNameTheCallSucceedsAndCarriesTheToken() throws Exception {
    server.enqueue(json(fixture("transient-token.json")));
    PlexAuthClient client = clientFor(plexDirectUrl(), trustingCaller());

    assertEquals(TRANSIENT_TOKEN, client.getTransientToken().token());

    RecordedRequest request = take(server);
    assertNotNull(request.getHandshake(), "the request came over TLS");
    // TLS lets OkHttp and MockWebServer agree on HTTP/2, where the name travels as :authority.
    assertEquals(PLEX_DIRECT_NAME + ":" + server.getPort(), request.getHeader(":authority"));
    assertEquals("/security/token?type=delegation&scope=all", request.getPath());
    assertEquals(CALLER_TOKEN, request.getHeader("X-Plex-Token"));
    assertEquals(CLIENT_ID, request.getHeader("X-Plex-Client-Identifier"));
  }

  @Test
  void aPlexDirectNameOfAnotherServerFailsHostnameVerification() {
    String otherServer = "127-0-0-1." + OTHER_HASH + ".plex.direct";
    PlexAuthClient client = clientFor(
        "https://" + otherServer + ":" + server.getPort(), trustingCaller(otherServer));

    PlexIoException e = assertThrows(PlexIoException.class, client::getTransientToken);

    assertInstanceOf(SSLPeerUnverifiedException.class, e.getCause());
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void aCallerWithoutTheCaInItsTrustStoreFailsTheHandshake() {
    OkHttpClient systemTrustOnly = counting(new OkHttpClient.Builder())
        .dns(loopbackFor(PLEX_DIRECT_NAME))
        .build();
    PlexAuthClient client = clientFor(plexDirectUrl(), systemTrustOnly);

    PlexIoException e = assertThrows(PlexIoException.class, client::getTransientToken);

    assertInstanceOf(SSLHandshakeException.class, e.getCause());
    assertTrue(e.getMessage().contains("the server's certificate is not trusted"), e.getMessage());
    assertTrue(e.getMessage().contains("plex.direct") && e.getMessage().contains("docs/TLS.md"),
        e.getMessage());
    assertFalse(e.getMessage().contains("PKIX"), "the JDK's words are left to the cause: "
        + e.getMessage());
    assertNoSecrets(e);
    assertEquals(1, connectAttempts.get(), "an untrusted certificate is not retried");
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void theSdksOwnClientTrustsOnlyTheSystemStore() {
    PlexAuthClient client = clientFor("https://127.0.0.1:" + server.getPort(), null);

    PlexIoException e = assertThrows(PlexIoException.class, client::getTransientToken);

    assertInstanceOf(SSLHandshakeException.class, e.getCause());
    assertEquals(0, server.getRequestCount());
    client.close();
  }

  @Test
  void aRedirectFromHttpsToHttpIsRefused() throws Exception {
    MockWebServer plain = new MockWebServer();
    plain.start(LOOPBACK, 0);
    try {
      plain.enqueue(json(fixture("transient-token.json")));
      server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location",
          "http://" + PLEX_DIRECT_NAME + ":" + plain.getPort()
              + "/security/token?type=delegation&scope=all"));
      PlexAuthClient client = clientFor(plexDirectUrl(), trustingCaller());

      PlexHttpException e = assertThrows(PlexHttpException.class, client::getTransientToken);

      assertEquals(302, e.code());
      assertNoSecrets(e);
      assertEquals(CALLER_TOKEN, take(server).getHeader("X-Plex-Token"));
      assertEquals(0, plain.getRequestCount(), "nothing goes out in clear text");
    } finally {
      plain.shutdown();
    }
  }

  private String plexDirectUrl() {
    return "https://" + PLEX_DIRECT_NAME + ":" + server.getPort();
  }

  /** A caller's OkHttpClient that trusts the test CA and resolves the plex.direct name. */
  private OkHttpClient trustingCaller() {
    return trustingCaller(PLEX_DIRECT_NAME);
  }

  private OkHttpClient trustingCaller(String plexDirectName) {
    return counting(new OkHttpClient.Builder())
        .sslSocketFactory(trustingTheTestCa.sslSocketFactory(), trustingTheTestCa.trustManager())
        .dns(loopbackFor(plexDirectName))
        .build();
  }

  /** Counts TCP connection attempts, to prove that a TLS failure is not tried again. */
  private OkHttpClient.Builder counting(OkHttpClient.Builder builder) {
    return builder.eventListener(new EventListener() {
      @Override
      public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
        connectAttempts.incrementAndGet();
      }
    });
  }

  /** Resolves exactly one name to loopback, like a split-horizon DNS; anything else is unknown. */
  private static Dns loopbackFor(String name) {
    return hostname -> {
      if (hostname.equals(name)) {
        return List.of(LOOPBACK);
      }
      throw new UnknownHostException("not resolved in tests: " + hostname);
    };
  }

  /** A client with the default retry policy, so that a retried TLS failure would show. */
  private static PlexAuthClient clientFor(String baseUrl, OkHttpClient caller) {
    return PlexAuthClient.builder()
        .wireObserver(ContractInterceptor.requestsOnly()) // every request checked against the spec
        .baseUrl(baseUrl)
        .token(CALLER_TOKEN)
        .clientIdentifier(CLIENT_ID)
        .okHttpClient(caller)
        .retryDelay(Duration.ofMillis(1))
        .connectTimeout(Duration.ofSeconds(5))
        .readTimeout(Duration.ofSeconds(5))
        .callTimeout(Duration.ofSeconds(WAIT_SECONDS))
        .build();
  }
}
