# A home router as a container, for the NAT profile of docker/compose.yaml: the JRE base image
# (Debian or Ubuntu, already present) plus nftables and iproute2. Java is not used.
# Build context is docker/nat (compose.yaml says so); by hand:
#   docker build -f docker/nat/router.Dockerfile -t simchat/nat-router:dev docker/nat
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre
FROM ${RUNTIME_IMAGE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nftables iproute2 >/dev/null \
 && rm -rf /var/lib/apt/lists/*
COPY router.sh /usr/local/bin/simchat-router
# Runs as root: it configures its own network namespace (compose grants NET_ADMIN and
# ip_forward for that namespace only).
ENTRYPOINT ["bash", "/usr/local/bin/simchat-router"]
