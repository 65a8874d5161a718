#!/usr/bin/env bash
# Browser first paint of `mlops ui` (issue 16: "A store with 10,000 runs: the runs page first paint
# under 300 ms on this machine; a run with 1,000,000 metric points draws its chart in under 1 s").
# bench/report.sh times the server's response with curl; this times what a reader sees: headless
# Chromium (Debian's `chromium`) loads each page through the DevTools protocol and the page's own
# Performance API says when it first painted (first-contentful-paint) and when it had loaded
# (loadEventEnd: the inline SVG chart laid out and the page's script run), measured from the start
# of the navigation. Each figure is the median of RUNS navigations (default 7) after one warm-up.
# Usage: MLOPS=build/mlops [RUNS=7] bash bench/ui.sh
set -euo pipefail

RUNS=${RUNS:-7}
MLOPS=$(realpath "${MLOPS:-build/mlops}")
SOURCE=$(cd "$(dirname "$0")/.." && pwd)
command -v chromium >/dev/null || { echo "chromium is not installed (scripts/install-deps installs it)" >&2; exit 2; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mlops-bench-ui.XXXXXX")
server="" browser=""
cleanup() {
  [[ -n "$browser" ]] && kill "$browser" 2>/dev/null && wait "$browser" 2>/dev/null
  [[ -n "$server" ]] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"
source "$SOURCE/bench/lib.sh"
git init -q . && "$MLOPS" init >/dev/null 2>&1

echo "== a store of 10,000 runs (5 metrics, 2 params each) and one run of 1,000,000 points"
python3 - <<'PY'
import json, math, time
iso = lambda ms: time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + ".000Z"
runs = []
for i in range(10_000):
    start = 1764547200000 + i * 60_000
    metrics = {f"m{k}": {"value": (i * 7 + k) % 1000 / 1000, "step": 10, "timestamp": start + 10_000} for k in range(5)}
    runs.append({"id": "01kc%010d" % i, "name": f"sweep-{i}", "status": "finished", "exit_code": 0, "user": "bench",
                 "host": "h", "start_time": iso(start), "end_time": iso(start + 30_000), "duration": 30.0,
                 "command": ["python", "train.py"], "cwd": "", "git": {"commit": "%040x" % i, "branch": "main", "dirty": False},
                 "data_dirty": False, "params": {"lr": str(0.001 * (i % 50 + 1)), "depth": str(i % 8)}, "tags": {},
                 "metrics": metrics, "metric_history": [dict(key=k, **v) for k, v in metrics.items()], "data": [],
                 "artifacts": [], "environment": {}, "variables": {}})
json.dump({"format": "mlops-runs", "version": 1, "runs": runs}, open("many.json", "w"))
with open("big.csv", "w") as f:
    f.write("step,name,value\n")
    for step in range(1_000_000):
        f.write(f"{step},loss,{math.exp(-step / 200000) + 0.01 * math.sin(step / 50):.6f}\n")
PY
"$MLOPS" runs import many.json >/dev/null 2>&1
big=$("$MLOPS" run start --name bench-1m-points 2>/dev/null)
"$MLOPS" run end "$big" --metrics-file big.csv 2>/dev/null

"$MLOPS" ui --port 0 > ui.out 2> ui.err &
server=$!
url=""
for _ in $(seq 100); do url=$(head -1 ui.out 2>/dev/null); [[ -n "$url" ]] && break; sleep 0.1; done
[[ -n "$url" ]] || { echo "mlops ui did not start: $(cat ui.err)" >&2; exit 1; }

# One browser for every navigation, as a reader keeps one open; its DevTools port is chosen by
# Chromium and written to DevToolsActivePort in the profile folder.
mkdir profile
chromium --headless --no-sandbox --disable-gpu --no-first-run --no-proxy-server --window-size=1200,900 \
  --remote-debugging-port=0 --user-data-dir="$WORK/profile" about:blank 2> chromium.err &
browser=$!
for _ in $(seq 200); do [[ -s profile/DevToolsActivePort ]] && break; sleep 0.1; done
[[ -s profile/DevToolsActivePort ]] || { echo "chromium did not start: $(tail -3 chromium.err)" >&2; exit 1; }

# A DevTools client in the standard library: one WebSocket, the page attached as a session.
cat > paint.py <<'PY'
import base64, json, os, socket, statistics, struct, sys

port, path = open(sys.argv[1]).read().split()[:2]
runs = int(sys.argv[2])
pages = list(zip(sys.argv[3::2], sys.argv[4::2]))

sock = socket.create_connection(("127.0.0.1", int(port)))
key = base64.b64encode(os.urandom(16)).decode()
sock.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
head = b""
while b"\r\n\r\n" not in head:
    head += sock.recv(1)
assert b" 101 " in head.split(b"\r\n")[0], head

def read_exact(n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError("the browser closed the connection")
        data += chunk
    return data

def send(message):
    payload = json.dumps(message).encode()
    mask = os.urandom(4)
    n = len(payload)
    header = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack(">H", n)
                              if n < 65536 else bytes([0x80 | 127]) + struct.pack(">Q", n))
    sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

def receive():
    message = b""
    while True:
        first, second = read_exact(2)
        n = second & 0x7F
        if n == 126:
            n = struct.unpack(">H", read_exact(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", read_exact(8))[0]
        message += read_exact(n)
        if first & 0x80:
            return json.loads(message)

next_id = 0
def call(method, params=None, session=None):
    global next_id
    next_id += 1
    message = {"id": next_id, "method": method, "params": params or {}}
    if session:
        message["sessionId"] = session
    send(message)
    while True:
        reply = receive()
        if reply.get("id") == next_id:
            if "error" in reply:
                raise RuntimeError(f"{method}: {reply['error']}")
            return reply["result"]

def wait_for(event, session):
    while True:
        message = receive()
        if message.get("method") == event and message.get("sessionId") == session:
            return message

# The page Chromium opened (about:blank): the visible one, so it paints (a background tab does not).
target = next(t["targetId"] for t in call("Target.getTargets")["targetInfos"] if t["type"] == "page")
session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
call("Page.enable", session=session)
call("Runtime.enable", session=session)
# The paint entries may be reported after the load event: waited for, up to 20 s (a loaded machine).
MEASURE = """new Promise(done => {
  const paint = {};
  const finish = () => {
  const n = performance.getEntriesByType('navigation')[0];
  done(JSON.stringify({fcp: paint['first-contentful-paint'], response: n.responseEnd,
                       load: n.loadEventEnd, bytes: n.decodedBodySize,
                       errors: document.querySelectorAll('[role=alert]').length}));
  };
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) paint[e.name] = e.startTime;
    if ('first-contentful-paint' in paint) setTimeout(finish, 50);
  }).observe({type: 'paint', buffered: true});
  setTimeout(finish, 20000);
})"""
for label, url in pages:
    figures = []
    for attempt in range(runs + 1):  # the first is a warm-up
        call("Page.navigate", {"url": url}, session)
        wait_for("Page.loadEventFired", session)
        result = call("Runtime.evaluate", {"expression": MEASURE, "awaitPromise": True, "returnByValue": True}, session)
        figure = json.loads(result["result"]["value"])
        if figure["errors"] or figure.get("fcp") is None:
            raise SystemExit(f"{label}: the page did not render: {figure}")
        if attempt:
            figures.append(figure)
    med = lambda key: statistics.median(f[key] for f in figures)
    print(f"{label:<44} first paint {med('fcp'):7.1f} ms   response {med('response'):7.1f} ms   "
          f"loaded {med('load'):7.1f} ms   page {int(med('bytes')):,} bytes")
PY

echo "== chromium $(chromium --version 2>/dev/null | awk '{print $2}'), median of $RUNS navigations, from navigation start"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 paint.py profile/DevToolsActivePort "$RUNS" \
  "runs page (10,001 runs, first 100)" "$url" \
  "runs page, filter and sort" "${url}?where=metrics.m0%20%3E%200.5&sort=-metrics.m1" \
  "run page of the 1,000,000-point run" "${url}run/$big" \
  "compare page (1,000,000 points + 2 runs)" "${url}compare?id=$big&id=01kc0000000001&id=01kc0000000002"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
