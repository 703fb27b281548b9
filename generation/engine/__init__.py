"""The text-to-music engine: pure Python (numpy, torch), no Django.

brief = parse_prompt("dark cinematic tension, D minor, 92 bpm", duration=45)
result = generate(brief, seed=7, out_dir=Path("out"))
"""

from __future__ import annotations

from pathlib import Path

from generation.engine.backends import Progress, Result, get_backend
from generation.engine.brief import Brief
from generation.engine.errors import BriefError, EngineError, OutputError
from generation.engine.prompt import parse_prompt
from generation.engine.version import ENGINE_NAME, ENGINE_VERSION

__all__ = [
    "ENGINE_NAME",
    "ENGINE_VERSION",
    "Brief",
    "BriefError",
    "EngineError",
    "OutputError",
    "Result",
    "generate",
    "parse_prompt",
]


def generate(
    brief: Brief,
    *,
    seed: int,
    out_dir: Path | str,
    progress: Progress | None = None,
    backend: str = "procedural",
    soundfont: str | None = None,
) -> Result:
    """Make one cue from `brief` and `seed` into `out_dir` (written atomically) and return its Result.

    The same brief, seed, engine version and SoundFont give bit-identical files.
    """
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**32:
        raise BriefError("seed", f"seed must be a whole number from 0 to {2**32 - 1}, got {seed!r}")
    engine = get_backend(backend, soundfont=soundfont)
    return engine.generate(brief, seed=seed, out_dir=Path(out_dir), progress=progress)
