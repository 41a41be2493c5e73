#!/usr/bin/env bash
# The project's own Postgres cluster for development and tests, under <repo>/.dev/postgres.
#
#   Tools/stack/postgres.sh start    start (initialising on first use); writes .dev/postgres.env
#   Tools/stack/postgres.sh stop     stop (fast: running transactions are rolled back)
#   Tools/stack/postgres.sh status   say whether it runs; exit 0 if it does, 3 if not
#
# The server listens on 127.0.0.1 only, on a free port chosen once and reused while free. Run as
# root, it runs as the unprivileged system user `citydata`. Passwords (the admin role's and the four
# service roles') are generated once and kept in .dev/postgres.secrets (mode 600). After start, the
# database `citydata` exists and, when a built `citydata-admin` is found ($CITYDATA_ADMIN or
# .build/debug/citydata-admin), the service roles and schemas are bootstrapped.
# Starting an already running cluster only rewrites .dev/postgres.env.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEV="$ROOT/.dev"
DATA="$DEV/postgres"
LOG="$DEV/postgres.log"
PORT_FILE="$DEV/postgres.port"
SECRETS="$DEV/postgres.secrets"
ENV_FILE="$DEV/postgres.env"
PG_BIN="/usr/lib/postgresql/15/bin"
ADMIN_ROLE="citydata_admin"
DATABASE="citydata"
SERVICES=(ingest catalog indicators notifications)

say() { echo "postgres.sh: $*" >&2; }
die() { say "$*"; exit 1; }

run_as_owner() {
    if [[ $EUID -eq 0 ]]; then (cd / && runuser -u citydata -- "$@"); else "$@"; fi
}

ensure_binaries() {
    [[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" && -x "$(command -v psql || true)" ]] && return
    [[ $EUID -eq 0 ]] || die "Postgres 15 is not installed; run: sudo apt-get install -y postgresql"
    say "installing Postgres 15 (apt-get install postgresql)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    # Debian starts its own cluster on install; this project never uses it.
    [[ -x "$PG_BIN/initdb" ]] || die "apt-get did not provide $PG_BIN/initdb"
}

ensure_user() {
    [[ $EUID -eq 0 ]] || return 0
    id citydata >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin citydata
}

# Run as root, the server runs as `citydata`, which must be able to reach its data directory. When the
# checkout lives under a directory that user cannot traverse (e.g. /root), the data directory moves to
# /var/lib/citydata-dev/<checkout hash>/postgres, and .dev/postgres.datadir records where.
choose_data_dir() {
    [[ $EUID -eq 0 ]] || return 0
    mkdir -p "$DEV"
    if [[ -s "$DEV/postgres.datadir" ]]; then DATA="$(cat "$DEV/postgres.datadir")"; return; fi
    if ! runuser -u citydata -- test -x "$DEV"; then
        DATA="/var/lib/citydata-dev/$(echo -n "$ROOT" | sha256sum | cut -c1-12)/postgres"
        if [[ -e "$DATA" ]]; then
            # Left by an earlier checkout at this same path: its passwords went with that checkout's
            # .dev, so this one could never log in. A dev cluster holds nothing to keep: start afresh.
            [[ -f "$DATA/postmaster.pid" ]] && { run_as_owner "$PG_BIN/pg_ctl" -D "$DATA" stop -m fast >/dev/null 2>&1 || true; }
            rm -rf "$DATA"
            say "removed the data directory an earlier checkout at $ROOT left in $DATA"
        fi
        mkdir -p "$(dirname "$DATA")"
        chmod 755 /var/lib/citydata-dev "$(dirname "$DATA")"
        echo "$DATA" >"$DEV/postgres.datadir"
        say "$DEV is not reachable by user citydata; data directory: $DATA"
    fi
}

random_secret() { python3 -c 'import secrets; print(secrets.token_hex(24))'; }

ensure_secrets() {
    mkdir -p "$DEV"
    if [[ ! -s "$SECRETS" ]]; then
        umask 077
        {
            echo "ADMIN_PASSWORD=$(random_secret)"
            for service in "${SERVICES[@]}"; do echo "${service^^}_DB_PASSWORD=$(random_secret)"; done
        } >"$SECRETS"
    fi
    chmod 600 "$SECRETS"
    # shellcheck disable=SC1090
    source "$SECRETS"
}

port_is_free() {
    python3 - "$1" <<'PY'
import socket, sys
s = socket.socket()
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
PY
}

choose_port() {
    if [[ -s "$PORT_FILE" ]] && port_is_free "$(cat "$PORT_FILE")"; then cat "$PORT_FILE"; return; fi
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' | tee "$PORT_FILE"
}

is_running() {
    [[ -f "$DATA/PG_VERSION" ]] && run_as_owner "$PG_BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

running_port() { sed -n '4p' "$DATA/postmaster.pid"; }

init_cluster() {
    [[ -f "$DATA/PG_VERSION" ]] && return
    say "initialising a new cluster in $DATA"
    mkdir -p "$DATA"
    local pwfile; pwfile="$(dirname "$DATA")/.initdb-pw"
    (umask 077; echo "$ADMIN_PASSWORD" >"$pwfile")
    if [[ $EUID -eq 0 ]]; then chown citydata "$DATA" "$pwfile"; fi
    chmod 700 "$DATA"
    run_as_owner "$PG_BIN/initdb" -D "$DATA" -U "$ADMIN_ROLE" --pwfile="$pwfile" \
        --auth-host=scram-sha-256 --auth-local=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
}

start_server() {
    local port="$1"
    [[ -s "$DEV/postgres.datadir" ]] && LOG="$(dirname "$DATA")/postgres.log"
    touch "$LOG"
    if [[ $EUID -eq 0 ]]; then chown -R citydata "$DATA" "$LOG"; fi
    run_as_owner "$PG_BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='' -c max_connections=200" start >/dev/null \
        || die "the server did not start; see $LOG"
}

admin_url() { echo "postgres://$ADMIN_ROLE:$ADMIN_PASSWORD@127.0.0.1:$1/$2?sslmode=disable"; }

create_database() {
    local port="$1"
    # The password goes through the environment, not the command line that `ps` shows.
    export PGPASSWORD="$ADMIN_PASSWORD"
    local url="postgres://$ADMIN_ROLE@127.0.0.1:$port/postgres?sslmode=disable"
    if [[ -z "$(psql "$url" -tAqc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" ]]; then
        psql "$url" -qc "CREATE DATABASE $DATABASE" >/dev/null
        say "created database $DATABASE"
    fi
}

write_env() {
    local port="$1" url
    url="$(admin_url "$port" "$DATABASE")"
    (
        umask 077
        {
            echo "PGHOST=127.0.0.1"
            echo "PGPORT=$port"
            echo "DATABASE_ADMIN_URL=$url"
            echo "DATABASE_URL=$url"
            for service in "${SERVICES[@]}"; do
                local variable="${service^^}_DB_PASSWORD"
                echo "$variable=${!variable}"
            done
        } >"$ENV_FILE.tmp"
        mv "$ENV_FILE.tmp" "$ENV_FILE"
    )
}

bootstrap_roles() {
    local admin="${CITYDATA_ADMIN:-$ROOT/.build/debug/citydata-admin}"
    if [[ ! -x "$admin" ]]; then
        say "service roles not bootstrapped: build citydata-admin, then run it with .dev/postgres.env (or set CITYDATA_ADMIN)"
        return
    fi
    (set -a; source "$ENV_FILE"; LOG_LEVEL=warning "$admin" bootstrap-database >/dev/null) || die "citydata-admin bootstrap-database failed"
}

cmd_start() {
    ensure_binaries
    ensure_user
    choose_data_dir
    ensure_secrets
    local port
    if is_running; then
        port="$(running_port)"
    else
        init_cluster
        port="$(choose_port)"
        start_server "$port"
        say "started on 127.0.0.1:$port"
    fi
    create_database "$port"
    write_env "$port"
    bootstrap_roles
    say "environment written to $ENV_FILE"
}

cmd_stop() {
    [[ -s "$DEV/postgres.datadir" ]] && DATA="$(cat "$DEV/postgres.datadir")"
    if is_running; then
        run_as_owner "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
        say "stopped"
    else
        say "not running"
    fi
}

cmd_status() {
    [[ -s "$DEV/postgres.datadir" ]] && DATA="$(cat "$DEV/postgres.datadir")"
    if is_running; then
        echo "running on 127.0.0.1:$(running_port) (data: $DATA)"
    else
        echo "stopped"
        exit 3
    fi
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
