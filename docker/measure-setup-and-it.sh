#!/usr/bin/env bash
# Measures what CI spends on Docker: docker/ci-setup.sh (engine check + offline base images)
# and the docker-it module (image builds + DemoIT + NatDemoIT), each TRIALS times.
#   docker/measure-setup-and-it.sh warm [TRIALS]   images as they are (default 3 trials)
#   docker/measure-setup-and-it.sh cold [TRIALS]   before each trial, remove the simchat/*:dev images
#       and the offline stand-in images (only images labelled by build-offline-base-images.sh;
#       real public images are never removed: cold mode refuses to run over them)
# Prints one line per trial and min/median/max. Assumes the Maven repository (~/.m2) is warm.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:?usage: $0 warm|cold [TRIALS]}
trials=${2:-3}
label=io.github.simchat.offline-standin=true

make_cold() {
  for image in eclipse-temurin:17-jre maven:3.9-eclipse-temurin-17; do
    if docker image inspect "$image" >/dev/null 2>&1 \
        && [ "$(docker image inspect --format "{{index .Config.Labels \"${label%=*}\"}}" "$image")" != true ]; then
      echo "$image is not an offline stand-in; refusing to remove it" >&2
      exit 1
    fi
  done
  docker image rm simchat/peer:dev simchat/peer-nat:dev simchat/rendezvous:dev simchat/nat-router:dev \
    eclipse-temurin:17-jre maven:3.9-eclipse-temurin-17 >/dev/null 2>&1 || true
  # The stand-ins and every image built on them (build stages, older peer images) carry the
  # label. A parent goes only once its children have, hence the passes.
  local ids pass
  for pass in 1 2 3 4 5 6 7 8 9 10; do
    ids=$(docker images --all --quiet --filter "label=$label" | sort -u)
    [ -n "$ids" ] || return 0
    docker image rm --force $ids >/dev/null 2>&1 || true
  done
  echo "could not remove all images labelled $label" >&2
  exit 1
}

seconds() { local start=$1; echo "$(date +%s%N) $start" | awk '{printf "%.1f", ($1 - $2) / 1e9}'; }

setup_times=() it_times=()
for trial in $(seq 1 "$trials"); do
  [ "$mode" = cold ] && make_cold
  start=$(date +%s%N)
  bash docker/ci-setup.sh >/dev/null
  setup=$(seconds "$start")
  start=$(date +%s%N)
  ./mvnw -B -q -pl docker-it verify >/dev/null 2>&1 || { echo "trial $trial: docker-it verify failed" >&2; exit 1; }
  it=$(seconds "$start")
  grep -q 'Skipped: 0' docker-it/target/failsafe-reports/*.txt || { echo "trial $trial: tests were skipped" >&2; exit 1; }
  echo "$mode trial $trial: ci-setup.sh ${setup} s, docker-it verify ${it} s"
  setup_times+=("$setup") it_times+=("$it")
done

summary() { printf '%s\n' "${@:2}" | sort -n | awk -v what="$1" '{ v[NR] = $1 }
  END { printf "%s: min %s s, median %s s, max %s s (%d trials)\n", what, v[1], v[int((NR + 1) / 2)], v[NR], NR }'; }
summary "$mode ci-setup.sh" "${setup_times[@]}"
summary "$mode docker-it verify" "${it_times[@]}"
