#!/usr/bin/env bash
# Builds the web app and serves it on localhost (prints the URL).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1
npx turbo run build --filter=@whatnext/web --output-logs=errors-only
exec node scripts/serve.mjs --port "${PORT:-3000}"
