#!/usr/bin/env bash
# Builds the production web app and runs the Playwright suite against it.
#
# As root with iproute2, the suite runs inside a network namespace of its own
# (scripts/with-netns.sh): browsers then connect to each other over real WebRTC (ICE host
# candidates on the namespace's addresses) and no packet leaves the namespace. Elsewhere
# it runs as it is, with WebRTC's UDP turned off in Chromium, so collaboration specs sync
# over the local relay (loopback only).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1
CHROME_PATH="${CHROME_PATH:-$(bash scripts/chromium.sh)}"
export CHROME_PATH
npx turbo run build --filter=@whatnext/web --output-logs=errors-only
if [ "$(id -u)" = 0 ] && command -v ip >/dev/null 2>&1; then
  WHATNEXT_NETNS=1 bash scripts/with-netns.sh npm run e2e -w @whatnext/e2e -- "$@"
else
  echo "e2e: no network namespace (needs root and iproute2): WebRTC off, collaboration over the relay"
  npm run e2e -w @whatnext/e2e -- "$@"
fi
