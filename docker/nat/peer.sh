#!/usr/bin/env bash
# Entrypoint of the NAT profile's peers: routes this container through its router instead of
# Docker's bridge gateway, then runs the peer (arguments as for bin/peer) as the image's
# unprivileged user.
#   SIMCHAT_ROUTER    LAN address of this peer's router
#   SIMCHAT_ROOM_OUT  first peer: file to write the room code to once the rendezvous assigned it
#   SIMCHAT_ROOM_IN   second peer: file to read the room code from (waits for it), passed as --room
set -euo pipefail

ip route replace default via "${SIMCHAT_ROUTER:?}"

# Root was needed for the route only (NET_ADMIN); the peer itself needs no privileges.
peer=(setpriv --reuid=10001 --regid=10001 --clear-groups --inh-caps=-all --bounding-set=-all
      java -jar /opt/simchat/app.jar "$@")

publish_room_code() { # copies every line through and writes the room code to $1
  local line code
  while IFS= read -r line; do
    printf '%s\n' "$line"
    if [[ $line == '* room code: '* ]]; then
      code=${line#'* room code: '}
      code=${code%% *}
      printf '%s\n' "$code" >"$1.tmp" && mv "$1.tmp" "$1"
    fi
  done
}

if [ -n "${SIMCHAT_ROOM_IN:-}" ]; then
  until [ -s "$SIMCHAT_ROOM_IN" ]; do sleep 0.2; done
  exec "${peer[@]}" --room "$(cat "$SIMCHAT_ROOM_IN")"
elif [ -n "${SIMCHAT_ROOM_OUT:-}" ]; then
  rm -f "$SIMCHAT_ROOM_OUT" # a code from an earlier run names a room that no longer exists
  # The peer replaces this shell, so signals reach it; only its output takes the detour.
  exec "${peer[@]}" > >(publish_room_code "$SIMCHAT_ROOM_OUT")
else
  exec "${peer[@]}"
fi
