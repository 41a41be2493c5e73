"""Command line of the deployment checks; Tools/deploy/validate.sh calls each subcommand."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from . import compose_rules, custom_resources, documents, kustomizations, manifest_rules, rule_metrics, selftest


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="deploycheck", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    files = commands.add_parser("files", help="print the resource files of kustomizations; fail on unused YAML")
    files.add_argument("--root", type=Path, required=True)
    files.add_argument("directories", type=Path, nargs="+")

    custom = commands.add_parser("custom-resources", help="validate custom resources against Tools/deploy/schemas")
    custom.add_argument("--kubernetes-version", required=True)
    custom.add_argument("paths", type=Path, nargs="+")

    rules = commands.add_parser("manifest-rules", help="check rendered manifests for CityData's guarantees")
    rules.add_argument("paths", type=Path, nargs="+")

    metrics = commands.add_parser("rule-metrics", help="check that the alert rules read only series CityData exports")
    metrics.add_argument("paths", type=Path, nargs="+")

    compose = commands.add_parser("compose-rules", help="check docker-compose.yml against .env.example and its guarantees")
    compose.add_argument("compose", type=Path)
    compose.add_argument("env_example", type=Path)

    extract = commands.add_parser("extract-rules", help="write a PrometheusRule's spec as a plain Prometheus rules file")
    extract.add_argument("source", type=Path)
    extract.add_argument("target", type=Path)

    test = commands.add_parser("selftest", help="show that every check rejects a broken variant")
    test.add_argument("--kubernetes-version", required=True)
    test.add_argument("rendered", type=Path)
    test.add_argument("compose", type=Path)
    test.add_argument("env_example", type=Path)

    arguments = parser.parse_args(argv)
    if arguments.command == "files":
        stray = kustomizations.unreferenced(arguments.root, arguments.directories)
        for path in stray:
            print(f"deploycheck: {path} is used by no kustomization", file=sys.stderr)
        seen: list[Path] = []
        for directory in arguments.directories:
            for path in kustomizations.referenced(directory.resolve())[0]:
                if path not in seen:
                    seen.append(path)
                    print(path)
        return 1 if stray else 0
    if arguments.command == "custom-resources":
        problems = documents.Problems()
        loaded = documents.load(arguments.paths)
        validated = custom_resources.check(loaded, arguments.kubernetes_version, problems)
        summary = ", ".join(f"{count} {kind}" for kind, count in sorted(validated.items())) or "none"
        return problems.report("custom resources", f"validated against Tools/deploy/schemas: {summary}")
    if arguments.command == "manifest-rules":
        problems = documents.Problems()
        summary = manifest_rules.check(documents.load(arguments.paths), problems)
        return problems.report("manifest rules", summary)
    if arguments.command == "rule-metrics":
        problems = documents.Problems()
        summary = rule_metrics.check(documents.load(arguments.paths), problems)
        return problems.report("rule metrics", summary)
    if arguments.command == "compose-rules":
        problems = documents.Problems()
        summary = compose_rules.check(arguments.compose, arguments.env_example, problems)
        return problems.report("compose rules", summary)
    if arguments.command == "extract-rules":
        rule_documents = [d for d in documents.load([arguments.source]) if d.kind == "PrometheusRule"]
        if len(rule_documents) != 1:
            print(f"deploycheck: expected one PrometheusRule in {arguments.source}, found {len(rule_documents)}", file=sys.stderr)
            return 1
        arguments.target.write_text(yaml.safe_dump(rule_documents[0].body["spec"], sort_keys=False), encoding="utf-8")
        return 0
    if arguments.command == "selftest":
        outcome = selftest.run(documents.load([arguments.rendered]), arguments.kubernetes_version,
                               arguments.compose, arguments.env_example)
        return outcome.report("self-test", f"all {selftest.count()} broken variants rejected")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
