#!/usr/bin/env bash
# NAT lab: real Linux NAT (nftables masquerade) in network namespaces, for trying simchat's hole
# punching on one machine. Needs root, iproute2 and nftables.
#
#   lab/nat-lab.sh up TOPOLOGY      build a lab (tears down an old one with the same prefix first)
#   lab/nat-lab.sh down             delete the lab's namespaces (by exact name)
#   lab/nat-lab.sh exec HOST CMD... run CMD on a lab host: rdv, a, b (or net, ra, rb)
#   lab/nat-lab.sh env              print the lab's addresses as KEY=VALUE lines
#   lab/nat-lab.sh selftest         prove with a bind+connect loop that the lab NATs behave
#
# Topologies (LAN hosts a and b, rendezvous host rdv on the "internet" 203.0.113.0/24):
#   a  two-nats     a behind router ra, b behind router rb, both port-preserving
#   b  one-public   a behind ra; b directly on the internet
#   c  same-nat     a and b on one LAN behind ra (no hairpinning)
#   d  random-nat   like a, but ra maps ports at random (masquerade fully-random)
#   e  both-random  like a, but both ra and rb map ports at random (no hole punch can work)
#
# Every router masquerades LAN -> WAN, forwards only LAN -> WAN and established/related traffic,
# and drops new connections to itself: unsolicited inbound SYNs vanish like at a home router
# (and a LAN host cannot reach the router's own public address: no hairpinning).
#
# The "internet" is a bridge, but each router's WAN link (and public host b's link) is a wide-area
# wire: lab/delay-line.py, a userspace delay line between two TAP devices (python3; this kernel has
# no netem), delays every frame by a fixed one-way delay, so that SYNs take milliseconds between the
# routers as on a real path. The rendezvous host sits on the bridge itself; LAN links have no delay.
# Internet hosts know each other's MAC addresses in advance (no ARP round trip before a first SYN).
#
# NAT_LAB_DELAY_MS="A,B" (default "10,25") sets the one-way delays in ms: A for ra's WAN link, B for
# rb's (or public host b's) link; one number sets both, 0 a plain veth without delay. Round trips:
# a <-> rdv 2A, b <-> rdv 2B; a SYN from a to b's public endpoint takes A+B. selftest measures them.
# NAT_LAB_PREFIX (default "rl-") prefixes every namespace name, so that labs can coexist.
set -euo pipefail

P="${NAT_LAB_PREFIX:-rl-}"
NET="${P}net" RDV="${P}rdv" RA="${P}ra" RB="${P}rb" A="${P}a" B="${P}b"
ALL=("$A" "$B" "$RA" "$RB" "$RDV" "$NET")
STATE_DIR="/run/nat-lab"
STATE="$STATE_DIR/${P}env"
LAB_DIR="$(cd "$(dirname "$0")" && pwd)"

RDV_IP=203.0.113.10 RA_WAN=203.0.113.11 RB_WAN=203.0.113.12 B_PUBLIC_IP=203.0.113.20

die() { echo "nat-lab: $*" >&2; exit 1; }

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
  exit 2
}

require_root() {
  [ "$(id -u)" = 0 ] || die "needs root (network namespaces and nftables)"
  command -v ip >/dev/null || die "needs iproute2 (apt-get install iproute2)"
  command -v nft >/dev/null || die "needs nftables (apt-get install nftables)"
}

delays() { # sets DELAY_A and DELAY_B (ms) from NAT_LAB_DELAY_MS
  local spec="${NAT_LAB_DELAY_MS:-10,25}"
  [[ "$spec" =~ ^[0-9]+(\.[0-9]+)?(,[0-9]+(\.[0-9]+)?)?$ ]] \
    || die "NAT_LAB_DELAY_MS: '$spec' (expected: MS or A_MS,B_MS, e.g. 10,25)"
  DELAY_A="${spec%%,*}" DELAY_B="${spec#*,}"
  if [ "$DELAY_A" != 0 ] || [ "$DELAY_B" != 0 ]; then
    command -v python3 >/dev/null || die "needs python3 for the WAN delay (or NAT_LAB_DELAY_MS=0)"
    [ -c /dev/net/tun ] || die "needs /dev/net/tun for the WAN delay (or NAT_LAB_DELAY_MS=0)"
  fi
}

exists() { ip netns list 2>/dev/null | awk '{print $1}' | grep -qxF "$1"; }

ns() { # ns NAME: a fresh namespace with loopback up
  ip netns add "$1"
  ip -n "$1" link set dev lo up
}

link() { # link NS1 IF1 NS2 IF2: a veth pair between two namespaces, both ends up
  ip -n "$1" link add name "$2" type veth peer name "$4" netns "$3"
  ip -n "$1" link set dev "$2" up
  ip -n "$3" link set dev "$4" up
}

internet() { # the bridge namespace and the rendezvous host on it
  ns "$NET"
  ip -n "$NET" link add name br0 type bridge
  ip -n "$NET" link set dev br0 up
  ns "$RDV"
  attach "$RDV" rdv "$RDV_IP"
}

attach() { # attach NS PORTNAME IP [IFNAME] [DELAY_MS]: plug NS's IFNAME (eth0) into the internet bridge
  local ifname="${4:-eth0}" delay="${5:-0}"
  if [ "$delay" = 0 ]; then
    link "$1" "$ifname" "$NET" "$2"
  else
    delay_line "$1" "$ifname" "$2" "$delay"
  fi
  ip -n "$NET" link set dev "$2" master br0
  ip -n "$1" addr add "$3/24" dev "$ifname"
}

delay_line() { # delay_line NS IFNAME PORTNAME DELAY_MS: like link, through lab/delay-line.py
  local ns="$1" ifname="$2" port="$3" delay="$4"
  local log="$STATE_DIR/${P}delay-$port.log" pidfile="$STATE_DIR/${P}delay-$port.pid"
  # Both TAP devices are created in the bridge namespace, then one moves to NS (its fd stays valid).
  # The delay line lives in the bridge namespace: it exits when a device or that namespace goes.
  ip netns exec "$NET" python3 "$LAB_DIR/delay-line.py" "$delay" "$port" "$port-far" "/run/netns/$NET" \
    </dev/null >"$log" 2>&1 &
  echo $! >"$pidfile"
  local i
  for i in $(seq 100); do
    grep -qx ready "$log" 2>/dev/null && break
    kill -0 "$(cat "$pidfile")" 2>/dev/null || die "delay line for $port failed: $(cat "$log")"
    sleep 0.05
  done
  grep -qx ready "$log" || die "delay line for $port did not start within 5 s: $(cat "$log")"
  ip -n "$NET" link set dev "$port-far" netns "$ns"
  ip -n "$ns" link set dev "$port-far" name "$ifname"
  ip -n "$ns" link set dev "$ifname" up
  ip -n "$NET" link set dev "$port" up
}

router() { # router NS WAN_IP LAN_PREFIX(10.0.N) MASQUERADE_OPTIONS WAN_DELAY_MS
  local r="$1" wan="$2" lan="$3" opts="$4" delay="$5"
  ns "$r"
  attach "$r" "${r#"$P"}" "$wan" wan "$delay"
  ip -n "$r" link add name lan type bridge
  ip -n "$r" link set dev lan up
  ip -n "$r" addr add "$lan.1/24" dev lan
  ip netns exec "$r" sysctl -qw net.ipv4.ip_forward=1
  # A home router switches its LAN ports in hardware, past its firewall; with br_netfilter loaded
  # bridged frames would otherwise traverse the forward chain below and be dropped.
  ip netns exec "$r" sysctl -qw net.bridge.bridge-nf-call-iptables=0 2>/dev/null || true
  # Chain names avoid the nft keywords "fwd" and "in".
  ip netns exec "$r" nft -f - <<EOF
table ip nat {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "wan" masquerade $opts
  }
}
table inet filter {
  chain forwarding {
    type filter hook forward priority filter; policy drop;
    ct state established,related accept
    iifname "lan" oifname "wan" accept
    iifname "lan" oifname "lan" accept
  }
  chain incoming {
    type filter hook input priority filter; policy accept;
    iifname "lo" accept
    ct state established,related accept
    ct state new drop
  }
}
EOF
}

neighbours() { # neighbours NS:IF:IP...: every internet host knows every other's MAC address
  # On the real Internet a router's next hop is resolved long before a hole punch; here the first SYN
  # to a new WAN address would otherwise wait a whole delayed ARP round trip, a lab artefact.
  local me other mac
  for me in "$@"; do
    for other in "$@"; do
      [ "$me" != "$other" ] || continue
      mac="$(ip -n "${other%%:*}" -o link show dev "$(cut -d: -f2 <<<"$other")" | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)"
      ip -n "${me%%:*}" neigh replace "${other##*:}" lladdr "$mac" nud permanent dev "$(cut -d: -f2 <<<"$me")"
    done
  done
}

host() { # host NS ROUTER IP GATEWAY: a LAN host on ROUTER's LAN bridge
  local h="$1" r="$2" ip="$3" gw="$4"
  ns "$h"
  link "$h" eth0 "$r" "${h#"$P"}"
  ip -n "$r" link set dev "${h#"$P"}" master lan
  ip -n "$h" addr add "$ip/24" dev eth0
  ip -n "$h" route add default via "$gw"
}

up() {
  local topology="${1:-}"
  case "$topology" in
    a | two-nats) topology=a ;;
    b | one-public) topology=b ;;
    c | same-nat) topology=c ;;
    d | random-nat) topology=d ;;
    e | both-random) topology=e ;;
    *) die "up: topology '$topology' (expected: a|two-nats, b|one-public, c|same-nat, d|random-nat, e|both-random)" ;;
  esac
  delays
  down
  mkdir -p "$STATE_DIR"
  internet
  local a_ip b_ip a_pub b_pub
  case "$topology" in
    a | d | e)
      router "$RA" "$RA_WAN" 10.0.1 "$([ "$topology" != a ] && echo fully-random)" "$DELAY_A"
      router "$RB" "$RB_WAN" 10.0.2 "$([ "$topology" = e ] && echo fully-random)" "$DELAY_B"
      host "$A" "$RA" 10.0.1.2 10.0.1.1
      host "$B" "$RB" 10.0.2.2 10.0.2.1
      a_ip=10.0.1.2 b_ip=10.0.2.2 a_pub=$RA_WAN b_pub=$RB_WAN
      neighbours "$RDV:eth0:$RDV_IP" "$RA:wan:$RA_WAN" "$RB:wan:$RB_WAN"
      ;;
    b)
      router "$RA" "$RA_WAN" 10.0.1 "" "$DELAY_A"
      host "$A" "$RA" 10.0.1.2 10.0.1.1
      ns "$B"
      attach "$B" b "$B_PUBLIC_IP" eth0 "$DELAY_B"
      a_ip=10.0.1.2 b_ip=$B_PUBLIC_IP a_pub=$RA_WAN b_pub=$B_PUBLIC_IP
      neighbours "$RDV:eth0:$RDV_IP" "$RA:wan:$RA_WAN" "$B:eth0:$B_PUBLIC_IP"
      ;;
    c)
      router "$RA" "$RA_WAN" 10.0.1 "" "$DELAY_A"
      host "$A" "$RA" 10.0.1.2 10.0.1.1
      host "$B" "$RA" 10.0.1.3 10.0.1.1
      a_ip=10.0.1.2 b_ip=10.0.1.3 a_pub=$RA_WAN b_pub=$RA_WAN
      neighbours "$RDV:eth0:$RDV_IP" "$RA:wan:$RA_WAN"
      ;;
  esac
  cat >"$STATE" <<EOF
TOPOLOGY=$topology
DELAY_A_MS=$DELAY_A
DELAY_B_MS=$DELAY_B
PREFIX=$P
RDV_NS=$RDV
A_NS=$A
B_NS=$B
RDV_IP=$RDV_IP
A_IP=$a_ip
B_IP=$b_ip
A_PUBLIC_IP=$a_pub
B_PUBLIC_IP=$b_pub
EOF
  echo "nat-lab: topology $topology is up (namespaces: $(ip netns list 2>/dev/null | awk '{print $1}' | grep -xF -f <(printf '%s\n' "${ALL[@]}") | tr '\n' ' '))" >&2
}

down() {
  local n f pid
  # The delay lines first, by the pids they were started with (if that pid still runs one).
  for f in "$STATE_DIR/${P}"delay-*.pid; do
    [ -f "$f" ] || continue
    pid="$(cat "$f")"
    if [ -n "$pid" ] && grep -qsa "delay-line.py" "/proc/$pid/cmdline"; then
      kill "$pid" 2>/dev/null || true
    fi
    rm -f "$f" "${f%.pid}.log"
  done
  for n in "${ALL[@]}"; do
    if exists "$n"; then
      # Killing what still runs inside keeps "netns delete" from leaving a half-dead namespace.
      local pids
      pids="$(ip netns pids "$n" 2>/dev/null || true)"
      if [ -n "$pids" ]; then
        kill $pids 2>/dev/null || true
      fi
      ip netns delete "$n"
    fi
  done
  rm -f "$STATE"
}

run() {
  local h="${1:-}"
  shift || true
  [ $# -gt 0 ] || die "exec: missing command (usage: exec HOST CMD...)"
  case "$h" in
    rdv | a | b | net | ra | rb) ;;
    *) die "exec: host '$h' (expected: rdv, a, b, net, ra, rb)" ;;
  esac
  exists "$P$h" || die "exec: no namespace $P$h (run: $0 up TOPOLOGY)"
  exec ip netns exec "$P$h" "$@"
}

# A bind+connect loop from a fixed local port, as simchat's peer does it, bounded to about 8 s.
PUNCH_PY='
import socket, sys, time
local, host, port, pause = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
deadline = time.monotonic() + 8
while time.monotonic() < deadline:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", local))
    s.settimeout(max(0.1, deadline - time.monotonic()))
    try:
        s.connect((host, port))
        s.sendall(b"hello from %s\n" % socket.gethostname().encode())
        print("connected", s.getsockname(), "->", s.getpeername())
        sys.exit(0)
    except OSError as e:
        s.close()
        time.sleep(pause)
print("no connection:", host, port)
sys.exit(1)
'

punch() { # punch EXPECT(ok|fail) A_TARGET B_TARGET [PAUSE]: both hosts dial each other from port 8000
  local expect="$1" a_target="$2" b_target="$3" pause="${4:-0.05}"
  ip netns exec "$A" python3 -c "$PUNCH_PY" 8000 "$a_target" 8000 "$pause" >/tmp/nat-lab-a.$$ 2>&1 &
  local pa=$!
  ip netns exec "$B" python3 -c "$PUNCH_PY" 8000 "$b_target" 8000 "$pause" >/tmp/nat-lab-b.$$ 2>&1 &
  local pb=$!
  local ra=0 rb=0
  wait "$pa" || ra=$?
  wait "$pb" || rb=$?
  local got=fail
  [ "$ra" = 0 ] && [ "$rb" = 0 ] && got=ok
  printf '  a: %s\n  b: %s\n' "$(cat /tmp/nat-lab-a.$$)" "$(cat /tmp/nat-lab-b.$$)" >&2
  rm -f /tmp/nat-lab-a.$$ /tmp/nat-lab-b.$$
  if [ "$got" = "$expect" ]; then
    echo "  => $got, as expected" >&2
    return 0
  fi
  echo "  => $got, expected $expect" >&2
  return 1
}

# The round trip of a SYN answered by a reset (a closed port on the rendezvous host), median of 5
# after one to warm the ARP cache; there is no ping in a minimal install, and routers drop it anyway.
RTT_PY='
import socket, statistics, sys, time
samples = []
for i in range(6):
    s = socket.socket()
    t = time.monotonic()
    try:
        s.connect((sys.argv[1], 9))
    except ConnectionRefusedError:
        samples.append((time.monotonic() - t) * 1000)
    s.close()
print("%.2f" % statistics.median(samples[1:]) if len(samples) == 6 else "?")
'

rtts() { # prints the measured round trips of the lab that is up
  local a b
  a="$(ip netns exec "$A" python3 -c "$RTT_PY" "$RDV_IP")"
  b="$(ip netns exec "$B" python3 -c "$RTT_PY" "$RDV_IP")"
  echo "  measured RTT a <-> rdv $a ms, b <-> rdv $b ms (NAT_LAB_DELAY_MS=${NAT_LAB_DELAY_MS:-10,25})" >&2
}

selftest() {
  command -v python3 >/dev/null || die "selftest: needs python3"
  local failures=0
  echo "a (two port-preserving NATs): public endpoints connect" >&2
  "$0" up a && rtts && punch ok "$RB_WAN" "$RA_WAN" || failures=$((failures + 1))
  echo "b (one public peer): public endpoints connect" >&2
  "$0" up b && punch ok "$B_PUBLIC_IP" "$RA_WAN" || failures=$((failures + 1))
  echo "c (same NAT, no hairpinning): private endpoints connect, public ones do not" >&2
  # Nothing drops SYNs on a LAN: a closed port answers RST at once, so only a tight loop hits the
  # sub-millisecond window (this is what simchat's timed sync is for).
  "$0" up c && punch ok 10.0.1.3 10.0.1.2 0 || failures=$((failures + 1))
  punch fail "$RA_WAN" "$RA_WAN" || failures=$((failures + 1))
  echo "d (port-randomising NAT): public endpoints do not connect" >&2
  "$0" up d && punch fail "$RB_WAN" "$RA_WAN" || failures=$((failures + 1))
  down
  [ "$failures" = 0 ] || die "selftest: $failures check(s) failed"
  echo "nat-lab: selftest passed" >&2
}

cmd="${1:-}"
shift || true
case "$cmd" in
  up) require_root; up "$@" ;;
  down) require_root; down ;;
  exec) require_root; run "$@" ;;
  env) [ -f "$STATE" ] || die "env: no lab is up (run: $0 up TOPOLOGY)"; cat "$STATE" ;;
  selftest) require_root; selftest ;;
  -h | --help | help | "") usage ;;
  *) die "unknown command '$cmd' (expected: up, down, exec, env, selftest)" ;;
esac
