#!/bin/sh
# bench.sh: the figures of the README's "Figures" section.
#
#   scripts/bench.sh go      # Go benchmarks of the request path, 10 runs each (benchstat input)
#   scripts/bench.sh rate    # vegeta at a constant RATE (1000) req/s for DURATION (30s) on the
#                            # Slack and then the Discord endpoint, every request distinct; p99 each
#   scripts/bench.sh floor   # the same rate and the same kind of request stream (distinct
#                            # signed /stance requests as vegeta JSON targets) against
#                            # scripts/floor, a server that sends a fixed 4 KB answer and does
#                            # nothing else (fasthttp, then net/http), on core 0 with vegeta on
#                            # core 1: what the machine and vegeta alone add to every request
#
# Needs vegeta for rate: go install github.com/tsenart/vegeta/v12@latest.
# Environment: RATE, DURATION, LOG_LEVEL (info), COUNT (10, for go).
set -eu
cd "$(dirname "$0")/.."

case ${1:-} in
go)
	COUNT=${COUNT:-10}
	go test ./bot/slack -run '^$' -bench 'SignedStance' -benchmem -count "$COUNT"
	go test ./bot/discord -run '^$' -bench 'HTTPStance|DecodeInteraction$|Verify' -benchmem -count "$COUNT"
	go test ./bot/seen -run '^$' -bench . -benchmem -count "$COUNT"
	;;
rate)
	RATE=${RATE:-1000}
	DURATION=${DURATION:-30s}
	export RATE DURATION
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
	scripts/loadtest-slack.sh >"$out/slack.txt"
	LOADTEST_ADDR=127.0.0.1:18791 scripts/loadtest-discord.sh "$RATE" "$DURATION" >"$out/discord.txt"
	for p in slack discord; do
		echo "== $p"
		cat "$out/$p.txt"
	done
	echo "== p99 at $RATE req/s for $DURATION, distinct signed /stance requests"
	for p in slack discord; do
		# vegeta: "Latencies [min, mean, 50, 90, 95, 99, max]  a, b, c, d, e, f, g"
		printf '%s: p99 %s; %s\n' "$p" \
			"$(awk -F'  +' '/^Latencies/ { split($3, v, ", "); print v[6] }' "$out/$p.txt")" \
			"$(grep '^Status Codes' "$out/$p.txt")"
	done
	;;
floor)
	RATE=${RATE:-1000}
	DURATION=${DURATION:-30s}
	out=$(mktemp -d)
	trap 'kill "$pid" 2>/dev/null; rm -rf "$out"' EXIT
	pid=
	go build -o "$out/floor" ./scripts/floor
	pin0="" pin1=""
	if command -v taskset >/dev/null 2>&1; then pin0="taskset -c 0" pin1="taskset -c 1"; fi
	n=$((RATE * ${DURATION%s}))
	go run ./bot/slack/internal/loadtargets -n "$n" -secret floor -url http://127.0.0.1:18793/slack/commands >"$out/targets.json"
	for server in fasthttp net/http; do
		$pin0 "$out/floor" -addr 127.0.0.1:18793 -server "$server" &
		pid=$!
		until curl -s -o /dev/null http://127.0.0.1:18793/; do sleep 0.1; done
		$pin1 vegeta attack -format=json -targets="$out/targets.json" -rate="$RATE" -duration="$DURATION" \
			-keepalive=true >"$out/res.bin"
		printf '== floor (%s) at %s req/s for %s\n' "$server" "$RATE" "$DURATION"
		vegeta report -type text "$out/res.bin" | grep -E '^(Latencies|Status Codes)'
		kill "$pid"
		wait "$pid" 2>/dev/null || true
	done
	;;
*)
	echo "usage: scripts/bench.sh go|rate|floor" >&2
	exit 2
	;;
esac
