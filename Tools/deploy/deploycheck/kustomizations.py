"""Which files the kustomizations use, so that every committed manifest is checked."""
from __future__ import annotations

from pathlib import Path

import yaml


def referenced(directory: Path) -> tuple[list[Path], list[Path]]:
    """(resource files, patch files) used by the kustomization in `directory` and the bases it includes."""
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text(encoding="utf-8"))
    resources: list[Path] = []
    patches: list[Path] = []
    for entry in kustomization.get("resources") or []:
        path = (directory / entry).resolve()
        if path.is_dir():
            more_resources, more_patches = referenced(path)
            resources += more_resources
            patches += more_patches
        else:
            resources.append(path)
    for entry in kustomization.get("patches") or []:
        if "path" in entry:
            patches.append((directory / entry["path"]).resolve())
    return resources, patches


def unreferenced(root: Path, kustomization_directories: list[Path]) -> list[Path]:
    """YAML files under `root` that no kustomization uses (and that are not kustomizations)."""
    used: set[Path] = set()
    for directory in kustomization_directories:
        resources, patches = referenced(directory.resolve())
        used.update(resources, patches)
    return sorted(path for path in root.resolve().rglob("*.yaml")
                  if path.name != "kustomization.yaml" and path not in used)
