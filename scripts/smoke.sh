#!/usr/bin/env bash
# Smoke test of the static binary: build everything with CGO_ENABLED=0,
# start `briefbot serve` on a free loopback port with a throw-away data
# folder, wait for /readyz, ask one command through POST /api/ask, check
# /metrics counted it, then stop the server and expect a clean exit.
#
# Usage: scripts/smoke.sh            (from anywhere inside the repository)
set -euo pipefail

cd "$(dirname "$0")/.."
work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "smoke: $*" >&2
  if [ -f "$work/serve.log" ]; then echo "--- server log ---" >&2; cat "$work/serve.log" >&2; fi
  exit 1
}

echo "smoke: CGO_ENABLED=0 go build ./..."
CGO_ENABLED=0 go build ./...
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$work/briefbot" ./cmd/briefbot
if command -v file >/dev/null 2>&1; then
  grep -q "statically linked" <<<"$(file "$work/briefbot")" || fail "binary is not statically linked: $(file "$work/briefbot")"
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null ||
  echo $((20000 + RANDOM % 20000)))
base="http://127.0.0.1:$port"

echo "smoke: briefbot serve on $base"
BRIEFBOT_ADDR="127.0.0.1:$port" BRIEFBOT_DATA_DIR="$work/data" "$work/briefbot" serve >"$work/serve.log" 2>&1 &
pid=$!

for _ in $(seq 1 100); do
  if curl -fsS "$base/readyz" >"$work/ready.json" 2>/dev/null; then break; fi
  kill -0 "$pid" 2>/dev/null || fail "serve exited before it was ready"
  sleep 0.1
done
grep -q '"ready": true' "$work/ready.json" 2>/dev/null || fail "not ready within 10s"

answer=$(curl -fsS -H 'Content-Type: application/json' -d '{"command": "/stance poland"}' "$base/api/ask") ||
  fail "POST /api/ask failed"
grep -q '"outcome":"ok"' <<<"$answer" || fail "POST /api/ask did not answer ok: ${answer:0:300}"
grep -q '"sources":' <<<"$answer" || fail "the answer has no sources"

# Read the whole page first: grep -q stops early, and under pipefail the
# writer's broken pipe would fail the check.
curl -fsS "$base/metrics" >"$work/metrics.txt" || fail "GET /metrics failed"
grep -q 'briefbot_commands_total{command="stance",outcome="ok",platform="console"} 1' "$work/metrics.txt" ||
  fail "/metrics did not count the command"

kill -TERM "$pid"
if ! wait "$pid"; then pid=""; fail "serve did not exit cleanly on SIGTERM"; fi
pid=""
echo "smoke: ok"
