package dev.plexauth.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Named pipes for tests, made with {@code mkfifo} (coreutils, on every Debian): a test that needs
 * one fails, never skips, where it cannot be made. {@link #releaseAll()} lets go any open() that a
 * failing test left blocked on one, so the build cannot hang on it. Not thread-safe.
 */
public final class Fifos {
  private final List<Path> made = new ArrayList<>();

  /**
   * Makes a FIFO and remembers it for {@link #releaseAll()}.
   *
   * @param path where; must not exist
   * @return {@code path}
   */
  public Path make(Path path) throws IOException, InterruptedException {
    made.add(mkfifo(path));
    return path;
  }

  /**
   * Opens every FIFO made here that still is one for reading and writing, which never blocks and
   * lets a reader or writer blocked in open() go on.
   */
  public void releaseAll() throws IOException {
    for (Path fifo : made) {
      if (Files.exists(fifo) && !Files.isRegularFile(fifo) && !Files.isDirectory(fifo)) {
        try (FileChannel channel =
            FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
          channel.size();
        }
      }
    }
  }

  /**
   * Makes a FIFO that the test releases itself.
   *
   * @param path where; must not exist
   * @return {@code path}
   */
  public static Path mkfifo(Path path) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
    assertTrue(process.waitFor(10, TimeUnit.SECONDS), "mkfifo did not end");
    assertEquals(0, process.exitValue(), "mkfifo " + path + ": "
        + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    return path;
  }
}
