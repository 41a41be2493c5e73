"""Loading YAML documents and reporting problems."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Iterable, Iterator

import yaml


@dataclasses.dataclass(frozen=True)
class Document:
    """One YAML document of a file, with where it came from."""

    path: Path
    index: int
    body: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.body.get("kind", ""))

    @property
    def api_version(self) -> str:
        return str(self.body.get("apiVersion", ""))

    @property
    def name(self) -> str:
        return str((self.body.get("metadata") or {}).get("name", ""))

    def where(self) -> str:
        return f"{self.path} #{self.index + 1} {self.kind}/{self.name}"


def load(paths: Iterable[Path]) -> list[Document]:
    """Every non-empty document of the given files; raises ValueError on a non-mapping document."""
    documents: list[Document] = []
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            for index, body in enumerate(yaml.safe_load_all(handle)):
                if body is None:
                    continue
                if not isinstance(body, dict):
                    raise ValueError(f"{path} #{index + 1}: a document must be a mapping, got {type(body).__name__}")
                documents.append(Document(path, index, body))
    return documents


def of_kind(documents: Iterable[Document], kind: str) -> Iterator[Document]:
    return (document for document in documents if document.kind == kind)


class Problems:
    """Collects problems so that one run reports all of them."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")

    def __bool__(self) -> bool:
        return bool(self.items)

    def report(self, title: str, checked: str) -> int:
        """Prints the outcome; returns the process exit code."""
        if self.items:
            for item in self.items:
                print(f"  FAIL {item}")
            print(f"{title}: {len(self.items)} problem(s)")
            return 1
        print(f"{title}: ok ({checked})")
        return 0
