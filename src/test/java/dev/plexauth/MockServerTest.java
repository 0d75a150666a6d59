package dev.plexauth;

import java.io.IOException;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test class whose tests each talk to a fresh MockWebServer, shut down after the test. */
abstract class MockServerTest {
  protected MockWebServer server;

  @BeforeEach
  final void startMockServer() throws IOException {
    server = new MockWebServer();
    server.start();
    UnansweredRequests.expectedOn(server);
  }

  @AfterEach
  final void stopMockServer() throws IOException {
    server.shutdown();
  }
}
