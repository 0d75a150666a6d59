package dev.plexauth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Finds the threads and sockets a client leaves behind, for the {@code close()} tests; leaked
 * responses are {@link ConnectionLeakCheck}'s.
 */
final class ResourceChecks {
  private ResourceChecks() {}

  /** The live threads OkHttp named: its dispatchers' and its shared TaskRunner's. */
  static Set<Thread> okHttpThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("OkHttp") && t.isAlive())
        .collect(Collectors.toSet());
  }

  /** Dispatcher threads are "OkHttp Dispatcher", renamed "OkHttp <url>" while running a call. */
  static boolean isDispatcher(Thread thread) {
    String name = thread.getName();
    return name.equals("OkHttp Dispatcher") || name.startsWith("OkHttp http");
  }

  /**
   * Joins the threads until each has ended or {@code seconds} after {@code since} (a {@link
   * System#nanoTime()}) have passed, and returns those still alive.
   */
  static Set<Thread> awaitEnd(Set<Thread> threads, long since, long seconds)
      throws InterruptedException {
    long deadline = since + TimeUnit.SECONDS.toNanos(seconds);
    for (Thread thread : threads) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left > 0) {
        thread.join(left);
      }
    }
    return threads.stream().filter(Thread::isAlive).collect(Collectors.toSet());
  }

  static List<String> names(Set<Thread> threads) {
    return threads.stream().map(Thread::getName).sorted().collect(Collectors.toList());
  }

  /** True where {@link #openConnectionsTo(int)} can read the kernel's socket tables. */
  static boolean canCountConnections() {
    return Files.isReadable(Path.of("/proc/net/tcp"));
  }

  /**
   * Counts this host's established TCP connections to {@code port} from the client side, read from
   * Linux's socket tables: {@code tcp}, and {@code tcp6} where Java's dual-stack sockets appear.
   */
  static int openConnectionsTo(int port) throws IOException {
    int open = 0;
    for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      Path path = Path.of(table);
      if (!Files.isReadable(path)) {
        continue;
      }
      for (String line : Files.readAllLines(path)) {
        // "sl local_address rem_address st ...": addresses are hex "address:port"; 01 is
        // ESTABLISHED. The header line has no ':' in its third field.
        String[] fields = line.trim().split("\\s+");
        if (fields.length > 3 && fields[2].contains(":") && "01".equals(fields[3])
            && Integer.parseInt(fields[2].substring(fields[2].indexOf(':') + 1), 16) == port) {
          open++;
        }
      }
    }
    return open;
  }
}
