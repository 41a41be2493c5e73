#!/usr/bin/env python3
"""Checks the published contract of the CityEvents module without reading Swift.

Run from the repository root (the Swift test CityEventsTests/InteropTests does):

    python3 Tests/interop/validate_schemas.py --registry REGISTRY.json

- every docs/schemas/*.schema.json is a valid JSON Schema 2020-12 document;
- every golden fixture (Tests/CityEventsTests/Fixtures/events/*.json) validates against the schema of
  its ce_type, and each schema is not vacuous: removing any required property fails, and an unknown
  extra property is accepted (additive v1 changes);
- fixture headers satisfy the CloudEvents header schema of docs/asyncapi.yaml; tombstones are null
  values with a key on a compacted topic;
- observationId in the fixture equals the documented algorithm, recomputed here;
- docs/asyncapi.yaml names exactly the registry's topics (REGISTRY.json is dumped by the Swift test
  from TopicRegistry), with matching partitions and cleanup policy, and a message for every event type.
Exits 1 with one line per problem.
"""
import argparse
import copy
import datetime
import hashlib
import json
import pathlib
import sys

try:
    import jsonschema
    import yaml
except ImportError as error:  # the Swift test reports this as a missing dependency
    print(f"missing python package: {error.name}", file=sys.stderr)
    sys.exit(3)

ROOT = pathlib.Path.cwd()
SCHEMAS = ROOT / "docs" / "schemas"
FIXTURES = ROOT / "Tests" / "CityEventsTests" / "Fixtures" / "events"
ASYNCAPI = ROOT / "docs" / "asyncapi.yaml"
problems = []


def problem(text):
    problems.append(text)


def observation_id(dataset_id, source_id, observed_at):
    """The documented observationId algorithm (docs/message-schema.md)."""
    moment = datetime.datetime.fromisoformat(observed_at.replace("Z", "+00:00").replace("z", "+00:00"))
    utc = moment.astimezone(datetime.timezone.utc)
    # Python keeps microseconds; nine digits = microseconds followed by three zeros, unless the
    # source had nanoseconds, which fromisoformat cannot read (not used by the fixtures).
    instant = utc.strftime("%Y-%m-%dT%H:%M:%S") + ".%06d000Z" % utc.microsecond
    name = dataset_id.encode() + b"\0" + source_id.encode() + b"\0" + instant.encode()
    raw = bytearray(hashlib.sha256(name).digest()[:16])
    raw[6] = raw[6] & 0x0F | 0x80
    raw[8] = raw[8] & 0x3F | 0x80
    text = raw.hex()
    return f"{text[0:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:32]}"


def load_schemas():
    by_type = {}
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as error:
            problem(f"{path.name}: not a valid JSON Schema 2020-12 document: {error.message}")
            continue
        event_type = schema.get("x-cloudevents-type")
        if not event_type:
            problem(f"{path.name}: lacks x-cloudevents-type")
            continue
        by_type[event_type] = (path.name, schema)
    return by_type


def validator(schema):
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def required_paths(schema, node=None, path=()):
    """(path, required property) pairs of the schema, following $refs into $defs."""
    node = schema if node is None else node
    if "$ref" in node and node["$ref"].startswith("#/$defs/"):
        node = schema["$defs"][node["$ref"].split("/")[-1]]
    for variant in node.get("anyOf", []):
        yield from required_paths(schema, variant, path)
    for name in node.get("required", []):
        yield path, name
    for name, sub in node.get("properties", {}).items():
        yield from required_paths(schema, sub, path + (name,))
    if "items" in node and isinstance(node["items"], dict):
        yield from required_paths(schema, node["items"], path + ("[]",))


def remove_at(document, path, name):
    """Copies of the document with `name` removed at `path` (every element for [] steps)."""
    document = copy.deepcopy(document)
    targets = [document]
    for step in path:
        next_targets = []
        for target in targets:
            if step == "[]" and isinstance(target, list):
                next_targets.extend(element for element in target if isinstance(element, dict))
            elif isinstance(target, dict) and isinstance(target.get(step), (dict, list)):
                next_targets.append(target[step])
        targets = next_targets
    changed = False
    for target in targets:
        if isinstance(target, dict) and name in target:
            del target[name]
            changed = True
    return document if changed else None


def check_fixtures(by_type, header_schema, registry):
    compacted = {t["name"] for t in registry if t["cleanupPolicy"] == "compact"}
    seen_types = set()
    fixtures = sorted(FIXTURES.glob("*.json"))
    if not fixtures:
        problem(f"no fixtures in {FIXTURES}")
    for path in fixtures:
        fixture = json.loads(path.read_text(encoding="utf-8"))
        data, headers = fixture.get("data"), fixture.get("headers", {})
        if data is None:
            if fixture.get("topic") not in compacted:
                problem(f"{path.name}: tombstone on {fixture.get('topic')}, which is not a compacted topic")
            if not fixture.get("key"):
                problem(f"{path.name}: tombstone without a key")
            continue
        if header_schema is not None:
            for error in validator(header_schema).iter_errors(headers):
                problem(f"{path.name}: headers: {error.message}")
        event_type = headers.get("ce_type")
        if event_type not in by_type:
            problem(f"{path.name}: no schema declares x-cloudevents-type {event_type}")
            continue
        seen_types.add(event_type)
        schema_name, schema = by_type[event_type]
        check = validator(schema)
        for error in check.iter_errors(data):
            where = "/".join(str(p) for p in error.absolute_path) or "(root)"
            problem(f"{path.name}: does not match {schema_name} at {where}: {error.message}")
        topic = schema.get("x-kafka-topic")
        if topic != fixture.get("topic") and not (topic == "<topic>.dlq" and fixture.get("topic", "").endswith(".dlq")):
            problem(f"{path.name}: topic {fixture.get('topic')} but {schema_name} says {topic}")
        for where, name in required_paths(schema):
            reduced = remove_at(data, where, name)
            if reduced is not None and check.is_valid(reduced):
                problem(f"{schema_name}: still valid without required {'.'.join(where + (name,))}")
        extended = dict(data, zzFutureField={"added": "in a later v1"})
        if not check.is_valid(extended):
            problem(f"{schema_name}: rejects an unknown extra property (v1 consumers must ignore them)")
        if event_type == "vn.citydata.observation.recorded.v1":
            expected = observation_id(data["datasetId"], data["sourceId"], data["observedAt"])
            if data["observationId"] != expected:
                problem(f"{path.name}: observationId {data['observationId']} but the documented algorithm gives {expected}")
    for event_type in sorted(set(by_type) - seen_types):
        problem(f"schema for {event_type} has no golden fixture")


def check_asyncapi(document, registry, by_type):
    if document.get("asyncapi") != "3.0.0":
        problem("docs/asyncapi.yaml: asyncapi must be 3.0.0")
    channels = document.get("channels", {})
    messages = document.get("components", {}).get("messages", {})
    by_address = {channel.get("address"): channel for channel in channels.values()}
    registry_names = {topic["name"] for topic in registry}
    for missing in sorted(registry_names - set(by_address)):
        problem(f"docs/asyncapi.yaml: registry topic {missing} has no channel")
    for extra in sorted(set(by_address) - registry_names):
        problem(f"docs/asyncapi.yaml: channel {extra} is not in the registry")
    for topic in registry:
        channel = by_address.get(topic["name"])
        if channel is None:
            continue
        binding = channel.get("bindings", {}).get("kafka", {})
        if binding.get("partitions") != topic["partitions"]:
            problem(f"docs/asyncapi.yaml: {topic['name']} partitions {binding.get('partitions')} != registry {topic['partitions']}")
        policy = binding.get("topicConfiguration", {}).get("cleanup.policy")
        if policy != [topic["cleanupPolicy"]]:
            problem(f"docs/asyncapi.yaml: {topic['name']} cleanup.policy {policy} != registry {topic['cleanupPolicy']}")
        retention = binding.get("topicConfiguration", {}).get("retention.ms")
        if topic.get("retentionMs") is not None and retention != topic["retentionMs"]:
            problem(f"docs/asyncapi.yaml: {topic['name']} retention.ms {retention} != registry {topic['retentionMs']}")
        names = set()
        for reference in channel.get("messages", {}).values():
            message = messages.get(reference.get("$ref", "").split("/")[-1], {})
            names.add(message.get("name"))
            payload = message.get("payload", {}).get("$ref")
            if payload and not (ROOT / "docs" / payload).resolve().exists():
                problem(f"docs/asyncapi.yaml: {payload} does not exist")
        for event_type in topic["eventTypes"]:
            if event_type not in names:
                problem(f"docs/asyncapi.yaml: channel {topic['name']} lacks a message named {event_type}")
            if event_type not in by_type:
                problem(f"registry event type {event_type} has no JSON Schema")
        if topic["cleanupPolicy"] == "compact" and "tombstone" not in names:
            problem(f"docs/asyncapi.yaml: compacted {topic['name']} does not document its tombstone")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registry", required=True, help="JSON list of topic descriptors dumped from TopicRegistry")
    arguments = parser.parse_args()
    registry = json.loads(pathlib.Path(arguments.registry).read_text(encoding="utf-8"))
    by_type = load_schemas()
    document = yaml.safe_load(ASYNCAPI.read_text(encoding="utf-8"))
    header_schema = document.get("components", {}).get("schemas", {}).get("cloudEventHeaders")
    if header_schema is None:
        problem("docs/asyncapi.yaml: components.schemas.cloudEventHeaders is missing")
    check_fixtures(by_type, header_schema, registry)
    check_asyncapi(document, registry, by_type)
    for line in problems:
        print(line)
    print(f"validate_schemas: {len(by_type)} schemas, {len(registry)} topics, {len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
