"""Prompt packs: many jobs from one file.

A .txt pack holds one prompt per line (blank lines and lines starting with # are skipped). A .csv pack has
a header row with a `prompt` column and, optionally, `duration`, `bpm`, `key`, `variations`, `mode`,
`energy`, `seed` and `title`; an empty cell leaves that value to the prompt.
"""

from __future__ import annotations

import csv
import io

from django.conf import settings

from generation.errors import GenerationError
from generation.services import MAX_VARIATIONS, JobRequest, resolve_brief

COLUMNS = ("prompt", "duration", "bpm", "key", "variations", "mode", "energy", "seed", "title")
MAX_BYTES = 1024 * 1024
EXAMPLE_CSV = (
    "prompt,duration,bpm,key,variations\n"
    '"tense heist scene, pulsing synth bass",45,100,D minor,2\n'
    '"warm acoustic guitar for a travel vlog",60,,,1\n'
    '"epic trailer build with taiko and brass",90,,C minor,3\n'
)


def _error(line: int, message: str) -> GenerationError:
    return GenerationError(f"Line {line}: {message}", field="pack")


def _text(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise GenerationError(f"A pack is at most {MAX_BYTES // 1024} KB.", field="pack")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GenerationError("The pack is not UTF-8 text.", field="pack") from None


def _txt(text: str) -> list[tuple[int, dict]]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if line and not line.startswith("#"):
            rows.append((number, {"prompt": line}))
    return rows


def _csv(text: str) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    if "prompt" not in header:
        raise GenerationError("Line 1: a CSV pack needs a header row with a 'prompt' column.", field="pack")
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise _error(1, f"unknown column {unknown[0]!r}; the columns are {', '.join(COLUMNS)}")
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            if None in row:
                raise _error(reader.line_num, "more cells than columns")
            cells = {k: (v or "").strip() for k, v in row.items()}
            if any(cells.values()):
                rows.append((reader.line_num, cells))
    except csv.Error as exc:
        raise _error(reader.line_num, f"not valid CSV ({exc})") from None
    return rows


def _whole(line: int, name: str, value: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise _error(line, f"{name} must be a whole number, got {value!r}") from None
    if not low <= number <= high:
        raise _error(line, f"{name} must be from {low} to {high}, got {number}")
    return number


def _request(line: int, cells: dict) -> JobRequest:
    prompt = cells.get("prompt", "")
    if not prompt:
        raise _error(line, "the prompt is empty")
    params = {name: cells[name] for name in ("duration", "bpm", "key", "mode", "energy") if cells.get(name)}
    if "bpm" in params:
        try:
            params["bpm"] = float(params["bpm"])
        except ValueError:
            raise _error(line, f"bpm must be a number, got {params['bpm']!r}") from None
    variations = cells.get("variations") or "1"
    seed = cells.get("seed")
    request = JobRequest(
        prompt=prompt,
        params=params,
        variations=_whole(line, "variations", variations, 1, MAX_VARIATIONS),
        seed=_whole(line, "seed", seed, 0, 2**32 - 1) if seed else None,
        title=cells.get("title", "")[:120],
    )
    try:
        resolve_brief(prompt, params)
    except GenerationError as exc:
        raise _error(line, f"{exc.field}: {exc.message}" if exc.field else exc.message) from None
    return request


def parse_pack(*, name: str, data: bytes) -> list[JobRequest]:
    """Read a .txt or .csv prompt pack into job requests, checking every line before any is queued.

    GenerationError(field="pack") names the first line that cannot become a job.
    """
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix not in ("txt", "csv"):
        raise GenerationError("A prompt pack is a .txt (one prompt per line) or a .csv file.", field="pack")
    text = _text(data)
    rows = _csv(text) if suffix == "csv" else _txt(text)
    if not rows:
        raise GenerationError("The pack holds no prompts.", field="pack")
    limit = settings.GENERATION_PACK_MAX_LINES
    if len(rows) > limit:
        raise GenerationError(
            f"A pack holds at most {limit} prompts; this one has {len(rows)}.", field="pack"
        )
    return [_request(line, cells) for line, cells in rows]
