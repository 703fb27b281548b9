"""Run the upload probe (catalog/uploads/decode.py) in a child process under resource limits.

A hostile file (a header claiming hours of audio, a decoder bug that loops or allocates without end)
can at worst exhaust the child: its address space (RLIMIT_AS), its CPU seconds (RLIMIT_CPU), the size
of the files it writes (RLIMIT_FSIZE) and a wall-clock timeout are bounded, and the web or Celery
process that called it only reads a verdict. No Django import: the caller passes the limits.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = 2 << 30
    cpu_seconds: int = 60
    wall_seconds: float = 90.0
    output_bytes: int = 64 << 20


class ProbeRejected(Exception):
    """The file was refused; `reason` says why in words for the uploader."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def probe(*, role: str, path: Path, out_dir: Path, checks: dict, limits: Limits) -> dict:
    """The probe's verdict on `path` ("mix": checked and analysed, "stem": checked); raises
    ProbeRejected with the reason when the file is refused or could not be read within the limits."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "result.json").unlink(missing_ok=True)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
        # One thread each: a thread pool's stacks count against the address-space limit.
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "UPLOAD_PROBE_LIMITS": f"{limits.memory_bytes},{limits.cpu_seconds},{limits.output_bytes}",
    }
    command = [
        sys.executable,
        "-m",
        "catalog.uploads.probe",
        role,
        str(path),
        str(out_dir),
        json.dumps(checks),
    ]
    try:
        done = subprocess.run(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=limits.wall_seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ProbeRejected("The file took too long to decode.") from None
    try:
        result = json.loads((out_dir / "result.json").read_text())
    except (OSError, ValueError):
        result = None
    if done.returncode != 0 or not isinstance(result, dict):
        raise ProbeRejected("The file could not be decoded within the limits an upload may use.")
    if not result.get("ok"):
        raise ProbeRejected(str(result.get("reason") or "The file was refused."))
    return result
