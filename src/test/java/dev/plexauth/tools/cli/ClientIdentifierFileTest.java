package dev.plexauth.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.plexauth.testing.Fifos;
import dev.plexauth.tools.io.BoundedFile;
import dev.plexauth.tools.spec.Arguments;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.QueueDispatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stored client identifier and {@code $PLEX_AUTH_CONFIG_DIR}: whatever is in the file's place,
 * the CLI neither blocks nor exhausts itself; every bad file or directory is a usage error (exit 2)
 * naming it and the problem, without a stack trace, and nothing is sent.
 *
 * <p>Each test has a time limit on a separate thread, so that a CLI blocked in a FIFO's open()
 * fails the test instead of hanging the build; {@link #releaseFifosAndRemoveOutwardLinks()} then
 * opens each FIFO for writing, which lets such a blocked reader go.
 */
@Timeout(value = 20, threadMode = ThreadMode.SEPARATE_THREAD)
class ClientIdentifierFileTest {
  private static final String TOKEN = "caller-secret-token-0000";
  private static final String TOKEN_JSON =
      "{\"MediaContainer\":{\"size\":1,\"token\":\"transient-11111111-2222-3333-4444-555555555555\"}}";
  private static final String PRINTABLE_RULE = "(a client identifier is printable ASCII without"
      + " spaces)";

  @TempDir Path configDir;
  private final Map<String, String> env = new HashMap<>();
  private final Fifos fifos = new Fifos();
  /** Links out of the temporary directory, removed before JUnit cleans it (which warns of them). */
  private final List<Path> outwardLinks = new ArrayList<>();
  private MockWebServer mock;
  private String stdout;
  private String stderr;

  @BeforeEach
  void startServerAndIsolateConfigDir() throws IOException {
    mock = new MockWebServer();
    // A request the test did not expect gets a 404 at once instead of waiting for the timeout.
    ((QueueDispatcher) mock.getDispatcher()).setFailFast(true);
    mock.start(InetAddress.getLoopbackAddress(), 0);
    env.put(ClientIdentifierStore.CONFIG_DIR_ENV, configDir.toString());
  }

  @AfterEach
  void releaseFifosAndRemoveOutwardLinks() throws IOException {
    for (Path link : outwardLinks) {
      Files.deleteIfExists(link);
    }
    fifos.releaseAll();
    mock.shutdown();
  }

  @Test
  void aFifoInTheFilesPlaceIsRefusedWithoutBlocking() throws Exception {
    Path file = idFile();
    mkfifo(file);

    assertRefused(file, "is not a readable regular file: it is a FIFO, socket or device");
  }

  @Test
  void aLinkToDevZeroIsRefusedWithoutReadingIt() throws IOException {
    Path file = linkToDevZero(idFile());

    assertRefused(file, "is not a readable regular file: it is a FIFO, socket or device");
  }

  @Test
  void aSixtySevenMegabyteIdentifierIsRefusedUnreadAndNotSent() throws IOException {
    Path file = idFile();
    byte[] chunk = new byte[1 << 20];
    Arrays.fill(chunk, (byte) 'a');
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < 67; i++) {
        out.write(chunk);
      }
    }

    assertRefused(file, "is longer than any client identifier (more than "
        + ClientIdentifierStore.MAX_FILE_BYTES + " bytes)");
  }

  @Test
  void theLimitIsTheFilesLengthLineEndIncluded() throws Exception {
    String longest = "a".repeat(ClientIdentifierStore.MAX_IDENTIFIER_LENGTH);
    String padding = " ".repeat(ClientIdentifierStore.MAX_FILE_BYTES - longest.length() - 1);
    Files.writeString(idFile(), longest + padding + "\n", StandardCharsets.US_ASCII);
    mock.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
        .setBody(TOKEN_JSON));

    assertEquals(0, run(), stderr);
    assertEquals(longest, mock.takeRequest().getHeader("X-Plex-Client-Identifier"));

    Files.writeString(idFile(), longest + padding + "\r\n", StandardCharsets.US_ASCII);
    assertRefused(idFile(), "is longer than any client identifier");
    Files.writeString(idFile(), longest + "a\n", StandardCharsets.US_ASCII);
    assertRefused(idFile(), "holds 1025 characters, more than a client identifier may have (1024");
  }

  @Test
  void controlCharactersNonAsciiAndSpacesAreRefusedNamingTheByte() throws IOException {
    Map<byte[], String> cases = new LinkedHashMap<>();
    cases.put("id\u0007bell\n".getBytes(StandardCharsets.US_ASCII),
        "holds a control byte (0x07) at byte 2 " + PRINTABLE_RULE);
    cases.put("id\u001b[31m\n".getBytes(StandardCharsets.US_ASCII),
        "holds a control byte (0x1b) at byte 2 " + PRINTABLE_RULE);
    cases.put("\nid\u007f\n".getBytes(StandardCharsets.US_ASCII),
        "holds a control byte (0x7f) at byte 3 " + PRINTABLE_RULE);
    cases.put("caf\u00e9\n".getBytes(StandardCharsets.UTF_8),
        "holds a non-ASCII byte (0xc3) at byte 3 " + PRINTABLE_RULE);
    cases.put(new byte[] {'i', 'd', (byte) 0xff},
        "holds a non-ASCII byte (0xff) at byte 2 " + PRINTABLE_RULE);
    cases.put("two words\n".getBytes(StandardCharsets.US_ASCII),
        "holds a space at byte 3 " + PRINTABLE_RULE);
    cases.put("first\nsecond\n".getBytes(StandardCharsets.US_ASCII),
        "holds a control byte (0x0a) at byte 5 " + PRINTABLE_RULE);
    for (Map.Entry<byte[], String> bad : cases.entrySet()) {
      Files.write(idFile(), bad.getKey());

      assertRefused(idFile(), bad.getValue());
    }
  }

  @Test
  void anEmptyOrBlankFileIsRefused() throws IOException {
    Files.write(idFile(), new byte[0]);
    assertRefused(idFile(), "holds no client identifier (it is empty)");

    Files.writeString(idFile(), " \t\r\n\n");
    assertRefused(idFile(), "holds no client identifier (it is blank)");
  }

  @Test
  void aDirectoryInTheFilesPlaceIsRefused() throws IOException {
    Files.createDirectory(idFile());

    assertRefused(idFile(), "is not a readable regular file: it is a directory");
  }

  @Test
  void aLinkToNothingIsRefusedAndNeverWrittenThrough() throws IOException {
    Path target = configDir.resolve("planted-target");
    Files.createSymbolicLink(idFile(), target);

    assertRefused(idFile(), "is not a readable regular file: it is a symbolic link to nothing");
    assertFalse(Files.exists(target), "the link was followed to create its target");
  }

  @Test
  void aLinkToARegularFileIsFollowed() throws Exception {
    Path elsewhere = Files.writeString(configDir.resolve("elsewhere"), "linked-id\n");
    Files.createSymbolicLink(idFile(), elsewhere);
    mock.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
        .setBody(TOKEN_JSON));

    assertEquals(0, run(), stderr);
    assertEquals("linked-id", mock.takeRequest().getHeader("X-Plex-Client-Identifier"));
  }

  @Test
  void aNewFileIsTheOwnersOnlyCompleteAndLeavesNothingElseBehind() throws Exception {
    mock.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
        .setBody(TOKEN_JSON));

    assertEquals(0, run(), stderr);

    String stored = Files.readString(idFile(), StandardCharsets.US_ASCII);
    assertTrue(stored.matches("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\n"), stored);
    assertEquals(stored.strip(), mock.takeRequest().getHeader("X-Plex-Client-Identifier"));
    if (configDir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(idFile());
      assertTrue(PosixFilePermissions.fromString("rw-------").containsAll(permissions),
          PosixFilePermissions.toString(permissions));
    }
    try (Stream<Path> files = Files.list(configDir)) {
      assertEquals(List.of(ClientIdentifierStore.FILE_NAME),
          files.map(path -> path.getFileName().toString()).collect(Collectors.toList()));
    }
  }

  @Test
  void aConfigDirThatIsARegularFileIsAUsageErrorNamingTheVariable() throws IOException {
    Path notADirectory = Files.writeString(configDir.resolve("a-file"), "x");
    env.put(ClientIdentifierStore.CONFIG_DIR_ENV, notADirectory.toString());

    assertConfigDirRefused(notADirectory.toString(), "is not a directory: it is a regular file");
  }

  @Test
  void aConfigDirThatIsALinkToNothingIsAUsageErrorNamingTheVariable() throws IOException {
    Path dangling = Files.createSymbolicLink(configDir.resolve("dangling"),
        configDir.resolve("nowhere"));
    env.put(ClientIdentifierStore.CONFIG_DIR_ENV, dangling.toString());

    assertConfigDirRefused(dangling.toString(),
        "is not a directory: it is a symbolic link to nothing");
    assertFalse(Files.exists(configDir.resolve("nowhere")), "the link was followed");
  }

  @Test
  void aConfigDirWhereNothingCanBeStoredIsAUsageErrorNamingTheVariable() throws IOException {
    Path readOnly = unwritableDirectory();
    env.put(ClientIdentifierStore.CONFIG_DIR_ENV, readOnly.toString());

    assertConfigDirRefused(readOnly.toString(),
        "is a directory where the client identifier cannot be stored (");
  }

  @Test
  void aConfigDirThatCannotBeCreatedIsAUsageErrorNamingTheVariable() throws IOException {
    Path missing = unwritableDirectory().resolve("plex-auth");
    env.put(ClientIdentifierStore.CONFIG_DIR_ENV, missing.toString());

    assertConfigDirRefused(missing.toString(), "does not exist and cannot be created (");
  }

  @Test
  void aConfigDirThatIsNoPathIsAUsageErrorNamingTheVariable() {
    env.put(ClientIdentifierStore.CONFIG_DIR_ENV, "nul\u0000byte");

    assertConfigDirRefused("nul\u0000byte", "is not a path (");
  }

  @Test
  void aConfigDirOfOnlyWhitespaceIsAUsageErrorAndAnEmptyOneCountsAsUnset() throws Exception {
    for (String blank : List.of(" ", "  \t")) {
      env.put(ClientIdentifierStore.CONFIG_DIR_ENV, blank);

      assertConfigDirRefused(blank, "is only whitespace (leave the variable empty or unset");
    }

    Path xdg = Files.createDirectory(configDir.resolve("xdg"));
    env.put(ClientIdentifierStore.CONFIG_DIR_ENV, "");
    env.put("XDG_CONFIG_HOME", xdg.toString());
    mock.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
        .setBody(TOKEN_JSON));
    assertEquals(0, run(), stderr);
    assertEquals(Files.readString(xdg.resolve("plex-auth").resolve(ClientIdentifierStore.FILE_NAME))
        .strip(), mock.takeRequest().getHeader("X-Plex-Client-Identifier"));
  }

  @Test
  void anExplicitIdLeavesABadFileAndConfigDirUnread() throws Exception {
    mkfifo(idFile());
    mock.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
        .setBody(TOKEN_JSON));

    assertEquals(0, run("--client-id", "given-id"), stderr);
    assertEquals("given-id", mock.takeRequest().getHeader("X-Plex-Client-Identifier"));
  }

  @Test
  void aFifoPutInTheFilesPlaceAfterTheCheckCannotBlockTheRead() throws Exception {
    Path fifo = configDir.resolve("swapped-in");
    mkfifo(fifo);

    // Nobody writes: open() itself blocks, so the time limit ends the wait.
    BoundedFile.UnusableFileException blocked = assertThrows(
        BoundedFile.UnusableFileException.class,
        () -> BoundedFile.openAndRead(fifo, 4096, Duration.ofMillis(200)));
    assertTrue(blocked.getMessage().startsWith("is not a readable regular file: it could not be"
        + " opened and read within"), blocked.getMessage());

    // A writer holds it open: open() returns, and the opened channel shows a pipe.
    try (FileChannel writer =
        FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      BoundedFile.UnusableFileException pipe = assertThrows(
          BoundedFile.UnusableFileException.class,
          () -> BoundedFile.openAndRead(fifo, 4096, Duration.ofSeconds(10)));
      assertEquals("is not a readable regular file: it is a FIFO or socket", pipe.getMessage());
      assertTrue(writer.isOpen());
    }
  }

  /** In a JVM of its own: no hang, no OutOfMemoryError, no stack trace, and exit status 2. */
  @Test
  void theCliProcessExitsTwoWithoutAStackTraceForAFifoAndForDevZero(@TempDir Path scratch)
      throws Exception {
    Path fifoDir = Files.createDirectory(scratch.resolve("fifo"));
    mkfifo(fifoDir.resolve(ClientIdentifierStore.FILE_NAME));
    Path zeroDir = Files.createDirectory(scratch.resolve("zero"));
    linkToDevZero(zeroDir.resolve(ClientIdentifierStore.FILE_NAME));

    for (Path dir : List.of(fifoDir, zeroDir)) {
      Path file = dir.resolve(ClientIdentifierStore.FILE_NAME);
      Path err = scratch.resolve(dir.getFileName() + ".stderr");
      ProcessBuilder builder = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
          "-cp", System.getProperty("java.class.path"), PlexAuthCli.class.getName(),
          "--server", mock.url("/").toString(), "token")
          .redirectOutput(scratch.resolve(dir.getFileName() + ".stdout").toFile())
          .redirectError(err.toFile());
      builder.environment().put("PLEX_TOKEN", TOKEN);
      builder.environment().put(ClientIdentifierStore.CONFIG_DIR_ENV, dir.toString());
      builder.environment().remove("PLEX_CLIENT_ID");
      Process process = builder.start();
      process.getOutputStream().close();
      try {
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          fail("the CLI was still running after 15 s with " + file + "\n" + Files.readString(err));
        }
      } finally {
        process.destroyForcibly();
      }
      String errors = Files.readString(err, StandardCharsets.UTF_8);
      assertEquals(2, process.exitValue(), errors);
      // The first line of the CLI's own (the JVM may say something first, such as its options).
      String first = errors.lines().filter(line -> line.startsWith("plex-auth: ")).findFirst()
          .orElse("");
      assertTrue(first.startsWith("plex-auth: the client-identifier file "
          + Arguments.quoted(file.toString()) + " is not a readable regular file: "), errors);
      assertNoStackTrace(errors);
      assertFalse(errors.contains(TOKEN), errors);
      assertEquals("", Files.readString(scratch.resolve(dir.getFileName() + ".stdout")));
    }
    assertEquals(0, mock.getRequestCount(), "nothing may be sent");
  }

  private Path idFile() {
    return configDir.resolve(ClientIdentifierStore.FILE_NAME);
  }

  private void assertRefused(Path file, String problem) {
    int sent = mock.getRequestCount();
    int status = run();

    assertEquals(2, status, stderr);
    assertEquals("", stdout);
    String first = stderr.split("\n")[0];
    String expected = "plex-auth: the client-identifier file " + Arguments.quoted(file.toString())
        + " " + problem;
    assertTrue(first.startsWith(expected), "expected " + expected + "\n got " + first);
    assertTrue(first.endsWith("; delete it to have a new one made, or pass --client-id"), first);
    assertNoStackTrace(stderr);
    assertEquals(sent, mock.getRequestCount(), "nothing may be sent");
  }

  private void assertConfigDirRefused(String directory, String problem) {
    int status = run();

    assertEquals(2, status, stderr);
    assertEquals("", stdout);
    String first = stderr.split("\n")[0];
    String expected = "plex-auth: $PLEX_AUTH_CONFIG_DIR is not usable: "
        + Arguments.quoted(directory) + " " + problem;
    assertTrue(first.startsWith(expected), "expected " + expected + "\n got " + first);
    assertTrue(first.endsWith("; name another directory, or pass --client-id"), first);
    assertNoStackTrace(stderr);
    assertEquals(0, mock.getRequestCount(), "nothing may be sent");
  }

  private static void assertNoStackTrace(String errors) {
    assertFalse(errors.contains("\tat "), errors);
    assertFalse(errors.contains("Exception in thread"), errors);
    assertFalse(errors.contains("Error"), errors);
  }

  /** The CLI's token call against the MockWebServer, with the token from the environment. */
  private int run(String... extra) {
    List<String> args = new ArrayList<>(List.of("--server", mock.url("/").toString(), "--json"));
    args.addAll(List.of(extra));
    args.add("token");
    env.put("PLEX_TOKEN", TOKEN);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = PlexAuthCli.run(args.toArray(new String[0]), env, new PrintWriter(out),
        new PrintWriter(err));
    stdout = out.toString();
    stderr = err.toString();
    assertFalse(stdout.contains(TOKEN) || stderr.contains(TOKEN), stdout + stderr);
    return status;
  }

  private Path linkToDevZero(Path link) throws IOException {
    outwardLinks.add(Files.createSymbolicLink(link, Path.of("/dev/zero")));
    return link;
  }

  private void mkfifo(Path path) throws IOException, InterruptedException {
    fifos.make(path);
  }

  /**
   * A directory in which no file can be created: one without write permission, or, for root,
   * whom permissions do not stop, /proc/self (procfs creates no files for anyone).
   */
  private Path unwritableDirectory() throws IOException {
    Path dir = Files.createDirectory(configDir.resolve("read-only"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
    try {
      Files.delete(Files.createFile(dir.resolve("probe")));
    } catch (IOException e) {
      return dir;
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    Files.delete(dir);
    return Path.of("/proc/self");
  }
}
