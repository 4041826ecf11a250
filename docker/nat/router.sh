#!/usr/bin/env bash
# Entrypoint of the NAT profile's routers: turns this container into a port-preserving home
# router between its LAN and the "internet" network, like lab/nat-lab.sh does in namespaces:
# masquerade LAN -> WAN, forward only LAN -> WAN and established/related traffic, and drop
# connections that start on the WAN side. Then prints how many such packets it dropped.
#   ROUTER_LAN_IP  this router's address on its LAN (the peer's default route points here)
#   ROUTER_WAN_IP  its address on the internet network (the peer's public address)
set -euo pipefail

interface_with() { # the interface that holds IPv4 address $1 (Docker does not fix the order)
  ip -o -4 addr show | awk -v ip="$1" '{ split($4, a, "/") } a[1] == ip { sub(/@.*/, "", $2); print $2 }'
}
lan=$(interface_with "${ROUTER_LAN_IP:?}")
wan=$(interface_with "${ROUTER_WAN_IP:?}")
if [ -z "$lan" ] || [ -z "$wan" ]; then
  echo "router: no interface holds $ROUTER_LAN_IP (LAN) or $ROUTER_WAN_IP (WAN):" >&2
  ip -o -4 addr show >&2
  exit 1
fi

# Docker made one of the bridges' host side our default gateway. The internet routes no private
# addresses, so neither do we: a dial toward the other peer's private candidate is answered
# "network unreachable" here, and only the public candidate can connect.
ip route del default 2>/dev/null || true

# Chain names avoid the nft keywords "fwd" and "in".
nft -f - <<NFT
table ip simchat_nat {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    # No fully-random: the NAT keeps the peer's local port when it can (port-preserving), which
    # is what lets the rendezvous predict the mapping.
    oifname "$wan" masquerade
  }
}
table inet simchat_filter {
  counter unsolicited {
  }
  chain forwarding {
    type filter hook forward priority filter; policy drop;
    ct state established,related accept
    iifname "$lan" oifname "$wan" accept
    iifname "$wan" ct state new counter name unsolicited drop
  }
  chain incoming {
    type filter hook input priority filter; policy accept;
    iifname "lo" accept
    ct state established,related accept
    iifname "$wan" ct state new counter name unsolicited drop
  }
}
NFT
touch /run/simchat-router-ready
echo "router: LAN $lan ($ROUTER_LAN_IP) -> masquerade -> WAN $wan ($ROUTER_WAN_IP); connections from the WAN side are dropped"

trap 'exit 0' TERM INT
# The first SYN of a hole punch usually dies here, before this side's own SYN has opened the
# mapping; show that as it happens.
reported=0
while sleep 1 & wait $!; do
  dropped=$(nft list counter inet simchat_filter unsolicited | awk '$1 == "packets" { print $2 }')
  if [ "${dropped:-0}" != "$reported" ]; then
    echo "router: dropped ${dropped} unsolicited packet(s) from the WAN side so far"
    reported=$dropped
  fi
done
