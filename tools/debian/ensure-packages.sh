#!/usr/bin/env bash
# Installs, from Debian's packages, whichever of the given tools are missing, and says which it installs.
#   ensure-packages.sh <label> <command>=<package> [<command>=<package> ...]
# e.g. ensure-packages.sh reports pdftoppm=poppler-utils pdftotext=poppler-utils
# Tests and scripts that need a Debian tool call this instead of assuming it (a clean CI machine has none of them).
# Runs as root, as CI and the developer machines here do; without root it stops with the command to run. A lock held
# by another apt run (a parallel test or helper) is waited for rather than failing at once.
set -euo pipefail

label=$1
shift
has() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]; }
missing=()
for pair in "$@"; do
  tool=${pair%%=*}
  package=${pair#*=}
  has "$tool" || [[ " ${missing[*]} " == *" $package "* ]] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "$label: missing Debian packages: ${missing[*]} (install them: apt-get install -y --no-install-recommends ${missing[*]})" >&2
  exit 1
fi
LOG=/tmp/pitboss-apt-$label.log
echo "$label: installing from Debian's packages: ${missing[*]} (log $LOG)" >&2
export DEBIAN_FRONTEND=noninteractive
APT=(apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}")
if ! "${APT[@]}" >"$LOG" 2>&1; then
  apt-get -o DPkg::Lock::Timeout=600 update -qq >>"$LOG" 2>&1
  "${APT[@]}" >>"$LOG" 2>&1 || { echo "$label: apt-get install ${missing[*]} failed, see $LOG" >&2; exit 1; }
fi
for pair in "$@"; do
  has "${pair%%=*}" || { echo "$label: ${pair#*=} installed but ${pair%%=*} is still missing, see $LOG" >&2; exit 1; }
done
