#!/usr/bin/env bash
# Installs, from Debian's packages, the image tools that are missing (buildah, debootstrap, umoci, skopeo, tini),
# and says which it installs. The image scripts run as root (CI and developer machines here are root); without
# root and without the tools it stops with the list to install.
set -euo pipefail

declare -A PACKAGE_OF=([buildah]=buildah [debootstrap]=debootstrap [umoci]=umoci [skopeo]=skopeo [tini]=tini)
missing=()
for tool in buildah debootstrap umoci skopeo tini; do
  if ! command -v "$tool" >/dev/null 2>&1 && ! [ -x "/usr/sbin/$tool" ] && ! [ -x "/usr/bin/$tool" ]; then
    missing+=("${PACKAGE_OF[$tool]}")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "images: missing Debian packages: ${missing[*]} (install them: apt-get install -y --no-install-recommends ${missing[*]})" >&2
  exit 1
fi
echo "images: installing from Debian's packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends "${missing[@]}" >/tmp/pitboss-images-apt.log 2>&1; then
  apt-get update -qq >>/tmp/pitboss-images-apt.log 2>&1
  apt-get install -y --no-install-recommends "${missing[@]}" >>/tmp/pitboss-images-apt.log 2>&1 ||
    { echo "images: apt-get install ${missing[*]} failed, see /tmp/pitboss-images-apt.log" >&2; exit 1; }
fi
