"""The alert rules read only series that exist: every metric of CityData's own families that a
rule's expression names must be exported by the Swift sources (a `label: "<name>"` of swift-metrics;
a Timer also gives `<name>_bucket`, `_sum` and `_count`). Series of Kafka Exporter, kube-state-metrics
and Prometheus itself (`up`) are outside this check."""
from __future__ import annotations

import re
from pathlib import Path

from .documents import Document, Problems, of_kind

# Metric families CityData's processes export (the rest come from other exporters).
OWN_PREFIXES = ("http_request", "http_requests", "kafka_client_", "kafka_consumer_lag", "kafka_broker_",
                "outbox_", "notifications_", "ingest_", "indicators_", "catalog_")
IDENTIFIER = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL = re.compile(r'label:\s*"([a-z_:][a-z0-9_:]*)"')
SUFFIXES = ("_bucket", "_sum", "_count")
ROOT = Path(__file__).resolve().parents[3]
SOURCES = [ROOT / "Shared", ROOT / "Services"]


def exported(sources: list[Path]) -> set[str]:
    names: set[str] = set()
    for root in sources:
        for path in root.rglob("*.swift"):
            names.update(LABEL.findall(path.read_text(encoding="utf-8")))
    return names


def named_in(expression: str) -> set[str]:
    # Label matchers' values are quoted; drop strings first so that `outcome="failed"` names nothing.
    unquoted = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expression)
    return {name for name in IDENTIFIER.findall(unquoted) if name.startswith(OWN_PREFIXES)}


def check(documents: list[Document], problems: Problems, sources: list[Path] = SOURCES) -> str:
    names = exported(sources)
    read = 0
    for rule_document in of_kind(documents, "PrometheusRule"):
        for group in rule_document.body.get("spec", {}).get("groups", []):
            for rule in group.get("rules", []):
                what = rule.get("alert") or rule.get("record") or "?"
                for metric in sorted(named_in(str(rule.get("expr", "")))):
                    read += 1
                    base = metric
                    for suffix in SUFFIXES:
                        if metric.endswith(suffix) and metric[: -len(suffix)] in names:
                            base = metric[: -len(suffix)]
                    if base not in names:
                        problems.add(f"{rule_document.where()}: {what}",
                                     f"reads {metric}, which no CityData service exports (no label: \"{base}\" under "
                                     f"{', '.join(str(s.relative_to(ROOT)) for s in sources)})")
    return f"{read} reads of CityData's own series, all exported ({len(names)} metric labels in the sources)"
