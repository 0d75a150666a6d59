package dev.plexauth.tools.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads the token of {@code --token-file -}: the first line of standard input, and nothing after
 * it.
 *
 * <p>Unlike a file, standard input gets no time limit: a person may be typing the token, or a
 * password manager in a pipe may be waiting for its passphrase. A pipe that never writes keeps the
 * CLI waiting as it would keep any filter waiting; {@code timeout(1)} or Ctrl-C ends it. What is
 * bounded is memory and the wait for more input: at most {@code maxBytes + 1} bytes are read, and
 * the read stops at the first line feed, however long the writer then stays open.
 */
final class StandardInput {
  private StandardInput() {}

  /**
   * The first line of standard input, without its line feed.
   *
   * @param bytes the line; longer than {@code maxBytes} when the line did not end within {@code
   *     maxBytes} bytes
   * @param ended true when a line feed ended it, false when the input did (empty input: an empty
   *     line that did not end)
   */
  record Line(byte[] bytes, boolean ended) {}

  /**
   * Reads up to the first line feed or the end of the input, and at most {@code maxBytes + 1}
   * bytes: each read returns what is there, so a writer that stays open after the line feed holds
   * nothing up.
   *
   * @param in standard input; not closed here
   * @param maxBytes the longest line accepted
   * @return the line; see {@link Line}
   * @throws IOException if standard input cannot be read
   */
  static Line firstLine(InputStream in, int maxBytes) throws IOException {
    byte[] buffer = new byte[maxBytes + 1];
    int length = 0;
    while (length < buffer.length) {
      int read = in.read(buffer, length, buffer.length - length);
      if (read < 0) {
        break;
      }
      for (int i = length; i < length + read; i++) {
        if (buffer[i] == '\n') {
          return new Line(Arrays.copyOf(buffer, i), true);
        }
      }
      length += read;
    }
    return new Line(Arrays.copyOf(buffer, length), false);
  }

  /**
   * Whether the process started with its standard input closed ({@code <&-}). The JVM then holds
   * file descriptor 0 itself, as the first file it opened (its {@code lib/modules}), and {@link
   * System#in} reads that file: Linux's {@code /proc/self/fd/0} shows it inside {@code java.home}.
   * False where there is no {@code /proc}.
   */
  static boolean closedAtStart() {
    try {
      Path input = Files.readSymbolicLink(Path.of("/proc/self/fd/0"));
      Path javaHome = Path.of(System.getProperty("java.home")).toRealPath();
      return input.isAbsolute() && input.startsWith(javaHome);
    } catch (IOException | RuntimeException e) {
      // No /proc (or no link there): nothing to tell; standard input is read as it is.
      return false;
    }
  }
}
