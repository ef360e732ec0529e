#!/usr/bin/env bash
# `npm run demo`: the real stack, the six services built and running, and proof that events flow through them
# (tools/demo/demo-workload.ts). The fleet is stopped on exit, Ctrl-C included, unless DEMO_KEEP_RUNNING=1.
set -euo pipefail
cd "$(dirname "$0")/../.."

# Names and default ports as in apps/<name>/src/main.ts (mirrored in tools/demo/fleet.ts for the report).
SERVICES=(bet-gateway settle-worker bonus-grant wagering-progress reconciliation outbox-relay)
PORTS=(3000 3001 3002 3003 3004 3005)
LOG_DIR=.stack/demo
READY_TIMEOUT_S=${DEMO_READY_TIMEOUT_S:-90}
STOP_TIMEOUT_S=${DEMO_STOP_TIMEOUT_S:-20}
PIDS=()

step() { printf '\n== demo: %s\n' "$*"; }
fail() {
  printf 'demo: %s\n' "$*" >&2
  exit 1
}

# SIGTERM lets each service drain (the relay finishes its batch); whatever outlives the deadline is killed.
stop_fleet() {
  ((${#PIDS[@]} > 0)) || return 0
  step "stopping the fleet (SIGTERM)"
  kill -TERM "${PIDS[@]}" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT_S)) pid
  for pid in "${PIDS[@]}"; do
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      printf 'demo: pid %s ignored SIGTERM for %ss, killing it\n' "$pid" "$STOP_TIMEOUT_S" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  wait "${PIDS[@]}" 2>/dev/null || true
  PIDS=()
}

on_exit() {
  local status=$?
  trap - EXIT INT TERM
  stop_fleet
  exit "$status"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A port still held (typically by a previous demo that was killed hard) would only show up later as a crash in
# a log, so it is checked first and named with its owner.
check_port_free() {
  local name=$1 port=$2 owner
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    owner=$(ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2 || true)
    if [[ -n $owner ]]; then
      fail "port $port ($name) is in use by pid $owner ($(ps -o args= -p "$owner" | cut -c1-80)); a previous demo? stop it: kill $owner"
    fi
    fail "port $port ($name) is in use by another process; free it and run again"
  fi
}

log_tail() {
  printf -- '--- last lines of %s\n' "$1" >&2
  tail -n 25 "$1" >&2 || true
}

wait_until_ready() {
  local deadline=$((SECONDS + READY_TIMEOUT_S)) pending i code
  while :; do
    pending=()
    for i in "${!SERVICES[@]}"; do
      if ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
        log_tail "$LOG_DIR/${SERVICES[$i]}.log"
        fail "${SERVICES[$i]} exited before it was ready (log: $LOG_DIR/${SERVICES[$i]}.log)"
      fi
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:${PORTS[$i]}/health/ready" || true)
      [[ $code == 200 ]] || pending+=("$i")
    done
    ((${#pending[@]} > 0)) || return 0
    if ((SECONDS >= deadline)); then
      for i in "${pending[@]}"; do
        printf 'demo: %s not ready after %ss: %s\n' "${SERVICES[$i]}" "$READY_TIMEOUT_S" \
          "$(curl -s --max-time 3 "http://127.0.0.1:${PORTS[$i]}/health/ready" || echo 'no answer')" >&2
        log_tail "$LOG_DIR/${SERVICES[$i]}.log"
      done
      fail "fleet not ready after ${READY_TIMEOUT_S}s (DEMO_READY_TIMEOUT_S to wait longer)"
    fi
    sleep 0.5
  done
}

[[ -d node_modules ]] || fail "node_modules is missing: run npm ci first"
for i in "${!SERVICES[@]}"; do check_port_free "${SERVICES[$i]}" "${PORTS[$i]}"; done

step "local stack (Kafka, schema registry, Postgres, Redis)"
npm run --silent stack:up
step "migrations"
npm run --silent db:migrate
step "build"
npx nx run-many -t build

step "starting the fleet (logs in $LOG_DIR/)"
mkdir -p "$LOG_DIR"
for i in "${!SERVICES[@]}"; do
  name=${SERVICES[$i]}
  check_port_free "$name" "${PORTS[$i]}"
  # PORT is set per service so a PORT exported in the shell cannot put all six on one port.
  PORT=${PORTS[$i]} HOST=127.0.0.1 node "dist/apps/$name/apps/$name/src/main.js" >"$LOG_DIR/$name.log" 2>&1 &
  PIDS+=($!)
  printf '  %-18s pid %-7s http://127.0.0.1:%s\n' "$name" "$!" "${PORTS[$i]}"
done
wait_until_ready
echo "  all six answer 200 on /health/ready"

step "workload: rounds through bet-gateway's event store → outbox-relay → Kafka → consumer"
status=0
npx tsx tools/demo/demo-workload.ts || status=$?

if [[ ${DEMO_KEEP_RUNNING:-0} == 1 ]]; then
  step "the fleet keeps running (DEMO_KEEP_RUNNING=1); Ctrl-C stops it"
  while :; do
    for i in "${!SERVICES[@]}"; do
      kill -0 "${PIDS[$i]}" 2>/dev/null || {
        log_tail "$LOG_DIR/${SERVICES[$i]}.log"
        fail "${SERVICES[$i]} exited"
      }
    done
    sleep 1
  done
fi
exit "$status"
