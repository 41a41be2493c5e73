#!/usr/bin/env python3
"""Load generator and helpers for `make bench-ingest` (Tools/bench/ingest-bench.sh).

  ingest_load.py catalog  KCAT_ARGS…   writes the agency and dataset snapshots (kcat -P input) and prints the API key
  ingest_load.py bodies   DIR N        writes N NDJSON bodies of 1,000 unique records each to DIR
  ingest_load.py payloads DIR OUT      writes the same records as observation payload lines, for kcat -P
  ingest_load.py copyfile DIR OUT      writes the same records as archive rows (CSV), for COPY
  ingest_load.py load URL KEY DIR C    posts every body with C concurrent clients; prints records/s and latencies
"""
import datetime
import hashlib
import http.client
import json
import os
import secrets
import sys
import threading
import time
import urllib.parse
import uuid

AGENCY, DATASET = "bench-agency", "bench-air"
RECORDS_PER_BODY = 1_000
BASE = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))


def record(body, index):
    n = body * RECORDS_PER_BODY + index
    source = "station-%d" % (n % 500)
    observed = BASE + datetime.timedelta(seconds=60 * (n // 500))
    return {"datasetId": DATASET, "sourceId": source, "observedAt": observed.isoformat(),
            "location": {"lat": 21.0 + (n % 500) / 1000, "lon": 105.8},
            "measurements": [{"quantity": "pm25", "value": n % 300 + 0.5, "unit": "ug/m3"},
                             {"quantity": "pm10", "value": n % 400 + 0.25, "unit": "ug/m3"},
                             {"quantity": "no2", "value": n % 90, "unit": "ug/m3"},
                             {"quantity": "o3", "value": n % 120, "unit": "ug/m3"},
                             {"quantity": "temperature", "value": 25.5, "unit": "°C"},
                             {"quantity": "humidity", "value": 70, "unit": "%"}]}


def catalog(out):
    key_id = "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(12))
    key = "cdk_%s_%s" % (key_id, secrets.token_urlsafe(32)[:43])
    now = datetime.datetime.now(datetime.timezone.utc).isoformat()
    agency = {"id": AGENCY, "name": "Bench", "nameEn": "Bench", "updatedAt": now,
              "apiKeys": [{"keyId": key_id, "hash": "sha256:" + hashlib.sha256(key.encode()).hexdigest(), "role": "publisher", "createdAt": now}]}
    dataset = {"id": DATASET, "agencyId": AGENCY, "title": "Bench", "titleEn": "Bench", "theme": "environment", "keywords": [],
               "accessLevel": "public", "license": "CC-BY-4.0", "updateFrequency": "PT1H", "timeColumn": "observedAt",
               "fields": [{"quantity": q, "unit": u, "column": q} for q, u in
                          [("pm25", "ug/m3"), ("pm10", "ug/m3"), ("no2", "ug/m3"), ("o3", "ug/m3"), ("temperature", "°C"), ("humidity", "%")]],
               "updatedAt": now}
    for topic, entity, kind in (("city.catalog.agencies.v1", agency, "agency"), ("city.catalog.datasets.v1", dataset, "dataset")):
        headers = {"ce_specversion": "1.0", "ce_id": str(uuid.uuid4()), "ce_source": "/bench", "ce_type": "vn.citydata.%s.updated.v1" % kind,
                   "ce_time": now, "content-type": "application/json"}
        with open(os.path.join(out, kind + ".json"), "w") as handle:
            handle.write(json.dumps(entity, ensure_ascii=False))
        with open(os.path.join(out, kind + ".headers"), "w") as handle:
            handle.write(" ".join("-H %s=%s" % item for item in headers.items()))
    print(key)


def bodies(out, count):
    os.makedirs(out, exist_ok=True)
    for body in range(count):
        with open(os.path.join(out, "body-%05d.ndjson" % body), "w") as handle:
            for index in range(RECORDS_PER_BODY):
                handle.write(json.dumps(record(body, index), ensure_ascii=False) + "\n")


def payloads(directory, out):
    with open(out, "w") as target:
        for name in sorted(os.listdir(directory)):
            for line in open(os.path.join(directory, name)):
                data = json.loads(line)
                data["observationId"] = hashlib.sha256(line.encode()).hexdigest()[:32]
                data["agencyId"] = AGENCY
                target.write(json.dumps(data, ensure_ascii=False) + "\n")


def copyfile(directory, out):
    with open(out, "w") as target:
        for name in sorted(os.listdir(directory)):
            for line in open(os.path.join(directory, name)):
                data = json.loads(line)
                observed = datetime.datetime.fromisoformat(data["observedAt"])
                identity = hashlib.sha256(line.encode()).hexdigest()[:32]
                measurements = json.dumps(data["measurements"], ensure_ascii=False).replace('"', '""')
                target.write('%s,%s,%s,%s,%s,420,%s,%s,,"%s"\n' % (identity, DATASET, AGENCY, data["sourceId"], observed.isoformat(),
                                                                   data["location"]["lat"], data["location"]["lon"], measurements))


def load(url, key, directory, concurrency):
    files = sorted(os.path.join(directory, name) for name in os.listdir(directory))
    payloads = [open(path, "rb").read() for path in files]
    parsed = urllib.parse.urlparse(url)
    latencies, accepted, failures = [], [0], []
    lock = threading.Lock()
    cursor = [0]

    def worker():
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)
        while True:
            with lock:
                if cursor[0] >= len(payloads):
                    return
                body = payloads[cursor[0]]
                cursor[0] += 1
            started = time.perf_counter()
            connection.request("POST", "/v1/observations", body=body, headers={
                "Authorization": "Bearer " + key, "Content-Type": "application/x-ndjson"})
            response = connection.getresponse()
            answer = json.loads(response.read() or b"{}")
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if response.status == 202:
                    accepted[0] += answer.get("accepted", 0)
                else:
                    failures.append((response.status, str(answer)[:200]))

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000
    print(json.dumps({"requests": len(latencies), "accepted": accepted[0], "failures": len(failures), "firstFailure": failures[:1],
                      "seconds": round(wall, 3), "recordsPerSecond": round(accepted[0] / wall),
                      "p50ms": round(pct(0.50), 1), "p99ms": round(pct(0.99), 1), "maxms": round(latencies[-1] * 1000, 1),
                      "clientCpuSeconds": round(time.process_time(), 2)}))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "catalog":
        catalog(sys.argv[2])
    elif command == "bodies":
        bodies(sys.argv[2], int(sys.argv[3]))
    elif command == "payloads":
        payloads(sys.argv[2], sys.argv[3])
    elif command == "copyfile":
        copyfile(sys.argv[2], sys.argv[3])
    elif command == "load":
        load(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    else:
        sys.exit(__doc__)
