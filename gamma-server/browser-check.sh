#!/usr/bin/env bash
# The service's web page in a real browser: starts the service (demo model) in the test, drives Debian's
# headless Chromium over WebDriver (/usr/bin/chromedriver, never a downloaded driver), uploads an image,
# reads its score off the page and compares it with POST /v1/score; then the refusals the page explains.
# Screenshots: gamma-server/target/web-page.png and web-page-errors.png.
# Needs: apt-get install chromium chromium-driver (or CHROMIUM=... CHROMEDRIVER=... paths). Fails, never skips, without them.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in "${CHROMIUM:-/usr/bin/chromium}" "${CHROMEDRIVER:-/usr/bin/chromedriver}"; do
  if [ ! -x "$tool" ]; then
    echo "browser-check: $tool is missing; install Debian's browser and its driver: apt-get install chromium chromium-driver" >&2
    exit 1
  fi
done
exec ./mvnw -B verify -pl gamma-server -am -Pbrowser -Dtest=WebPageBrowserTest -Dsurefire.failIfNoSpecifiedTests=false "$@"
