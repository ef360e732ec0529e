#!/usr/bin/env bash
# Installs Debian's chromium package when /usr/bin/chromium is missing: the NOC page test drives it headless through
# playwright-core (which downloads no browser of its own). Prints the browser's path on success.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
bash "$(dirname "$0")/../debian/ensure-packages.sh" noc chromium=chromium
[ -x "$CHROMIUM" ] || { echo "noc: chromium installed but $CHROMIUM is missing" >&2; exit 1; }
echo "$CHROMIUM"
