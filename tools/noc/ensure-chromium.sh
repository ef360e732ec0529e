#!/usr/bin/env bash
# Installs Debian's chromium package when /usr/bin/chromium is missing: the NOC page test drives it headless through
# playwright-core (which downloads no browser of its own). Runs as root, as CI and the developer machines here do;
# without root it stops with the command to run. Prints the browser's path on success.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  echo "$CHROMIUM"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "noc: $CHROMIUM is missing (install it: apt-get install -y --no-install-recommends chromium)" >&2
  exit 1
fi
LOG=/tmp/pitboss-chromium-apt.log
echo "noc: installing chromium from Debian's packages (log $LOG)" >&2
export DEBIAN_FRONTEND=noninteractive
# A lock held by another apt run (a parallel helper) is waited for rather than failing at once.
APT=(apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends chromium)
if ! "${APT[@]}" >"$LOG" 2>&1; then
  apt-get -o DPkg::Lock::Timeout=600 update -qq >>"$LOG" 2>&1
  "${APT[@]}" >>"$LOG" 2>&1 || { echo "noc: apt-get install chromium failed, see $LOG" >&2; exit 1; }
fi
[ -x "$CHROMIUM" ] || { echo "noc: chromium installed but $CHROMIUM is missing, see $LOG" >&2; exit 1; }
echo "$CHROMIUM"
