package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.ACCESS_TOKEN;
import static dev.plexauth.FacadeTestSupport.CALLER_TOKEN;
import static dev.plexauth.FacadeTestSupport.CLIENT_ID;
import static dev.plexauth.FacadeTestSupport.SERVER_ID;
import static dev.plexauth.FacadeTestSupport.SOURCE;
import static dev.plexauth.FacadeTestSupport.WAIT_SECONDS;
import static dev.plexauth.FacadeTestSupport.assertNoSecrets;
import static dev.plexauth.FacadeTestSupport.builderFor;
import static dev.plexauth.FacadeTestSupport.fixture;
import static dev.plexauth.FacadeTestSupport.json;
import static dev.plexauth.FacadeTestSupport.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.model.Connection;
import dev.plexauth.model.SourceConnectionInformation;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code getSourceConnectionInformation}: the request it sends, what it returns, how it fails. */
class GetSourceConnectionInformationTest extends PlexOperationContract {
  private static final String TARGET = "/security/resources?source=server%3A%2F%2F" + SERVER_ID;

  private static final List<Connection> OFFICIAL_CONNECTIONS = List.of(
      TestModels.connection("https", "10.0.2.123", 32400,
          "https://10-0-2-123.93b10b279ff8456686414add109854cd.plex.direct:32400", true, false),
      TestModels.connection("https", "64.71.188.222", 32403,
          "https://64-71-188-222.93b10b279ff8456686414add109854cd.plex.direct:32403", false, false),
      TestModels.connection("https", "139.162.158.105", 8443,
          "https://139-162-158-105.93b10b279ff8456686414add109854cd.plex.direct:8443",
          false, true));

  @Override
  Object call(PlexAuthClient client) {
    return client.getSourceConnectionInformation(SOURCE);
  }

  @Override
  CompletableFuture<?> callAsync(PlexAuthClient client) {
    return client.getSourceConnectionInformationAsync(SOURCE);
  }

  @Override
  String okBody() {
    return fixture("source-connection-information.json");
  }

  @Override
  String xmlBody() {
    return "<MediaContainer size=\"1\"><Device name=\"PlexCorp (plex-corp)\" clientIdentifier=\""
        + SERVER_ID + "\" accessToken=\"" + ACCESS_TOKEN + "\"><Connection protocol=\"https\" "
        + "address=\"10.0.2.123\" port=\"32400\" local=\"1\" uri=\"https://10-0-2-123."
        + "93b10b279ff8456686414add109854cd.plex.direct:32400\"/></Device></MediaContainer>";
  }

  @Override
  String expectedTarget() {
    return TARGET;
  }

  @Test
  void sendsGetWithTheSourceEncodedOnceAndTheTokenInAHeaderOnly() throws Exception {
    server.enqueue(json(okBody()));

    client.getSourceConnectionInformation(SOURCE);

    RecordedRequest request = take(server);
    assertEquals("GET", request.getMethod());
    assertEquals(TARGET, request.getPath());
    assertEquals(SOURCE, request.getRequestUrl().queryParameter("source"));
    assertNull(request.getRequestUrl().queryParameter("refresh"));
    assertEquals(List.of(CALLER_TOKEN), request.getHeaders().values("X-Plex-Token"));
    assertEquals(CLIENT_ID, request.getHeader("X-Plex-Client-Identifier"));
    assertEquals(List.of("application/json"), request.getHeaders().values("Accept"));
    assertFalse(request.getRequestUrl().toString().contains(CALLER_TOKEN));
    assertEquals(0, request.getBodySize());
  }

  @Test
  void returnsTheDeviceOfTheOfficialExample() {
    server.enqueue(json(okBody()));

    SourceConnectionInformation source = client.getSourceConnectionInformation(SOURCE);

    assertEquals("PlexCorp (plex-corp)", source.name());
    assertEquals(SERVER_ID, source.clientIdentifier());
    assertEquals(ACCESS_TOKEN, source.accessToken());
    assertEquals(OFFICIAL_CONNECTIONS, source.connections());
    Connection relay = source.connections().get(2);
    assertTrue(relay.relay());
    assertFalse(relay.local());
    assertEquals(8443, relay.port());
    assertFalse(source.toString().contains(ACCESS_TOKEN), source.toString());
  }

  @Test
  void refreshOverloadSendsRefreshOneOrZero() throws Exception {
    server.enqueue(json(okBody()));
    server.enqueue(json(okBody()));
    server.enqueue(json(okBody()));
    server.enqueue(json(okBody()));

    client.getSourceConnectionInformation(SOURCE, true);
    client.getSourceConnectionInformation(SOURCE, false);
    client.getSourceConnectionInformationAsync(SOURCE, true).get(WAIT_SECONDS, TimeUnit.SECONDS);
    client.getSourceConnectionInformationAsync(SOURCE, false).get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertEquals(TARGET + "&refresh=1", take(server).getPath());
    assertEquals(TARGET + "&refresh=0", take(server).getPath());
    assertEquals(TARGET + "&refresh=1", take(server).getPath());
    assertEquals(TARGET + "&refresh=0", take(server).getPath());
  }

  @Test
  void providerSourceIsSentAsGiven() throws Exception {
    server.enqueue(json(okBody()));

    SourceConnectionInformation source =
        client.getSourceConnectionInformation("provider://tv.plex.provider.epg");

    assertEquals(SERVER_ID, source.clientIdentifier());
    assertEquals("/security/resources?source=provider%3A%2F%2Ftv.plex.provider.epg",
        take(server).getPath());
  }

  @Test
  void sourceWithReservedCharactersIsEncodedExactlyOnce() throws Exception {
    server.enqueue(json(okBody()));

    client.getSourceConnectionInformation("server://a%2Fb&c=d");

    RecordedRequest request = take(server);
    assertEquals("server://a%2Fb&c=d", request.getRequestUrl().queryParameter("source"));
    assertNull(request.getRequestUrl().queryParameter("c"));
  }

  @Test
  void sendsAllEightIdentityHeadersWhenSet() throws Exception {
    server.enqueue(json(okBody()));
    PlexAuthClient described = builderFor(server)
        .product("Plex Auth Test").version("1.2.0").platform("Linux").platformVersion("6.8")
        .device("PC").deviceName("Test Box").model("x86_64").deviceVendor("Acme")
        .build();

    described.getSourceConnectionInformation(SOURCE);

    RecordedRequest request = take(server);
    assertEquals("Plex Auth Test", request.getHeader("X-Plex-Product"));
    assertEquals("1.2.0", request.getHeader("X-Plex-Version"));
    assertEquals("Linux", request.getHeader("X-Plex-Platform"));
    assertEquals("6.8", request.getHeader("X-Plex-Platform-Version"));
    assertEquals("PC", request.getHeader("X-Plex-Device"));
    assertEquals("Test Box", request.getHeader("X-Plex-Device-Name"));
    assertEquals("x86_64", request.getHeader("X-Plex-Model"));
    assertEquals("Acme", request.getHeader("X-Plex-Device-Vendor"));
    assertEquals(CLIENT_ID, request.getHeader("X-Plex-Client-Identifier"));
    assertEquals(List.of(CALLER_TOKEN), request.getHeaders().values("X-Plex-Token"));
    assertEquals(List.of("application/json"), request.getHeaders().values("Accept"));
    described.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/plex", "/plex/"})
  void keepsThePathPrefixOfTheBaseUrl(String prefix) throws Exception {
    server.enqueue(json(okBody()));
    PlexAuthClient proxied = builderFor(server).baseUrl(server.url(prefix).toString()).build();

    SourceConnectionInformation source = proxied.getSourceConnectionInformation(SOURCE);

    assertEquals(SERVER_ID, source.clientIdentifier());
    assertEquals("/plex" + TARGET, take(server).getPath());
    proxied.close();
  }

  @Test
  void asyncVariantSendsTheSameRequestAndReturnsTheDevice() throws Exception {
    server.enqueue(json(okBody()));

    SourceConnectionInformation source =
        client.getSourceConnectionInformationAsync(SOURCE).get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertEquals(ACCESS_TOKEN, source.accessToken());
    assertEquals(OFFICIAL_CONNECTIONS, source.connections());
    RecordedRequest request = take(server);
    assertEquals("GET", request.getMethod());
    assertEquals(TARGET, request.getPath());
    assertEquals(CALLER_TOKEN, request.getHeader("X-Plex-Token"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
    // accessToken as a number, an object, an array: a broken answer, not a token.
    "{\"MediaContainer\":{\"size\":1,\"Device\":{\"clientIdentifier\":\"" + SERVER_ID
        + "\",\"accessToken\":12345}}}",
    "{\"MediaContainer\":{\"size\":1,\"Device\":{\"clientIdentifier\":\"" + SERVER_ID
        + "\",\"accessToken\":{\"token\":\"transient-fa75f159-b9d2-42b6-8fbd-1761c7a4195a\"}}}}",
    "{\"MediaContainer\":{\"size\":1,\"Device\":{\"clientIdentifier\":\"" + SERVER_ID
        + "\",\"accessToken\":[\"transient-fa75f159-b9d2-42b6-8fbd-1761c7a4195a\"]}}}",
    // clientIdentifier, which the spec requires, missing, null or a number.
    "{\"MediaContainer\":{\"size\":1,\"Device\":{\"name\":\"x\",\"accessToken\":\""
        + "transient-fa75f159-b9d2-42b6-8fbd-1761c7a4195a\"}}}",
    "{\"MediaContainer\":{\"size\":1,\"Device\":{\"clientIdentifier\":null,\"accessToken\":\""
        + "transient-fa75f159-b9d2-42b6-8fbd-1761c7a4195a\"}}}",
    "{\"MediaContainer\":{\"size\":1,\"Device\":{\"clientIdentifier\":243,\"accessToken\":\""
        + "transient-fa75f159-b9d2-42b6-8fbd-1761c7a4195a\"}}}",
    // No device at all.
    "{\"MediaContainer\":{\"size\":0}}",
    "{\"MediaContainer\":{\"size\":1,\"Device\":null}}",
    "{\"MediaContainer\":{\"size\":1,\"Device\":\"" + SERVER_ID + "\"}}",
    // A connection that is not an object.
    "{\"MediaContainer\":{\"size\":1,\"Device\":{\"clientIdentifier\":\"" + SERVER_ID
        + "\",\"Connection\":\"https://10.0.2.123:32400\"}}}"
  })
  void unusableDeviceBecomesDecodingException(String body) {
    server.enqueue(json(body));

    PlexDecodingException e = assertThrows(PlexDecodingException.class,
        () -> client.getSourceConnectionInformation(SOURCE));

    assertEquals(200, e.code());
    assertEquals("application/json", e.contentType());
    assertTrue(e.getMessage().contains("MediaContainer"), e.getMessage());
    assertNoSecrets(e);
  }
}
