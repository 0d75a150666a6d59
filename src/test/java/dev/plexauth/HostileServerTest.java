package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.CALLER_TOKEN;
import static dev.plexauth.FacadeTestSupport.HTML;
import static dev.plexauth.FacadeTestSupport.SOURCE;
import static dev.plexauth.FacadeTestSupport.assertNoSecrets;
import static dev.plexauth.FacadeTestSupport.builderFor;
import static dev.plexauth.FacadeTestSupport.failureOf;
import static dev.plexauth.FacadeTestSupport.fixture;
import static dev.plexauth.FacadeTestSupport.json;
import static dev.plexauth.FacadeTestSupport.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.plexauth.model.Connection;
import dev.plexauth.model.SourceConnectionInformation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import okhttp3.OkHttpClient;
import okhttp3.logging.HttpLoggingInterceptor;
import okhttp3.mockwebserver.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a second new-user attack found: each answer a hostile server can give, handled. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HostileServerTest extends MockServerTest {

  @Test
  void negativeContentLengthIsAProtocolFailureSyncAndAsyncWithoutLeaking() throws Exception {
    OkHttpClient shared = new OkHttpClient();
    PlexAuthClient client = builderFor(server).okHttpClient(shared).build();
    server.enqueue(status(200, "application/json", "{}").setHeader("Content-Length", "-5"));
    server.enqueue(status(429, HTML, "<h1>429</h1>").setHeader("Content-Length", "-5"));

    PlexIoException sync = assertThrows(PlexIoException.class, client::getTransientToken);
    PlexIoException async = failureOf(
        builderFor(server).okHttpClient(shared).maxRetries(2).retryDelay(Duration.ZERO).build()
            .getTransientTokenAsync(), PlexIoException.class);

    assertInstanceOf(ProtocolException.class, sync.getCause());
    assertInstanceOf(ProtocolException.class, async.getCause());
    assertEquals(2, server.getRequestCount(), "a protocol failure is not retried");
    assertEquals(shared.connectionPool().idleConnectionCount(),
        shared.connectionPool().connectionCount(), "no connection left in use");
  }

  @Test
  void retryAfterWithNonAsciiTextIsKeptAsA503NotATransportFailure() {
    String value = "x " + CALLER_TOKEN + " transient-abc \u00e9";
    server.enqueue(status(503, HTML, "<h1>503</h1>").addHeaderLenient("Retry-After", value));
    PlexAuthClient client = builderFor(server).build();

    PlexHttpException e = assertThrows(PlexHttpException.class, client::getTransientToken);

    assertEquals(503, e.code());
    assertTrue(e.retryAfter().isEmpty());
    assertNoSecrets(e, "transient-abc");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.plexauth.SpecCall#all")
  void malformedJsonIsNamedWithoutMoshisAdviceToTheCodeThatOwnsTheReader(SpecCall call) {
    server.enqueue(json("{'MediaContainer': {\"size\": 1}}"));

    PlexDecodingException e =
        assertThrows(PlexDecodingException.class, () -> call.call(builderFor(server).build()));

    assertTrue(e.getMessage().contains("is not the expected JSON: malformed JSON at path $."),
        e.getMessage());
    assertFalse(e.getMessage().contains("setLenient"), e.getMessage());
  }

  /** Broken encodings, each with the words the message must use instead of the library's. */
  static Stream<Arguments> brokenEncodings() throws IOException {
    byte[] gzip = gzip("{\"MediaContainer\":{\"size\":0,\"token\":\"x\"}}");
    byte[] truncated = Arrays.copyOf(gzip, gzip.length - 12);
    byte[] badDeflate = gzip.clone();
    for (int i = 10; i < 20; i++) {
      badDeflate[i] = (byte) 0xff; // a valid gzip header, then deflate data that is not
    }
    return Stream.of(
        Arguments.of("truncated gzip", gzipped(truncated), "is not valid gzip"),
        Arguments.of("corrupt deflate", gzipped(badDeflate), "is not valid gzip"),
        Arguments.of("malformed chunks", new MockResponse().setHeader("Content-Type", "application/json")
            .setBody("ZZ\r\n{}\r\n0\r\n\r\n").setHeader("Transfer-Encoding", "chunked")
            .removeHeader("Content-Length"), "chunked transfer encoding is malformed"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenEncodings")
  void brokenEncodingsAreNamedInTheSdksWordsNotTheLibrarys(String name, MockResponse answer,
      String words) {
    server.enqueue(answer);

    PlexIoException e =
        assertThrows(PlexIoException.class, () -> builderFor(server).build().getTransientToken());

    assertTrue(e.getMessage().contains(words), name + ": " + e.getMessage());
    for (String raw : List.of("exhausted", "DataFormatException", "Expected leading", "0x")) {
      assertFalse(e.getMessage().contains(raw), name + ": " + e.getMessage());
    }
  }

  @Test
  void anUnparseableContentTypeIsCalledThatNotAbsent() {
    server.enqueue(status(200, "not a media type", "hello"));

    PlexDecodingException e = assertThrows(PlexDecodingException.class,
        () -> builderFor(server).build().getTransientToken());

    assertTrue(e.getMessage().contains("Content-Type not a media type, which is not one"),
        e.getMessage());
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  private static MockResponse gzipped(byte[] body) {
    return new MockResponse().setHeader("Content-Type", "application/json")
        .setHeader("Content-Encoding", "gzip").setBody(new Buffer().write(body));
  }

  @Test
  void retryAfterBeyondLongSecondsMeansWaitVeryLongAndIsNotRetried() {
    server.enqueue(status(429, HTML, "").setHeader("Retry-After", "99999999999999999999"));
    PlexAuthClient client = builderFor(server).maxRetries(2).build();

    PlexHttpException e = assertThrows(PlexHttpException.class, client::getTransientToken);

    assertEquals(1, server.getRequestCount());
    assertTrue(e.retryAfter().orElseThrow().compareTo(Duration.ofDays(365)) > 0);
  }

  @Test
  void redirectedPathIsRedactedInMessages() {
    server.enqueue(new MockResponse().setResponseCode(302)
        .setHeader("Location", "/x/transient-abcdef123/" + CALLER_TOKEN + "/y"));
    server.enqueue(status(500, HTML, "<h1>500</h1>"));
    PlexAuthClient client = builderFor(server).build();

    PlexHttpException e = assertThrows(PlexHttpException.class, client::getTransientToken);

    assertTrue(e.getMessage().contains("GET /x/██"), e.getMessage());
    assertNoSecrets(e, "transient-abcdef123");
  }

  @Test
  void tokensSpeltWithJsonEscapesOrXmlReferencesAreMaskedInLogs() {
    List<String> lines = new ArrayList<>();
    server.enqueue(json("{\"MediaContainer\":{\"\\u0074oken\":\"\\u0074ransient-escaped-1\"}}"));
    server.enqueue(status(500, HTML, "<Token>&#116;ransient-escaped-2</Token>"));
    PlexAuthClient client = builderFor(server)
        .logLevel(HttpLoggingInterceptor.Level.BODY).logger(lines::add).build();

    assertEquals("transient-escaped-1", client.getTransientToken().token());
    assertThrows(PlexHttpException.class, client::getTransientToken);

    String log = String.join("\n", lines);
    assertFalse(log.contains("ransient-escaped"), log);
  }

  @Test
  void modelToStringMasksTokenShapedTextInOtherFields() {
    server.enqueue(json("{\"MediaContainer\":{\"size\":1,\"Device\":{\"name\":\"transient-inname\","
        + "\"clientIdentifier\":\"abc\",\"accessToken\":\"transient-access\",\"Connection\":"
        + "[{\"uri\":\"https://h:32400/?X-Plex-Token=" + CALLER_TOKEN + "&a=1\"}]}}}"));
    SourceConnectionInformation source =
        builderFor(server).build().getSourceConnectionInformation("server://abc");

    Connection connection = source.connections().get(0);
    assertTrue(connection.toString().contains("X-Plex-Token=██&a=1"), connection.toString());
    assertFalse(source.toString().contains("transient-"), source.toString());
    assertFalse(source.toString().contains(CALLER_TOKEN), source.toString());
  }

  @Test
  void sourceWithUnicodeSpaceOrC1ControlIsRefusedBeforeAnyRequest() {
    PlexAuthClient client = builderFor(server).build();

    for (String bad : new String[] {"server://a\u0085b", "server://a\u2028b", "server://a\u00a0b",
        "server://a\u200bb"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> client.getSourceConnectionInformation(bad));
      assertTrue(e.getMessage().startsWith("source"), e.getMessage());
    }
    assertEquals(0, server.getRequestCount());
  }

  @Test
  void baseUrlWithOuterControlCharactersIsRefusedNotTrimmed() {
    for (String bad : new String[] {"http://h/\r\n", "\thttp://h/", "http://h/\u0000",
        "http://h/pl\u0085ex"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> PlexAuthClient.builder().baseUrl(bad));
      assertTrue(e.getMessage().startsWith("baseUrl"), e.getMessage());
    }
  }

  @Test
  void closeStopsTheRetriesOfASyncCallUnderWay() throws Exception {
    for (int i = 0; i < 6; i++) {
      server.enqueue(status(503, HTML, "<h1>503</h1>"));
    }
    PlexAuthClient[] holder = new PlexAuthClient[1];
    holder[0] = builderFor(server).maxRetries(5)
        .scheduler(new RetryScheduler() {
          @Override
          public void sleep(long delayNanos) {
            holder[0].close();
          }

          @Override
          public java.util.concurrent.Executor after(long delayNanos) {
            return Runnable::run;
          }
        })
        .build();

    PlexHttpException e = assertThrows(PlexHttpException.class, holder[0]::getTransientToken);

    // Closed during the wait before the first retry: the retry is not sent, and the call ends
    // with the answer it would have retried.
    assertEquals(503, e.code());
    assertEquals("<h1>503</h1>", e.body());
    assertEquals(1, server.getRequestCount(), "no attempt starts after close()");
  }

  @Test
  void officialSourceStillDecodesAfterTheHardening() {
    server.enqueue(json(fixture("source-connection-information.json")));

    assertEquals(3, builderFor(server).build().getSourceConnectionInformation(SOURCE)
        .connections().size());
  }
}
