#!/usr/bin/env bash
# Chaos run of scheduled digests: are they posted exactly once, and on
# time, when replicas die, the platforms stall and the database drops?
#
# Two `briefbot serve` replicas share a fresh PostgreSQL database (created
# here and dropped at the end) and post a digest every minute to 20 Slack
# and 3 Discord channels of a recording fake of both platforms' APIs
# (scripts/chaos). The database is reached through a TCP proxy that can be
# cut. Each replica runs under a supervisor loop that restarts it 2 s after
# it exits, as systemd or Kubernetes would. The phases, one after another:
#
#   kill     kill -9 of a replica every 40-70 s, often at the top of the minute
#   stall    the API stopped (SIGSTOP) for 90 s, 429s with Retry-After around it
#   dbcut    the database cut for 60 s (connections refused), later 60 s of a
#            black hole (nothing moves, as in a network partition)
#   sigterm  SIGTERM of a replica every 40-70 s
#
# kill -9 goes on through stall and dbcut too (CHAOS_KILLS=kill to keep it to
# its own phase). Then the run settles for 3 minutes and prints, per phase,
# the (channel, slot) pairs expected, duplicated, missing and late (posted
# more than 2 minutes after the slot, by the time the fake accepted it). It
# exits 1 if any pair is duplicated, missing or late.
#
# Usage: scripts/chaos.sh            about 25 minutes
#        CHAOS_MINUTES="2 2 3 1" scripts/chaos.sh   shorter phases (kill stall dbcut sigterm)
#
# Needs Go, psql and curl, and PostgreSQL on 127.0.0.1:5432 with trust auth
# for user postgres (CHAOS_PG overrides the URL). Logs stay in the printed
# directory.
set -euo pipefail

cd "$(dirname "$0")/.."
PG=${CHAOS_PG:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
read -r KILL_MIN STALL_MIN DB_MIN TERM_MIN <<<"${CHAOS_MINUTES:-6 5 5 4}"
KILLS=${CHAOS_KILLS:-kill stall dbcut}
SETTLE=${CHAOS_SETTLE:-180}

work=$(mktemp -d /tmp/briefbot-chaos.XXXXXX)
db=briefbot_chaos_$(date +%s)_$$
pids=()

log() { echo "$(date -u +%H:%M:%S) $*" | tee -a "$work/events.log"; }

cleanup() {
  touch "$work/stop"
  for f in "$work"/replica*.pid; do
    [ -e "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null || true
  done
  [ -n "${fake:-}" ] && kill -CONT "$fake" 2>/dev/null || true
  sleep 1
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql "$PG" -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
}
trap cleanup EXIT

log "chaos: building into $work"
go build -o "$work/briefbot" ./cmd/briefbot
go build -o "$work/chaos" ./scripts/chaos
psql "$PG" -qc "CREATE DATABASE $db" >/dev/null

wait_file() {
  for _ in $(seq 100); do [ -s "$1" ] && return 0; sleep 0.1; done
  echo "chaos: $1 did not appear" >&2
  exit 1
}

"$work/chaos" fake -portfile "$work/fake.addr" -record "$work/posts.jsonl" >"$work/fake.log" 2>&1 &
fake=$!
pids+=("$fake")
"$work/chaos" proxy -portfile "$work/proxy.addr" -to 127.0.0.1:5432 >"$work/proxy.log" 2>&1 &
proxy=$!
pids+=("$proxy")
wait_file "$work/fake.addr"
wait_file "$work/proxy.addr"
fake_url=http://$(cat "$work/fake.addr")
db_url="postgres://postgres@$(cat "$work/proxy.addr")/$db?sslmode=disable&connect_timeout=5"

targets=()
for i in $(seq -w 1 20); do targets+=("slack:C0CHAOS$i"); done
for i in 1 2 3; do targets+=("discord:30000000000000000$i"); done
target_list=$(IFS=,; echo "${targets[*]}")
cat >"$work/briefbot.yaml" <<EOF
digests:
  grace: 1h
  schedules:
    - name: chaos
      cron: "* * * * *"
      kind: overview
      targets: [$target_list]
EOF

# supervise runs replica $1 until the run stops, restarting it 2 s after
# it exits for any reason; its pid is in replica$1.pid.
supervise() {
  local i=$1
  while [ ! -e "$work/stop" ]; do
    DATABASE_URL=$db_url BRIEFBOT_ADDR=127.0.0.1:0 BRIEFBOT_DATA_DIR="$work/data$i" \
      SLACK_MODE=http SLACK_SIGNING_SECRET=chaos-signing-secret SLACK_BOT_TOKEN=xoxb-chaos \
      SLACK_API_URL="$fake_url/api/" \
      DISCORD_MODE=http DISCORD_APP_ID=100000000000000001 DISCORD_BOT_TOKEN=chaos-bot-token \
      DISCORD_PUBLIC_KEY=$(printf 'ab%.0s' $(seq 32)) DISCORD_API_URL="$fake_url" \
      "$work/briefbot" serve --config "$work/briefbot.yaml" >>"$work/replica$i.log" 2>&1 &
    echo $! >"$work/replica$i.pid"
    local rc=0
    wait $! || rc=$?
    [ -e "$work/stop" ] && break
    echo "$(date -u +%H:%M:%S) replica $i exited ($rc); restarting in 2 s" >>"$work/events.log"
    sleep 2
  done
}
supervise 1 2>/dev/null &
pids+=($!)
supervise 2 2>/dev/null &
pids+=($!)

sleep_until() { local d=$(($1 - $(date +%s))); ((d > 0)) && sleep "$d" || true; }
replica_pid() { cat "$work/replica$1.pid"; }

# signal_replicas sends $1 to a random replica every 40-70 s until $2
# (unix seconds), half the time in the first seconds of a minute.
signal_replicas() {
  local sig=$1 end=$2 now next i
  while :; do
    now=$(date +%s)
    next=$((now + 40 + RANDOM % 31))
    if ((RANDOM % 2 == 0)); then
      next=$((next / 60 * 60 + RANDOM % 5))
      ((next >= now + 40)) || next=$((next + 60))
    fi
    ((next < end)) || return 0
    sleep_until "$next"
    i=$((RANDOM % 2 + 1))
    log "$sig replica $i (pid $(replica_pid $i))"
    kill "-$sig" "$(replica_pid $i)" 2>/dev/null || true
  done
}

# phase_start begins phase $1 of $2 minutes where the last one ended, on a
# minute boundary, so that every slot belongs to one phase.
phase_start() {
  PHASE=$1
  PH_START=$NEXT_START
  PH_END=$((PH_START + $2 * 60))
  log "phase $PHASE: until $(date -u -d @$PH_END +%H:%M:%S)"
  if [[ " $KILLS " == *" $PHASE "* ]]; then
    signal_replicas KILL "$PH_END" &
    KILLER=$!
  fi
}

phase_end() {
  sleep_until "$PH_END"
  [ -n "${KILLER:-}" ] && { kill "$KILLER" 2>/dev/null || true; wait "$KILLER" 2>/dev/null || true; }
  KILLER=
  printf '%s\t%s\t%s\n' "$PHASE" "$PH_START" "$PH_END" >>"$work/phases.tsv"
  NEXT_START=$PH_END
}

limit() { curl -fsS -X POST "$fake_url/_chaos/limit?share=$1&wait=$2" >/dev/null; log "API: 429 on $1 of requests, Retry-After $2"; }

# Warm up: both replicas running, then start on a minute boundary.
NEXT_START=$(( ($(date +%s) / 60 + 1) * 60 + 60 ))
sleep_until "$NEXT_START"

phase_start kill "$KILL_MIN"
phase_end

phase_start stall "$STALL_MIN"
limit 0.2 3s
sleep_until $((PH_START + 55))
log "API stalled (SIGSTOP)"
kill -STOP "$fake"
sleep 90
kill -CONT "$fake"
log "API back (SIGCONT)"
sleep_until $((PH_END - 45))
limit 0 1s
phase_end

phase_start dbcut "$DB_MIN"
sleep_until $((PH_START + 50))
log "database cut: connections refused"
kill -USR1 "$proxy"
sleep 60
kill -HUP "$proxy"
log "database back"
if ((DB_MIN >= 4)); then
  sleep_until $((PH_START + 170))
  log "database cut: black hole"
  kill -USR2 "$proxy"
  sleep 60
  kill -HUP "$proxy"
  log "database back"
fi
phase_end

phase_start sigterm "$TERM_MIN"
signal_replicas TERM "$PH_END"
phase_end

log "settling for ${SETTLE}s"
sleep "$SETTLE"
touch "$work/stop"
for i in 1 2; do kill -TERM "$(replica_pid $i)" 2>/dev/null || true; done
sleep 3

echo
echo "scripts/chaos.sh: two replicas, ${#targets[@]} channels every minute; posts by the time the fake accepted them"
rc=0
"$work/chaos" report -record "$work/posts.jsonl" -phases "$work/phases.tsv" -job schedule:chaos -targets "$target_list" || rc=$?
echo
echo "fake: $(curl -fsS "$fake_url/_chaos/stats" || true)"
echo "replica restarts: $(grep -c 'exited' "$work/events.log" || true); logs: $work"
exit $rc
