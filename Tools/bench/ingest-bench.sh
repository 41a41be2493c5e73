#!/usr/bin/env bash
# `make bench-ingest`: NDJSON requests of 1,000 unique records from a concurrent load generator on the
# same machine into a release build of ingest, against, in the same run: kcat -P of the same records
# into the same dev cluster, and a plain COPY of the same rows into the same database. Prints records/s,
# ratios, p50/p99 request latency, the archive's rate and ingest's peak memory (VmHWM).
# The archive is measured twice: while ingest accepts at full speed (first request to last row: on
# 2 cores this mostly measures the contention), then alone — a second ingest on a fresh schema (a
# fresh consumer group) catching up on the whole topic from the beginning, from its first archive
# transaction to its last, against a plain COPY of the same rows into a bare table and into that archive table.
# Uses its own Kafka dev cluster and fresh schemas in the stack's Postgres (started if needed).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
bodies="${BENCH_BODIES:-300}"          # × 1,000 records
clients="${BENCH_CLIENTS:-8}"
archive_batch="${BENCH_ARCHIVE_BATCH:-}"  # INGEST_ARCHIVE_BATCH of both ingest processes (ingest's default if empty)
work="$root/.dev/bench-ingest"
rm -rf "$work"; mkdir -p "$work/bodies"

echo "bench: building release binaries"
swift build -c release --product ingest >/dev/null
swift build -c release --product kafka-dev-cluster >/dev/null
bin="$root/.build/release"

bash Tools/stack/postgres.sh start >/dev/null
set -a; . .dev/postgres.env; set +a

"$bin/kafka-dev-cluster" --brokers 3 --env-file "$work/kafka.env" </dev/null >"$work/cluster.log" 2>&1 &
cluster=$!
ingest_pid=""
catchup_pid=""
cleanup() {
    [ -n "$ingest_pid" ] && kill -TERM "$ingest_pid" 2>/dev/null || true
    [ -n "$catchup_pid" ] && kill -TERM "$catchup_pid" 2>/dev/null || true
    kill -TERM $cluster 2>/dev/null || true
    wait 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 100); do [ -s "$work/kafka.env" ] && break; sleep 0.1; done
. "$work/kafka.env"
bs="$KAFKA_BOOTSTRAP_SERVERS"

echo "bench: generating $bodies bodies of 1,000 records"
python3 Tools/bench/ingest_load.py bodies "$work/bodies" "$bodies"
python3 Tools/bench/ingest_load.py payloads "$work/bodies" "$work/payloads.ndjson"
python3 Tools/bench/ingest_load.py copyfile "$work/bodies" "$work/rows.csv"
key="$(python3 Tools/bench/ingest_load.py catalog "$work")"
for kind in agency dataset; do
    topic="city.catalog.$([ $kind = agency ] && echo agencies || echo datasets).v1"
    # shellcheck disable=SC2046
    kcat -P -b "$bs" -t "$topic" -k "bench-$kind" $(cat "$work/$kind.headers") "$work/$kind.json"
done

schema="bench_ingest_$(date +%s)"
catchup_schema="${schema}_catchup"
for name in "$schema" "$catchup_schema"; do
    psql "$DATABASE_ADMIN_URL" -q -c "CREATE SCHEMA $name AUTHORIZATION ingest" >/dev/null
done
# Starts a release ingest on schema $1 and HTTP port $2 (its archive consumer group is `$1.archive`).
start_ingest() {
    env HTTP_HOST=127.0.0.1 HTTP_PORT="$2" LOG_LEVEL=warning KAFKA_BOOTSTRAP_SERVERS="$bs" DATABASE_SCHEMA="$1" \
        INGEST_RATE_LIMIT_PER_SECOND=100000 INGEST_RATE_LIMIT_BURST=100000 ${archive_batch:+INGEST_ARCHIVE_BATCH=$archive_batch} \
        DATABASE_URL="postgres://ingest:$INGEST_DB_PASSWORD@127.0.0.1:$PGPORT/citydata?sslmode=disable" \
        "$bin/ingest" >"$work/ingest-$1.log" 2>&1 &
}
start_ingest "$schema" 18081
ingest_pid=$!
for _ in $(seq 1 300); do curl -fs -o /dev/null http://127.0.0.1:18081/health/ready && break; sleep 0.2; done

now() { date +%s.%N; }
records=$((bodies * 1000))
echo "bench: kcat -P of the same $records records (idempotent, acks=all, lz4)"
t0=$(now)
kcat -P -b "$bs" -t bench.kcat -X enable.idempotence=true -X acks=all -X linger.ms=5 -X compression.codec=lz4 -l "$work/payloads.ndjson"
t1=$(now)
kcat_rate=$(python3 -c "print(round($records/($t1-$t0)))")

echo "bench: ingest, $clients concurrent clients"
archive_start=$(now)
load_json=$(python3 Tools/bench/ingest_load.py load http://127.0.0.1:18081 "$key" "$work/bodies" "$clients")
echo "  $load_json"
echo "bench: waiting for the archive"
until [ "$(psql "$DATABASE_ADMIN_URL" -tAc "SELECT count(*) FROM $schema.observations")" -ge "$records" ]; do sleep 0.5; done
archive_end=$(now)
archive_rate=$(python3 -c "print(round($records/($archive_end-$archive_start)))")
peak_kb=$(awk '/VmHWM/ {print $2}' "/proc/$ingest_pid/status")
kill -TERM "$ingest_pid"; wait "$ingest_pid" 2>/dev/null || true; ingest_pid=""
count() { psql "$DATABASE_ADMIN_URL" -tAc "SELECT count(*) FROM $1.observations"; }

echo "bench: the archive alone — a second ingest on a fresh schema catching up on the same $records records"
start_ingest "$catchup_schema" 18082
catchup_pid=$!
# Polled once a second (each psql pays a SCRAM login, CPU the archive would miss); the rate comes from
# the rows' archived_at, the start of the transaction that wrote them: the rows of every batch but the
# last, over the time from the first batch's start to the last batch's start (startup, migrations and
# joining the group excluded).
until [ "$(count "$catchup_schema" 2>/dev/null || echo 0)" -ge "$records" ]; do sleep 1; done
catchup_rate=$(psql "$DATABASE_ADMIN_URL" -tAc "
    SELECT round((SELECT count(*) FROM $catchup_schema.observations WHERE archived_at < last) / extract(epoch FROM last - first))
    FROM (SELECT min(archived_at) AS first, max(archived_at) AS last FROM $catchup_schema.observations) AS bounds")
kill -TERM "$catchup_pid"; wait "$catchup_pid" 2>/dev/null || true; catchup_pid=""

# Records/s of a plain COPY of the rows into table $1.
copy_into() {
    local start end
    start=$(now)
    psql "$DATABASE_ADMIN_URL" -q -c "\\copy $1 (observation_id, dataset_id, agency_id, source_id, observed_at, utc_offset_minutes, lat, lon, area_code, measurements) FROM '$work/rows.csv' WITH (FORMAT csv)"
    end=$(now)
    python3 -c "print(round($records/($end-$start)))"
}
echo "bench: plain COPY of the same rows into the same database (a bare table)"
psql "$DATABASE_ADMIN_URL" -q -c "CREATE TABLE $schema.copy_target (LIKE $schema.observations INCLUDING DEFAULTS)" >/dev/null
copy_rate=$(copy_into "$schema.copy_target")
echo "bench: plain COPY of the same rows into the archive table (emptied; its partitions, key and index)"
psql "$DATABASE_ADMIN_URL" -q -c "TRUNCATE $catchup_schema.observations" >/dev/null
copy_archive_rate=$(copy_into "$catchup_schema.observations")
for name in "$schema" "$catchup_schema"; do psql "$DATABASE_ADMIN_URL" -q -c "DROP SCHEMA $name CASCADE" >/dev/null; done

python3 - "$load_json" "$kcat_rate" "$archive_rate" "$copy_rate" "$peak_kb" "$catchup_rate" "$copy_archive_rate" <<'PY'
import json, sys
load = json.loads(sys.argv[1]); kcat, archive, copy, peak, catchup, copy_archive = map(int, sys.argv[2:8])
print()
print("| measure | value | reference | ratio |")
print("|---|---:|---:|---:|")
print(f"| ingest accepted (202 after acks), records/s | {load['recordsPerSecond']:,} | kcat -P {kcat:,} | {load['recordsPerSecond']/kcat:.2f} |")
print(f"| request of 1,000 records, p50 / p99 ms | {load['p50ms']} / {load['p99ms']} | | |")
print(f"| archive while accepting, records/s (first request to last row) | {archive:,} | COPY {copy:,} | {archive/copy:.2f} |")
print(f"| archive alone, records/s (catching up from the topic's start) | {catchup:,} | COPY {copy:,} | {catchup/copy:.2f} |")
print(f"| archive alone against COPY into the archive table | {catchup:,} | COPY {copy_archive:,} | {catchup/copy_archive:.2f} |")
print(f"| ingest peak memory (VmHWM) | {peak/1024:.0f} MiB | | |")
print(f"| failures | {load['failures']} {load['firstFailure']} | | |")
PY
