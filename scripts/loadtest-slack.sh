#!/bin/sh
# loadtest-slack.sh: load-test briefbot's Slack endpoint on loopback.
#
# Starts `briefbot serve` in HTTP mode with a throwaway signing secret,
# signs N distinct /stance poland requests (distinct users, so the duplicate
# check never short-cuts the work; signatures stay valid for 5 minutes) and
# runs vegeta at a constant rate. Prints vegeta's report, p99 included.
#
# Needs: go, openssl (for a throwaway secret), vegeta (go install github.com/tsenart/vegeta/v12@latest).
# Environment: RATE (1000), DURATION (30s), N (RATE x DURATION: every request
# distinct), ADDR (127.0.0.1:18080), LOG_LEVEL (info, the default: one line
# per command), BRIEFBOT_BRIEFS_DIR (empty: the embedded briefs).
set -eu

RATE=${RATE:-1000}
DURATION=${DURATION:-30s}
N=${N:-$((RATE * ${DURATION%s}))}
LOG_LEVEL=${LOG_LEVEL:-info}
ADDR=${ADDR:-127.0.0.1:18080}
SECRET=$(openssl rand -hex 16)
WORK=$(mktemp -d)
trap 'kill "$PID" 2>/dev/null || true; cp "$WORK/serve.log" /tmp/serve.log 2>/dev/null; rm -rf "$WORK"' EXIT INT TERM

VEGETA=${VEGETA:-$(command -v vegeta || echo "$(go env GOPATH)/bin/vegeta")}
[ -x "$VEGETA" ] || { echo "vegeta not found; go install github.com/tsenart/vegeta/v12@latest" >&2; exit 2; }

cd "$(dirname "$0")/.."
go build -o "$WORK/briefbot" ./cmd/briefbot
# The command limits are off: the load comes from one channel.
SLACK_MODE=http SLACK_SIGNING_SECRET=$SECRET BRIEFBOT_ADDR=$ADDR BRIEFBOT_LOG_LEVEL=$LOG_LEVEL \
	BRIEFBOT_LIMIT_USER=0 BRIEFBOT_LIMIT_CHANNEL=0 \
	BRIEFBOT_DATA_DIR=$WORK/data "$WORK/briefbot" serve 2>"$WORK/serve.log" &
PID=$!

i=0
until curl -fsS "http://$ADDR/healthz" >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -lt 100 ] || { echo "briefbot serve did not start:" >&2; cat "$WORK/serve.log" >&2; exit 1; }
	sleep 0.1
done

echo "signing $N requests..." >&2
go run ./bot/slack/internal/loadtargets -n "$N" -secret "$SECRET" -url "http://$ADDR/slack/commands" >"$WORK/targets.json"

echo "attack: $RATE/s for $DURATION against http://$ADDR/slack/commands" >&2
"$VEGETA" attack -format=json -targets="$WORK/targets.json" -rate="$RATE" -duration="$DURATION" \
	-keepalive=true >"$WORK/results.bin"
"$VEGETA" report -type=text "$WORK/results.bin"
"$VEGETA" report -type='hist[0,500us,1ms,2ms,5ms,10ms]' "$WORK/results.bin"
