"""Strict validation of custom resources, which kubernetes-validate skips.

kubernetes-validate knows only Kubernetes' own kinds: for a custom resource (Strimzi's Kafka,
KafkaNodePool, KafkaTopic; the Prometheus Operator's PodMonitor, PrometheusRule) it prints a
warning and passes. Such documents are validated here against the JSON Schemas in
Tools/deploy/schemas/, written from the operators' documented fields, with unknown fields
rejected. A document of a kind that neither Kubernetes' schemas nor ours cover is a failure.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import jsonschema
import kubernetes_validate

from .documents import Document, Problems

SCHEMA_DIRECTORY = Path(__file__).resolve().parent.parent / "schemas"


def schema_file(api_version: str, kind: str) -> Path:
    """`kafka.strimzi.io/v1beta2` + `KafkaTopic` -> schemas/kafka.strimzi.io-v1beta2-KafkaTopic.schema.json"""
    return SCHEMA_DIRECTORY / f"{api_version.replace('/', '-')}-{kind}.schema.json"


def is_builtin(document: Document, kubernetes_version: str) -> bool:
    """Whether kubernetes-validate has a schema for the document's kind (validity aside)."""
    try:
        kubernetes_validate.validate(document.body, kubernetes_version, strict=True)
    except kubernetes_validate.SchemaNotFoundError:
        return False
    except kubernetes_validate.ValidationError:
        return True
    return True


def check(documents: list[Document], kubernetes_version: str, problems: Problems) -> Counter[str]:
    """Validates every custom resource; returns how many of each kind were validated."""
    validated: Counter[str] = Counter()
    validators: dict[Path, jsonschema.Draft202012Validator] = {}
    for document in documents:
        path = schema_file(document.api_version, document.kind)
        if not path.exists():
            if not is_builtin(document, kubernetes_version):
                problems.add(document.where(), f"no schema for {document.api_version} {document.kind}: "
                             f"neither Kubernetes {kubernetes_version} nor {SCHEMA_DIRECTORY} has one")
            continue
        if path not in validators:
            validators[path] = jsonschema.Draft202012Validator(json.loads(path.read_text(encoding="utf-8")))
        errors = sorted(validators[path].iter_errors(document.body), key=lambda error: list(error.absolute_path))
        for error in errors:
            location = "/".join(str(part) for part in error.absolute_path) or "(document)"
            problems.add(document.where(), f"{location}: {error.message}")
        validated[document.kind] += 1
    return validated
