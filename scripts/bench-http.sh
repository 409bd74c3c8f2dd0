#!/usr/bin/env bash
# Serving figures for docs/benchmarks.md: start-up time, RSS, and /model/parse latency and
# throughput over loopback with wrk. Usage: scripts/bench-http.sh [PROJECT_DIR] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
project=${1:-.}
seconds=${2:-10}
port=${BELA_BENCH_PORT:-5099}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release -q -p bela-cli
bin=target/release/bela
[ -n "${CARGO_TARGET_DIR:-}" ] && bin=$CARGO_TARGET_DIR/release/bela

"$bin" --project "$project" train >/dev/null 2>&1

start=$(date +%s.%N)
"$bin" --project "$project" run --host 127.0.0.1 --port "$port" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.005; done
ready=$(date +%s.%N)
printf 'start-up to serving: %.3f s\n' "$(echo "$ready - $start" | bc)"

body='{"text":"qto custa o botox? tem horario amanha de tarde?"}'
lua=$(mktemp)
cat >"$lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
LUA
# One connection: unloaded latency (p50 of a single request at a time).
wrk -t1 -c1 -d"${seconds}s" --latency -s "$lua" "http://127.0.0.1:$port/model/parse" | grep -E "50%|90%|99%|Requests/sec" | sed 's/^/single connection: /'
# Load: throughput with 2 threads x 64 connections.
wrk -t2 -c64 -d"${seconds}s" --latency -s "$lua" "http://127.0.0.1:$port/model/parse" | grep -E "50%|99%|Requests/sec" | sed 's/^/64 connections: /'
printf 'server RSS after load: %s\n' "$(grep VmRSS /proc/$pid/status | awk '{print $2/1024 " MB"}')"
printf 'server peak RSS: %s\n' "$(grep VmHWM /proc/$pid/status | awk '{print $2/1024 " MB"}')"
rm -f "$lua"
