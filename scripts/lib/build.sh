# Sourced, never run, by the scripts that build this repository with Maven: scripts/plex-auth,
# scripts/swagger-ui and scripts/bench, which then run what they built, and scripts/regenerate,
# scripts/test and .ci/run, which only build.
#
# Runs started together share target/, so every Maven build in it holds one lock: the tools' and
# the benchmarks' builds here, and scripts/regenerate, scripts/test and .ci/run for their whole
# Maven work. The lock is .build/lock (flock, from util-linux, which every Debian has), at the
# repository root and gitignored, not under target/: `mvn clean` (scripts/regenerate,
# scripts/test) deletes target/ while it holds the lock, and a run started then would lock a new
# file and build alongside. .build/ rather than .git/: it needs no git, so it works the same in a
# clone, a worktree (whose .git is a file, and whose target/ is its own), an unpacked archive and
# the scratch copies scripts/test makes.
#
# A run that finds the lock taken says so, waits, and only then decides whether it still needs a
# build: the other run has usually built what it needs. A run that needs no build takes the lock
# too, for a moment, so that it never starts on classes that another run's build is rewriting. The
# lock is let go before the command runs, so a long-running command (swagger-ui, a benchmark) never
# holds up another build.
#
# Maven's output goes to stderr, so that stdout carries only the command's own output, and it holds
# no terminal codes: -Dstyle.color=never, and .mvn/jvm.config stops the ESC[0m resets of jansi.
#
# The sourcing script sets build_name (the name its messages start with) first.

build_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_dir="$build_root/.build"

# take_build_lock: takes the build lock, waiting for it if needed. Held until release_build_lock or
# the script's end; commands that build must not inherit it (close {build_lock_fd}).
take_build_lock() {
  mkdir -p "$build_dir"
  exec {build_lock_fd}>>"$build_dir/lock"
  if ! flock -n "$build_lock_fd"; then
    echo "$build_name: waiting for another build in this repository to finish..." >&2
    flock "$build_lock_fd"
  fi
}

release_build_lock() {
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
# stderr. Only under with_build_lock; Maven and what it starts do not inherit the lock.
maven() {
  command -v mvn >/dev/null 2>&1 || {
    echo "$build_name: Maven (mvn) is needed to build; on Debian: apt-get install -y maven" >&2
    exit 1
  }
  (cd "$build_root" && mvn -B -ntp -q -Dstyle.color=never "$@" 1>&2 {build_lock_fd}>&-)
}

# The CLI, the embedded stand-in and the Swagger UI server (scripts/plex-auth, scripts/swagger-ui)
# compile with the tests; one build serves both, and their classpath is written beside the stamp.
# The build is current while the stamp is newer than every file under src/, templates/, openapi/
# and pom.xml.
tools_stamp="$build_root/target/.plex-auth-cli.stamp"
tools_classpath_file="$build_root/target/cli-classpath.txt"

tools_need_build() {
  [[ -f "$tools_stamp" && -f "$tools_classpath_file" && -d "$build_root/target/test-classes" ]] \
    || return 0
  [[ -n "$(cd "$build_root" && find src templates openapi pom.xml -newer "$tools_stamp" -print -quit 2>/dev/null)" ]]
}

build_tools_if_needed() {
  tools_need_build || return 0
  echo "$build_name: building the tools (first run or sources changed)..." >&2
  # Stamp the start time: a file edited during the build makes the next run build again.
  mkdir -p "$build_root/target"
  touch "$tools_stamp.new"
  maven -DskipTests test-compile dependency:build-classpath \
    -DincludeScope=test -Dmdep.outputFile="$tools_classpath_file"
  mv "$tools_stamp.new" "$tools_stamp"
}

# build_tools: builds the tools when needed (under the lock) and sets tools_classpath, the
# classpath to run them with.
build_tools() {
  with_build_lock build_tools_if_needed
  tools_classpath="$build_root/target/classes:$build_root/target/test-classes:$(cat "$tools_classpath_file")"
}
