#!/usr/bin/env bash
# Every test: lint, typecheck, unit and browser-mode tests, the production build, and
# the Playwright end-to-end suite in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1
CHROME_PATH="$(bash scripts/chromium.sh)"
export CHROME_PATH
echo "Using Chromium at $CHROME_PATH"
npm run lint
npm run typecheck
npx turbo run test --concurrency=1 --output-logs=new-only
bash scripts/e2e.sh
