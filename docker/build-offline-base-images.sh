#!/usr/bin/env bash
# Builds stand-ins for the two public base images the Dockerfile uses, from Debian packages,
# and tags them with the public names, so that the unchanged `docker compose up` (and the
# docker-it tests) work on a machine that reaches Debian mirrors and Maven Central but no
# container registry:
#
#   eclipse-temurin:17-jre          <- debootstrap minbase bookworm + openjdk-17-jre-headless
#   maven:3.9-eclipse-temurin-17    <- the above + openjdk-17-jdk-headless + maven (3.8.x)
#
# Each image is skipped when `docker image inspect` already finds one under that name (the
# real public image or an earlier stand-in), so a second run takes well under a second.
# Users with registry access do not need this script: Docker pulls the real images.
#
# Behind a TLS-intercepting proxy, Maven inside the build image must trust the same extra CAs
# as this host: the *.crt files in EXTRA_CA_DIR are added to the Maven stand-in's trust store
# (public CA certificates only; the JRE stand-in, which never downloads, stays unchanged).
#
# Needs root, debootstrap and a running Docker engine. Environment overrides:
#   DEBIAN_MIRROR  default http://deb.debian.org/debian
#   DEBIAN_SUITE   default bookworm
#   EXTRA_CA_DIR   default /usr/local/share/ca-certificates (set it empty to add none)
# Remove the stand-ins with: docker image rm maven:3.9-eclipse-temurin-17 eclipse-temurin:17-jre
set -euo pipefail

JRE_IMAGE=eclipse-temurin:17-jre
MAVEN_IMAGE=maven:3.9-eclipse-temurin-17
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=${DEBIAN_SUITE:-bookworm}
EXTRA_CA_DIR=${EXTRA_CA_DIR-/usr/local/share/ca-certificates}
LABEL=io.github.simchat.offline-standin=true

have() { docker image inspect "$1" >/dev/null 2>&1; }
log() { echo "offline-base-images: $*"; }

if have "$JRE_IMAGE" && have "$MAVEN_IMAGE"; then
  log "$JRE_IMAGE and $MAVEN_IMAGE already present, nothing to do"
  exit 0
fi

if ! have "$JRE_IMAGE"; then
  command -v debootstrap >/dev/null || { echo "debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }
  rootfs=$(mktemp -d /var/tmp/simchat-jre-rootfs.XXXXXX)
  trap 'rm -rf --one-file-system "$rootfs"' EXIT
  log "debootstrap $SUITE (minbase + openjdk-17-jre-headless) into $rootfs"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates \
    "$SUITE" "$rootfs" "$MIRROR" >"$rootfs.log" 2>&1 \
    || { tail -n 30 "$rootfs.log" >&2; rm -f "$rootfs.log"; exit 1; }
  rm -f "$rootfs.log"
  # The image needs no package cache; it only makes the import slower and the image bigger.
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  java_home=$(cd "$rootfs" && ls -d usr/lib/jvm/java-17-openjdk-* | head -n 1)
  log "importing as $JRE_IMAGE"
  tar -C "$rootfs" -c . | docker import \
    --change "ENV JAVA_HOME=/$java_home" \
    --change "ENV LANG=C.UTF-8" \
    --change "LABEL $LABEL" \
    --change 'CMD ["bash"]' \
    - "$JRE_IMAGE" >/dev/null
  rm -rf --one-file-system "$rootfs"
  trap - EXIT
fi

if ! have "$MAVEN_IMAGE"; then
  log "building $MAVEN_IMAGE on top of $JRE_IMAGE"
  # The context holds only the Dockerfile and the extra CA certificates, if any.
  context=$(mktemp -d /var/tmp/simchat-maven-context.XXXXXX)
  trap 'rm -rf "$context"' EXIT
  mkdir "$context/ca"
  if [ -n "$EXTRA_CA_DIR" ] && compgen -G "$EXTRA_CA_DIR/*.crt" >/dev/null; then
    cp "$EXTRA_CA_DIR"/*.crt "$context/ca/"
    log "adding extra CA certificates: $(cd "$context/ca" && echo *.crt)"
  fi
  cat >"$context/Dockerfile" <<DOCKERFILE
FROM $JRE_IMAGE
COPY ca/ /usr/local/share/ca-certificates/
RUN apt-get update -qq \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \\
      openjdk-17-jdk-headless maven >/dev/null \\
 && update-ca-certificates >/dev/null \\
 && rm -rf /var/lib/apt/lists/*
ENV MAVEN_HOME=/usr/share/maven
LABEL $LABEL
CMD ["mvn"]
DOCKERFILE
  docker build -q -t "$MAVEN_IMAGE" "$context" >/dev/null
  rm -rf "$context"
  trap - EXIT
fi

log "ready: $(docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' "$JRE_IMAGE"), $(docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' "$MAVEN_IMAGE")"
