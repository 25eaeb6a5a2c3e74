#!/usr/bin/env bash
# Finds Chromium for browser tests and prints its path: $CHROME_PATH, /usr/bin/chromium,
# or Debian's `chromium` package installed here when running as root. Never downloads a
# browser build of its own (Playwright's download is not used).
set -euo pipefail
if [ -n "${CHROME_PATH:-}" ] && [ -x "${CHROME_PATH}" ]; then echo "$CHROME_PATH"; exit 0; fi
for candidate in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
  if [ -x "$candidate" ]; then echo "$candidate"; exit 0; fi
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium not found: installing Debian's chromium package…" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2
  if [ -x /usr/bin/chromium ]; then echo /usr/bin/chromium; exit 0; fi
fi
cat >&2 <<'MSG'
Chromium is needed for the browser tests and was not found.
Install it (Debian/Ubuntu: `sudo apt-get install chromium`) or set CHROME_PATH to a
Chromium or Chrome executable, then run the command again.
MSG
exit 1
