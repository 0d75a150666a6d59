package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.ACCESS_TOKEN;
import static dev.plexauth.FacadeTestSupport.CALLER_TOKEN;
import static dev.plexauth.FacadeTestSupport.CLIENT_ID;
import static dev.plexauth.FacadeTestSupport.TRANSIENT_TOKEN;
import static dev.plexauth.FacadeTestSupport.builderFor;
import static dev.plexauth.FacadeTestSupport.fixture;
import static dev.plexauth.FacadeTestSupport.json;
import static dev.plexauth.FacadeTestSupport.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.internal.Redaction;
import dev.plexauth.model.Connection;
import dev.plexauth.model.SourceConnectionInformation;
import dev.plexauth.model.SourceConnectionInformationContainer;
import dev.plexauth.model.SourceConnectionInformationResponse;
import dev.plexauth.model.TransientToken;
import dev.plexauth.model.TransientTokenResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fail-fast validation of the builder and of the source argument, the client's lifecycle, and
 * that no description of a client, builder or model shows a token.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BuilderValidationTest extends MockServerTest {

  /** A builder with every required setting valid. */
  private static PlexAuthClient.Builder valid() {
    return PlexAuthClient.builder()
        .baseUrl("http://127.0.0.1:32400")
        .token(CALLER_TOKEN)
        .clientIdentifier(CLIENT_ID);
  }

  private static Arguments invalid(
      String argument, Class<? extends RuntimeException> type,
      UnaryOperator<PlexAuthClient.Builder> change) {
    return Arguments.of(argument, type, change);
  }

  static Stream<Arguments> invalidSettings() {
    Class<NullPointerException> npe = NullPointerException.class;
    Class<IllegalArgumentException> iae = IllegalArgumentException.class;
    return Stream.of(
        invalid("token", npe, b -> PlexAuthClient.builder()
            .baseUrl("http://127.0.0.1:32400").clientIdentifier(CLIENT_ID)),
        invalid("token", npe, b -> b.token(null)),
        invalid("token", iae, b -> b.token("")),
        invalid("token", iae, b -> b.token("   ")),
        invalid("token", iae, b -> b.token(" " + CALLER_TOKEN)),
        invalid("token", iae, b -> b.token(CALLER_TOKEN + " x")),
        invalid("token", iae, b -> b.token(CALLER_TOKEN + "\r\nX-Evil: 1")),
        invalid("token", iae, b -> b.token(CALLER_TOKEN + "\n")),
        invalid("token", iae, b -> b.token(CALLER_TOKEN + "\t")),
        invalid("token", iae, b -> b.token(CALLER_TOKEN + "\u00e9")),
        invalid("clientIdentifier", npe, b -> PlexAuthClient.builder()
            .baseUrl("http://127.0.0.1:32400").token(CALLER_TOKEN)),
        invalid("clientIdentifier", npe, b -> b.clientIdentifier(null)),
        invalid("clientIdentifier", iae, b -> b.clientIdentifier("")),
        invalid("clientIdentifier", iae, b -> b.clientIdentifier(" \t ")),
        invalid("clientIdentifier", iae, b -> b.clientIdentifier("abc\r\nX-Plex-Token: stolen")),
        invalid("clientIdentifier", iae, b -> b.clientIdentifier("abc\n")),
        invalid("clientIdentifier", iae, b -> b.clientIdentifier("abc\r")),
        invalid("baseUrl", npe, b -> PlexAuthClient.builder()
            .token(CALLER_TOKEN).clientIdentifier(CLIENT_ID)),
        invalid("baseUrl", npe, b -> b.baseUrl((String) null)),
        invalid("baseUrl", npe, b -> b.baseUrl((HttpUrl) null)),
        invalid("baseUrl", iae, b -> b.baseUrl("")),
        invalid("baseUrl", iae, b -> b.baseUrl("   ")),
        invalid("baseUrl", iae, b -> b.baseUrl("ftp://127.0.0.1:32400")),
        invalid("baseUrl", iae, b -> b.baseUrl("127.0.0.1:32400")),
        invalid("baseUrl", iae, b -> b.baseUrl("//127.0.0.1:32400/")),
        invalid("baseUrl", iae, b -> b.baseUrl("http://")),
        invalid("baseUrl", iae, b -> b.baseUrl("http:///plex")),
        invalid("baseUrl", iae,
            b -> b.baseUrl("http://127.0.0.1:32400/?X-Plex-Token=" + CALLER_TOKEN)),
        invalid("baseUrl", iae, b -> b.baseUrl("http://127.0.0.1:32400/plex?a=b")),
        invalid("baseUrl", iae, b -> b.baseUrl("http://127.0.0.1:32400/#" + CALLER_TOKEN)),
        invalid("baseUrl", iae, b -> b.baseUrl("http://user:" + CALLER_TOKEN + "@127.0.0.1:32400")),
        invalid("baseUrl", iae, b -> b.baseUrl("http://" + CALLER_TOKEN + "@127.0.0.1:32400")),
        invalid("baseUrl", iae,
            b -> b.baseUrl(HttpUrl.get("http://127.0.0.1:32400/?X-Plex-Token=" + CALLER_TOKEN))),
        invalid("baseUrl", iae, b -> b.baseUrl(HttpUrl.get("http://u:p@127.0.0.1:32400/"))),
        invalid("product", iae, b -> b.product("My App\r\nX-Plex-Token: stolen")),
        invalid("version", iae, b -> b.version("1.2.0\n")),
        invalid("platform", iae, b -> b.platform("Linux\r")),
        invalid("platformVersion", iae, b -> b.platformVersion("6.8\r\n")),
        invalid("device", iae, b -> b.device("PC\n")),
        invalid("deviceName", iae, b -> b.deviceName("Living\r\nRoom")),
        invalid("model", iae, b -> b.model("\n")),
        invalid("deviceVendor", iae, b -> b.deviceVendor("Acme\u0000")),
        invalid("product", iae, b -> b.product("   ")),
        invalid("connectTimeout", iae, b -> b.connectTimeout(Duration.ofSeconds(-1))),
        invalid("readTimeout", iae, b -> b.readTimeout(Duration.ofMillis(-1))),
        invalid("writeTimeout", iae, b -> b.writeTimeout(Duration.ofNanos(-1))),
        invalid("callTimeout", iae, b -> b.callTimeout(Duration.ofMinutes(-5))),
        invalid("connectTimeout", npe, b -> b.connectTimeout(null)),
        invalid("readTimeout", npe, b -> b.readTimeout(null)),
        invalid("writeTimeout", npe, b -> b.writeTimeout(null)),
        invalid("callTimeout", npe, b -> b.callTimeout(null)),
        invalid("callTimeout", npe, b -> b.callTimeout(5, null)),
        invalid("readTimeout", iae, b -> b.readTimeout(Duration.ofDays(25))),
        invalid("token", iae, b -> b.token("short")),
        invalid("logLevel", npe, b -> b.logLevel(null)),
        invalid("clientIdentifier", iae, b -> b.clientIdentifier("a".repeat(1025))),
        invalid("deviceName", iae, b -> b.deviceName("a".repeat(100_000))),
        invalid("maxRetries", iae, b -> b.maxRetries(-1)),
        invalid("retryDelay", iae, b -> b.retryDelay(Duration.ofSeconds(9))
            .maxRetryDelay(Duration.ofSeconds(1))));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @MethodSource("invalidSettings")
  void invalidSettingFailsFastNamingTheArgumentWithoutTheToken(
      String argument, Class<? extends RuntimeException> type,
      UnaryOperator<PlexAuthClient.Builder> change) {
    RuntimeException e = assertThrows(type, () -> change.apply(valid()).build());

    assertTrue(e.getMessage() != null && e.getMessage().contains(argument),
        "message should name " + argument + ": " + e.getMessage());
    // One style for every setting: what must hold of it; a missing one "must not be null".
    assertTrue(type == NullPointerException.class
            ? e.getMessage().matches(argument + "('s unit)? must not be null")
            : e.getMessage().matches(argument + "( \\([^)]*\\))? must .*"),
        "message style: " + e.getMessage());
    assertFalse(e.getMessage().contains(CALLER_TOKEN), e.getMessage());
    assertFalse(e.toString().contains(CALLER_TOKEN), e.toString());
    assertFalse(e.getMessage().contains("stolen"), e.getMessage());
  }

  @Test
  void hugeTimeoutIsRejectedAsIllegalArgumentNamingIt() {
    PlexAuthClient.Builder builder = valid().readTimeout(Duration.ofSeconds(Long.MAX_VALUE));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);

    assertTrue(e.getMessage().contains("readTimeout"), e.getMessage());
  }

  @Test
  void positiveTimeoutBelowOneMillisecondIsRejectedRatherThanMeaningNone() {
    PlexAuthClient.Builder builder = valid().readTimeout(Duration.ofNanos(1));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);

    assertTrue(e.getMessage().contains("readTimeout"), e.getMessage());
  }

  @Test
  void timeoutOfAboutTwentyFourDaysIsTheLargestAccepted() {
    PlexAuthClient accepted =
        valid().callTimeout(Duration.ofMillis(Integer.MAX_VALUE)).build();
    PlexAuthClient.Builder tooLarge =
        valid().callTimeout(Duration.ofMillis(Integer.MAX_VALUE + 1L));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, tooLarge::build);

    assertTrue(e.getMessage().contains("callTimeout"), e.getMessage());
    accepted.close();
  }

  @Test
  void zeroTimeoutsMeanNoneAndAreAccepted() {
    PlexAuthClient client = valid()
        .connectTimeout(Duration.ZERO).readTimeout(Duration.ZERO)
        .writeTimeout(Duration.ZERO).callTimeout(Duration.ZERO)
        .build();

    assertTrue(client.toString().contains("callTimeout=0ms"), client.toString());
    client.close();
  }

  static Stream<Arguments> invalidSources() {
    return Stream.of(
        Arguments.of(null, NullPointerException.class),
        Arguments.of("", IllegalArgumentException.class),
        Arguments.of("  ", IllegalArgumentException.class),
        Arguments.of("http://x", IllegalArgumentException.class),
        Arguments.of("server://", IllegalArgumentException.class),
        Arguments.of("provider://", IllegalArgumentException.class),
        Arguments.of("server://a b", IllegalArgumentException.class),
        Arguments.of("server://abc\r\n", IllegalArgumentException.class),
        Arguments.of("abc", IllegalArgumentException.class));
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @MethodSource("invalidSources")
  void invalidSourceFailsBeforeAnyRequest(String source, Class<? extends RuntimeException> type) {
    PlexAuthClient client = builderFor(server).build();
    List<Executable> calls = List.of(
        () -> client.getSourceConnectionInformation(source),
        () -> client.getSourceConnectionInformation(source, true),
        () -> client.getSourceConnectionInformationAsync(source),
        () -> client.getSourceConnectionInformationAsync(source, false));

    for (Executable call : calls) {
      RuntimeException e = assertThrows(type, call);
      assertTrue(e.getMessage().contains("source"), e.getMessage());
      assertFalse(e.getMessage().contains(CALLER_TOKEN), e.getMessage());
    }
    assertEquals(0, server.getRequestCount());
    client.close();
  }

  @Test
  void clientAndBuilderDescriptionsNeverShowTheToken() {
    PlexAuthClient.Builder builder = valid().product("My App");
    PlexAuthClient client = builder.build();

    for (String description :
        List.of(builder.toString(), client.toString(), client.newBuilder().toString())) {
      assertFalse(description.contains(CALLER_TOKEN), description);
      assertTrue(description.contains("token=" + Redaction.MASK), "the one mask: " + description);
      assertTrue(description.contains(CLIENT_ID), description);
      assertTrue(description.contains("127.0.0.1"), description);
    }
    client.close();
  }

  @Test
  void modelDescriptionsRedactTokens() {
    TransientToken token = TransientToken.builder().size(0).token(TRANSIENT_TOKEN).build();
    SourceConnectionInformation source = SourceConnectionInformation.builder()
        .name("PlexCorp").clientIdentifier("243b").accessToken(ACCESS_TOKEN)
        .connections(List.of(
            TestModels.connection("https", "10.0.2.123", 32400, "https://x:32400", true, false)))
        .build();
    SourceConnectionInformationContainer container =
        SourceConnectionInformationContainer.builder().size(1).device(source).build();
    List<Object> models = List.of(
        token,
        TransientTokenResponse.builder().mediaContainer(token).build(),
        source,
        container,
        SourceConnectionInformationResponse.builder().mediaContainer(container).build());

    for (Object model : models) {
      String description = model.toString();
      assertFalse(description.contains(TRANSIENT_TOKEN), description);
      assertFalse(description.contains(ACCESS_TOKEN), description);
    }
    assertTrue(source.toString().contains("accessToken=██"), source.toString());
    assertTrue(token.toString().contains("token=██"), token.toString());
    assertTrue(source.toString().contains("10.0.2.123"), "non-secret fields stay visible");
  }

  @Test
  void decodedModelDescriptionsRedactTokens() {
    server.enqueue(json(fixture("transient-token.json")));
    server.enqueue(json(fixture("source-connection-information.json")));
    PlexAuthClient client = builderFor(server).build();

    String token = client.getTransientToken().toString();
    String source = client.getSourceConnectionInformation(FacadeTestSupport.SOURCE).toString();

    assertFalse(token.contains(TRANSIENT_TOKEN), token);
    assertFalse(source.contains(ACCESS_TOKEN), source);
    assertTrue(source.contains("PlexCorp (plex-corp)"), source);
    client.close();
  }

  @Test
  void callsAfterCloseThrowIllegalStateWithoutSending() {
    PlexAuthClient client = builderFor(server).build();
    client.close();
    client.close();

    List<Executable> calls = List.of(
        client::getTransientToken,
        client::getTransientTokenAsync,
        () -> client.getSourceConnectionInformation(FacadeTestSupport.SOURCE),
        () -> client.getSourceConnectionInformation(FacadeTestSupport.SOURCE, true),
        () -> client.getSourceConnectionInformationAsync(FacadeTestSupport.SOURCE),
        () -> client.getSourceConnectionInformationAsync(FacadeTestSupport.SOURCE, true));
    for (Executable call : calls) {
      IllegalStateException e = assertThrows(IllegalStateException.class, call);
      assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void closingAClientDoesNotCloseItsNewBuildersClient() throws Exception {
    server.enqueue(json(fixture("transient-token.json")));
    PlexAuthClient first = builderFor(server).build();
    PlexAuthClient second = first.newBuilder().build();

    first.close();

    assertEquals(TRANSIENT_TOKEN, second.getTransientToken().token());
    assertEquals(CALLER_TOKEN, take(server).getHeader("X-Plex-Token"));
    second.close();
  }

  @Test
  void trailingSlashIsAddedToTheBaseUrl() throws Exception {
    server.enqueue(json(fixture("transient-token.json")));
    String withoutSlash = server.url("/pms").toString();
    assertFalse(withoutSlash.endsWith("/"));
    PlexAuthClient client = builderFor(server).baseUrl(withoutSlash).build();
    PlexAuthClient fromHttpUrl = builderFor(server).baseUrl(server.url("/pms")).build();

    client.getTransientToken();

    assertTrue(client.toString().contains(withoutSlash + "/"), client.toString());
    assertTrue(fromHttpUrl.toString().contains(withoutSlash + "/"), fromHttpUrl.toString());
    assertEquals("/pms/security/token?type=delegation&scope=all", take(server).getPath());
    client.close();
    fromHttpUrl.close();
  }

  @Test
  void baseUrlSchemeIsCaseInsensitiveButSurroundingSpaceIsRefused() throws Exception {
    server.enqueue(json(fixture("transient-token.json")));
    String url = server.url("/").toString().replace("http://", "HTTP://");
    PlexAuthClient client = builderFor(server).baseUrl(url).build();

    client.getTransientToken();

    assertThrows(IllegalArgumentException.class,
        () -> builderFor(server).baseUrl("  " + url + "  "));

    assertEquals("/security/token?type=delegation&scope=all", take(server).getPath());
    client.close();
  }
}
