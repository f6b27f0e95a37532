#!/usr/bin/env bash
# Measures what the README's operating figures rest on, in one sequential
# run on an otherwise idle machine: the engine and adapter benchmarks,
# start-up time to /readyz, resident memory idle and after a 60-second load
# on /api/ask, the binary's size, and the Slack and Discord load tests.
#
# Usage: scripts/measure.sh          (needs vegeta: go install github.com/tsenart/vegeta/v12@latest)
set -u
cd "$(dirname "$0")/.."
export PATH=$PATH:$(go env GOPATH)/bin
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== benchmarks"
go test ./bot/ -run XXX -bench 'StancePoland|LoadEmbedded|OverviewDigest' -benchmem -benchtime 3s | grep Benchmark
go test ./bot/slack -run XXX -bench SignedStance -benchmem -benchtime 3s | grep Benchmark
go test ./bot/discord -run XXX -bench HTTPStance -benchmem -benchtime 3s | grep Benchmark

echo "== binary"
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$work/briefbot" ./cmd/briefbot
ls -l "$work/briefbot" | awk '{print $5 " bytes (static, stripped)"}'

echo "== start-up to /readyz"
python3 scripts/startup-time.py "$work/briefbot"

echo "== memory and POST /api/ask"
BRIEFBOT_ADDR=127.0.0.1:18700 BRIEFBOT_DATA_DIR="$work/data" BRIEFBOT_LOG_LEVEL=warn "$work/briefbot" serve &
pid=$!
sleep 2
echo "idle: $(grep VmRSS /proc/$pid/status)"
echo '{"command":"/stance poland"}' >"$work/ask.json"
printf 'POST http://127.0.0.1:18700/api/ask\nContent-Type: application/json\n@%s\n' "$work/ask.json" >"$work/targets.txt"
echo "-- vegeta attack -rate=1000 -duration=60s"
vegeta attack -targets="$work/targets.txt" -rate=1000 -duration=60s | vegeta report | grep -E "Requests|Latencies|Success"
echo "after the load: $(grep -E 'VmRSS|VmHWM' /proc/$pid/status | tr '\n' ' ')"
echo "-- vegeta attack -rate=0 -max-workers=8 -duration=20s (as fast as it goes)"
vegeta attack -targets="$work/targets.txt" -rate=0 -max-workers=8 -duration=20s | vegeta report | grep -E "Requests|Latencies|Success"
kill "$pid"; wait "$pid" 2>/dev/null

echo "== Discord interactions endpoint at 1,000/s"
scripts/loadtest-discord.sh 1000 30s | grep -E "vegeta attack|Latencies|Success|server CPU"
echo "== Slack commands endpoint at 1,000/s"
scripts/loadtest-slack.sh | grep -E "vegeta|Requests|Latencies|Success"
