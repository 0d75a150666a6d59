package dev.plexauth.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A scratch copy of the repository's scripts (with {@code scripts/lib}, which they source, and
 * {@code .mvn}, Maven's settings for this repository), run with stand-in commands ({@code java},
 * {@code mvn}) found first on the PATH, and stand-in scripts for those they call, so that a test
 * sees what a script runs without building or starting anything real.
 */
public final class ScriptSandbox {
  private final Path root;
  private final Path bin;

  private ScriptSandbox(Path root) throws IOException {
    this.root = root;
    this.bin = Files.createDirectories(root.resolve("bin"));
  }

  /** Copies these scripts, {@code scripts/lib} and {@code .mvn} into {@code root}. */
  public static ScriptSandbox of(Path root, String... scripts) throws IOException {
    ScriptSandbox sandbox = new ScriptSandbox(root);
    for (String folder : List.of("scripts/lib", ".mvn")) {
      Path copy = Files.createDirectories(root.resolve(folder));
      try (var files = Files.list(Path.of(folder))) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Files.copy(file, copy.resolve(file.getFileName().toString()),
              StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    for (String script : scripts) {
      Files.copy(Path.of("scripts", script), root.resolve("scripts").resolve(script),
          StandardCopyOption.REPLACE_EXISTING);
    }
    return sandbox;
  }

  /** The copy's root: the repository the scripts see. */
  public Path root() {
    return root;
  }

  /** Puts an executable bash script named {@code name} with this body first on the PATH. */
  public void command(String name, String body) throws IOException {
    Path command = bin.resolve(name);
    Files.writeString(command, "#!/usr/bin/env bash\n" + body);
    Files.setPosixFilePermissions(command, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** Puts an executable bash script with this body in the copy's {@code scripts/}, in place of one. */
  public void standInScript(String name, String body) throws IOException {
    Path script = root.resolve("scripts").resolve(name);
    Files.writeString(script, "#!/usr/bin/env bash\n" + body);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** A process running {@code scripts/<script>} in the copy, the stand-ins first on its PATH. */
  public ProcessBuilder script(String script, String... args) {
    List<String> command = new ArrayList<>(List.of("bash", "scripts/" + script));
    command.addAll(List.of(args));
    return inCopy(command);
  }

  /** A process running these bash commands in the copy, the stand-ins first on its PATH. */
  public ProcessBuilder bash(String commands) {
    return inCopy(List.of("bash", "-c", "set -euo pipefail\n" + commands));
  }

  private ProcessBuilder inCopy(List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
    builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    return builder;
  }
}
