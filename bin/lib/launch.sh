#!/usr/bin/env bash
# Shared by bin/peer and bin/rendezvous: builds MODULE/target/MODULE.jar (quietly, once) when it is
# missing or older than any pom or main source it is made of, then runs it. A fresh clone needs
# nothing but a JDK 17+. Concurrent launches wait for one build instead of racing each other.
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

if stale; then
  if command -v flock >/dev/null; then
    exec 9>"$root/.mvn/.build.lock"
    flock 9
    # Another launch may have built it while we waited.
    if stale; then
      build
    fi
    flock -u 9
    exec 9>&-
  else
    build
  fi
fi

exec java ${!opts_var:-} -jar "$jar" "$@"
