#!/usr/bin/env bash
# Installs Debian's chromium package when chromium is missing: the NOC page test drives it headless through
# playwright-core (which downloads no browser of its own). Prints the browser's path on success.
set -euo pipefail

bash "$(dirname "$0")/../debian/ensure-packages.sh" noc chromium=chromium
command -v chromium
