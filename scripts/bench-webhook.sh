#!/usr/bin/env bash
# Dialogue serving figures for docs/benchmarks.md: full REST webhook turns (parse +
# policies + responses + tracker write on SQLite) over loopback with wrk.
# Usage: scripts/bench-webhook.sh [PROJECT_DIR] [SECONDS]
# The project (default: the booking fixture) is copied to a temporary directory, so its
# models and database never land in the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
source_project=${1:-tests/fixtures/booking}
seconds=${2:-10}
port=${BELA_BENCH_PORT:-5098}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release -q -p bela-cli
# Wherever cargo put it (CARGO_TARGET_DIR or a target-dir in .cargo/config.toml).
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
bin=${target_dir:-target}/release/bela

project=$(mktemp -d)
cp -r "$source_project"/. "$project"/
rm -rf "$project/models" "$project/.bela"
"$bin" --project "$project" train >/dev/null 2>&1

"$bin" --project "$project" run --host 127.0.0.1 --port "$port" >/dev/null 2>&1 &
pid=$!
lua=$(mktemp)
trap 'kill $pid 2>/dev/null || true; rm -rf "$project" "$lua"' EXIT
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.01; done

# Each request is a greeting from one of SENDERS conversations, taken in turn: messages of
# one sender queue behind its lock, others run concurrently. After 10 messages a
# conversation is left for a new one, so turns run on conversations of realistic length.
write_lua() {
  cat >"$lua" <<LUA
local n = 0
local senders = $1
request = function()
  n = n + 1
  local sender = (n % senders) .. '-' .. math.floor(n / (senders * 10))
  local body = '{"sender":"bench-' .. sender .. '","message":"oi, tudo bem?"}'
  return wrk.format("POST", "/webhooks/rest/webhook", {["Content-Type"] = "application/json"}, body)
end
LUA
}
write_lua 100
wrk -t1 -c1 -d"${seconds}s" --latency -s "$lua" "http://127.0.0.1:$port" | grep -E "50%|90%|99%|Requests/sec" | sed 's/^/one connection: /'
write_lua 100
wrk -t1 -c100 -d"${seconds}s" --latency -s "$lua" "http://127.0.0.1:$port" | grep -E "50%|99%|Requests/sec" | sed 's/^/100 senders, 100 connections: /'
printf 'server peak RSS: %s\n' "$(grep VmHWM /proc/$pid/status | awk '{print $2/1024 " MB"}')"
printf 'events stored: %s\n' "$(curl -sf "http://127.0.0.1:$port/conversations/bench-0-0/tracker?include_events=ALL" | grep -o '"event"' | wc -l)"
