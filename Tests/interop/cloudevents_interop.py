#!/usr/bin/env python3
"""Round trip between the CityEvents module and the Python CloudEvents SDK.

    python3 Tests/interop/cloudevents_interop.py DIR

Reads what the Swift test wrote into DIR:
  ours-binary.json      {"key": str, "headers": {name: str}, "value": str}  (Kafka binary mode)
  ours-structured.json  a structured-mode CloudEvent (application/cloudevents+json)
decodes both with the SDK (cloudevents.kafka.from_binary, cloudevents.http.from_json) and checks the
attributes and data; then writes what the SDK produces:
  sdk-binary.json       same shape as ours-binary.json, from cloudevents.kafka.to_binary
  sdk-structured.json   from the SDK's to_json
  sdk-expected.json     the attributes and data the SDK events carry, for the Swift side to compare
Exits 3 when the SDK is not installed, 1 when a check fails.
"""
import json
import pathlib
import sys

try:
    try:
        from cloudevents.kafka import KafkaMessage, from_binary, to_binary
        from cloudevents.http import CloudEvent, from_json
        from cloudevents.conversion import to_json
    except ImportError:  # cloudevents >= 2 keeps the 1.x API under cloudevents.v1
        from cloudevents.v1.kafka import KafkaMessage, from_binary, to_binary
        from cloudevents.v1.http import CloudEvent, from_json
        from cloudevents.v1.conversion import to_json
except ImportError as error:
    print(f"missing python package: cloudevents ({error})", file=sys.stderr)
    sys.exit(3)

failures = []


def expect(condition, text):
    if not condition:
        failures.append(text)


def as_object(data):
    if isinstance(data, (bytes, bytearray)):
        data = data.decode("utf-8")
    if isinstance(data, str):
        data = json.loads(data)
    return data


def main():
    directory = pathlib.Path(sys.argv[1])
    ours = json.loads((directory / "ours-binary.json").read_text(encoding="utf-8"))
    message = KafkaMessage(
        headers={name: value.encode("utf-8") for name, value in ours["headers"].items()},
        key=ours["key"].encode("utf-8"),
        value=ours["value"].encode("utf-8"),
    )
    event = from_binary(message)
    headers = ours["headers"]
    expect(event["specversion"] == "1.0", f"binary: specversion {event['specversion']}")
    for attribute in ("id", "source", "type", "time", "subject"):
        expect(event[attribute] == headers["ce_" + attribute], f"binary: {attribute} {event[attribute]!r}")
    expect(event["datacontenttype"] == "application/json", "binary: datacontenttype")
    expect(as_object(event.get_data()) == json.loads(ours["value"]), "binary: data differs")

    structured_text = (directory / "ours-structured.json").read_text(encoding="utf-8")
    structured = from_json(structured_text)
    reference = json.loads(structured_text)
    for attribute in ("id", "source", "type", "time", "subject", "datacontenttype"):
        expect(structured[attribute] == reference[attribute], f"structured: {attribute} {structured[attribute]!r}")
    expect(as_object(structured.get_data()) == reference["data"], "structured: data differs")

    # Events produced by the SDK, for the Swift side to decode.
    data = json.loads(ours["value"])
    attributes = {
        "type": headers["ce_type"],
        "source": "/python/sdk",
        "id": "python-sdk-event-1",
        "time": "2025-04-01T00:01:08.250+07:00",
        "subject": "hanoi-air-quality",
        "datacontenttype": "application/json",
        "partitionkey": ours["key"],
    }
    sdk_event = CloudEvent(attributes, data)
    produced = to_binary(sdk_event)
    (directory / "sdk-binary.json").write_text(json.dumps({
        "key": produced.key if isinstance(produced.key, str) else produced.key.decode("utf-8"),
        "headers": {name: value.decode("utf-8") for name, value in produced.headers.items()},
        "value": produced.value.decode("utf-8"),
    }, ensure_ascii=False), encoding="utf-8")
    structured_attributes = dict(attributes)
    del structured_attributes["partitionkey"]
    structured_attributes["id"] = "python-sdk-event-2"
    (directory / "sdk-structured.json").write_bytes(to_json(CloudEvent(structured_attributes, data)))
    (directory / "sdk-expected.json").write_text(json.dumps({"attributes": attributes, "data": data}, ensure_ascii=False), encoding="utf-8")

    for line in failures:
        print(line)
    print(f"cloudevents_interop: {len(failures)} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
