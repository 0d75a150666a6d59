package dev.plexauth.tools.cli;

import dev.plexauth.tools.io.BoundedFile;
import dev.plexauth.tools.spec.Arguments;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The CLI's stable {@code X-Plex-Client-Identifier}: a random UUID created on the first run and
 * kept in {@code <config dir>/client-identifier}, so that the owner sees one device for this
 * install instead of a new one per run.
 *
 * <p>The config directory is, in order: {@code $PLEX_AUTH_CONFIG_DIR} (for tests and portable
 * installs), {@code $XDG_CONFIG_HOME/plex-auth} (when absolute, as the XDG spec requires), else
 * {@code ~/.config/plex-auth}. Not thread-safe; concurrent first runs in separate processes agree
 * on one id because the file is published with an atomic link.
 *
 * <p>The file is read with {@link BoundedFile}: a regular file (links followed) of at most {@link
 * #MAX_FILE_BYTES}, read within a time limit, so a FIFO, a device or a huge file in its place
 * neither blocks nor exhausts the CLI. Its content is one identifier, optionally surrounded by
 * spaces, tabs and line breaks: printable ASCII without spaces, a strict form of what the client's
 * builder accepts as a header value. A new file is written under a fresh name that no link can
 * already hold, with owner-only permissions, flushed to disk and then linked into place, so that
 * the name never shows a partial id and a link planted at it is never written through.
 */
public final class ClientIdentifierStore {
  /** The environment variable that overrides the config directory. */
  public static final String CONFIG_DIR_ENV = "PLEX_AUTH_CONFIG_DIR";

  /** The name of the file, inside the config directory, that holds the client identifier. */
  public static final String FILE_NAME = "client-identifier";

  /**
   * The longest client-identifier file read: far more than any client identifier, and never a
   * whole disk.
   */
  static final int MAX_FILE_BYTES = 4096;
  /** The longest identifier the SDK's builder takes, as every identity header value. */
  static final int MAX_IDENTIFIER_LENGTH = 1024;

  private final Path directory;
  /** True when {@link #CONFIG_DIR_ENV} named the directory: its problems are the user's to fix. */
  private final boolean named;

  private ClientIdentifierStore(Path directory, boolean named) {
    this.directory = directory;
    this.named = named;
  }

  /**
   * A client-identifier file, or a {@code $PLEX_AUTH_CONFIG_DIR}, that cannot be used: a usage
   * error, whose message names the file or the variable and the problem.
   */
  public static final class UnusableException extends Exception {
    private static final long serialVersionUID = 1L;

    UnusableException(String message) {
      super(message);
    }
  }

  /**
   * Returns the store for the config directory the environment names.
   *
   * @param env the environment variables to read; not null
   * @param userHome the user's home directory, used when the environment names no directory
   * @return the store; nothing is read or created yet
   * @throws UnusableException if {@code $PLEX_AUTH_CONFIG_DIR} is not a path, or only whitespace
   */
  public static ClientIdentifierStore fromEnvironment(Map<String, String> env, String userHome)
      throws UnusableException {
    String override = env.get(CONFIG_DIR_ENV);
    // Empty counts as unset, as for the CLI's other variables; whitespace only names no directory
    // anyone meant.
    if (override != null && !override.isEmpty()) {
      if (override.isBlank()) {
        throw unusableDirectory(override, "is only whitespace (leave the variable empty or unset"
            + " for the default directory)");
      }
      try {
        return new ClientIdentifierStore(Paths.get(override), true);
      } catch (InvalidPathException e) {
        throw unusableDirectory(override, "is not a path (" + e.getReason() + ")");
      }
    }
    String xdg = env.get("XDG_CONFIG_HOME");
    if (xdg != null && !xdg.isBlank() && Paths.get(xdg).isAbsolute()) {
      return new ClientIdentifierStore(Paths.get(xdg, "plex-auth"), false);
    }
    // $HOME first, as a shell's ~ does; the JDK's user.home comes from the password database.
    String home = env.get("HOME");
    String base = home != null && !home.isBlank() ? home : userHome;
    return new ClientIdentifierStore(Paths.get(base, ".config", "plex-auth"), false);
  }

  /**
   * Returns the file that holds the client identifier (it may not exist yet).
   *
   * @return the path, never null
   */
  public Path file() {
    return directory.resolve(FILE_NAME);
  }

  /**
   * Returns the stored client identifier, creating and storing a random UUID on first use.
   *
   * @return the identifier, printable ASCII without spaces, not empty, at most {@link
   *     #MAX_IDENTIFIER_LENGTH} characters
   * @throws IOException if the default config directory or the file in it cannot be created (a
   *     read-only home: the caller may go on with an id for this run only)
   * @throws UnusableException if the file exists but is not a regular file or does not hold a
   *     usable identifier, or if {@code $PLEX_AUTH_CONFIG_DIR} names a directory where the file
   *     cannot be created: the message names the file or the variable and the problem
   */
  public String loadOrCreate() throws IOException, UnusableException {
    Path file = file();
    // A link counts as there, even one to nothing: it is read (and refused), never written through.
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return read(file);
    }
    try {
      create(file);
    } catch (IOException e) {
      if (!named) {
        throw e;
      }
      if (Files.isDirectory(directory)) {
        throw unusableDirectory(directory.toString(),
            "is a directory where the client identifier cannot be stored ("
                + BoundedFile.describe(e) + ")");
      }
      String what = BoundedFile.whatItIs(directory);
      throw unusableDirectory(directory.toString(), what.equals("it does not exist")
          ? "does not exist and cannot be created (" + BoundedFile.describe(e) + ")"
          : "is not a directory: " + what);
    }
    return read(file);
  }

  private void create(Path file) throws IOException {
    Files.createDirectories(directory);
    // A fresh random name: CREATE_NEW refuses anything already there, a planted link included.
    Path temp = directory.resolve(FILE_NAME + "-" + UUID.randomUUID() + ".tmp");
    try {
      write(temp, (UUID.randomUUID() + "\n").getBytes(StandardCharsets.US_ASCII));
      try {
        // A hard link publishes the complete file atomically and, unlike a rename, never replaces
        // an id that a concurrent first run stored a moment earlier.
        Files.createLink(file, temp);
      } catch (FileAlreadyExistsException e) {
        // Another run won the race: use its id.
      } catch (UnsupportedOperationException | IOException e) {
        // No hard links on this file system: a move, which refuses a file or link already there.
        try {
          Files.move(temp, file);
        } catch (FileAlreadyExistsException raced) {
          // Another run won the race: use its id.
        }
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Writes a new file readable and writable by its owner only, on disk before it is closed. */
  private static void write(Path temp, byte[] content) throws IOException {
    Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    FileAttribute<?>[] attributes =
        temp.getFileSystem().supportedFileAttributeViews().contains("posix")
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))}
            : new FileAttribute<?>[0];
    try (FileChannel channel = FileChannel.open(temp, options, attributes)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      // Linked into place only once complete on disk: a crash never leaves an empty id file.
      channel.force(true);
    }
  }

  private static String read(Path file) throws UnusableException {
    byte[] bytes;
    try {
      bytes = BoundedFile.read(file, MAX_FILE_BYTES);
    } catch (BoundedFile.UnusableFileException e) {
      throw unusableFile(file, e.getMessage());
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw unusableFile(file,
          "is longer than any client identifier (more than " + MAX_FILE_BYTES + " bytes)");
    }
    int start = 0;
    int end = bytes.length;
    while (start < end && isBlank(bytes[start])) {
      start++;
    }
    while (end > start && isBlank(bytes[end - 1])) {
      end--;
    }
    if (start == end) {
      throw unusableFile(file, "holds no client identifier (it is "
          + (bytes.length == 0 ? "empty" : "blank") + ")");
    }
    for (int i = start; i < end; i++) {
      int b = bytes[i] & 0xff;
      if (b == ' ') {
        throw unusableFile(file, "holds a space at byte " + i
            + " (a client identifier is printable ASCII without spaces)");
      }
      if (b < ' ' || b >= 0x7f) {
        throw unusableFile(file, "holds a " + (b < 0x80 ? "control" : "non-ASCII") + " byte ("
            + String.format(Locale.ROOT, "0x%02x", b) + ") at byte " + i
            + " (a client identifier is printable ASCII without spaces)");
      }
    }
    if (end - start > MAX_IDENTIFIER_LENGTH) {
      throw unusableFile(file, "holds " + (end - start) + " characters, more than a client"
          + " identifier may have (" + MAX_IDENTIFIER_LENGTH + ", as the SDK's builder allows)");
    }
    return new String(bytes, start, end - start, StandardCharsets.US_ASCII);
  }

  /** What may surround the identifier: spaces, tabs, line breaks (a new id is written with one). */
  private static boolean isBlank(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }

  private static UnusableException unusableFile(Path file, String problem) {
    return new UnusableException("the client-identifier file " + Arguments.quoted(file.toString())
        + " " + problem + "; delete it to have a new one made, or pass --client-id");
  }

  private static UnusableException unusableDirectory(String directory, String problem) {
    return new UnusableException("$" + CONFIG_DIR_ENV + " is not usable: "
        + Arguments.quoted(directory) + " " + problem
        + "; name another directory, or pass --client-id");
  }
}
