#!/usr/bin/env bash
# `npm run demo`: the real stack, the wallet sandbox and the six services built and running, and the money path
# driven end to end by signed aggregator traffic (tools/demo/demo.ts). The fleet is stopped on exit, Ctrl-C
# included, unless DEMO_KEEP_RUNNING=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
[[ -d node_modules ]] || {
  echo 'demo: node_modules is missing: run npm install first' >&2
  exit 1
}
# node --import tsx rather than the tsx CLI: the CLI's signal relay SIGKILLs a child that does not acknowledge a
# Ctrl-C within 30 ms, which a loaded machine misses, and the fleet would then be left running.
exec node --import tsx tools/demo/demo.ts
