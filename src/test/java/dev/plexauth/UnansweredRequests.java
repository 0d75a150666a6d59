package dev.plexauth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.mockwebserver.MockWebServer;

/**
 * Keeps a misleading MockWebServer warning out of the test log. MockWebServer 4 counts a
 * connection's requests only once it has answered one, so every connection whose request it read
 * but was told not to answer ({@code SocketPolicy.NO_RESPONSE}, {@code DISCONNECT_AFTER_REQUEST},
 * the stalls, timeouts and cancellations those tests provoke) ends with {@code "MockWebServer[port]
 * connection from /127.0.0.1 didn't make a request"} at WARNING, although the request was made
 * and recorded. The line is dropped for the servers registered here that recorded a request; it
 * still shows for a client that connected to any other server, or to one of these before any
 * request reached it, and sent nothing.
 */
public final class UnansweredRequests {
  /** Held strongly: java.util.logging keeps loggers weakly, and would drop the filter with it. */
  private static final Logger MOCK_WEB_SERVER_LOGGER =
      Logger.getLogger(MockWebServer.class.getName());

  private static final Pattern NO_REQUEST =
      Pattern.compile("MockWebServer\\[(\\d+)\\] connection from .* didn't make a request");

  private static final Map<Integer, MockWebServer> SERVERS = new ConcurrentHashMap<>();

  /** Servers whose clients may connect and send nothing at all (a TLS handshake that fails). */
  private static final Map<Integer, MockWebServer> SILENT = new ConcurrentHashMap<>();

  static {
    MOCK_WEB_SERVER_LOGGER.setFilter(record -> !answeredElsewhere(record));
  }

  private UnansweredRequests() {}

  /** Registers a started server whose tests leave requests unanswered on purpose. */
  public static MockWebServer expectedOn(MockWebServer started) {
    SERVERS.put(started.getPort(), started);
    return started;
  }

  /**
   * Registers a started server that clients are meant to reach and leave without any request,
   * for example because TLS fails for the name they asked for: its warning is always dropped.
   */
  public static MockWebServer requestlessConnectionsExpectedOn(MockWebServer started) {
    SILENT.put(started.getPort(), started);
    return started;
  }

  private static boolean answeredElsewhere(LogRecord record) {
    Matcher noRequest = NO_REQUEST.matcher(String.valueOf(record.getMessage()));
    if (!noRequest.matches()) {
      return false;
    }
    int port = Integer.parseInt(noRequest.group(1));
    MockWebServer server = SERVERS.get(port);
    return SILENT.containsKey(port) || server != null && server.getRequestCount() > 0;
  }
}
