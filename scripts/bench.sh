#!/usr/bin/env bash
# Runs every benchmark; figures go to bench/results.json and a table is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1
CHROME_PATH="${CHROME_PATH:-$(bash scripts/chromium.sh)}"
export CHROME_PATH
npx turbo run build --filter=@whatnext/web --output-logs=errors-only
node bench/run.mjs "$@"
