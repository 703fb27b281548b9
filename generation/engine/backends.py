"""One interface for every way of making audio from a Brief.

A backend turns (brief, seed) into the files of export.py inside `out_dir` and returns a Result. The
procedural backend (composer + SoundFont/torch renderer + master) is the default and needs no model files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from generation.engine.brief import Brief
from generation.engine.errors import EngineError

Progress = Callable[[str, float], None]


@dataclass
class Result:
    """What one generation produced: the folder, its manifest, and the figures a caller shows."""

    out_dir: Path
    manifest: dict
    files: dict[str, Path] = field(default_factory=dict)  # path relative to out_dir -> absolute path

    @property
    def loudness_lufs(self) -> float:
        return self.manifest["loudness"]["integrated_lufs"]

    @property
    def true_peak_dbtp(self) -> float:
        return self.manifest["loudness"]["true_peak_dbtp"]

    @property
    def timings(self) -> dict[str, float]:
        return self.manifest["timings_s"]


class Backend(Protocol):
    name: str
    version: str

    def generate(
        self, brief: Brief, *, seed: int, out_dir: Path, progress: Progress | None = None
    ) -> Result: ...


def get_backend(name: str = "procedural", **options) -> Backend:
    """The backend registered under `name`; options (such as `soundfont`) go to its constructor."""
    if name == "procedural":
        from generation.engine.procedural import ProceduralBackend

        return ProceduralBackend(**options)
    raise EngineError(f"unknown engine backend {name!r}; available: procedural")
