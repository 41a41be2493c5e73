#!/usr/bin/env bash
# `make bench-kafka`: one million records of about 250 bytes through CityKafka's producer and
# consumer, each against kcat on the same dev cluster in the same run. Prints the rates, the ratios and
# the producer's peak memory. Release build. Takes about a minute.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
count="${BENCH_RECORDS:-1000000}"
size="${BENCH_VALUE_BYTES:-250}"
partitions="${BENCH_PARTITIONS:-64}"   # the mock keeps ~5 MiB per partition: spread 250 MB wide
work="$root/.dev/bench"
mkdir -p "$work"

echo "bench: building release binaries"
swift build -c release --product kafka-bench >/dev/null
swift build -c release --product kafka-dev-cluster >/dev/null
bin="$root/.build/release"

rm -f "$work/kafka.env"
"$bin/kafka-dev-cluster" --brokers 3 --no-platform-topics --topic "bench.kcat:$partitions" --topic "bench.swift:$partitions" \
    --env-file "$work/kafka.env" </dev/null >"$work/cluster.log" 2>&1 &
cluster=$!
trap 'kill -TERM $cluster 2>/dev/null || true; wait $cluster 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$work/kafka.env" ] && break; sleep 0.1; done
. "$work/kafka.env"
bs="$KAFKA_BOOTSTRAP_SERVERS"
echo "bench: dev cluster at $bs ($partitions partitions per topic)"

if [ ! -s "$work/records-$count-$size.txt" ]; then
    echo "bench: generating $count records of $size bytes for kcat"
    python3 - "$count" "$size" >"$work/records-$count-$size.txt" <<'PY'
import sys
count, size = int(sys.argv[1]), int(sys.argv[2])
pad = "x" * size
out = sys.stdout
for i in range(count):
    digits = str(i)[::-1].ljust(8, "0")[:8]
    out.write(f"station-{i % 1000}\t{digits}{pad[8:]}\n")
PY
fi

now() { date +%s.%N; }
rate() { python3 -c "print(f'{$1/($3-$2):.0f}')"; }

common=(-X enable.idempotence=true -X acks=all -X linger.ms=5 -X compression.codec=lz4)

# Producers alternate, three rounds each, so that neither always meets a fresher cluster; medians count.
rounds="${BENCH_ROUNDS:-3}"
kcat_rates=()
swift_jsons=()
for round in $(seq 1 "$rounds"); do
    echo "bench: round $round/$rounds: kcat -P"
    t0=$(now)
    kcat -P -b "$bs" -t bench.kcat -K $'\t' "${common[@]}" -l "$work/records-$count-$size.txt"
    t1=$(now)
    kcat_rates+=("$(rate "$count" "$t0" "$t1")")
    echo "bench: round $round/$rounds: CityKafka producer"
    swift_jsons+=("$("$bin/kafka-bench" produce --bootstrap-servers "$bs" --topic bench.swift --count "$count" --size "$size")")
    echo "  kcat ${kcat_rates[-1]}/s; ${swift_jsons[-1]}"
done
kcat_produce=$(printf '%s\n' "${kcat_rates[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
swift_produce_json=$(printf '%s\n' "${swift_jsons[@]}" | python3 -c 'import json,sys; rs=sorted((json.loads(l) for l in sys.stdin if l.strip()), key=lambda r: r["recordsPerSecond"]); m=rs[(len(rs)-1)//2]; m["peakResidentMB"]=max(r["peakResidentMB"] for r in rs); print(json.dumps(m))')

echo "bench: kcat consumer group"
t0=$(now)
kcat -b "$bs" -G "kcat-bench-$RANDOM" -X auto.offset.reset=earliest -c "$count" -q -o beginning bench.swift >/dev/null 2>"$work/kcat-consume.err"
t1=$(now)
kcat_consume=$(rate "$count" "$t0" "$t1")

echo "bench: CityKafka consumer group"
swift_consume_json=$("$bin/kafka-bench" consume --bootstrap-servers "$bs" --topic bench.swift --count "$count")
echo "  $swift_consume_json"

python3 - "$kcat_produce" "$kcat_consume" "$swift_produce_json" "$swift_consume_json" "$count" "$size" <<'PY'
import json, sys
kp, kc = float(sys.argv[1]), float(sys.argv[2])
sp, sc = json.loads(sys.argv[3]), json.loads(sys.argv[4])
count, size = sys.argv[5], sys.argv[6]
print()
print(f"| {count} records × {size} B | records/s | ratio to kcat |")
print("|---|---:|---:|")
print(f"| kcat -P (idempotent, acks=all, lz4), median of rounds | {kp:,.0f} | 1.00 |")
print(f"| CityKafka producer, median of rounds | {sp['recordsPerSecond']:,.0f} | {sp['recordsPerSecond']/kp:.2f} |")
print(f"| kcat consumer group (-G) | {kc:,.0f} | 1.00 |")
print(f"| CityKafka consumer group | {sc['recordsPerSecond']:,.0f} | {sc['recordsPerSecond']/kc:.2f} |")
print()
print(f"CityKafka producer peak resident memory: {sp['peakResidentMB']:.0f} MB")
print(f"CityKafka consumer: {sc['steadyRecordsPerSecond']:,.0f} records/s after the first record (group join excluded)")
PY
