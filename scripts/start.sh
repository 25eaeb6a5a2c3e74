#!/usr/bin/env bash
# Builds the web app, starts a local relay (circuit relay over WebSockets, loopback) and
# serves the app on localhost. Prints the app's URL and the relay's addresses; Ctrl+C
# stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1
npx turbo run build --filter=@whatnext/web --output-logs=errors-only

relay_port="${RELAY_PORT:-4100}"
relays_file="${RELAYS_FILE:-.relays.json}"
rm -f "$relays_file"
node packages/p2p/bin/whatnext-relay.mjs --port "$relay_port" \
  --key-file "${RELAY_KEY_FILE:-.relay-key}" --addr-file "$relays_file" &
relay=$!
trap 'kill "$relay" 2>/dev/null || true' EXIT INT TERM
echo "Relay (circuit relay v2, WebSockets) on 127.0.0.1:${relay_port}; the app finds it at /relays.json"

node scripts/serve.mjs --port "${PORT:-3000}" --relays-file "$relays_file"
