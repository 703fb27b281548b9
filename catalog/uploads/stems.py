"""A zip of stems, opened with suspicion: sizes from the central directory first, then each member
extracted through a capped stream, so a zip bomb is refused before it can fill a disk. No Django import.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

STEM_EXTENSIONS = (".wav", ".flac", ".mp3")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,60}$")


@dataclass(frozen=True)
class ZipCaps:
    max_members: int = 16
    max_total_bytes: int = 2 << 30  # uncompressed, all members together
    max_ratio: float = 50.0  # uncompressed / compressed, per member


class StemsRejected(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def extract(zip_path: Path, out_dir: Path, caps: ZipCaps) -> list[Path]:
    """The stems of the zip at `zip_path`, written under `out_dir`; raises StemsRejected."""
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise StemsRejected("The stems are not a readable zip file.") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir() and not _ignored(m.filename)]
        if not members:
            raise StemsRejected("The stems zip holds no audio files.")
        if len(members) > caps.max_members:
            raise StemsRejected(
                f"The stems zip holds {len(members)} files; at most {caps.max_members} stems."
            )
        total = sum(m.file_size for m in members)
        if total > caps.max_total_bytes:
            raise StemsRejected("The stems unpack to more than an upload may hold.")
        names = set()
        for member in members:
            name = Path(member.filename).name
            if not _SAFE_NAME.match(name) or Path(name).suffix.lower() not in STEM_EXTENSIONS:
                raise StemsRejected(
                    f"{name or member.filename!r} in the stems zip is not a WAV, FLAC or MP3 stem."
                )
            if name.lower() in names:
                raise StemsRejected(f"Two stems in the zip are named {name!r}.")
            names.add(name.lower())
            if member.file_size > max(member.compress_size, 1) * caps.max_ratio:
                raise StemsRejected(f"{name} in the stems zip is compressed implausibly far (a zip bomb?).")
        out_dir.mkdir(parents=True, exist_ok=True)
        return [_extract_one(archive, m, out_dir) for m in members]


def _ignored(name: str) -> bool:
    base = Path(name).name
    return name.startswith("__MACOSX/") or base.startswith(".")


def _extract_one(archive: zipfile.ZipFile, member: zipfile.ZipInfo, out_dir: Path) -> Path:
    target = out_dir / Path(member.filename).name
    written = 0
    try:
        with archive.open(member) as src, open(target, "wb") as dst:
            while block := src.read(1 << 20):
                written += len(block)
                # The central directory may lie about the size; the stream may not exceed it.
                if written > member.file_size:
                    raise StemsRejected(f"{target.name} unpacks to more than the zip declares.")
                dst.write(block)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError):
        raise StemsRejected(f"{target.name} in the stems zip is damaged.") from None
    return target
