#!/usr/bin/env bash
# `make test`: installs what is missing, builds, starts the servers the tests need (the Kafka dev
# cluster; Postgres once present), runs the whole suite, and stops what it started — also on failure.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

bash Tools/stack/install-deps.sh
bash Tools/deploy/validate.sh
echo "test: building (debug, with tests)"
swift build --build-tests

started=()
cleanup() {
    for service in "${started[@]}"; do bash "Tools/stack/$service.sh" stop || true; done
}
trap cleanup EXIT

bash Tools/stack/kafka.sh start
started+=(kafka)
set -a; . .dev/kafka.env; set +a

if [ -f Tools/stack/postgres.sh ]; then
    bash Tools/stack/postgres.sh start
    started+=(postgres)
    set -a; . .dev/postgres.env; set +a
fi

export CITYDATA_BIN_DIR="$root/.build/debug"
export CITYDATA_ROOT="$root"
echo "test: running the suite"
swift test --skip-build "$@"
