#!/usr/bin/env bash
# Shared by bin/peer and bin/rendezvous: builds MODULE/target/MODULE.jar (quietly, once) when it is
# missing or older than any pom or main source it is made of, then runs it. A fresh clone needs
# nothing but a JDK 17+. Concurrent launches wait for one build instead of racing each other.
# For the peer it also keeps an AppCDS archive (the classes a chat loads, already parsed and verified)
# next to the jar, one per JDK, made by a short training chat on loopback whenever the jar is newer than
# it: the peer then starts in about half the time. SIMCHAT_CDS=off runs without it.
#   usage: launch.sh MODULE JAVA_OPTS_VARIABLE [ARGS...]
set -euo pipefail
module="$1"
opts_var="$2"
shift 2
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$root/$module/target/$module.jar"

stale() {
  [ ! -f "$jar" ] && return 0
  [ -n "$(find "$root/pom.xml" "$root"/{rendezvous,peer}/pom.xml "$root"/{rendezvous,peer}/src/main \
    -newer "$jar" -print -quit 2>/dev/null)" ]
}

build() {
  echo "$module: building (first run or sources changed) ..." >&2
  local log
  log="$(mktemp)"
  if ! (cd "$root" && ./mvnw -B -q -pl "$module" -am package -DskipTests >"$log" 2>&1); then
    echo "$module: build failed; the last lines of the Maven output:" >&2
    tail -n 30 "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
}

# The JVM options of this module, chosen on purpose (bin/lib/MODULE.jvm-options: one per line, # comments).
jvm_options=()
if [ -f "$root/bin/lib/$module.jvm-options" ]; then
  while IFS= read -r line; do
    line="${line%%#*}"
    line="${line#"${line%%[![:space:]]*}"}"
    line="${line%"${line##*[![:space:]]}"}"
    if [ -n "$line" ]; then
      jvm_options+=("$line")
    fi
  done <"$root/bin/lib/$module.jvm-options"
fi

# The archive of this JDK: a JVM only maps an archive that its own build made, so each JDK has its own.
# Read from the JDK's release file, as forking a `java -version` would cost the start-up it is meant to save.
cds_archive() {
  local java_bin home version
  java_bin="$(command -v java)" || return 1
  home="$(dirname "$(dirname "$(readlink -f "$java_bin")")")"
  [ -f "$home/release" ] || return 1
  version="$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"$/\1/p' "$home/release")"
  [ -n "$version" ] || return 1
  echo "$root/$module/target/cds/${version//[^A-Za-z0-9._-]/_}.jsa"
}

# A training chat: two peers on loopback, encrypted, each sends a line, then both say bye. The first one
# writes the classes it loaded to the archive when it exits (-XX:ArchiveClassesAtExit, JDK 13+).
train() {
  local archive="$1" tmp port a b
  echo "$module: preparing a class archive for faster starts (once per build and JDK) ..." >&2
  mkdir -p "$(dirname "$archive")"
  tmp="$(mktemp -d)"
  port=$((20000 + RANDOM % 40000))
  timeout 60 java "${jvm_options[@]}" -XX:ArchiveClassesAtExit="$tmp/peer.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off -jar "$jar" \
    --local "$port" --remote "127.0.0.1:$((port + 1))" --name a --say "warming up" --give-up-after 10s \
    --config-dir "$tmp/a" </dev/null >/dev/null 2>&1 &
  a=$!
  timeout 60 java "${jvm_options[@]}" -jar "$jar" --local "$((port + 1))" --remote "127.0.0.1:$port" --name b --say "warming up" \
    --give-up-after 10s --config-dir "$tmp/b" </dev/null >/dev/null 2>&1 &
  b=$!
  # The archive is written whenever the JVM exits; a chat that failed (no loopback) still made a useful one.
  wait "$a" || true
  wait "$b" || true
  if [ -s "$tmp/peer.jsa" ]; then
    mv -f "$tmp/peer.jsa" "$archive"
    rm -f "$archive.failed"
  else
    # Remembered, so that the next launches of this jar do not pay for another try.
    touch "$archive.failed"
    echo "$module: no class archive (the training run made none); starting without it" >&2
  fi
  rm -rf "$tmp"
}

cds_stale() {
  [ -n "$archive" ] || return 1
  if [ -f "$archive.failed" ] && [ ! "$jar" -nt "$archive.failed" ]; then
    return 1
  fi
  [ ! -f "$archive" ] || [ "$jar" -nt "$archive" ]
}

archive=""
if [ "$module" = peer ] && [ "${SIMCHAT_CDS:-on}" != off ] && command -v timeout >/dev/null; then
  archive="$(cds_archive)" || archive=""
fi

if stale || cds_stale; then
  if command -v flock >/dev/null; then
    exec 9>"$root/.mvn/.build.lock"
    flock 9
    # Another launch may have built it while we waited.
    if stale; then
      build
    fi
    if cds_stale; then
      train "$archive"
    fi
    flock -u 9
    exec 9>&-
  else
    if stale; then
      build
    fi
    if cds_stale; then
      train "$archive"
    fi
  fi
fi

cds=()
if [ -n "$archive" ] && [ -f "$archive" ] && [ ! "$jar" -nt "$archive" ]; then
  # Quietly: an archive the JVM cannot use (a JDK updated in place) only costs the time it would have saved.
  cds=(-XX:SharedArchiveFile="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off)
fi

exec java "${jvm_options[@]}" "${cds[@]}" ${!opts_var:-} -jar "$jar" "$@"
