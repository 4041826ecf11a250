#!/usr/bin/env bash
# CI helper for the Docker integration tests (docker-it): make sure a Docker engine and
# docker-compose are installed and running, then provide the base images offline.
# Idempotent and quick when everything is already in place. Needs root (apt-get, dockerd).
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v docker-compose >/dev/null || need+=(docker-compose)
command -v debootstrap >/dev/null || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi

if ! docker info >/dev/null 2>&1; then
  # No init system in CI containers: run the engine ourselves, detached from this shell so it
  # outlives the CI step (later runs and other users reuse it).
  echo "ci-setup: starting dockerd (log: /var/log/dockerd.log)"
  setsid dockerd >/var/log/dockerd.log 2>&1 < /dev/null &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    echo "ci-setup: dockerd did not come up within 60 s; last log lines:" >&2
    tail -n 20 /var/log/dockerd.log >&2 || true
    exit 1
  fi
fi

# No registry is reachable from CI: stand in for the public base images. The NAT demo
# (docker/nat) needs nothing more: its router and peer images add nftables and iproute2 from the
# stand-in's Debian mirror when they are built, as the Maven stand-in adds its packages.
bash ./build-offline-base-images.sh
