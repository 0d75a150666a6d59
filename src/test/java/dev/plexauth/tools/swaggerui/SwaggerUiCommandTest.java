package dev.plexauth.tools.swaggerui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The swagger-ui command's refusals, run in-process: the exit status and the one line it prints. */
class SwaggerUiCommandTest {
  private final ExecutorService command = Executors.newSingleThreadExecutor();
  private String stdout;
  private String stderr;

  @AfterEach
  void stop() {
    // A command that started serving waits for Ctrl-C: interrupting it ends the wait.
    command.shutdownNow();
  }

  @Test
  void aSpecThatCannotBeServedIsAUsageErrorNamingTheFileBeforeAnythingListens(@TempDir Path dir)
      throws Exception {
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put("/nonexistent", "is not a readable regular file: it does not exist");
    refused.put("/dev/zero", "is not a readable regular file: it is a FIFO, socket or device");
    refused.put(dir.toString(), "is not a readable regular file: it is a directory");
    refused.put(Files.writeString(dir.resolve("flow.yaml"), "servers: []\n").toString(),
        "cannot list the stand-in as its first server: the top-level servers key is not a block"
            + " list");
    // A port already taken: the spec is refused first, so the status is 2, not "cannot start".
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      for (Map.Entry<String, String> bad : refused.entrySet()) {
        int status = run("--spec", bad.getKey(), "--port", String.valueOf(taken.getLocalPort()));

        assertEquals(2, status, stderr);
        assertEquals("swagger-ui: --spec \"" + bad.getKey() + "\" " + bad.getValue() + "\n",
            stderr);
        assertEquals("", stdout);
      }
    }
  }

  private int run(String... args) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Future<Integer> status = command.submit(
        () -> SwaggerUiCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true)));
    try {
      return status.get(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      fail("swagger-ui started serving " + String.join(" ", args) + "\n" + out + err);
      return -1;
    } finally {
      stdout = out.toString();
      stderr = err.toString();
    }
  }
}
