#!/usr/bin/env bash
# Load benchmark of `redline serve` against nginx serving `redline build` of the
# same store, in the same run, on 127.0.0.1 only. Bounded (about 75 s): each wrk
# run lasts DURATION seconds (default 8) on 1 thread, at each of CONNECTIONS
# (default "8 32") connections; redline and nginx alternate, so each ratio
# compares runs seconds apart.
#
#   bench/serve.sh            (after `cargo build --release`)
#
# Needs: wrk and nginx (apt-get install wrk nginx-light), python3.
# Prints one line per figure; bench/README.md records a run.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${REDLINE:-$ROOT/target/release/redline}
DURATION=${DURATION:-8}
CONNECTIONS=${CONNECTIONS:-8 32}
WORK=$(mktemp -d /tmp/redline-serve-bench.XXXXXX)
# nginx workers run as an unprivileged user: let them read the site.
chmod a+rx "$WORK"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 0.2; rm -rf "$WORK"; }
trap cleanup EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
STORE=$WORK/store.git
"$BIN" --store "$STORE" demo >/dev/null
"$BIN" --store "$STORE" build --out "$WORK/site" >/dev/null
TOKEN=$("$BIN" token add "Bench Editor" --tokens "$WORK/tokens.toml" 2>/dev/null | tail -1)
SLUG=fullfact-ukraine-peace-talks

# redline serve on a free port (read from its stderr).
REDLINE_LOG=warn "$BIN" --store "$STORE" serve --listen 127.0.0.1:0 --tokens "$WORK/tokens.toml" 2>"$WORK/serve.log" &
PIDS+=($!)
for _ in $(seq 50); do grep -q 'serving http://' "$WORK/serve.log" && break; sleep 0.1; done
SERVE=$(grep -o 'http://127.0.0.1:[0-9]*' "$WORK/serve.log" | head -1)

# nginx serving the static export.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$WORK/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  include /etc/nginx/mime.types;
  server { listen 127.0.0.1:$PORT; root $WORK/site; etag on; }
}
CONF
nginx -c "$WORK/nginx.conf" -p "$WORK" &
PIDS+=($!)
sleep 0.5
NGINX=http://127.0.0.1:$PORT

# wrk CONNECTIONS URL → "req/s p99(ms)"; the req/s alone in $WORK/rps.
load() {
  wrk -t1 -c"$1" -d"${DURATION}s" --latency "$2" > "$WORK/wrk.out"
  python3 - "$WORK/wrk.out" "$WORK/rps" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
m = re.search(r"99%\s+([\d.]+)(us|ms|s)", text)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
open(sys.argv[2], "w").write(f"{rps:.0f}")
print(f"{rps:.0f} req/s, p99 {p99:.2f} ms" + (f", NON-2xx {errors.group(1)}" if errors else ""))
PY
}

curl -sf "$SERVE/$SLUG/" >/dev/null   # render once: the figure is of the cached page
for c in $CONNECTIONS; do
  echo "cached explainer page, redline serve, -c$c: $(load "$c" "$SERVE/$SLUG/index.html")"
  ours=$(cat "$WORK/rps")
  echo "same page, nginx static, -c$c:          $(load "$c" "$NGINX/$SLUG/index.html")"
  echo "ratio redline / nginx, -c$c:            $(python3 -c "print(f'{$ours / $(cat "$WORK/rps"):.2f}x')")"
done
# since JSON, uncached: the API sends no validator for it and keeps no answer,
# so every request computes the summary (from the inputs read once per tip).
for c in $CONNECTIONS; do
  echo "since JSON (uncached), redline serve, -c$c: $(load "$c" "$SERVE/api/explainers/$SLUG/since?when=2025-02-20")"
done

# PUT throughput: sequential edits with If-Match, as one editor client.
python3 - "$SERVE" "$TOKEN" <<'PY'
import json, sys, time, urllib.request
base, token = sys.argv[1], sys.argv[2]
def call(method, path, body=None, headers={}):
    req = urllib.request.Request(base + path, data=body, method=method, headers=headers)
    with urllib.request.urlopen(req) as r:
        return r.status, r.headers, r.read()
status, headers, _ = call("PUT", "/api/explainers/bench",
    json.dumps({"text": "+++\ntitle = \"Bench\"\n+++\n\nStart.\n", "note": "v1"}).encode(),
    {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
etag = headers["ETag"]
n, start = 200, time.perf_counter()
for i in range(n):
    body = json.dumps({"text": f"+++\ntitle = \"Bench\"\n+++\n\nEdit number {i}.\n", "note": f"edit {i}", "kind": "minor"}).encode()
    status, headers, _ = call("PUT", "/api/explainers/bench", body,
        {"Authorization": "Bearer " + token, "Content-Type": "application/json", "If-Match": etag})
    assert status == 201, status
    etag = headers["ETag"]
elapsed = time.perf_counter() - start
print(f"PUT with If-Match, one client:        {n / elapsed:.0f} versions/s ({n} versions)")
PY
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
