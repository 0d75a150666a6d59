package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.CALLER_TOKEN;
import static dev.plexauth.FacadeTestSupport.CLIENT_ID;
import static dev.plexauth.FacadeTestSupport.TRANSIENT_TOKEN;
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

import dev.plexauth.model.TransientToken;
import dev.plexauth.model.TransientTokenScope;
import dev.plexauth.model.TransientTokenType;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code getTransientToken}: the request it sends, what it returns, and how it fails. */
class GetTransientTokenTest extends PlexOperationContract {
  private static final String TARGET = "/security/token?type=delegation&scope=all";

  @Override
  Object call(PlexAuthClient client) {
    return client.getTransientToken();
  }

  @Override
  CompletableFuture<?> callAsync(PlexAuthClient client) {
    return client.getTransientTokenAsync();
  }

  @Override
  String okBody() {
    return fixture("transient-token.json");
  }

  @Override
  String xmlBody() {
    return fixture("transient-token.xml");
  }

  @Override
  String expectedTarget() {
    return TARGET;
  }

  @Test
  void sendsGetWithDelegationTypeAllScopeAndTheTokenInAHeaderOnly() throws Exception {
    server.enqueue(json(okBody()));

    client.getTransientToken();

    RecordedRequest request = take(server);
    assertEquals("GET", request.getMethod());
    assertEquals(TARGET, request.getPath());
    assertEquals(CALLER_TOKEN, request.getHeader("X-Plex-Token"));
    assertEquals(List.of(CALLER_TOKEN), request.getHeaders().values("X-Plex-Token"));
    assertEquals(CLIENT_ID, request.getHeader("X-Plex-Client-Identifier"));
    assertEquals(List.of("application/json"), request.getHeaders().values("Accept"));
    assertFalse(request.getRequestUrl().toString().contains(CALLER_TOKEN));
    assertNull(request.getRequestUrl().queryParameter("X-Plex-Token"));
    assertEquals(0, request.getBodySize());
  }

  @Test
  void returnsTheTransientTokenOfTheOfficialExample() {
    server.enqueue(json(okBody()));

    TransientToken token = client.getTransientToken();

    assertEquals(TRANSIENT_TOKEN, token.token());
    assertEquals(0, token.size());
    assertFalse(token.toString().contains(TRANSIENT_TOKEN), token.toString());
  }

  @Test
  void fullFormSendsTheGivenTypeAndScope() throws Exception {
    server.enqueue(json(okBody()));

    TransientToken token =
        client.getTransientToken(TransientTokenType.DELEGATION, TransientTokenScope.ALL);

    assertEquals(TRANSIENT_TOKEN, token.token());
    assertEquals(TARGET, take(server).getPath());
  }

  @Test
  void fullFormRejectsNullTypeOrScopeBeforeSending() {
    NullPointerException type = assertThrows(NullPointerException.class,
        () -> client.getTransientToken(null, TransientTokenScope.ALL));
    NullPointerException scope = assertThrows(NullPointerException.class,
        () -> client.getTransientTokenAsync(TransientTokenType.DELEGATION, null));

    assertTrue(type.getMessage().contains("type"), type.getMessage());
    assertTrue(scope.getMessage().contains("scope"), scope.getMessage());
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void sendsAllEightIdentityHeadersWhenSet() throws Exception {
    server.enqueue(json(okBody()));
    PlexAuthClient described = builderFor(server)
        .product("Plex Auth Test").version("1.2.0").platform("Linux").platformVersion("6.8")
        .device("PC").deviceName("Test Box").model("x86_64").deviceVendor("Acme")
        .build();

    described.getTransientToken();

    RecordedRequest request = take(server);
    assertEquals(List.of("Plex Auth Test"), request.getHeaders().values("X-Plex-Product"));
    assertEquals(List.of("1.2.0"), request.getHeaders().values("X-Plex-Version"));
    assertEquals(List.of("Linux"), request.getHeaders().values("X-Plex-Platform"));
    assertEquals(List.of("6.8"), request.getHeaders().values("X-Plex-Platform-Version"));
    assertEquals(List.of("PC"), request.getHeaders().values("X-Plex-Device"));
    assertEquals(List.of("Test Box"), request.getHeaders().values("X-Plex-Device-Name"));
    assertEquals(List.of("x86_64"), request.getHeaders().values("X-Plex-Model"));
    assertEquals(List.of("Acme"), request.getHeaders().values("X-Plex-Device-Vendor"));
    assertEquals(CLIENT_ID, request.getHeader("X-Plex-Client-Identifier"));
    assertEquals(CALLER_TOKEN, request.getHeader("X-Plex-Token"));
    described.close();
  }

  @Test
  void keepsTheCallersOwnHeadersAndReplacesTheirPlexHeaders() throws Exception {
    server.enqueue(json(okBody()));
    okhttp3.OkHttpClient callers = new okhttp3.OkHttpClient.Builder()
        .addInterceptor(chain -> chain.proceed(chain.request().newBuilder()
            .header("X-Request-Id", "r-42")
            .header("x-plex-token", "callers-stale-token")
            .addHeader("X-PLEX-CLIENT-IDENTIFIER", "stale-id")
            .header("accept", "text/xml")
            .build()))
        .build();
    PlexAuthClient withHeaders =
        builderFor(server).okHttpClient(callers).product("Plex Auth Test").build();

    withHeaders.getTransientToken();

    RecordedRequest request = take(server);
    assertEquals(List.of("r-42"), request.getHeaders().values("X-Request-Id"));
    assertEquals(List.of(CALLER_TOKEN), request.getHeaders().values("X-Plex-Token"));
    assertEquals(List.of(CLIENT_ID), request.getHeaders().values("X-Plex-Client-Identifier"));
    assertEquals(List.of("Plex Auth Test"), request.getHeaders().values("X-Plex-Product"));
    assertEquals(List.of("application/json"), request.getHeaders().values("Accept"));
    withHeaders.close();
  }

  @Test
  void sendsNoIdentityHeadersThatWereNotSet() throws Exception {
    server.enqueue(json(okBody()));

    client.getTransientToken();

    RecordedRequest request = take(server);
    for (String name : List.of("X-Plex-Product", "X-Plex-Version", "X-Plex-Platform",
        "X-Plex-Platform-Version", "X-Plex-Device", "X-Plex-Device-Name", "X-Plex-Model",
        "X-Plex-Device-Vendor")) {
      assertNull(request.getHeader(name), name);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/plex", "/plex/"})
  void keepsThePathPrefixOfTheBaseUrl(String prefix) throws Exception {
    server.enqueue(json(okBody()));
    PlexAuthClient proxied = builderFor(server).baseUrl(server.url(prefix).toString()).build();

    TransientToken token = proxied.getTransientToken();

    assertEquals(TRANSIENT_TOKEN, token.token());
    assertEquals("/plex" + TARGET, take(server).getPath());
    proxied.close();
  }

  @Test
  void asyncVariantSendsTheSameRequestAndReturnsTheToken() throws Exception {
    server.enqueue(json(okBody()));

    TransientToken token = client.getTransientTokenAsync().get(WAIT_SECONDS, TimeUnit.SECONDS);

    assertEquals(TRANSIENT_TOKEN, token.token());
    RecordedRequest request = take(server);
    assertEquals("GET", request.getMethod());
    assertEquals(TARGET, request.getPath());
    assertEquals(CALLER_TOKEN, request.getHeader("X-Plex-Token"));
    assertEquals(List.of("application/json"), request.getHeaders().values("Accept"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
    "{\"MediaContainer\":{\"size\":0}}",
    "{\"MediaContainer\":{\"size\":0,\"token\":null}}",
    "{\"MediaContainer\":{\"size\":0,\"token\":\"\"}}",
    "{\"MediaContainer\":{\"size\":0,\"token\":90904684}}",
    "{\"MediaContainer\":{\"size\":0,\"token\":"
        + "{\"value\":\"transient-90904684-f91a-4391-8bf7-e0dfa7240285\"}}}",
    "{\"MediaContainer\":{\"size\":0,\"token\":"
        + "[\"transient-90904684-f91a-4391-8bf7-e0dfa7240285\"]}}",
    "{\"MediaContainer\":{\"size\":\"none\","
        + "\"token\":\"transient-90904684-f91a-4391-8bf7-e0dfa7240285\"}}"
  })
  void unusableTokenBecomesDecodingException(String body) {
    server.enqueue(json(body));

    PlexDecodingException e = assertThrows(PlexDecodingException.class, client::getTransientToken);

    assertEquals(200, e.code());
    assertEquals("application/json", e.contentType());
    assertTrue(e.getMessage().contains("MediaContainer"), e.getMessage());
    assertNoSecrets(e);
  }

  @Test
  void eachCallMintsANewTokenThroughOneSharedClient() throws Exception {
    server.enqueue(json("{\"MediaContainer\":{\"size\":0,\"token\":\"transient-aaaa\"}}"));
    server.enqueue(json("{\"MediaContainer\":{\"size\":0,\"token\":\"transient-bbbb\"}}"));

    String first = client.getTransientToken().token();
    String second = client.getTransientToken().token();

    assertEquals("transient-aaaa", first);
    assertEquals("transient-bbbb", second);
    assertEquals(2, server.getRequestCount());
  }
}
