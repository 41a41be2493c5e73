#!/usr/bin/env bash
# Starts or stops the Kafka dev cluster (librdkafka's mock brokers) in the background for the local
# stack and the tests. `start` waits until the brokers listen and writes .dev/kafka.env
# (KAFKA_BOOTSTRAP_SERVERS=…); `stop` sends SIGTERM and waits.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dev="$root/.dev"
bin="${CITYDATA_BIN_DIR:-$root/.build/debug}"
pidfile="$dev/kafka.pid"
mkdir -p "$dev"

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

case "${1:-}" in
start)
    if running; then echo "kafka: already running (pid $(cat "$pidfile"))"; exit 0; fi
    rm -f "$dev/kafka.env"
    # stdin from a FIFO kept open by nobody would end at once; /dev/null is fine: end of input
    # leaves the cluster running until SIGTERM.
    nohup "$bin/kafka-dev-cluster" --brokers "${KAFKA_DEV_BROKERS:-3}" --env-file "$dev/kafka.env" \
        </dev/null >"$dev/kafka.log" 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 1 100); do
        [ -s "$dev/kafka.env" ] && { echo "kafka: $(cat "$dev/kafka.env")"; exit 0; }
        running || { echo "kafka: dev cluster exited; log:"; cat "$dev/kafka.log"; exit 1; }
        sleep 0.1
    done
    echo "kafka: dev cluster did not come up within 10 s"; exit 1
    ;;
stop)
    if running; then
        pid=$(cat "$pidfile")
        kill -TERM "$pid"
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && { echo "kafka: still running after 10 s, killing"; kill -KILL "$pid"; }
        echo "kafka: stopped"
    fi
    rm -f "$pidfile" "$dev/kafka.env"
    ;;
status)
    if running; then echo "kafka: running (pid $(cat "$pidfile")) $(cat "$dev/kafka.env" 2>/dev/null)"; else echo "kafka: not running"; exit 1; fi
    ;;
*)
    echo "usage: $0 start|stop|status" >&2; exit 2
    ;;
esac
