#!/usr/bin/env bash
# WhatsApp webhook acknowledgement latency for docs/benchmarks.md: signed Meta-shaped
# POSTs to /webhooks/whatsapp from 200 concurrent connections (one message each, from 200
# senders in turn, every wamid unique) over loopback with wrk, while the server processes
# the messages in the background and sends the replies to a fake Graph API (Python, on
# loopback). Usage: scripts/bench-whatsapp.sh [PROJECT_DIR] [SECONDS] [CONNECTIONS] [PAUSE_MS]
# PAUSE_MS (default 0: flat out) is how long each connection (a sender) waits, on average,
# between an acknowledgement and its next message (wrk's closed-loop think time), so 200
# senders with 1000 ms offer about 200 messages/s. The wait is drawn at random
# (exponentially distributed): a fixed one kept the 200 senders in lockstep, firing 200
# requests in the same millisecond once a second, which measured wrk's own queue.
# The project (default: the dialogue fixture) is copied to a temporary directory.
# BELA_BENCH_BIN=path runs that binary instead of building this tree's.
set -euo pipefail
cd "$(dirname "$0")/.."
source_project=${1:-tests/fixtures/dialogue}
seconds=${2:-10}
connections=${3:-200}
pause_ms=${4:-0}
port=${BELA_BENCH_PORT:-5097}
graph_port=${BELA_BENCH_GRAPH_PORT:-5096}
# More signed bodies than the run sends, so none is a redelivery (checked at the end).
messages=${BELA_BENCH_MESSAGES:-150000}
secret=bench-app-secret

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
work=$(mktemp -d)
bin=$work/bela
if [ -n "${BELA_BENCH_BIN:-}" ]; then
    # A binary built elsewhere (e.g. an earlier commit, for a before/after comparison).
    cp "$BELA_BENCH_BIN" "$bin"
else
    cargo build --release -q -p bela-cli
    # The target directory may be shared (.cargo/config.toml); copy the binary so another
    # build cannot replace it mid-run.
    target=$(cargo metadata --format-version 1 --no-deps |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
    cp "$target/release/bela" "$bin"
fi

project=$work/project
mkdir "$project"
cp -r "$source_project"/. "$project"/
rm -rf "$project/models" "$project/.bela"
"$bin" --project "$project" train >/dev/null 2>&1

# The signed bodies, one "signature<TAB>body" a line (wrk's Lua has no HMAC).
python3 - "$work/bodies.tsv" "$messages" "$secret" <<'PY'
import hashlib, hmac, json, sys
path, n, secret = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode()
with open(path, "w") as out:
    for i in range(n):
        sender = "55119%08d" % (i % 200)
        body = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1",
            "changes": [{"field": "messages", "value": {"messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
            "contacts": [{"profile": {"name": "Paciente %d" % (i % 200)}, "wa_id": sender}],
            "messages": [{"from": sender, "id": "wamid.BENCH%d" % i, "timestamp": "1764620000",
                          "type": "text", "text": {"body": "oi, tudo bem?"}}]}}]}]},
            separators=(",", ":"), ensure_ascii=False)
        sig = hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()
        out.write("sha256=%s\t%s\n" % (sig, body))
PY

# A fake Graph API accepting every reply (Meta is remote in production; this one costs
# CPU on the same two cores).
python3 - "$graph_port" <<'PY' &
import http.server, sys
class Graph(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        body = b'{"messaging_product":"whatsapp","messages":[{"id":"wamid.OUT"}]}'
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Graph).serve_forever()
PY
graph_pid=$!

WHATSAPP_VERIFY_TOKEN=bench WHATSAPP_APP_SECRET=$secret WHATSAPP_ACCESS_TOKEN=bench \
WHATSAPP_PHONE_NUMBER_ID=106540352242922 WHATSAPP_API_BASE=http://127.0.0.1:$graph_port \
WHATSAPP_MARK_READ=false \
    "$bin" --project "$project" run --host 127.0.0.1 --port "$port" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid $graph_pid 2>/dev/null || true; rm -rf "$work"' EXIT
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.01; done

cat >"$work/bench.lua" <<LUA
local bodies, signatures, n = {}, {}, 0
for line in io.lines("$work/bodies.tsv") do
  local tab = line:find("\t", 1, true)
  n = n + 1
  signatures[n] = line:sub(1, tab - 1)
  bodies[n] = line:sub(tab + 1)
end
local i = 0
math.randomseed(os.time())
delay = function()
  return math.floor(-math.log(1 - math.random()) * $pause_ms)
end
request = function()
  i = i + 1
  local k = (i - 1) % n + 1
  return wrk.format("POST", "/webhooks/whatsapp", {
    ["Content-Type"] = "application/json",
    ["X-Hub-Signature-256"] = signatures[k],
  }, bodies[k])
end
done = function(summary, latency, requests)
  io.write(string.format("requests sent: %d of %d signed bodies (%s)\n", summary.requests, n,
    summary.requests <= n and "all unique" or "some were redeliveries"))
  io.write(string.format("non-2xx or errors: %d\n", summary.errors.status + summary.errors.connect
    + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
wrk -t1 -c"$connections" -d"${seconds}s" --latency -s "$work/bench.lua" "http://127.0.0.1:$port" |
    grep -E "50%|90%|99%|Requests/sec|requests sent|non-2xx" | sed "s/^/$connections senders, pause $pause_ms ms: /"
sleep 1
db=$project/.bela/bela.db
printf 'stored: %s, processed so far: %s\n' \
    "$(sqlite3 "$db" 'SELECT COUNT(*) FROM whatsapp_inbox' 2>/dev/null || echo '?')" \
    "$(sqlite3 "$db" 'SELECT COUNT(*) FROM whatsapp_inbox WHERE processed_at IS NOT NULL' 2>/dev/null || echo '?')"
printf 'server peak RSS: %s\n' "$(grep VmHWM /proc/$pid/status | awk '{print $2/1024 " MB"}')"
