package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.ACCESS_TOKEN;
import static dev.plexauth.FacadeTestSupport.SERVER_ID;
import static dev.plexauth.FacadeTestSupport.SOURCE;
import static dev.plexauth.FacadeTestSupport.TRANSIENT_TOKEN;
import static dev.plexauth.FacadeTestSupport.assertNoSecrets;
import static dev.plexauth.FacadeTestSupport.builderFor;
import static dev.plexauth.FacadeTestSupport.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.model.Connection;
import dev.plexauth.model.SourceConnectionInformation;
import dev.plexauth.model.TransientToken;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real Plex payloads are looser than the spec (plex-auth-facts.md section 2): the facade reads
 * them all, and still rejects values that mean nothing.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TolerantReadingTest {
  private static final String LOCAL_URI =
      "https://10-0-2-123.93b10b279ff8456686414add109854cd.plex.direct:32400";
  private static final String OTHER_ID = "0000aaaa1111bbbb2222cccc3333dddd4444eeee";
  private static final String OTHER_TOKEN = "transient-00000000-1111-2222-3333-444444444444";

  private MockWebServer server;
  private PlexAuthClient client;

  @BeforeEach
  void startServer() throws IOException {
    server = new MockWebServer();
    server.start();
    client = builderFor(server).build();
  }

  @AfterEach
  void stopServer() throws IOException {
    client.close();
    server.shutdown();
  }

  /** A device object with the given id, token and raw JSON for its Connection value. */
  private static String device(String id, String token, String connectionJson) {
    return "{\"name\":\"Device " + id.substring(0, 4) + "\",\"clientIdentifier\":\"" + id
        + "\",\"accessToken\":\"" + token + "\",\"Connection\":" + connectionJson + "}";
  }

  private static String connection(String extra) {
    return "{\"protocol\":\"https\",\"address\":\"10.0.2.123\",\"port\":32400,"
        + "\"uri\":\"" + LOCAL_URI + "\"" + extra + "}";
  }

  private static String container(String deviceJson) {
    return "{\"MediaContainer\":{\"size\":1,\"Device\":" + deviceJson + "}}";
  }

  private SourceConnectionInformation answer(String body) {
    server.enqueue(json(body));
    return client.getSourceConnectionInformation(SOURCE);
  }

  @Test
  void deviceAsASingleObjectIsRead() {
    SourceConnectionInformation source =
        answer(container(device(SERVER_ID, ACCESS_TOKEN, "[" + connection("") + "]")));

    assertEquals(SERVER_ID, source.clientIdentifier());
    assertEquals(ACCESS_TOKEN, source.accessToken());
    assertEquals(1, source.connections().size());
  }

  @Test
  void deviceAsAOneElementArrayIsRead() {
    SourceConnectionInformation source =
        answer(container("[" + device(SERVER_ID, ACCESS_TOKEN, "[" + connection("") + "]") + "]"));

    assertEquals(SERVER_ID, source.clientIdentifier());
    assertEquals(ACCESS_TOKEN, source.accessToken());
    assertEquals(LOCAL_URI, source.connections().get(0).uri());
  }

  @Test
  void deviceArrayOfSeveralBecomesDecodingExceptionEvenWhenOneMatchesTheSource() {
    // Plex documents Device as one object; with several, which one was meant is not guessed.
    String devices = "[" + device(OTHER_ID, OTHER_TOKEN, "[]") + ","
        + device(SERVER_ID, ACCESS_TOKEN, "[" + connection("") + "]") + "]";
    server.enqueue(json(container(devices)));

    PlexDecodingException e = assertThrows(PlexDecodingException.class,
        () -> client.getSourceConnectionInformation(SOURCE));

    assertEquals(200, e.code());
    assertTrue(e.getMessage().contains("Device"), e.getMessage());
    assertNoSecrets(e, OTHER_TOKEN);
  }

  @Test
  void deviceArrayHoldingOnlyNullBecomesDecodingException() {
    server.enqueue(json(container("[null]")));

    PlexDecodingException e = assertThrows(PlexDecodingException.class,
        () -> client.getSourceConnectionInformation(SOURCE));

    assertTrue(e.getMessage().contains("Device"), e.getMessage());
    assertNoSecrets(e);
  }

  @Test
  void connectionAsASingleObjectIsRead() {
    SourceConnectionInformation source =
        answer(container(device(SERVER_ID, ACCESS_TOKEN, connection(",\"local\":true"))));

    assertEquals(
        List.of(TestModels.connection("https", "10.0.2.123", 32400, LOCAL_URI, true, false)),
        source.connections());
  }

  @Test
  void missingConnectionListIsEmpty() {
    SourceConnectionInformation source =
        answer(container("{\"clientIdentifier\":\"" + SERVER_ID + "\"}"));

    assertEquals(List.of(), source.connections());
  }

  @ParameterizedTest(name = "local={0}, relay={1}")
  @CsvSource(delimiter = '|', value = {
    "true     | false    | true  | false",
    "false    | true     | false | true",
    "1        | 0        | true  | false",
    "0        | 1        | false | true",
    "'\"1\"'  | '\"0\"'  | true  | false",
    "'\"0\"'  | '\"1\"'  | false | true",
    "'\"true\"' | '\"false\"' | true | false",
    "'\"TRUE\"' | '\"False\"' | true | false",
    "null     | null     | false | false"
  })
  void flagsAreReadInEveryFormPlexSends(
      String local, String relay, boolean expectedLocal, boolean expectedRelay) {
    String flags = ",\"local\":" + local + ",\"relay\":" + relay;

    SourceConnectionInformation source =
        answer(container(device(SERVER_ID, ACCESS_TOKEN, "[" + connection(flags) + "]")));

    Connection connection = source.connections().get(0);
    assertEquals(expectedLocal, connection.local(), "local");
    assertEquals(expectedRelay, connection.relay(), "relay");
  }

  @Test
  void missingFlagsMeanFalse() {
    SourceConnectionInformation source =
        answer(container(device(SERVER_ID, ACCESS_TOKEN, "[" + connection("") + "]")));

    Connection connection = source.connections().get(0);
    assertFalse(connection.local());
    assertFalse(connection.relay());
  }

  @Test
  void portAndSizeAsStringsAreRead() {
    String body = "{\"MediaContainer\":{\"size\":\"1\",\"Device\":" + device(SERVER_ID,
        ACCESS_TOKEN, "[{\"protocol\":\"http\",\"address\":\"10.0.2.123\",\"port\":\"32400\","
            + "\"uri\":\"http://10.0.2.123:32400\",\"local\":\"1\"}]") + "}}";

    SourceConnectionInformation source = answer(body);

    assertEquals(32400, source.connections().get(0).port());
    assertTrue(source.connections().get(0).local());
  }

  @Test
  void unknownFieldsAreIgnoredAtEveryLevel() {
    String body = "{\"unknownTop\":{\"nested\":[1,2,{\"x\":null}]},"
        + "\"MediaContainer\":{\"size\":1,\"allowSync\":true,\"identifier\":\"com.plexapp\","
        + "\"Extra\":[{\"a\":1}],"
        + "\"Device\":{\"name\":\"PlexCorp (plex-corp)\",\"product\":\"Plex Media Server\","
        + "\"provides\":\"server\",\"owned\":1,\"presence\":true,\"lastSeenAt\":\"1700000000\","
        + "\"clientIdentifier\":\"" + SERVER_ID + "\",\"accessToken\":\"" + ACCESS_TOKEN + "\","
        + "\"Connection\":[{\"protocol\":\"https\",\"address\":\"10.0.2.123\",\"port\":32400,"
        + "\"uri\":\"" + LOCAL_URI + "\",\"local\":true,\"IPv6\":false,\"priority\":{\"a\":[]}}],"
        + "\"trailing\":null},\"zzz\":\"last\"},\"after\":[]}";

    SourceConnectionInformation source = answer(body);

    assertEquals("PlexCorp (plex-corp)", source.name());
    assertEquals(SERVER_ID, source.clientIdentifier());
    assertEquals(ACCESS_TOKEN, source.accessToken());
    assertEquals(
        List.of(TestModels.connection("https", "10.0.2.123", 32400, LOCAL_URI, true, false)),
        source.connections());
  }

  @Test
  void unknownFieldsAroundTheTransientTokenAreIgnored() {
    server.enqueue(json("{\"v\":2,\"MediaContainer\":{\"size\":0,\"expiresAt\":\"later\","
        + "\"scopes\":[\"all\"],\"token\":\"" + TRANSIENT_TOKEN + "\",\"meta\":{\"a\":1}}}"));

    TransientToken token = client.getTransientToken();

    assertEquals(TRANSIENT_TOKEN, token.token());
    assertEquals(0, token.size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"yes\"", "\"\"", "2", "-1", "0.5", "{}", "[]"})
  void flagWithAValueThatMeansNothingBecomesDecodingException(String flag) {
    server.enqueue(json(container(device(SERVER_ID, ACCESS_TOKEN,
        "[" + connection(",\"local\":" + flag) + "]"))));

    PlexDecodingException e = assertThrows(PlexDecodingException.class,
        () -> client.getSourceConnectionInformation(SOURCE));

    assertEquals(200, e.code());
    assertTrue(e.getMessage().contains("local"), e.getMessage());
    assertNoSecrets(e);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"http\"", "\"\"", "3.5", "99999999999", "true"})
  void portThatIsNotAnIntegerBecomesDecodingException(String port) {
    server.enqueue(json(container(device(SERVER_ID, ACCESS_TOKEN,
        "[{\"protocol\":\"https\",\"port\":" + port + "}]"))));

    PlexDecodingException e = assertThrows(PlexDecodingException.class,
        () -> client.getSourceConnectionInformation(SOURCE));

    assertTrue(e.getMessage().contains("port"), e.getMessage());
    assertNoSecrets(e);
  }

  @Test
  void emptyDeviceArrayBecomesDecodingException() {
    server.enqueue(json("{\"MediaContainer\":{\"size\":0,\"Device\":[]}}"));

    PlexDecodingException e = assertThrows(PlexDecodingException.class,
        () -> client.getSourceConnectionInformation(SOURCE));

    assertEquals(200, e.code());
    assertTrue(e.getMessage().contains("Device"), e.getMessage());
    assertNoSecrets(e);
  }

  @Test
  void nullEntryInTheDeviceArrayBecomesDecodingException() {
    server.enqueue(json(container("[" + device(SERVER_ID, ACCESS_TOKEN, "[]") + ",null]")));

    PlexDecodingException e = assertThrows(PlexDecodingException.class,
        () -> client.getSourceConnectionInformation(SOURCE));

    assertTrue(e.getMessage().contains("Device"), e.getMessage());
    assertNoSecrets(e);
  }
}
