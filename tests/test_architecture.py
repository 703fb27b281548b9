"""The rooms depend on each other one way only, as the architecture says; `common` and the engine stay pure."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ROOMS = ("accounts", "catalog", "generation", "licensing", "payments")
# Which rooms each room may import.
ALLOWED = {
    "accounts": set(),
    "catalog": {"accounts"},
    "generation": {"accounts", "catalog"},
    "licensing": {"accounts", "catalog"},
    "payments": {"accounts", "catalog", "licensing"},
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def source_files(package: str, *, exclude: str | None = None) -> list[Path]:
    files = sorted((ROOT / package).rglob("*.py"))
    return [f for f in files if exclude is None or exclude not in f.parts]


@pytest.mark.parametrize("room", ROOMS)
def test_a_room_imports_only_the_rooms_below_it(room):
    forbidden = set(ROOMS) - ALLOWED[room] - {room}
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in source_files(room)
        for name in imported_modules(path)
        if name.split(".")[0] in forbidden
    ]
    assert offenders == []


@pytest.mark.parametrize("package", ["common", "generation/engine"])
def test_the_pure_packages_import_neither_django_nor_any_room(package):
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in source_files(package)
        for name in imported_modules(path)
        if name.split(".")[0] in {"django", "rest_framework", "celery", *ROOMS} - {"generation"}
        or (name.startswith("generation.") and not name.startswith("generation.engine"))
    ]
    assert offenders == []
