#!/usr/bin/env bash
# `make bench-ingest`: NDJSON requests of 1,000 unique records from a concurrent load generator on the
# same machine into a release build of ingest, against, in the same run: kcat -P of the same records
# into the same dev cluster, and a plain COPY of the same rows into the same database. Prints records/s,
# ratios, p50/p99 request latency, the archive's rate and ingest's peak memory (VmHWM).
# Phases, each on the same two cores:
#   1. accepting alone: an ingest with INGEST_ARCHIVE=false (an HTTP replica) takes every body;
#   2. archiving alone: an ingest on a fresh schema (a fresh consumer group) catches up on that whole
#      topic, measured from its first archive transaction to its last;
#   3. both in one process: a default ingest (archive on) takes every body again, on a topic of its own,
#      and archives them (first request to last row);
#   4. plain COPYs of the same rows: into a bare table (one COPY, and two COPYs of halves at once) and
#      into the archive table itself (emptied; its partitions and key).
# BENCH_PHASES picks phases (default 1234; phase 2 reads the topic phase 1 filled). Phase 1 runs
# BENCH_ACCEPT_ROUNDS times (default 3) and reports the median. Phases 1 and 3 also print the CPU time
# ingest and the cluster spent per record.
# Uses its own Kafka dev cluster and fresh schemas in the stack's Postgres (started if needed).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
bodies="${BENCH_BODIES:-300}"          # × 1,000 records
clients="${BENCH_CLIENTS:-8}"
archive_batch="${BENCH_ARCHIVE_BATCH:-}"  # INGEST_ARCHIVE_BATCH of both ingest processes (ingest's default if empty)
phases="${BENCH_PHASES:-1234}"         # which phases to run, e.g. BENCH_PHASES=1 for accepting alone
accept_rounds="${BENCH_ACCEPT_ROUNDS:-3}"  # phase 1 runs this many times (a fresh ingest each); the median counts
work="$root/.dev/bench-ingest"
rm -rf "$work"; mkdir -p "$work/bodies"

echo "bench: building release binaries"
swift build -c release --product ingest >/dev/null
swift build -c release --product kafka-dev-cluster >/dev/null
bin="$root/.build/release"

bash Tools/stack/postgres.sh start >/dev/null
set -a; . .dev/postgres.env; set +a

# Phase 3's topic is created with the platform topic's partitions: the mock cluster would auto-create it with
# one, and a mock partition keeps only its last few megabytes (records beyond that are gone for a reader).
extra_topics=(--topic bench.observations.together:12)
for round in $(seq 2 "$accept_rounds"); do extra_topics+=(--topic "bench.accepted.$round:12"); done
"$bin/kafka-dev-cluster" --brokers 3 "${extra_topics[@]}" --env-file "$work/kafka.env" </dev/null >"$work/cluster.log" 2>&1 &
cluster=$!
ingest_pid=""
cleanup() {
    [ -n "$ingest_pid" ] && kill -TERM "$ingest_pid" 2>/dev/null || true
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
together_schema="${schema}_together"
for name in "$schema" "$catchup_schema" "$together_schema"; do
    psql "$DATABASE_ADMIN_URL" -q -c "CREATE SCHEMA $name AUTHORIZATION ingest" >/dev/null
done
# Starts a release ingest on schema $1 and HTTP port $2, with the extra environment in $3… (its archive
# consumer group is `$1.archive`).
start_ingest() {
    local name="$1" port="$2"; shift 2
    env HTTP_HOST=127.0.0.1 HTTP_PORT="$port" LOG_LEVEL=warning KAFKA_BOOTSTRAP_SERVERS="$bs" DATABASE_SCHEMA="$name" \
        INGEST_RATE_LIMIT_PER_SECOND=100000 INGEST_RATE_LIMIT_BURST=100000 ${archive_batch:+INGEST_ARCHIVE_BATCH=$archive_batch} \
        DATABASE_URL="postgres://ingest:$INGEST_DB_PASSWORD@127.0.0.1:$PGPORT/citydata?sslmode=disable" "$@" \
        "$bin/ingest" >"$work/ingest-$name.log" 2>&1 &
    ingest_pid=$!
    for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.1:$port/health/ready" && break; sleep 0.2; done
}
stop_ingest() { kill -TERM "$ingest_pid"; wait "$ingest_pid" 2>/dev/null || true; ingest_pid=""; }
# CPU seconds (user + system) process $1 has used so far.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
# CPU µs per record of ingest and of the cluster between two readings "ingest cluster" $1 and $2.
cpu_per_record() {
    python3 -c "import sys; a, b = map(float, sys.argv[1].split()), map(float, sys.argv[2].split()); \
print(' / '.join('%.1f' % ((y - x) * 1e6 / $records) for x, y in zip(a, b)))" "$1" "$2"
}
peak_mib() { awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$ingest_pid/status"; }
count() { psql "$DATABASE_ADMIN_URL" -tAc "SELECT count(*) FROM $1.observations"; }
# Waits until the archive of schema $1 holds every record; gives up after 300 s (a stalled archive).
wait_archived() {
    local deadline=$((SECONDS + 300))
    until [ "$(count "$1" 2>/dev/null || echo 0)" -ge "$records" ]; do
        [ $SECONDS -lt $deadline ] || { echo "bench: the archive of $1 holds $(count "$1") of $records records after 300 s" >&2; exit 1; }
        sleep "$2"
    done
}

now() { date +%s.%N; }
records=$((bodies * 1000))
echo "bench: kcat -P of the same $records records (idempotent, acks=all, lz4)"
t0=$(now)
kcat -P -b "$bs" -t bench.kcat -X enable.idempotence=true -X acks=all -X linger.ms=5 -X compression.codec=lz4 -l "$work/payloads.ndjson"
t1=$(now)
kcat_rate=$(python3 -c "print(round($records/($t1-$t0)))")

alone_json="" alone_peak=0 alone_cpu="" catchup_rate=0 catchup_peak=0 together_json="" together_archive_rate=0 together_peak=0 together_cpu=""
copy_rate=0 copy_two_rate=0 copy_archive_rate=0
if [[ $phases == *1* ]]; then
# Each round on a topic of its own (12 partitions, as the platform topic), so that phase 2 still finds
# each record once on city.observations.v1; the median round is reported, every round is printed.
rounds_file="$work/accept-rounds.ndjson"
: >"$rounds_file"
for round in $(seq 1 "$accept_rounds"); do
    echo "bench: 1. accepting alone (INGEST_ARCHIVE=false), $clients concurrent clients, round $round of $accept_rounds"
    topic_env=()
    [ "$round" -gt 1 ] && topic_env=(INGEST_OBSERVATIONS_TOPIC="bench.accepted.$round")
    start_ingest "$schema" $((18080 + round)) INGEST_ARCHIVE=false "${topic_env[@]}"
    cpu_before="$(cpu_seconds "$ingest_pid") $(cpu_seconds $cluster)"
    round_json=$(python3 Tools/bench/ingest_load.py load "http://127.0.0.1:$((18080 + round))" "$key" "$work/bodies" "$clients")
    round_cpu=$(cpu_per_record "$cpu_before" "$(cpu_seconds "$ingest_pid") $(cpu_seconds $cluster)")
    round_peak=$(peak_mib)
    stop_ingest
    echo "  $round_json"
    echo "  CPU µs per record, ingest / cluster: $round_cpu"
    python3 -c "import json, sys; r = json.loads(sys.argv[1]); r['cpu'] = sys.argv[2]; r['peak'] = int(sys.argv[3]); print(json.dumps(r))" \
        "$round_json" "$round_cpu" "$round_peak" >>"$rounds_file"
done
# The median round (by records/s) and the list of all rounds' rates.
alone_json=$(python3 -c "
import json, sys
rounds = sorted((json.loads(line) for line in open(sys.argv[1])), key=lambda r: r['recordsPerSecond'])
median = dict(rounds[len(rounds) // 2])
median['rounds'] = [r['recordsPerSecond'] for r in rounds]
median['cpuRounds'] = [r['cpu'] for r in rounds]
print(json.dumps(median))" "$rounds_file")
alone_cpu=$(python3 -c "import json, sys; print(json.loads(sys.argv[1])['cpu'])" "$alone_json")
alone_peak=$(python3 -c "import json, sys; print(max(json.loads(line)['peak'] for line in open(sys.argv[1])))" "$rounds_file")
fi

if [[ $phases == *2* ]]; then
echo "bench: 2. archiving alone — a fresh consumer group catching up on the same $records records"
start_ingest "$catchup_schema" 18082
# Polled once a second (each psql pays a SCRAM login, CPU the archive would miss); the rate comes from
# the rows' archived_at, the start of the transaction that wrote them: the rows of every batch but the
# last, over the time from the first batch's start to the last batch's start (startup, migrations and
# joining the group excluded).
wait_archived "$catchup_schema" 1
catchup_rate=$(psql "$DATABASE_ADMIN_URL" -tAc "
    SELECT round((SELECT count(*) FROM $catchup_schema.observations WHERE archived_at < last) / extract(epoch FROM last - first))
    FROM (SELECT min(archived_at) AS first, max(archived_at) AS last FROM $catchup_schema.observations) AS bounds")
catchup_peak=$(peak_mib)
stop_ingest
fi

if [[ $phases == *3* ]]; then
echo "bench: 3. accepting and archiving in one process (a topic of its own), $clients concurrent clients"
start_ingest "$together_schema" 18083 INGEST_OBSERVATIONS_TOPIC=bench.observations.together
archive_start=$(now)
cpu_before="$(cpu_seconds "$ingest_pid") $(cpu_seconds $cluster)"
together_json=$(python3 Tools/bench/ingest_load.py load http://127.0.0.1:18083 "$key" "$work/bodies" "$clients")
echo "  $together_json"
wait_archived "$together_schema" 0.5
archive_end=$(now)
together_cpu=$(cpu_per_record "$cpu_before" "$(cpu_seconds "$ingest_pid") $(cpu_seconds $cluster)")
echo "  CPU µs per record, ingest / cluster: $together_cpu"
together_archive_rate=$(python3 -c "print(round($records/($archive_end-$archive_start)))")
together_peak=$(peak_mib)
stop_ingest
fi

copy_columns="(observation_id, dataset_id, agency_id, source_id, observed_at, utc_offset_minutes, lat, lon, area_code, measurements)"
# Records/s of plain COPYs into table $1 of the files $2… (one psql each, all at once).
copy_into() {
    local table="$1" start end; shift
    start=$(now)
    for file in "$@"; do psql "$DATABASE_ADMIN_URL" -q -c "\\copy $table $copy_columns FROM '$file' WITH (FORMAT csv)" & done
    wait  # in the command substitution's subshell: only its own psql processes
    end=$(now)
    python3 -c "print(round($records/($end-$start)))"
}
if [[ $phases == *4* ]]; then
echo "bench: 4. plain COPY of the same rows: a bare table (one COPY; two COPYs of halves at once), the archive table"
awk -v a="$work/half0.csv" -v b="$work/half1.csv" '{ print > (NR % 2 ? a : b) }' "$work/rows.csv"
for table in copy_one copy_two; do
    psql "$DATABASE_ADMIN_URL" -q -c "CREATE TABLE $schema.$table (LIKE $catchup_schema.observations INCLUDING DEFAULTS)" >/dev/null
done
copy_rate=$(copy_into "$schema.copy_one" "$work/rows.csv")
copy_two_rate=$(copy_into "$schema.copy_two" "$work/half0.csv" "$work/half1.csv")
psql "$DATABASE_ADMIN_URL" -q -c "TRUNCATE $catchup_schema.observations" >/dev/null
copy_archive_rate=$(copy_into "$catchup_schema.observations" "$work/rows.csv")
fi
for name in "$schema" "$catchup_schema" "$together_schema"; do psql "$DATABASE_ADMIN_URL" -q -c "DROP SCHEMA $name CASCADE" >/dev/null; done

python3 - "$alone_json" "$together_json" "$kcat_rate" "$catchup_rate" "$together_archive_rate" "$copy_rate" "$copy_two_rate" \
    "$copy_archive_rate" "$alone_peak" "$catchup_peak" "$together_peak" "$alone_cpu" "$together_cpu" <<'PY'
import json, sys
alone, together = (json.loads(text) if text else None for text in sys.argv[1:3])
kcat, catchup, together_archive, copy, copy_two, copy_archive, alone_peak, catchup_peak, together_peak = map(int, sys.argv[3:12])
alone_cpu, together_cpu = sys.argv[12:14]
def ratio(a, b):
    return f"{a / b:.2f}" if a and b else "–"
print()
print("| measure | value | reference | ratio |")
print("|---|---:|---:|---:|")
if alone:
    rounds = len(alone['rounds'])
    print(f"| 1. accepted (202 after acks), ingest accepting alone, records/s, median of {rounds} | {alone['recordsPerSecond']:,} | kcat -P {kcat:,} | {ratio(alone['recordsPerSecond'], kcat)} |")
    print(f"| 1. every round, records/s | {' / '.join(f'{rate:,}' for rate in alone['rounds'])} | | |")
    print(f"| 1. request of 1,000 records (median round), p50 / p99 ms | {alone['p50ms']} / {alone['p99ms']} | | |")
    print(f"| 1. CPU µs per record, ingest / cluster (median round; every round) | {alone_cpu} ({'; '.join(alone['cpuRounds'])}) | | |")
if catchup:
    print(f"| 2. archive alone, records/s (catching up from the topic's start) | {catchup:,} | one COPY {copy:,} | {ratio(catchup, copy)} |")
    print(f"| 2. archive alone against two COPYs at once | {catchup:,} | two COPYs {copy_two:,} | {ratio(catchup, copy_two)} |")
    print(f"| 2. archive alone against a COPY into the archive table | {catchup:,} | COPY {copy_archive:,} | {ratio(catchup, copy_archive)} |")
if together:
    print(f"| 3. accepted, accepting and archiving in one process, records/s | {together['recordsPerSecond']:,} | kcat -P {kcat:,} | {ratio(together['recordsPerSecond'], kcat)} |")
    print(f"| 3. request of 1,000 records, p50 / p99 ms | {together['p50ms']} / {together['p99ms']} | | |")
    print(f"| 3. archive while accepting, records/s (first request to last row) | {together_archive:,} | one COPY {copy:,} | {ratio(together_archive, copy)} |")
    print(f"| 3. CPU µs per record (accepting and archiving), ingest / cluster | {together_cpu} | | |")
if copy and not catchup:
    print(f"| 4. plain COPY, records/s: one / two at once / into the archive table | {copy:,} / {copy_two:,} / {copy_archive:,} | | |")
print(f"| ingest peak memory (VmHWM), phases 1 / 2 / 3 | {alone_peak} / {catchup_peak} / {together_peak} MiB | | |")
failures = [run for run in (alone, together) if run]
print(f"| failures | {sum(run['failures'] for run in failures)} {next((run['firstFailure'] for run in failures if run['firstFailure']), [])} | | |")
PY
