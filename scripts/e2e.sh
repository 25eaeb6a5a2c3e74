#!/usr/bin/env bash
# Builds the production web app and runs the Playwright suite against it.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1
CHROME_PATH="${CHROME_PATH:-$(bash scripts/chromium.sh)}"
export CHROME_PATH
npx turbo run build --filter=@whatnext/web --output-logs=errors-only
npm run e2e -w @whatnext/e2e -- "$@"
