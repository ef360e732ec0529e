#!/usr/bin/env bash
# Installs, from Debian's packages, the image tools that are missing (buildah, debootstrap, umoci, skopeo, tini).
set -euo pipefail

exec bash "$(dirname "$0")/../debian/ensure-packages.sh" images \
  buildah=buildah debootstrap=debootstrap umoci=umoci skopeo=skopeo tini=tini
