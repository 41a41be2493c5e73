"""What docker-compose.yml must guarantee beyond the Compose specification.

- every variable it interpolates is documented in .env.example, and .env.example documents nothing
  it does not use;
- Kafka: three KRaft brokers whose quorum voters are exactly those brokers;
- the bootstrap job waits for Postgres and Kafka, and every service waits for the job to finish
  successfully and for Postgres and all brokers to be healthy;
- each service has a health check, its port (ingest 8081, catalog 8082, indicators 8083,
  notifications 8084) in HTTP_PORT and on the host, and a stop grace period longer than
  SHUTDOWN_TIMEOUT_SECONDS.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .documents import Problems

PORTS = {"ingest": 8081, "catalog": 8082, "indicators": 8083, "notifications": 8084}
VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)")


def env_example_keys(path: Path) -> set[str]:
    keys = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keys.add(line.split("=", 1)[0].strip())
    return keys


def duration_seconds(text: str) -> float:
    total = 0.0
    for amount, unit in re.findall(r"([0-9.]+)(ms|s|m|h)", text):
        total += float(amount) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[unit]
    return total


def conditions(service: dict[str, Any]) -> dict[str, str]:
    depends = service.get("depends_on") or {}
    if isinstance(depends, list):
        return {name: "service_started" for name in depends}
    return {name: (value or {}).get("condition", "service_started") for name, value in depends.items()}


def check(compose_path: Path, env_path: Path, problems: Problems) -> str:
    text = compose_path.read_text(encoding="utf-8")
    compose = yaml.safe_load(text)
    services: dict[str, Any] = compose.get("services") or {}

    used = set(VARIABLE.findall(text))
    documented = env_example_keys(env_path)
    for name in sorted(used - documented):
        problems.add(str(env_path), f"{name} is used by {compose_path} but not documented")
    for name in sorted(documented - used):
        problems.add(str(env_path), f"{name} is documented but {compose_path} does not use it")

    brokers = sorted(name for name, service in services.items() if "kafka" in str(service.get("image", "")))
    if len(brokers) != 3:
        problems.add(str(compose_path), f"expected three Kafka brokers, found {brokers}")
    for name in brokers:
        environment = services[name].get("environment") or {}
        voters = {voter.split("@")[1].split(":")[0] for voter in environment.get("KAFKA_CONTROLLER_QUORUM_VOTERS", "").split(",") if "@" in voter}
        if voters != set(brokers):
            problems.add(name, f"quorum voters {sorted(voters)} are not the brokers {brokers}")
        if "controller" not in environment.get("KAFKA_PROCESS_ROLES", ""):
            problems.add(name, "KRaft: KAFKA_PROCESS_ROLES must include controller")
        if "healthcheck" not in services[name]:
            problems.add(name, "has no healthcheck")
    infrastructure = {broker: "service_healthy" for broker in brokers} | {"postgres": "service_healthy"}

    bootstrap = services.get("bootstrap")
    if bootstrap is None:
        problems.add(str(compose_path), "no bootstrap service")
    else:
        command = " ".join(bootstrap.get("command") or [])
        for step in ("citydata-admin bootstrap-database", "citytopics apply"):
            if step not in command:
                problems.add("bootstrap", f"does not run {step!r}")
        if conditions(bootstrap) != infrastructure:
            problems.add("bootstrap", f"must wait for {infrastructure}, waits for {conditions(bootstrap)}")

    for name, port in PORTS.items():
        service = services.get(name)
        if service is None:
            problems.add(str(compose_path), f"no service {name}")
            continue
        expected = infrastructure | {"bootstrap": "service_completed_successfully"}
        if conditions(service) != expected:
            problems.add(name, f"must depend on {expected}, depends on {conditions(service)}")
        environment = service.get("environment") or {}
        if str(environment.get("HTTP_PORT")) != str(port):
            problems.add(name, f"HTTP_PORT must be {port}")
        if not any(str(mapping).endswith(f":{port}") for mapping in service.get("ports") or []):
            problems.add(name, f"container port {port} is not published")
        if "healthcheck" not in service:
            problems.add(name, "has no healthcheck")
        for variable in ("KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL", "LOG_LEVEL", "SHUTDOWN_TIMEOUT_SECONDS"):
            if variable not in environment:
                problems.add(name, f"does not set {variable}")
        if not str(environment.get("DATABASE_URL", "")).startswith(f"postgres://{name}:"):
            problems.add(name, f"DATABASE_URL must use the service's own role {name!r}")
        grace = duration_seconds(str(service.get("stop_grace_period", "10s")))
        if grace <= 25:
            problems.add(name, f"stop_grace_period {grace:g}s must exceed SHUTDOWN_TIMEOUT_SECONDS (25 s)")
    return f"{len(services)} services, {len(used)} variables"
