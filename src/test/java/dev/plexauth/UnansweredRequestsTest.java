package dev.plexauth;

import static dev.plexauth.FacadeTestSupport.always;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The test log's "didn't make a request" warnings: none for a request MockWebServer read and was
 * told not to answer, still one for a client that connected and sent nothing.
 */
class UnansweredRequestsTest {
  private final Logger logger = Logger.getLogger(MockWebServer.class.getName());
  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final Handler recorder = new Handler() {
    @Override
    public void publish(LogRecord record) {
      logged.add(record.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private boolean parents;

  @BeforeEach
  void record() {
    logger.addHandler(recorder);
    // What this test provokes on purpose stays off the console.
    parents = logger.getUseParentHandlers();
    logger.setUseParentHandlers(false);
  }

  @AfterEach
  void stopRecording() {
    logger.removeHandler(recorder);
    logger.setUseParentHandlers(parents);
  }

  @Test
  void aRequestLeftUnansweredOnPurposeIsNotLoggedAsNoRequest() throws Exception {
    MockWebServer server = started();
    server.setDispatcher(always(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE)));
    OkHttpClient client = new OkHttpClient.Builder().readTimeout(200, TimeUnit.MILLISECONDS).build();

    assertThrows(IOException.class,
        () -> client.newCall(new Request.Builder().url(server.url("/")).build()).execute());
    client.connectionPool().evictAll();
    server.shutdown(); // returns once its connections are handled, and logged

    assertEquals(1, server.getRequestCount());
    assertEquals(List.of(), noRequestWarnings());
  }

  @Test
  void aClientThatSendsNothingIsStillLogged() throws Exception {
    MockWebServer server = started();

    try (Socket socket = new Socket(server.getHostName(), server.getPort())) {
      socket.shutdownOutput(); // nothing sent: the server reads the end, logs, and closes
      assertEquals(-1, socket.getInputStream().read());
    }
    server.shutdown();

    assertEquals(1, noRequestWarnings().size(), logged.toString());
  }

  private static MockWebServer started() throws IOException {
    MockWebServer server = new MockWebServer();
    server.start();
    return UnansweredRequests.expectedOn(server);
  }

  private List<String> noRequestWarnings() {
    return logged.stream().filter(m -> m != null && m.contains("didn't make a request"))
        .collect(Collectors.toList());
  }
}
