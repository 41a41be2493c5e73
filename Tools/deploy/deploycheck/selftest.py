"""Proof that the checks can fail: each broken variant of a good input must be reported.

Runs on copies in memory of the real, rendered manifests and compose file, so a check that
silently accepts everything is caught here.
"""
from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Callable

import yaml

from . import compose_rules, custom_resources, manifest_rules, rule_metrics
from .documents import Document, Problems


def first(documents: list[Document], kind: str, name: str | None = None) -> Document:
    return next(d for d in documents if d.kind == kind and (name is None or d.name == name))


def mutate(documents: list[Document], change: Callable[[list[Document]], None]) -> list[Document]:
    copies = [Document(d.path, d.index, copy.deepcopy(d.body)) for d in documents]
    change(copies)
    return copies


def container(documents: list[Document], name: str) -> dict:
    return first(documents, "Deployment", name).body["spec"]["template"]["spec"]["containers"][0]


MANIFEST_BREAKS: dict[str, Callable[[list[Document]], None]] = {
    "HPA above the input topic's partitions": lambda ds: first(ds, "HorizontalPodAutoscaler", "indicators").body["spec"].update(maxReplicas=13),
    "readiness probe on the wrong path": lambda ds: container(ds, "catalog")["readinessProbe"]["httpGet"].update(path="/health/live"),
    "no memory limit": lambda ds: container(ds, "ingest")["resources"]["limits"].pop("memory"),
    "grace period shorter than the drain": lambda ds: first(ds, "Deployment", "notifications").body["spec"]["template"]["spec"].update(terminationGracePeriodSeconds=20),
    "a committed Secret": lambda ds: ds.append(Document(Path("selftest"), 0, {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "x"}})),
    "indicators exposed to the ingress controller": lambda ds: first(ds, "NetworkPolicy", "citydata-allow-public-http").body["spec"]["podSelector"]["matchExpressions"][0]["values"].append("indicators"),
    "topic replicas above the brokers": lambda ds: first(ds, "KafkaTopic").body["spec"].update(replicas=4),
    "a topic without its .dlq": lambda ds: ds.remove(first(ds, "KafkaTopic", "city-observations-v1-dlq")),
}

CUSTOM_RESOURCE_BREAKS: dict[str, Callable[[list[Document]], None]] = {
    "unknown KafkaTopic field": lambda ds: first(ds, "KafkaTopic").body["spec"].update(partitionCount=3),
    "KafkaNodePool role misspelt": lambda ds: first(ds, "KafkaNodePool").body["spec"].update(roles=["broker", "controler"]),
    "Kafka listener without tls": lambda ds: first(ds, "Kafka").body["spec"]["kafka"]["listeners"][0].pop("tls"),
    "alert rule without expr": lambda ds: first(ds, "PrometheusRule").body["spec"]["groups"][0]["rules"][0].pop("expr"),
    "a kind no schema covers": lambda ds: ds.append(Document(Path("selftest"), 0, {"apiVersion": "example.org/v1", "kind": "Widget", "metadata": {"name": "w"}})),
}

def rename_series(documents: list[Document]) -> None:
    rule = first(documents, "PrometheusRule").body["spec"]["groups"][0]["rules"][0]
    rule["expr"] = "rate(http_requests_totl[5m]) > 0"


RULE_METRIC_BREAKS: dict[str, Callable[[list[Document]], None]] = {
    "alert reading a series nobody exports": rename_series,
}

COMPOSE_BREAKS: dict[str, Callable[[dict], None]] = {
    "service not waiting for bootstrap": lambda c: c["services"]["ingest"]["depends_on"].pop("bootstrap"),
    "wrong HTTP_PORT": lambda c: c["services"]["catalog"]["environment"].update(HTTP_PORT="9000"),
    "undocumented variable": lambda c: c["services"]["indicators"]["environment"].update(LOG_LEVEL="${UNDOCUMENTED_LEVEL}"),
    "a broker missing from the quorum": lambda c: c["services"].pop("kafka-3"),
}


def compose_problems(compose: dict, env_path: Path) -> Problems:
    """The compose rules' verdict on `compose`, written to a temporary file."""
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as handle:
        yaml.safe_dump(compose, handle)
    problems = Problems()
    try:
        compose_rules.check(Path(handle.name), env_path, problems)
    finally:
        Path(handle.name).unlink()
    return problems


def run(rendered: list[Document], kubernetes_version: str, compose_path: Path, env_path: Path) -> Problems:
    """Each broken variant must be reported, and the unbroken copies must not be (or the
    rejections would prove nothing)."""
    outcome = Problems()
    original = yaml.safe_load(compose_path.read_text(encoding="utf-8"))
    baseline = [("manifest rules", lambda p: manifest_rules.check(mutate(rendered, lambda ds: None), p)),
                ("custom resources", lambda p: custom_resources.check(mutate(rendered, lambda ds: None), kubernetes_version, p)),
                ("rule metrics", lambda p: rule_metrics.check(mutate(rendered, lambda ds: None), p)),
                ("compose rules", lambda p: p.items.extend(compose_problems(original, env_path).items))]
    for title, checker in baseline:
        problems = Problems()
        checker(problems)
        if problems:
            outcome.add(title, f"rejects the unbroken input: {problems.items[0]}")
    for title, change in MANIFEST_BREAKS.items():
        problems = Problems()
        manifest_rules.check(mutate(rendered, change), problems)
        if not problems:
            outcome.add("manifest rules", f"accepted a broken variant: {title}")
    for title, change in CUSTOM_RESOURCE_BREAKS.items():
        problems = Problems()
        custom_resources.check(mutate(rendered, change), kubernetes_version, problems)
        if not problems:
            outcome.add("custom resources", f"accepted a broken variant: {title}")
    for title, change in RULE_METRIC_BREAKS.items():
        problems = Problems()
        rule_metrics.check(mutate(rendered, change), problems)
        if not problems:
            outcome.add("rule metrics", f"accepted a broken variant: {title}")
    for title, change in COMPOSE_BREAKS.items():
        broken = copy.deepcopy(original)
        change(broken)
        if not compose_problems(broken, env_path):
            outcome.add("compose rules", f"accepted a broken variant: {title}")
    return outcome


def count() -> int:
    return len(MANIFEST_BREAKS) + len(CUSTOM_RESOURCE_BREAKS) + len(RULE_METRIC_BREAKS) + len(COMPOSE_BREAKS)
