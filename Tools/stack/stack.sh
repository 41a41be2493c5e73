#!/usr/bin/env bash
# The local stack: a Postgres cluster of its own, the Kafka dev cluster and the four services, all
# under .dev/ and on localhost.
#
#   Tools/stack/stack.sh up      install what is missing, build, start everything, wait until every
#                                service reports ready, write .dev/stack.env
#   Tools/stack/stack.sh down    stop everything `up` started
#   Tools/stack/stack.sh logs    follow the services' logs (JSON lines) and the stack's own log
#   Tools/stack/stack.sh status  each service's readiness; a service that exited is reported with its
#                                exit status and last log lines
#
# Ports: ingest 8081, catalog 8082, indicators 8083, notifications 8084 (PLATFORM.md), or from
# STACK_PORT_BASE+1…+4. A service that exits is recorded in .dev/logs/stack.log with its exit status.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
dev="$root/.dev"
logs="$dev/logs"
pids="$dev/pids"
bin="${CITYDATA_BIN_DIR:-$root/.build/debug}"
services=(ingest catalog indicators notifications)
base="${STACK_PORT_BASE:-8080}"

port_of() {
    case "$1" in ingest) echo $((base + 1)) ;; catalog) echo $((base + 2)) ;; indicators) echo $((base + 3)) ;; notifications) echo $((base + 4)) ;; esac
}

alive() { [ -f "$pids/$1.pid" ] && kill -0 "$(cat "$pids/$1.pid")" 2>/dev/null; }

ready() { curl -fs -o /dev/null "http://127.0.0.1:$(port_of "$1")/health/ready"; }

report_dead() {
    local service="$1"
    echo "stack: $service is not running"
    grep " $service exited" "$logs/stack.log" 2>/dev/null | tail -1 || true
    echo "--- last lines of $logs/$service.log:"
    tail -n 15 "$logs/$service.log" 2>/dev/null || true
}

start_service() {
    local service="$1" port password_var password
    port="$(port_of "$service")"
    password_var="${service^^}_DB_PASSWORD"
    password="${!password_var}"
    if alive "$service"; then echo "stack: $service already running"; return; fi
    if curl -s -o /dev/null "http://127.0.0.1:$port/health/live"; then
        echo "stack: port $port is already taken by another process; set STACK_PORT_BASE"; exit 1
    fi
    # The subshell outlives `up` and records how the service ended, so a crash is never silent.
    (
        HTTP_HOST=127.0.0.1 HTTP_PORT="$port" LOG_LEVEL="${LOG_LEVEL:-info}" \
        KAFKA_BOOTSTRAP_SERVERS="$KAFKA_BOOTSTRAP_SERVERS" ADMIN_TOKEN="$ADMIN_TOKEN" \
        WEBHOOK_ALLOW_PRIVATE_NETWORKS=true \
        DATABASE_URL="postgres://$service:$password@127.0.0.1:$PGPORT/citydata?sslmode=disable" \
            "$bin/$service" >>"$logs/$service.log" 2>&1 &
        child=$!
        echo "$child" >"$pids/$service.pid"
        trap 'kill -TERM $child 2>/dev/null' TERM
        status=0
        wait "$child" || status=$?
        echo "$(date -u +%FT%TZ) $service exited with status $status" >>"$logs/stack.log"
    ) </dev/null >/dev/null 2>&1 &
    echo $! >"$pids/$service.watch"
}

cmd_up() {
    bash Tools/stack/install-deps.sh
    echo "stack: building"
    swift build >/dev/null
    mkdir -p "$logs" "$pids"
    bash Tools/stack/kafka.sh start
    bash Tools/stack/postgres.sh start
    set -a; . "$dev/kafka.env"; . "$dev/postgres.env"; set +a
    [ -s "$dev/admin-token" ] || (umask 077; python3 -c 'import secrets; print(secrets.token_urlsafe(32))' >"$dev/admin-token")
    ADMIN_TOKEN="$(cat "$dev/admin-token")"
    for service in "${services[@]}"; do start_service "$service"; done
    local deadline=$((SECONDS + ${STACK_READY_TIMEOUT:-90}))
    for service in "${services[@]}"; do
        until ready "$service"; do
            if ! alive "$service"; then sleep 0.3; report_dead "$service"; exit 1; fi
            if [ $SECONDS -ge $deadline ]; then
                echo "stack: $service not ready after ${STACK_READY_TIMEOUT:-90} s:"
                curl -sS "http://127.0.0.1:$(port_of "$service")/health/ready" || true; echo
                exit 1
            fi
            sleep 0.3
        done
        echo "stack: $service ready on http://127.0.0.1:$(port_of "$service")"
    done
    (
        umask 077
        {
            echo "KAFKA_BOOTSTRAP_SERVERS=$KAFKA_BOOTSTRAP_SERVERS"
            echo "DATABASE_URL=$DATABASE_ADMIN_URL"
            echo "ADMIN_TOKEN=$ADMIN_TOKEN"
            for service in "${services[@]}"; do echo "${service^^}_URL=http://127.0.0.1:$(port_of "$service")"; done
        } >"$dev/stack.env"
    )
    echo "stack: up; connection details in .dev/stack.env; logs: make logs; stop: make down"
}

cmd_down() {
    for service in "${services[@]}"; do
        if alive "$service"; then
            local pid; pid="$(cat "$pids/$service.pid")"
            kill -TERM "$pid" 2>/dev/null || true
            for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
            if kill -0 "$pid" 2>/dev/null; then echo "stack: $service did not stop in 30 s; killing"; kill -KILL "$pid" || true; fi
            echo "stack: $service stopped"
        fi
        rm -f "$pids/$service.pid" "$pids/$service.watch"
    done
    if [ -f "$pids/alert-receiver.pid" ]; then  # the demo's webhook receiver (make demo)
        kill -TERM "$(cat "$pids/alert-receiver.pid")" 2>/dev/null || true
        rm -f "$pids/alert-receiver.pid"
    fi
    bash Tools/stack/kafka.sh stop || true
    bash Tools/stack/postgres.sh stop || true
    rm -f "$dev/stack.env"
}

cmd_status() {
    local failed=0
    for service in "${services[@]}"; do
        if ! alive "$service"; then report_dead "$service"; failed=1; continue; fi
        if ready "$service"; then echo "stack: $service ready"; else echo "stack: $service running, not ready"; failed=1; fi
    done
    return $failed
}

case "${1:-}" in
up) cmd_up ;;
down) cmd_down ;;
logs) mkdir -p "$logs"; touch "$logs/stack.log"; exec tail -n 20 -F "$logs"/*.log ;;
status) cmd_status ;;
*) echo "usage: $0 up|down|logs|status" >&2; exit 2 ;;
esac
