"""What the CityData Kubernetes manifests must guarantee beyond schema validity.

Checked on kustomize's rendered output (what is applied), so that overlays are covered too:

- every service Deployment probes /health/live (liveness) and /health/ready (readiness) on the
  port it serves, sets CPU and memory requests and limits, runs as non-root with a read-only root
  file system, and gives SHUTDOWN_TIMEOUT_SECONDS plus its preStop pause time to drain;
- every Deployment has a Service and a PodDisruptionBudget that select its pods;
- a consumer's HorizontalPodAutoscaler never allows more replicas than its input topic has
  partitions (taken from the KafkaTopic resources of the same output);
- no Secret is committed, and the Secrets referenced are the documented ones;
- KafkaTopic names follow the topic names, replication fits the broker count, min.insync.replicas
  is below the replication factor, and every primary topic has its .dlq companion;
- NetworkPolicies expose exactly ingest, catalog and notifications, and let only notifications
  reach port 443 outside the cluster.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from .documents import Document, Problems, of_kind
from .selectors import matches

SERVICES = ("ingest", "catalog", "indicators", "notifications")
EXPOSED = {"ingest", "catalog", "notifications"}
# The topic whose partitions bound a consumer's replicas (docs/operations.md, "Scale").
CONSUMER_INPUT = {"indicators": "city.observations.v1", "notifications": "city.indicators.alerts.v1"}
# Secrets created by the operator (deploy/README.md); never in the repository.
DOCUMENTED_SECRETS = {
    "citydata-database": {"DATABASE_ADMIN_URL", "INGEST_DB_PASSWORD", "CATALOG_DB_PASSWORD",
                          "INDICATORS_DB_PASSWORD", "NOTIFICATIONS_DB_PASSWORD"},
    "citydata-catalog": {"ADMIN_TOKEN"},
}
MONITORING_NAMESPACE = "monitoring"


def pod_spec(document: Document) -> dict[str, Any]:
    spec = document.body.get("spec") or {}
    if document.kind == "Job":
        return spec.get("template", {}).get("spec", {})
    return spec.get("template", {}).get("spec", {})


def pod_labels(document: Document) -> dict[str, str]:
    return document.body.get("spec", {}).get("template", {}).get("metadata", {}).get("labels", {}) or {}


def seconds(text: str) -> float:
    match = re.fullmatch(r"\s*([0-9.]+)\s*(ms|s)?\s*", str(text))
    if not match:
        raise ValueError(f"not a duration: {text!r}")
    value = float(match.group(1))
    return value / 1000 if match.group(2) == "ms" else value


def check_deployments(documents: list[Document], problems: Problems) -> int:
    config: dict[str, str] = {}
    for config_map in of_kind(documents, "ConfigMap"):
        if config_map.name == "citydata-config":
            config = config_map.body.get("data") or {}
    shutdown = seconds(config.get("SHUTDOWN_TIMEOUT_SECONDS", "25"))
    deployments = list(of_kind(documents, "Deployment"))
    names = {deployment.name for deployment in deployments}
    for missing in sorted(set(SERVICES) - names):
        problems.add("Deployments", f"no Deployment for service {missing}")
    for deployment in deployments:
        where = deployment.where()
        spec = pod_spec(deployment)
        labels = pod_labels(deployment)
        selector = deployment.body["spec"].get("selector")
        if not matches(selector, labels):
            problems.add(where, "the selector does not match the pod template's labels")
        security = spec.get("securityContext") or {}
        if security.get("runAsNonRoot") is not True:
            problems.add(where, "pod securityContext.runAsNonRoot must be true")
        for container in spec.get("containers") or []:
            check_container(where, container, problems)
        pre_stop = max((pause_of(container) for container in spec.get("containers") or []), default=0.0)
        grace = spec.get("terminationGracePeriodSeconds", 30)
        if grace <= shutdown + pre_stop:
            problems.add(where, f"terminationGracePeriodSeconds {grace} must exceed SHUTDOWN_TIMEOUT_SECONDS "
                         f"{shutdown:g} + preStop {pre_stop:g}")
        for kind in ("Service", "PodDisruptionBudget"):
            selecting = [item for item in of_kind(documents, kind) if selects(item, labels)]
            if not selecting:
                problems.add(where, f"no {kind} selects its pods")
    return len(deployments)


def selects(document: Document, labels: dict[str, str]) -> bool:
    selector = document.body.get("spec", {}).get("selector")
    if document.kind == "Service":
        return bool(selector) and matches({"matchLabels": selector}, labels)
    return bool(selector) and matches(selector, labels)


def pause_of(container: dict[str, Any]) -> float:
    command = (((container.get("lifecycle") or {}).get("preStop") or {}).get("exec") or {}).get("command") or []
    if len(command) == 2 and command[0] == "sleep":
        return float(command[1])
    return 0.0


def check_container(where: str, container: dict[str, Any], problems: Problems) -> None:
    where = f"{where} container {container.get('name')}"
    ports = {port.get("name"): port.get("containerPort") for port in container.get("ports") or []}
    env = {item["name"]: item.get("value") for item in container.get("env") or []}
    http = ports.get("http")
    if http is None:
        problems.add(where, "no container port named http")
    elif env.get("HTTP_PORT") != str(http):
        problems.add(where, f"HTTP_PORT {env.get('HTTP_PORT')!r} differs from the http port {http}")
    for probe, path in (("livenessProbe", "/health/live"), ("readinessProbe", "/health/ready")):
        get = (container.get(probe) or {}).get("httpGet") or {}
        if get.get("path") != path or get.get("port") not in ("http", http):
            problems.add(where, f"{probe} must be httpGet {path} on the http port")
    resources = container.get("resources") or {}
    for section in ("requests", "limits"):
        for resource in ("cpu", "memory"):
            if resource not in (resources.get(section) or {}):
                problems.add(where, f"resources.{section}.{resource} is missing")
    security = container.get("securityContext") or {}
    if security.get("readOnlyRootFilesystem") is not True or security.get("allowPrivilegeEscalation") is not False:
        problems.add(where, "needs readOnlyRootFilesystem: true and allowPrivilegeEscalation: false")
    image = str(container.get("image", ""))
    if image.endswith(":latest") or ":" not in image.rsplit("/", 1)[-1]:
        problems.add(where, f"image {image!r} must carry an explicit tag other than latest")


def check_autoscalers(documents: list[Document], problems: Problems) -> int:
    partitions = {topic.body["spec"]["topicName"]: topic.body["spec"]["partitions"]
                  for topic in of_kind(documents, "KafkaTopic")}
    autoscalers = list(of_kind(documents, "HorizontalPodAutoscaler"))
    for autoscaler in autoscalers:
        spec = autoscaler.body["spec"]
        target = spec["scaleTargetRef"]["name"]
        if spec.get("minReplicas", 1) > spec["maxReplicas"]:
            problems.add(autoscaler.where(), "minReplicas exceeds maxReplicas")
        topic = CONSUMER_INPUT.get(target)
        if topic is None:
            continue
        if topic not in partitions:
            problems.add(autoscaler.where(), f"no KafkaTopic {topic} to bound {target}'s replicas")
        elif spec["maxReplicas"] > partitions[topic]:
            problems.add(autoscaler.where(), f"maxReplicas {spec['maxReplicas']} exceeds the {partitions[topic]} "
                         f"partitions of {topic}: extra consumers would idle")
    return len(autoscalers)


def secret_references(node: Any) -> Iterable[tuple[str, str | None]]:
    """(secret name, key or None for a whole-Secret envFrom) for every reference below `node`."""
    if isinstance(node, dict):
        if "secretKeyRef" in node:
            yield node["secretKeyRef"]["name"], node["secretKeyRef"]["key"]
        if "secretRef" in node:
            yield node["secretRef"]["name"], None
        if "secretName" in node and isinstance(node["secretName"], str):
            yield node["secretName"], None
        for value in node.values():
            yield from secret_references(value)
    elif isinstance(node, list):
        for value in node:
            yield from secret_references(value)


def check_secrets(documents: list[Document], problems: Problems) -> int:
    for secret in of_kind(documents, "Secret"):
        problems.add(secret.where(), "a Secret is committed; reference it and create it at deploy time instead")
    count = 0
    for document in documents:
        if document.kind not in ("Deployment", "Job"):
            continue
        for name, key in secret_references(document.body):
            count += 1
            if name not in DOCUMENTED_SECRETS:
                problems.add(document.where(), f"references undocumented Secret {name!r}")
            elif key is not None and key not in DOCUMENTED_SECRETS[name]:
                problems.add(document.where(), f"references key {key!r} that Secret {name!r} does not document")
    return count


def check_topics(documents: list[Document], problems: Problems) -> int:
    clusters = {kafka.name for kafka in of_kind(documents, "Kafka")}
    brokers = sum(pool.body["spec"]["replicas"] for pool in of_kind(documents, "KafkaNodePool")
                  if "broker" in pool.body["spec"].get("roles", []))
    topics = list(of_kind(documents, "KafkaTopic"))
    names = set()
    for topic in topics:
        spec = topic.body["spec"]
        name = spec["topicName"]
        names.add(name)
        if topic.name != name.replace(".", "-"):
            problems.add(topic.where(), f"metadata.name must be {name.replace('.', '-')!r}")
        cluster = topic.body["metadata"].get("labels", {}).get("strimzi.io/cluster")
        if cluster not in clusters:
            problems.add(topic.where(), f"strimzi.io/cluster {cluster!r} names no Kafka resource")
        if spec["replicas"] > brokers:
            problems.add(topic.where(), f"replicas {spec['replicas']} exceed the {brokers} brokers")
        min_insync = int(spec["config"].get("min.insync.replicas", 1))
        if not 1 <= min_insync < spec["replicas"]:
            problems.add(topic.where(), f"min.insync.replicas {min_insync} must be below replicas {spec['replicas']}")
    for name in sorted(names):
        if not name.endswith(".dlq") and f"{name}.dlq" not in names:
            problems.add("KafkaTopics", f"{name} has no {name}.dlq companion")
    return len(topics)


def check_network(documents: list[Document], problems: Problems) -> int:
    policies = list(of_kind(documents, "NetworkPolicy"))
    for deployment in of_kind(documents, "Deployment"):
        labels = pod_labels(deployment)
        selecting = [policy for policy in policies if matches(policy.body["spec"].get("podSelector"), labels)]
        types = {kind for policy in selecting for kind in policy.body["spec"].get("policyTypes", [])}
        if not {"Ingress", "Egress"} <= types:
            problems.add(deployment.where(), "is not isolated for both ingress and egress by a NetworkPolicy")
        exposed = any(
            peer.get("namespaceSelector", {}).get("matchLabels", {}).get("kubernetes.io/metadata.name") != MONITORING_NAMESPACE
            for policy in selecting for rule in policy.body["spec"].get("ingress") or [] for peer in rule.get("from") or [{}]
        )
        if exposed != (deployment.name in EXPOSED):
            problems.add(deployment.where(), "must be exposed" if deployment.name in EXPOSED else "must not be exposed")
        external = any(
            "ipBlock" in peer
            for policy in selecting for rule in policy.body["spec"].get("egress") or [] for peer in rule.get("to") or [{}]
        )
        if external != (deployment.name == "notifications"):
            problems.add(deployment.where(), "only notifications may reach addresses outside the cluster")
    return len(policies)


def check(documents: list[Document], problems: Problems) -> str:
    counts = [
        f"{check_deployments(documents, problems)} Deployments",
        f"{check_autoscalers(documents, problems)} HPAs",
        f"{check_secrets(documents, problems)} Secret references",
        f"{check_topics(documents, problems)} KafkaTopics",
        f"{check_network(documents, problems)} NetworkPolicies",
    ]
    return ", ".join(counts)
