"""Checking values: keys, seconds, numbers and every explicit parameter, each failure naming its field."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from ..brief import (
    BPM_MAX,
    BPM_MIN,
    DURATION_MAX,
    DURATION_MIN,
    INSTRUMENT_ROLES,
    INSTRUMENTS,
    PITCH_CLASSES,
    PROMPT_MAX_CHARS,
    ROLES,
)
from ..errors import BriefError

HIT_MARGIN_S = 1.0

_NOTE_SEMITONES = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}
_MODE_WORDS = {"major": "major", "maj": "major", "minor": "minor", "min": "minor", "m": "minor"}
_NOTE = r"(?P<note>[A-Za-z])(?P<acc>[#♯♭]|b(?=m?(?![A-Za-z]))|[\s-]sharp\b|[\s-]flat\b)?"
_KEY_RE = re.compile(rf"^\s*{_NOTE}\s*-?\s*(?P<mode>major|minor|maj|min|m)?\s*$", re.I)


def parse_key(value: str) -> tuple[str, str | None]:
    """Read a key like "D minor", "F#", "Bb major", "c# min", "Ebm" as (tonic in PITCH_CLASSES, mode or None)."""
    match = _KEY_RE.match(value or "")
    if not match or match["note"].lower() not in _NOTE_SEMITONES:
        raise BriefError(
            "key",
            f"unknown key {value!r}: use a note A-G with an optional # or b and major/minor, e.g. 'D minor'",
        )
    return _tonic(match["note"], match["acc"]), _MODE_WORDS[match["mode"].lower()] if match["mode"] else None


def parse_seconds(value: object) -> float:
    """Read a duration: a number of seconds, "45s", "2 min" or "m:ss" such as "1:30"."""
    return _seconds(value, "duration")


def _tonic(note: str, accidental: str | None) -> str:
    shift = 0
    if accidental:
        acc = accidental.strip(" -").lower()
        shift = 1 if acc in ("#", "♯", "sharp") else -1
    return PITCH_CLASSES[(_NOTE_SEMITONES[note.lower()] + shift) % 12]


def _check_prompt(text: object) -> str:
    if not isinstance(text, str):
        raise BriefError("prompt", f"the prompt must be text, got {type(text).__name__}")
    if not text.strip():
        raise BriefError("prompt", "describe the music in a few words; the prompt is empty")
    if len(text) > PROMPT_MAX_CHARS:
        raise BriefError("prompt", f"the prompt is {len(text)} characters; the limit is {PROMPT_MAX_CHARS}")
    return text.strip()


def _number(value: object, field_name: str, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, np.number)):
        raise BriefError(field_name, f"{what} must be a number, got {value!r}")
    try:
        number = float(value)
    except ValueError:
        raise BriefError(field_name, f"{what} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise BriefError(field_name, f"{what} must be a finite number, got {value!r}")
    return number


def _seconds(value: object, field_name: str) -> float:
    what = "duration (seconds)" if field_name == "duration" else "each hit point (seconds)"
    if isinstance(value, str):
        text = value.strip().lower()
        clock = re.fullmatch(r"(\d+):([0-5]?\d(?:\.\d+)?)", text)
        if clock:
            return int(clock[1]) * 60 + float(clock[2])
        unit = re.fullmatch(r"(.+?)\s*(s|secs?|seconds?|m|mins?|minutes?)", text)
        if unit:
            scale = 1.0 if unit[2].startswith("s") else 60.0
            return _number(unit[1], field_name, what) * scale
    return _number(value, field_name, what)


def _check_bpm(bpm: float, source: str = "") -> float:
    if not BPM_MIN <= bpm <= BPM_MAX:
        raise BriefError("bpm", f"tempo must be between {BPM_MIN:g} and {BPM_MAX:g} BPM, got {bpm:g}{source}")
    return bpm


def _check_duration(seconds: float, source: str = "") -> float:
    if not DURATION_MIN <= seconds <= DURATION_MAX:
        raise BriefError(
            "duration",
            f"duration must be between {DURATION_MIN:g} and {DURATION_MAX:g} seconds, got {seconds:g}{source}",
        )
    return seconds


def _check_choice(field_name: str, value: object, choices: Sequence[str]) -> str:
    text = (
        str(value).strip().lower().replace("-", "") if field_name == "genre" else str(value).strip().lower()
    )
    if text not in choices:
        raise BriefError(field_name, f"unknown {field_name} {value!r}; choose one of {', '.join(choices)}")
    return text


def _check_mode(value: object) -> str:
    mode = _MODE_WORDS.get(str(value).strip().lower())
    if mode is None or str(value).strip().lower() == "m":
        raise BriefError("mode", f"unknown mode {value!r}; choose major or minor")
    return mode


def _hit_list(value: object) -> tuple[float, ...]:
    if isinstance(value, str):
        items = [item for item in re.split(r"\s*(?:,|;|\band\b|&)\s*", value.strip()) if item]
        if not items:
            raise BriefError("hits", "the hit list is empty; give seconds such as '12.5,31.0'")
    elif isinstance(value, (Sequence, np.ndarray)) and not isinstance(value, bytes):
        items = list(value)
    else:
        raise BriefError(
            "hits", f"hits must be a list of seconds or a string like '12.5,31.0', got {value!r}"
        )
    return tuple(_seconds(item, "hits") for item in items)


def _check_hits(hits: Sequence[float], duration: float) -> tuple[float, ...]:
    for hit in hits:
        if not HIT_MARGIN_S <= hit <= duration - HIT_MARGIN_S:
            raise BriefError(
                "hits",
                f"hit points must lie between {HIT_MARGIN_S:g} s and {duration - HIT_MARGIN_S:g} s "
                f"(1 s inside a {duration:g} s cue), got {hit:g}",
            )
    return tuple(sorted(set(hits)))


def _check_instruments(value: object) -> tuple[str, ...]:
    names = value.split(",") if isinstance(value, str) else value
    if not isinstance(names, (Sequence, np.ndarray)) or len(names) == 0:
        raise BriefError("instruments", "give at least one instrument")
    unknown = [str(n) for n in names if str(n).strip().lower() not in INSTRUMENTS]
    if unknown:
        raise BriefError(
            "instruments", f"unknown instrument {unknown[0]!r}; choose from {', '.join(INSTRUMENTS)}"
        )
    return _by_role(dict.fromkeys(str(n).strip().lower() for n in names))


def _by_role(names: Sequence[str]) -> tuple[str, ...]:
    return tuple(sorted(names, key=lambda name: ROLES.index(INSTRUMENT_ROLES[name][0])))
