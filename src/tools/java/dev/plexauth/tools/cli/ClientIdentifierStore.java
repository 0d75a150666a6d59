package dev.plexauth.tools.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
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
 */
public final class ClientIdentifierStore {
  /** The environment variable that overrides the config directory. */
  public static final String CONFIG_DIR_ENV = "PLEX_AUTH_CONFIG_DIR";

  /** The name of the file, inside the config directory, that holds the client identifier. */
  public static final String FILE_NAME = "client-identifier";

  private final Path directory;

  private ClientIdentifierStore(Path directory) {
    this.directory = directory;
  }

  /**
   * Returns the store for the config directory the environment names.
   *
   * @param env the environment variables to read; not null
   * @param userHome the user's home directory, used when the environment names no directory
   * @return the store; nothing is read or created yet
   */
  public static ClientIdentifierStore fromEnvironment(Map<String, String> env, String userHome) {
    String override = env.get(CONFIG_DIR_ENV);
    if (override != null && !override.isBlank()) {
      return new ClientIdentifierStore(Paths.get(override));
    }
    String xdg = env.get("XDG_CONFIG_HOME");
    if (xdg != null && !xdg.isBlank() && Paths.get(xdg).isAbsolute()) {
      return new ClientIdentifierStore(Paths.get(xdg, "plex-auth"));
    }
    // $HOME first, as a shell's ~ does; the JDK's user.home comes from the password database.
    String home = env.get("HOME");
    String base = home != null && !home.isBlank() ? home : userHome;
    return new ClientIdentifierStore(Paths.get(base, ".config", "plex-auth"));
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
   * @return the identifier, printable ASCII and not blank
   * @throws IOException if the directory or file cannot be created or read
   * @throws IllegalStateException if the file exists but holds something that is not a usable
   *     identifier (the message names the file; deleting it makes a new one)
   */
  public String loadOrCreate() throws IOException {
    Path file = file();
    if (Files.exists(file)) {
      return read(file);
    }
    Files.createDirectories(directory);
    Path temp = Files.createTempFile(directory, FILE_NAME, ".tmp");
    try {
      Files.write(temp, (UUID.randomUUID() + "\n").getBytes(StandardCharsets.US_ASCII));
      try {
        // A hard link publishes the complete file atomically and, unlike a rename, never replaces
        // an id that a concurrent first run stored a moment earlier.
        Files.createLink(file, temp);
      } catch (FileAlreadyExistsException e) {
        // Another run won the race: use its id.
      } catch (UnsupportedOperationException | IOException e) {
        // No hard links on this file system: fall back to a move, which can only fail on a race.
        if (!Files.exists(file)) {
          Files.move(temp, file);
        }
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    return read(file);
  }

  private static String read(Path file) throws IOException {
    String id = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
    if (id.isEmpty() || !id.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
      throw new IllegalStateException(
          file + " does not hold a usable client identifier (printable ASCII without spaces); "
              + "delete it to create a new one, or pass --client-id");
    }
    return id;
  }
}
