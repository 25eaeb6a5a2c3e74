#!/usr/bin/env bash
# Runs a command inside a network namespace of its own, so WebRTC tests can use real ICE
# host candidates without sending a packet off this machine (see TESTING-WEBRTC.md,
# option A). The namespace has loopback plus a veth pair whose two ends both live inside
# it (10.200.0.1/24 and 10.200.0.2/24) and a default route over it (without one Chromium
# gathers no candidates); nothing in it can reach the outside.
#
#   scripts/with-netns.sh <command> [args…]
#
# Relay, web server and browsers must all run inside (started by the command); bind them
# to 127.0.0.1. The namespace (wn-<pid>) and every process still in it are removed on
# exit, also on failure or a signal; the exit code is the command's. Inside, the command
# sees WHATNEXT_NETNS=1 and WHATNEXT_NETNS_NAME=<namespace>.
#
# Needs root and iproute2 (`ip`). Without them it fails, unless WITH_NETNS_OPTIONAL=1:
# then the command runs directly, with WHATNEXT_NO_NETNS=1 in its environment (it must
# then keep WebRTC off and use loopback-only transports).
set -u

if [ $# -eq 0 ]; then
  echo "usage: $0 <command> [args…]" >&2
  exit 2
fi

why=''
if [ "$(id -u)" != 0 ]; then
  why='not running as root'
elif ! command -v ip >/dev/null 2>&1; then
  why='`ip` (iproute2) is not installed'
fi
if [ -n "$why" ]; then
  if [ "${WITH_NETNS_OPTIONAL:-}" = 1 ]; then
    echo "with-netns: $why: running without a network namespace (WHATNEXT_NO_NETNS=1)" >&2
    WHATNEXT_NO_NETNS=1 exec "$@"
  fi
  echo "with-netns: cannot create a network namespace: $why." >&2
  echo "  Run as root with iproute2, or set WITH_NETNS_OPTIONAL=1 to run without one" >&2
  echo "  (the command then gets WHATNEXT_NO_NETNS=1 and must keep WebRTC off)." >&2
  exit 1
fi

ns="wn-$$-${RANDOM}"
veth_a="wn$$a"
veth_b="wn$$b"
# Interface names are at most 15 characters.
if [ ${#veth_a} -gt 15 ]; then
  veth_a="wn${RANDOM}a"
  veth_b="wn${RANDOM}b"
fi
child=''

cleanup() {
  trap - EXIT INT TERM HUP
  if [ -n "$child" ] && kill -0 "$child" 2>/dev/null; then kill -TERM "$child" 2>/dev/null; fi
  if ip netns list 2>/dev/null | grep -qw -- "$ns"; then
    # Whatever is left in the namespace (e.g. a browser the command failed to close).
    local pids
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    if [ -n "$pids" ]; then
      # shellcheck disable=SC2086
      kill -TERM $pids 2>/dev/null
      sleep 0.5
      pids=$(ip netns pids "$ns" 2>/dev/null || true)
      # shellcheck disable=SC2086
      [ -z "$pids" ] || kill -KILL $pids 2>/dev/null
    fi
    ip netns del "$ns" 2>/dev/null || echo "with-netns: could not delete namespace $ns" >&2
  fi
}
trap cleanup EXIT

setup() {
  ip netns add "$ns" &&
    ip -n "$ns" link set lo up &&
    ip link add "$veth_a" netns "$ns" type veth peer name "$veth_b" netns "$ns" &&
    ip -n "$ns" addr add 10.200.0.1/24 dev "$veth_a" &&
    ip -n "$ns" addr add 10.200.0.2/24 dev "$veth_b" &&
    ip -n "$ns" link set "$veth_a" up &&
    ip -n "$ns" link set "$veth_b" up &&
    ip -n "$ns" route add default via 10.200.0.2 dev "$veth_a"
}
if ! setup; then
  echo "with-netns: could not set up network namespace $ns" >&2
  exit 1
fi

# Run in the background and wait, so that a signal to this script reaches the command at
# once (and the trap still cleans up) instead of after it finishes. A background command
# ignores SIGINT, so every signal is passed on as SIGTERM.
forward() { [ -z "$child" ] || kill -TERM "$child" 2>/dev/null; }
trap forward INT TERM HUP
ip netns exec "$ns" env WHATNEXT_NETNS=1 WHATNEXT_NETNS_NAME="$ns" "$@" &
child=$!
while :; do
  wait "$child"
  rc=$?
  kill -0 "$child" 2>/dev/null || break
done
child=''
exit "$rc"
