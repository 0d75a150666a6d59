# Sourced, never run, by the scripts that build this repository with Maven: scripts/plex-auth,
# scripts/swagger-ui and scripts/bench, which then run what they built, and scripts/regenerate,
# scripts/test and .ci/run, which only build.
#
# Everything it keeps is under .build/ at the repository root (gitignored), not under target/:
# `mvn clean` (scripts/regenerate, scripts/test, or by hand) deletes target/, and neither the lock
# nor what a running command loads may go with it. .build/ rather than .git/: it needs no git, so
# it works the same in a clone, a worktree (whose .git is a file, and whose target/ is its own),
# an unpacked archive and the scratch copies scripts/test makes.
#
#   .build/lock       the build lock (flock, from util-linux, which every Debian has)
#   .build/building   who is building, while a build holding the lock runs
#   .build/tools      the name of the current snapshot of the tools
#   .build/run/NAME/  a snapshot (tools-* or bench-*): classes/, test-classes/, the classpath
#                     files, in-use, and for the tools, stamp
#
# One build at a time. Every Maven build in target/ holds the lock: the tools' and the benchmarks'
# builds here, and scripts/regenerate, scripts/test and .ci/run for their whole Maven work. A run
# that finds the lock taken waits for it, and says so only when .build/building shows a build
# under way: a run holds the lock without building only for the moment it takes to see that
# another run has just built what it needs.
#
# A running command never sees its classes change. Maven rewrites target/classes and
# target/test-classes in place (and `mvn clean` deletes them), while the JVMs of a running command
# load classes from them at any time: the CLI, a Swagger UI that serves for hours, the benchmarks'
# JMH forks and cold-start launches. So no command runs from target/: right after a build, under
# the lock, its classes and classpath are copied into a new snapshot, .build/run/NAME/, which
# nothing changes afterwards, and the command runs from the snapshot (JMH's forks and the
# cold-start launches inherit its classpath). A snapshot is a couple of megabytes.
#
# A run holds a shared flock on its snapshot's in-use file from before it lets go of the build
# lock until its command ends (the descriptor stays open across `exec java`). A build, under the
# lock, deletes every other snapshot but the current tools one whose in-use it can lock
# exclusively: no run is using it. So a running command holds up no build (the next build makes a
# new snapshot rather than waiting), and only the snapshots in use, plus the current tools one,
# stay on disk. (Readers holding a shared lock on the build itself for their whole run would keep
# target/ still too, but a Swagger UI left open while the spec is edited, or a 15-minute bench,
# would then hold up every build, and every run that needs one, until it ends.)
#
# The tools' snapshot is current while its stamp (the start of its build) is newer than every file
# under src/, templates/, openapi/ and pom.xml. A run that finds it current takes no build lock:
# it runs at once, even while another build (scripts/test's ten minutes, say) holds the lock. The
# benchmarks build every time (Maven compiles only what changed).
#
# Maven's output goes to stderr, so that stdout carries only the command's own output, and it holds
# no terminal codes: -Dstyle.color=never, and .mvn/jvm.config stops the ESC[0m resets of jansi.
#
# The sourcing script sets build_name (the name its messages start with) first.

build_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_dir="$build_root/.build"
build_marker="$build_dir/building"

# take_build_lock: takes the build lock, waiting for it if needed. Held until release_build_lock or
# the script's end; commands that build must not inherit it (close {build_lock_fd}).
take_build_lock() {
  mkdir -p "$build_dir/run"
  exec {build_lock_fd}>>"$build_dir/lock"
  if ! flock -n "$build_lock_fd"; then
    # Taken by a build, or by a run that is only checking, for a moment, whether it needs one.
    # Until the builder's marker shows, look again every second.
    while :; do
      if [[ -e "$build_marker" ]]; then
        local builder
        builder=$(cat "$build_marker" 2>/dev/null || true)
        echo "$build_name: waiting for another build in this repository to finish${builder:+ ($builder)}..." >&2
        flock "$build_lock_fd"
        break
      fi
      flock -w 1 "$build_lock_fd" && break
    done
  fi
  # A marker left behind by a build that was stopped: nobody else builds while this run holds the
  # lock.
  rm -f "$build_marker"
}

# mark_building: tells the runs that wait for the lock that a build is under way (under the lock).
mark_building() {
  echo "$build_name, pid $$" > "$build_marker"
}

release_build_lock() {
  rm -f "$build_marker"
  exec {build_lock_fd}>&-
  unset build_lock_fd
}

# with_build_lock COMMAND [ARG...]: runs COMMAND holding the build lock, waiting for it if needed.
with_build_lock() {
  take_build_lock
  "$@"
  release_build_lock
}

# maven ARG...: Maven in the repository, quiet, in batch mode, without colour, all of its output on
# stderr. Only under the build lock, which it marks as building; Maven and what it starts do not
# inherit the lock.
maven() {
  command -v mvn >/dev/null 2>&1 || {
    echo "$build_name: Maven (mvn) is needed to build; on Debian: apt-get install -y maven" >&2
    exit 1
  }
  mark_building
  (cd "$build_root" && mvn -B -ntp -q -Dstyle.color=never "$@" 1>&2 {build_lock_fd}>&-)
  rm -f "$build_marker"
}

# snapshot_build KIND [FILE...]: under the lock, right after a build, copies target/classes,
# target/test-classes and these files (paths in the repository) into a new snapshot
# .build/run/KIND-TIME-PID, and sets build_snapshot to its path.
snapshot_build() {
  local kind=$1 file
  shift
  build_snapshot="$build_dir/run/$kind-$(date +%Y%m%d-%H%M%S)-$$"
  mkdir "$build_snapshot"
  cp -R "$build_root/target/classes" "$build_root/target/test-classes" "$build_snapshot/"
  for file; do
    cp "$build_root/$file" "$build_snapshot/"
  done
  : > "$build_snapshot/in-use"
}

# hold_snapshot DIR: takes a shared lock on the snapshot's in-use file, which this shell keeps, and
# the command it execs after it, for as long as it runs. Fails when the snapshot is gone or going:
# a build that deletes one holds the exclusive lock while it does, and the in-use file it locked is
# no longer there afterwards.
hold_snapshot() {
  local opened=0 saved_stderr
  # Quietly: the snapshot may have just been deleted.
  exec {saved_stderr}>&2 2>/dev/null
  exec {snapshot_lock_fd}<"$1/in-use" || opened=1
  exec 2>&"$saved_stderr" {saved_stderr}>&-
  [[ $opened == 0 ]] || return 1
  if flock -s -n "$snapshot_lock_fd" && [[ /dev/fd/$snapshot_lock_fd -ef "$1/in-use" ]]; then
    return 0
  fi
  exec {snapshot_lock_fd}<&-
  return 1
}

# prune_snapshots: under the lock, deletes the snapshots that no run is using, but the current
# tools one.
prune_snapshots() {
  local current snapshot fd
  current=$(cat "$build_dir/tools" 2>/dev/null || true)
  for snapshot in "$build_dir"/run/*; do
    [[ -d "$snapshot" && "${snapshot##*/}" != "$current" ]] || continue
    exec {fd}>>"$snapshot/in-use" || continue
    if flock -n -x "$fd"; then
      rm -rf "$snapshot" || true
    fi
    exec {fd}>&-
  done
}

# The CLI, the embedded stand-in and the Swagger UI server (scripts/plex-auth, scripts/swagger-ui)
# compile with the tests; one build serves both, and its classpath is kept in the snapshot.

# hold_current_tools: when the current tools snapshot is up to date, holds it and sets tools_run.
hold_current_tools() {
  local name snapshot
  name=$(cat "$build_dir/tools" 2>/dev/null) && [[ -n "$name" ]] || return 1
  snapshot="$build_dir/run/$name"
  [[ -f "$snapshot/stamp" ]] || return 1
  [[ -z "$(cd "$build_root" && find src templates openapi pom.xml -newer "$snapshot/stamp" -print -quit 2>/dev/null)" ]] \
    || return 1
  hold_snapshot "$snapshot" || return 1
  tools_run=$snapshot
}

build_tools_snapshot() {
  echo "$build_name: building the tools (first run or sources changed)..." >&2
  # Stamp the start time: a file edited during the build makes the next run build again.
  touch "$build_dir/tools.stamp"
  maven -DskipTests test-compile dependency:build-classpath \
    -DincludeScope=test -Dmdep.outputFile="$build_root/target/cli-classpath.txt"
  snapshot_build tools target/cli-classpath.txt
  mv "$build_dir/tools.stamp" "$build_snapshot/stamp"
  echo "${build_snapshot##*/}" > "$build_dir/tools.new"
  mv -f "$build_dir/tools.new" "$build_dir/tools"
  hold_snapshot "$build_snapshot" || { echo "$build_name: could not hold $build_snapshot" >&2; exit 1; }
  tools_run=$build_snapshot
  prune_snapshots
}

# build_tools: builds the tools when their snapshot is out of date (under the lock), holds the
# current snapshot and sets tools_classpath, the classpath to run them with.
build_tools() {
  if ! hold_current_tools; then
    take_build_lock
    # Another run may have built them while this one waited.
    if ! hold_current_tools; then
      build_tools_snapshot
    fi
    release_build_lock
  fi
  tools_classpath="$tools_run/classes:$tools_run/test-classes:$(cat "$tools_run/cli-classpath.txt")"
}
