#!/bin/sh
# Load test of the Discord interactions endpoint on loopback: starts
# `briefbot serve` in Discord HTTP mode with a key pair made for the run,
# sends signed /stance poland interactions at a constant rate with vegeta,
# and prints vegeta's report (requests per second, latencies with p99).
#
#   scripts/loadtest-discord.sh [RATE] [DURATION]     # default 1000 30s
#
# Every interaction is distinct (RATE x DURATION of them). LOG_LEVEL
# (default info, one line per command) sets the server's log level.
#
# Needs vegeta: go install github.com/tsenart/vegeta/v12@latest
set -eu

RATE=${1:-1000}
DURATION=${2:-30s}
ADDR=${LOADTEST_ADDR:-127.0.0.1:18791}
VEGETA=${VEGETA:-$(command -v vegeta || echo "$(go env GOPATH)/bin/vegeta")}

cd "$(dirname "$0")/.."
if curl -fsS "http://$ADDR/healthz" >/dev/null 2>&1; then
	echo "loadtest: $ADDR is already taken; set LOADTEST_ADDR" >&2
	exit 1
fi
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT INT TERM

go build -o "$work/briefbot" ./cmd/briefbot
secs=$(echo "$DURATION" | sed 's/s$//')
n=$((RATE * secs))

# Targets first: the public key they are signed with configures the server.
go run ./bot/discord/internal/loadtargets -n "$n" -url "http://$ADDR/discord/interactions" \
	-actor "${ACTOR:-poland}" -pubkey "$work/pub.hex" >"$work/targets.jsonl"

# The command limits are off: the load comes from one user in one channel.
BRIEFBOT_ADDR=$ADDR BRIEFBOT_DATA_DIR=$work/data BRIEFBOT_LOG_LEVEL=${LOG_LEVEL:-info} BRIEFBOT_LIMIT_USER=0 BRIEFBOT_LIMIT_CHANNEL=0 \
	DISCORD_MODE=http DISCORD_APP_ID=100000000000000001 DISCORD_PUBLIC_KEY=$(cat "$work/pub.hex") \
	DISCORD_API_URL=http://127.0.0.1:9 \
	"$work/briefbot" serve &
server=$!
for _ in $(seq 50); do
	curl -fsS "http://$ADDR/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
if ! kill -0 "$server" 2>/dev/null; then
	echo "loadtest: briefbot serve did not start" >&2
	exit 1
fi

# CPU time of the server process in clock ticks (user + system).
cpu() { awk '{print $14 + $15}' "/proc/$server/stat"; }
cpu0=$(cpu)
echo "vegeta attack -format=json -rate=$RATE -duration=$DURATION (signed /stance poland, $n unique interactions)"
"$VEGETA" attack -format=json -targets="$work/targets.jsonl" -rate="$RATE" -duration="$DURATION" \
	>"$work/results.bin"
cpu1=$(cpu)
"$VEGETA" report -type=text "$work/results.bin"
tick=$(getconf CLK_TCK)
echo "server CPU: $(( (cpu1 - cpu0) * 1000 / tick )) ms for $n requests ($(( (cpu1 - cpu0) * 1000000 / tick / n )) µs per request); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$VEGETA" report -type='hist[0,1ms,2ms,5ms,10ms,50ms]' "$work/results.bin"
