"""Explicit values in the text: tempo, duration, key and mode, meter, energy and hit points, read exactly."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..brief import METERS
from .values import _MODE_WORDS, _NOTE, _NOTE_SEMITONES, _hit_list, _tonic

_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}
_KEY_WITH_MODE = re.compile(
    rf"(?<![\w#♯♭]){_NOTE}\s*-?\s*(?P<mode>major|minor|maj|min)\b(?P<after>\s+(?:key|scale|mode|tonality)\b)?",
    re.I,
)
_KEY_BARE = re.compile(
    rf"\b(?P<intro>in\s+the\s+key\s+of|key\s+of|key\s*[:=]|key\s+is|in)\s+{_NOTE}(?P<m>m)?(?![\w#♯♭])", re.I
)
_MODE_ONLY = re.compile(
    r"\b(?:in\s+)?(?P<mode>major|minor)\s+(?:key|scale|tonality|mode)\b|\bin\s+(?P<m2>major|minor)\b", re.I
)
_CONNECTORS = {"at", "with", "and", "for", "over", "using", "featuring", "please", "bpm"}
_BPM = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)\s*-?\s*(?:bpm|beats\s+per\s+minute)\b|\btempo\s*(?:of|:|=|at)?\s*(\d+(?:\.\d+)?)\b",
    re.I,
)
_HITS = re.compile(
    r"\b(?:hits?|stings?|accents?|impacts?|stabs?)\s+(?:at|on|@)\s+(?P<list>\d[\d:.]*\s*(?:s|secs?|seconds?)?"
    r"(?:\s*(?:,|and|&)\s*\d[\d:.]*\s*(?:s|secs?|seconds?)?)*)",
    re.I,
)
_NUM = r"(?<![\w.:'’])(\d+(?:\.\d+)?)"


def _count(word: str) -> float:
    return float(word) if word[0].isdigit() else float(_NUMBER_WORDS[word.lower()])


def _plural_or_seconds(number: str) -> float | None:
    # "80s", "1990s" and drum machines ("808s") are plurals, not seconds.
    value = float(number)
    if number in ("303", "808", "909") or (10 <= value <= 90 and value % 10 == 0) or 1900 <= value <= 2099:
        return None
    return value


# Tried in order; the first that reads gives the duration.
_DURATIONS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], float | None]], ...] = (
    (
        re.compile(
            rf"{_NUM}\s*(?:m|mins?|minutes?)\s*(?:and\s+)?(\d+(?:\.\d+)?)\s*(?:s|secs?|seconds?)\b", re.I
        ),
        lambda m: float(m[1]) * 60 + float(m[2]),
    ),
    (re.compile(r"(?<![\w.:])(\d{1,2}):([0-5]\d)(?![\d:])"), lambda m: float(m[1]) * 60 + float(m[2])),
    (re.compile(rf"{_NUM}\s*-?\s*(?:hours?|hrs?)\b", re.I), lambda m: float(m[1]) * 3600),
    (
        re.compile(rf"(?:{_NUM}|\b({'|'.join(_NUMBER_WORDS)}))\s*-?\s*(?:mins?|minutes?)\b", re.I),
        lambda m: _count(m[1] or m[2]) * 60,
    ),
    (re.compile(rf"{_NUM}\s*-?\s*(?:secs?|seconds?)\b", re.I), lambda m: float(m[1])),
    (re.compile(rf"{_NUM}\s+s\b", re.I), lambda m: float(m[1])),
    (re.compile(rf"{_NUM}s\b", re.I), lambda m: _plural_or_seconds(m[1])),
)
_METER = re.compile(
    r"(?P<in>\bin\s+)?(?<![\d/])(?P<a>\d{1,2})\s*/\s*(?P<b>\d{1,2})(?![\d/])(?P<t>\s*(?:time|meter|signature))?",
    re.I,
)
_ENERGY = re.compile(r"\b(low|medium|mid|high)[\s-]+energy\b", re.I)


@dataclass
class _Found:
    rest: str
    explicit: list[str] = field(default_factory=list)
    bpm: float | None = None
    duration: float | None = None
    tonic: str | None = None
    mode: str | None = None
    meter: str | None = None
    meter_hint: str | None = None
    meter_error: str | None = None
    key_error: str | None = None
    energy: str | None = None
    hits: tuple[float, ...] = ()

    def take(self, match: re.Match[str], name: str | None = None) -> None:
        """Blank out the matched span so later patterns and the meaning matcher no longer see it."""
        start, end = match.span()
        self.rest = self.rest[:start] + " " * (end - start) + self.rest[end:]
        if name and name not in self.explicit:
            self.explicit.append(name)


def _read_explicit(prompt: str) -> _Found:
    found = _Found(rest=prompt)
    if match := _HITS.search(found.rest):
        found.hits = _hit_list(match["list"])
        found.take(match, "hits")
    if match := _BPM.search(found.rest):
        found.bpm = float(match[1] or match[2])
        found.take(match, "bpm")
    for pattern, read in _DURATIONS:
        seconds = next((v for m in pattern.finditer(found.rest) if (v := read(m)) is not None), None)
        if seconds is not None:
            found.duration = seconds
            found.take(next(m for m in pattern.finditer(found.rest) if read(m) is not None), "duration")
            break
    _read_key(found)
    if match := _METER.search(found.rest):
        meter = f"{int(match['a'])}/{int(match['b'])}"
        if meter in METERS:
            found.meter = meter
            found.take(match, "meter")
        elif match["in"] or match["t"]:
            found.meter_error = f"unsupported meter {meter}; choose one of {', '.join(METERS)}"
    lowered = found.rest.lower()
    found.meter_hint = (
        "3/4" if re.search(r"\bwaltz", lowered) else "6/8" if re.search(r"\bjigs?\b", lowered) else None
    )
    if match := _ENERGY.search(found.rest):
        found.energy = "medium" if match[1].lower() == "mid" else match[1].lower()
        found.take(match, "energy")
    return found


def _read_key(found: _Found) -> None:
    for match in _KEY_WITH_MODE.finditer(found.rest):
        note = match["note"]
        if note.lower() not in _NOTE_SEMITONES:
            if note.isupper() and note != "I" and not match["acc"]:
                found.key_error = f"unknown key {match[0].strip()!r}: notes run from A to G"
                return
            continue
        if note == "a" and (match["after"] or not re.search(r"\bin\s+$", found.rest[: match.start()])):
            continue  # "a minor key", "a major hit": the article, not the note
        found.tonic, found.mode = _tonic(note, match["acc"]), _MODE_WORDS[match["mode"].lower()]
        found.take(match, "key")
        return
    for match in _KEY_BARE.finditer(found.rest):
        note, is_in = match["note"], match["intro"].lower() == "in"
        if is_in and not note.isupper():
            continue
        if note.lower() not in _NOTE_SEMITONES:
            if not is_in:
                found.key_error = f"unknown key {note!r}: notes run from A to G"
                return
            continue
        if is_in and note == "A" and not match["acc"] and not match["m"]:
            following = re.match(r"\s*([A-Za-z]*)", found.rest[match.end() :])[1].lower()
            if following and following not in _CONNECTORS:
                continue  # "in A dark room"
        found.tonic = _tonic(note, match["acc"])
        found.mode = "minor" if match["m"] else None
        found.take(match, "key")
        break
    if found.mode is None and (match := _MODE_ONLY.search(found.rest)):
        found.mode = (match["mode"] or match["m2"]).lower()
        found.take(match, "mode")
