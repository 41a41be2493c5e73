#!/usr/bin/env python3
"""Loads the real IQAir air-quality files (deploy/demo/data/iqair-vn-2025) into a running CityData
stack through its public APIs only: the catalog creates the publishing agency, its key and the
dataset; ingest receives every CSV file unchanged. Prints a progress bar and a summary of what was
accepted and refused, and why.

Usage: python3 Tools/demo/load_real_data.py [--env .dev/stack.env] [--data deploy/demo/data/iqair-vn-2025]
"""
import argparse
import collections
import hashlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

AGENCY = "iqair-vn"
DATASET = "vn-air-quality-iqair"
SUBSCRIBER = "hanoi-environment-dept"
FIELDS = [
    ("us_aqi", "AQI", "aqi"), ("wind_speed", "km/h", "wind_speed"), ("humidity", "%", "humidity"),
    ("temperature", "°C", "temperature"), ("pm25", "ug/m3", "pm25"), ("pm10", "ug/m3", "pm10"),
    ("o3", "ug/m3", "o3"), ("no2", "ug/m3", "no2"), ("so2", "ug/m3", "so2"), ("co", "mg/m3", "co"),
]


MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def month_order(name):
    """aqi_hanoi_2025_apr.csv → (2025, 4)."""
    parts = name[:-4].split("_")
    month = parts[-1].lower()
    return (parts[-2], MONTHS.index(month) if month in MONTHS else 99, name)


def read_env(path):
    values = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if "=" in line and not line.startswith("#"):
                key, value = line.rstrip("\n").split("=", 1)
                values[key] = value
    return values


def call(method, url, body=None, headers=None, content_type="application/json"):
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if data is not None:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            payload = response.read()
            return response.status, json.loads(payload) if payload else {}
    except urllib.error.HTTPError as error:
        payload = error.read()
        try:
            return error.code, json.loads(payload)
        except ValueError:
            return error.code, {"detail": payload.decode("utf-8", "replace")[:300]}


def progress(done, total, label):
    width = 40
    filled = int(width * done / max(total, 1))
    sys.stderr.write("\r[%s%s] %3d%% %-40s" % ("#" * filled, "." * (width - filled), 100 * done // max(total, 1), label[:40]))
    sys.stderr.flush()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def subscribe_receiver(env, admin):
    """A subscribing agency (the city's environment department), its key, a local webhook receiver
    (Tools/demo/alert_receiver.py) and a subscription of that receiver to the dataset's alerts."""
    catalog, notifications = env["CATALOG_URL"], env["NOTIFICATIONS_URL"]
    status, body = call("POST", catalog + "/v1/agencies", {
        "id": SUBSCRIBER, "name": "Sở Tài nguyên và Môi trường Hà Nội", "nameEn": "Hanoi Department of Natural Resources and Environment"}, admin)
    if status not in (201, 409):
        sys.exit("demo: creating the subscribing agency failed: %s %s" % (status, body))
    status, body = call("POST", "%s/v1/agencies/%s/keys" % (catalog, SUBSCRIBER), {"role": "subscriber"}, admin)
    if status != 201:
        sys.exit("demo: creating the subscriber's key failed: %s %s" % (status, body))
    auth = {"Authorization": "Bearer " + body["apiKey"]}
    deadline = time.time() + 60
    while True:  # notifications learns the key from the catalog's topics
        status, body = call("GET", notifications + "/v1/subscriptions", None, auth)
        if status == 200:
            break
        if time.time() > deadline:
            sys.exit("demo: notifications did not learn the subscriber's key within 60 s: %s %s" % (status, body))
        time.sleep(0.5)
    port = free_port()
    url = "http://127.0.0.1:%d/hooks" % port
    status, body = call("POST", notifications + "/v1/subscriptions", {
        "filter": {"types": ["vn.citydata.indicator.alert.v1"], "datasetIds": [DATASET]},
        "channel": {"type": "webhook", "url": url}}, auth)
    if status != 201:
        sys.exit("demo: creating the subscription failed: %s %s" % (status, body))
    log_path = os.path.join(".dev", "logs", "alerts.log")
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "alert_receiver.py"),
         "--port", str(port), "--secret", body["secret"], "--log", log_path],
        stdout=subprocess.DEVNULL, stderr=open(os.path.join(".dev", "logs", "alert-receiver.stderr"), "a"), start_new_session=True)
    with open(os.path.join(".dev", "pids", "alert-receiver.pid"), "w") as handle:
        handle.write(str(process.pid))
    print("subscription %s: alerts of %s → %s (receiver pid %d, log %s)" % (body["id"], DATASET, url, process.pid, log_path))
    return {"log": log_path, "subscription": body["id"], "auth": auth, "url": notifications}


def report_alerts(receiver, wait=120):
    """Waits until alerts stop arriving (indicators and notifications work behind ingest), then
    prints how many the subscriber received and the last few."""
    print("\nalerts delivered to the subscriber's webhook (waiting until they stop arriving, at most %d s):" % wait)
    last, quiet_since, started = -1, time.time(), time.time()
    while time.time() - started < wait:
        count = sum(1 for _ in open(receiver["log"], encoding="utf-8")) if os.path.exists(receiver["log"]) else 0
        if count != last:
            last, quiet_since = count, time.time()
            sys.stderr.write("\r  %d alerts so far" % count)
            sys.stderr.flush()
        elif count > 0 and time.time() - quiet_since > 15:
            break
        time.sleep(1)
    sys.stderr.write("\n")
    lines = open(receiver["log"], encoding="utf-8").read().splitlines() if os.path.exists(receiver["log"]) else []
    print("  %d alerts received and verified (Standard Webhooks signature); the last ones:" % len(lines))
    for line in lines[-8:]:
        print("   ", line)
    print("  all of them: %s; the delivery log: GET %s/v1/subscriptions/%s/deliveries" % (receiver["log"], receiver["url"], receiver["subscription"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", default=".dev/stack.env")
    parser.add_argument("--data", default="deploy/demo/data/iqair-vn-2025")
    args = parser.parse_args()
    env = read_env(args.env)
    catalog, ingest = env["CATALOG_URL"], env["INGEST_URL"]
    admin = {"Authorization": "Bearer " + env["ADMIN_TOKEN"]}

    status, body = call("POST", catalog + "/v1/agencies", {
        "id": AGENCY, "name": "IQAir — dữ liệu chất lượng không khí công khai", "nameEn": "IQAir public air-quality data"}, admin)
    if status not in (201, 409):
        sys.exit("demo: creating the agency failed: %s %s" % (status, body))
    status, body = call("POST", "%s/v1/agencies/%s/keys" % (catalog, AGENCY), {"role": "publisher"}, admin)
    if status != 201:
        sys.exit("demo: creating a key failed: %s %s" % (status, body))
    key = body["apiKey"]
    status, body = call("POST", catalog + "/v1/datasets", {
        "id": DATASET, "agencyId": AGENCY, "title": "Chất lượng không khí 12 thành phố Việt Nam (IQAir, 2025)",
        "titleEn": "Air quality in 12 Vietnamese cities (IQAir, 2025)",
        "description": "Dữ liệu theo giờ, tháng 2–6/2025, do IQAir công bố.", "descriptionEn": "Hourly, February–June 2025, as published by IQAir.",
        "theme": "environment", "keywords": ["không khí", "air quality", "PM2.5", "AQI"], "accessLevel": "public",
        "updateFrequency": "PT1H", "license": "CC-BY-4.0", "timeColumn": "timestamp", "sourceColumn": None,
        "fields": [{"quantity": q, "unit": u, "column": c} for q, u, c in FIELDS]}, admin)
    if status not in (201, 409):
        sys.exit("demo: creating the dataset failed: %s %s" % (status, body))

    receiver = subscribe_receiver(env, admin) if "NOTIFICATIONS_URL" in env else None

    auth = {"Authorization": "Bearer " + key}
    deadline = time.time() + 60
    while True:  # ingest learns the key and the dataset from the catalog's topics
        status, body = call("POST", "%s/v1/observations?datasetId=%s&sourceId=probe" % (ingest, DATASET), b"timestamp,pm25\n", auth, "text/csv")
        if status in (202, 422):
            break
        if time.time() > deadline:
            sys.exit("demo: ingest did not learn the new key and dataset within 60 s: %s %s" % (status, body))
        time.sleep(0.5)

    files = []
    for city in sorted(os.listdir(args.data)):
        folder = os.path.join(args.data, city)
        if os.path.isdir(folder):
            # In time order per city: indicators treat data more than 48 h behind a source's newest
            # observation as too late for the live stream (docs/indicators.md).
            names = sorted((name for name in os.listdir(folder) if name.endswith(".csv")), key=month_order)
            files += [(city, os.path.join(folder, name)) for name in names]
    totals = collections.Counter()
    per_city = collections.defaultdict(collections.Counter)
    reasons = collections.Counter()
    examples = {}
    started = time.time()
    for done, (city, path) in enumerate(files):
        progress(done, len(files), os.path.relpath(path, args.data))
        with open(path, "rb") as handle:
            content = handle.read()
        idempotency = hashlib.sha256(path.encode() + content).hexdigest()[:40]
        url = "%s/v1/observations?datasetId=%s&sourceId=iqair-%s" % (ingest, DATASET, city)
        for attempt in range(5):
            status, body = call("POST", url, content, dict(auth, **{"Idempotency-Key": idempotency}), "text/csv")
            if status not in (429, 503):
                break
            time.sleep(2 ** attempt)
        if status not in (202, 422):
            sys.exit("\ndemo: %s answered %s %s" % (path, status, body))
        for name in ("accepted", "rejected", "duplicates"):
            totals[name] += body.get(name, 0)
            per_city[city][name] += body.get(name, 0)
        for error in body.get("errors", []):
            group = (city, error.get("code"), error.get("field"))
            reasons[group] += 1
            examples.setdefault(group, error.get("reason", "")[:100])
    progress(len(files), len(files), "done in %.1f s" % (time.time() - started))
    sys.stderr.write("\n\n")

    print("%-18s %9s %9s %11s" % ("city", "accepted", "rejected", "duplicates"))
    for city, counts in sorted(per_city.items()):
        print("%-18s %9d %9d %11d" % (city, counts["accepted"], counts["rejected"], counts["duplicates"]))
    print("%-18s %9d %9d %11d" % ("total", totals["accepted"], totals["rejected"], totals["duplicates"]))
    if reasons:
        print("\nwhy records were refused (most frequent first):")
        for (city, code, field), count in reasons.most_common(12):
            print("  %6d  %-12s %-14s %-12s e.g. %s" % (count, city, code, field or "-", examples[(city, code, field)]))
        print("  (a record is accepted or refused whole: one implausible value refuses its row)")
    print("\nduplicates are readings the source repeated with the same timestamp: published once.")
    if receiver:
        report_alerts(receiver)
    print("\nwhere to look:")
    print("  %s/v1/datasets/%s/observations?source=iqair-hanoi&format=csv" % (ingest, DATASET))
    print("  %s/v1/datasets?q=khong+khi        (catalog search, diacritics optional)" % catalog)
    print("  %s/api/3/action/package_show?id=%s" % (catalog, DATASET))
    if "INDICATORS_URL" in env:
        print("  %s/v1/indicators/vn_aqi_hourly/values?source=iqair-hanoi" % env["INDICATORS_URL"])
        print("  %s/v1/air-quality/latest" % env["INDICATORS_URL"])
    print("  make logs, make status, make down")


if __name__ == "__main__":
    main()
