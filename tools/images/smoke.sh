#!/usr/bin/env bash
# Smoke test of a built image: unpack its OCI layout with umoci, then run the image's own entry point and
# command (from the config umoci writes out of the image) as its user, uid 1000, chrooted into the root
# filesystem mounted read-only with a tmpfs on /tmp, in private mount and PID namespaces, against the local
# stack; pass when /health/live answers 200 and the service stops on SIGTERM. Fails (exit 1, with the service's
# last log lines) on anything else.
# Usage: smoke.sh <app>   (after `npm run images:build -- --app <app>`; needs root for chroot and mounts)
set -euo pipefail
cd "$(dirname "$0")/../.."
app="${1:?usage: smoke.sh <app>}"
images="$PWD/.stack/images"
layout="$images/oci/$app"
fail() { echo "images:smoke FAILED ($app): $*" >&2; exit 1; }
[ -f "$layout/index.json" ] || fail "no OCI layout at $layout: run npm run images:build -- --app $app"
tag="$(umoci ls --layout "$layout" | head -1)"
bundle="$images/smoke/$app"
rm -rf "$bundle" && mkdir -p "$images/smoke"

started=$(date +%s.%N)
umoci unpack --image "$layout:$tag" "$bundle" >/dev/null
unpacked=$(date +%s.%N)
rootfs="$bundle/rootfs"
# The image's process as umoci translated it: user, working directory, arguments, environment.
read -r uid gid cwd < <(node -e 'const p=require(process.argv[1]).process;console.log(p.user.uid,p.user.gid,p.cwd)' "$bundle/config.json")
mapfile -d '' args < <(node -e 'for (const a of require(process.argv[1]).process.args) process.stdout.write(a+"\0")' "$bundle/config.json")
mapfile -d '' image_env < <(node -e 'for (const e of require(process.argv[1]).process.env) process.stdout.write(e+"\0")' "$bundle/config.json")
[ "$uid" = 1000 ] || fail "the image runs as uid $uid, not 1000"

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
port="$(free_port)"
grpc_port="$(free_port)"
run_id="smoke_images_$$"
# Its own schema and topic prefix, so the smoke run touches nothing of the tests or other people.
run_env=(
  "${image_env[@]}"
  "PORT=$port" "GRPC_PORT=$grpc_port" "HOST=127.0.0.1" "LOG_LEVEL=log"
  "DATABASE_SCHEMA=$run_id" "TENANT_SECRETS=smoke-tenant:smoke-secret" "GATEWAY_ADMIN_TOKEN=smoke-admin-token"
  "DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/pitboss}"
  "KAFKA_BROKERS=${KAFKA_BROKERS:-127.0.0.1:9092}"
  "SCHEMA_REGISTRY_URL=${SCHEMA_REGISTRY_URL:-http://127.0.0.1:8081/apis/ccompat/v7}"
  "REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}"
)
log="$images/smoke/$app.log"
mount_and_run='
  set -e; r="$1"; shift
  mount --bind "$r" "$r" && mount -o remount,bind,ro "$r"
  mount -t tmpfs -o size=64m,mode=1777 tmpfs "$r/tmp"
  mount -t proc proc "$r/proc"
  mount -t tmpfs -o size=1m,mode=755 tmpfs "$r/dev"
  for d in null zero random urandom; do touch "$r/dev/$d"; mount --bind "/dev/$d" "$r/dev/$d"; done
  exec chroot --userspec="$UID_GID" "$r" "$@"'
UID_GID="$uid:$gid" unshare --mount --pid --fork --kill-child=SIGTERM --propagation private \
  bash -c "$mount_and_run" smoke "$rootfs" /usr/bin/env -i "${run_env[@]}" sh -c 'cd "$0" && exec "$@"' "$cwd" "${args[@]}" \
  >"$log" 2>&1 &
runner=$!
cleanup() {
  kill -TERM "$runner" 2>/dev/null || true
  wait "$runner" 2>/dev/null || true
  node -e 'const {Client}=require("pg");const c=new Client({connectionString:process.argv[1]});c.connect().then(()=>c.query(`DROP SCHEMA IF EXISTS "${process.argv[2]}" CASCADE`)).finally(()=>c.end())' \
    "${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/pitboss}" "$run_id" >/dev/null 2>&1 || true
}
trap cleanup EXIT

deadline=$(( $(date +%s) + 90 ))
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/live" || true)" = 200 ]; do
  kill -0 "$runner" 2>/dev/null || { tail -20 "$log" >&2; fail "the service exited before /health/live answered"; }
  [ "$(date +%s)" -lt "$deadline" ] || { tail -20 "$log" >&2; fail "/health/live did not answer 200 within 90 s"; }
  sleep 0.25
done
live=$(date +%s.%N)
users="$(ps -o uid= -C node | tr -d ' ' | sort -u | tr '\n' ' ')"
case " $users " in *" 1000 "*) ;; *) fail "no node process runs as uid 1000 (uids: $users)";; esac
kill -TERM "$runner"
wait "$runner" || true
grep -q '"message":"[^"]*listening on' "$log" || { tail -20 "$log" >&2; fail "no 'listening on' line in its log"; }
printf 'images:smoke %s: unpack %.1f s, start to /health/live 200 %.1f s (uid %s, read-only root, tini as PID 1)\n' \
  "$app" "$(awk "BEGIN{print $unpacked - $started}")" "$(awk "BEGIN{print $live - $unpacked}")" "$uid"
