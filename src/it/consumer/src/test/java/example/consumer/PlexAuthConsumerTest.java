package example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the consumer against a loopback server that answers Plex's two official JSON payloads,
 * and only to requests that carry the headers and query Plex expects.
 */
class PlexAuthConsumerTest {
  private static final String OWNER_TOKEN = "consumer-owner-token";
  private static final String SOURCE = "server://243b471948ace337a8f92f129ec97d1902fcb1df";

  private final AtomicInteger requests = new AtomicInteger();
  private HttpServer server;

  @BeforeEach
  void startServer() throws IOException {
    Path fixtures = Path.of(System.getProperty("plexauth.fixtures"));
    byte[] token = Files.readAllBytes(fixtures.resolve("transient-token.json"));
    byte[] resources = Files.readAllBytes(fixtures.resolve("source-connection-information.json"));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      String path = exchange.getRequestURI().getPath();
      String query = exchange.getRequestURI().getQuery();
      if (!OWNER_TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Plex-Token"))
          || !"consumer-it-0001".equals(exchange.getRequestHeaders().getFirst("X-Plex-Client-Identifier"))
          || !"application/json".equals(exchange.getRequestHeaders().getFirst("Accept"))) {
        answer(exchange, 401, "text/html", "<html><body>Unauthorized</body></html>".getBytes());
      } else if (path.equals("/security/token") && "type=delegation&scope=all".equals(query)) {
        answer(exchange, 200, "application/json", token);
      } else if (path.equals("/security/resources") && ("source=" + SOURCE).equals(query)) {
        answer(exchange, 200, "application/json", resources);
      } else {
        answer(exchange, 404, "text/html", "<html><body>Not Found</body></html>".getBytes());
      }
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void bothOperationsWorkFromAProjectThatKnowsOnlyTheCoordinates() throws Exception {
    String url = "http://127.0.0.1:" + server.getAddress().getPort();

    List<String> lines = PlexAuthConsumer.run(url, OWNER_TOKEN, SOURCE);

    assertEquals(List.of(
        "token transient-90904684-f91a-4391-8bf7-e0dfa7240285",
        "async transient-90904684-f91a-4391-8bf7-e0dfa7240285",
        "source PlexCorp (plex-corp) 243b471948ace337a8f92f129ec97d1902fcb1df",
        "accessToken transient-fa75f159-b9d2-42b6-8fbd-1761c7a4195a",
        "connection https://10-0-2-123.93b10b279ff8456686414add109854cd.plex.direct:32400 local=true relay=false",
        "connection https://64-71-188-222.93b10b279ff8456686414add109854cd.plex.direct:32403 local=false relay=false",
        "connection https://139-162-158-105.93b10b279ff8456686414add109854cd.plex.direct:8443 local=false relay=true"),
        lines);
    assertEquals(3, requests.get());
  }

  @Test
  void theLibrarysTestToolsStayOutOfTheConsumersClasspath() {
    for (String name : List.of(
        "dev.plexauth.tools.standin.PlexStandIn",
        "dev.plexauth.tools.cli.PlexAuthCli",
        "okhttp3.mockwebserver.MockWebServer",
        "picocli.CommandLine",
        "com.atlassian.oai.validator.OpenApiInteractionValidator")) {
      assertThrows(ClassNotFoundException.class, () -> Class.forName(name), name);
    }
  }

  private static void answer(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
