package dev.plexauth.tools.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a file a tool is pointed at (the CLI's token file and client-identifier file, the spec that
 * Swagger UI serves) without trusting what is there: only a regular file (links followed), at most
 * a given number of bytes, within a time limit.
 *
 * <p>Checking the path first gives the clear message; it cannot close the gap between the check and
 * the open, in which a FIFO or a device may be put in the file's place. Java cannot open a file
 * {@code O_NONBLOCK}, and opening a FIFO blocks until something writes to it, so the open and the
 * read run on a daemon thread that the caller waits for at most {@link #TIME_LIMIT}; the opened
 * channel is checked once more (a pipe or socket cannot seek), and at most {@code maxBytes + 1}
 * bytes are read, so a device such as {@code /dev/zero} ends as a file too long.
 */
public final class BoundedFile {
  /** How long an open and read may take: far more than any local file needs. */
  public static final Duration TIME_LIMIT = Duration.ofSeconds(5);

  private BoundedFile() {}

  /** A file that cannot be used; the message says why, in words that follow the file's name. */
  public static final class UnusableFileException extends Exception {
    private static final long serialVersionUID = 1L;

    UnusableFileException(String problem) {
      super(problem);
    }
  }

  /**
   * Reads at most {@code maxBytes + 1} bytes of a regular file, so that a longer file shows as
   * longer than {@code maxBytes} without being read.
   *
   * @param path the file; links are followed
   * @param maxBytes the longest content the caller accepts
   * @return the first bytes of the file, at most {@code maxBytes + 1} of them
   * @throws UnusableFileException if it is not a readable regular file, cannot be read, or does
   *     not answer within {@link #TIME_LIMIT}; the message starts "is not a readable regular file"
   *     or "could not be read"
   */
  public static byte[] read(Path path, int maxBytes) throws UnusableFileException {
    if (!Files.isRegularFile(path)) {
      throw new UnusableFileException("is not a readable regular file: " + whatItIs(path));
    }
    return openAndRead(path, maxBytes, TIME_LIMIT);
  }

  /**
   * As {@link #read(Path, int)} after its check of the path: what runs when something else was
   * put in the file's place after the check.
   */
  public static byte[] openAndRead(Path path, int maxBytes, Duration limit)
      throws UnusableFileException {
    FutureTask<byte[]> task = new FutureTask<>(() -> readChannel(path, maxBytes));
    Thread reader = new Thread(task, "plex-auth file reader");
    // A FIFO nobody writes to keeps its open() blocked for good: never let that keep the JVM up.
    reader.setDaemon(true);
    reader.start();
    try {
      return task.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // Ends a blocked read (the channel is interruptible); a blocked open() stays on its daemon.
      reader.interrupt();
      throw new UnusableFileException("is not a readable regular file: it could not be opened and"
          + " read within " + limit.toSeconds() + " s (a FIFO or device in its place?)");
    } catch (InterruptedException e) {
      reader.interrupt();
      Thread.currentThread().interrupt();
      throw new UnusableFileException("could not be read: interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof UnusableFileException) {
        throw (UnusableFileException) cause;
      }
      throw new UnusableFileException("could not be read: " + describe(cause));
    }
  }

  private static byte[] readChannel(Path path, int maxBytes)
      throws IOException, UnusableFileException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      try {
        channel.position();
      } catch (IOException e) {
        // lseek fails on a pipe or socket: a FIFO was put in the file's place since the check.
        throw new UnusableFileException(
            "is not a readable regular file: it is a FIFO or socket");
      }
      ByteBuffer buffer = ByteBuffer.allocate(maxBytes + 1);
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // A device such as /dev/zero has size 0 and no end: stop at maxBytes + 1 all the same.
      }
      return Arrays.copyOf(buffer.array(), buffer.position());
    }
  }

  /** What a path is, links followed, for a message: "it is a directory" and the like. */
  public static String whatItIs(Path path) {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return "it does not exist";
    }
    if (Files.isSymbolicLink(path) && !Files.exists(path)) {
      return "it is a symbolic link to nothing";
    }
    if (Files.isDirectory(path)) {
      return "it is a directory";
    }
    if (Files.isRegularFile(path)) {
      return "it is a regular file";
    }
    if (!Files.exists(path)) {
      return "it cannot be reached";
    }
    return "it is a FIFO, socket or device";
  }

  /** An I/O failure in a few words, without a stack trace: its type and the system's reason. */
  public static String describe(Throwable failure) {
    String type = failure.getClass().getSimpleName();
    if (failure instanceof FileSystemException) {
      String reason = ((FileSystemException) failure).getReason();
      return reason == null ? type : type + " (" + reason + ")";
    }
    return failure.getMessage() == null ? type : type + " (" + failure.getMessage() + ")";
  }
}
