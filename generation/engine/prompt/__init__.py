"""Prompt text (and explicit parameters) -> Brief.

Numbers and keys written in the prompt ("92 bpm", "in D minor", "45 seconds") are read exactly; the
other words are mapped by meaning onto the vocabulary's genres, moods and instruments, with sentence
embeddings when they are installed and a lexical matcher otherwise. Parameters beat the prompt text,
and explicit text beats anything inferred.
"""

from __future__ import annotations

import zlib

import numpy as np

from ..brief import ENERGIES, GENRES, METERS, Brief
from ..errors import BriefError
from ..vocabulary import GENRE_PROFILES
from .explicit import _read_explicit
from .instruments import _arrange, _read_instruments
from .meaning import Meaning, _match, embedding_match, lexical_match, matcher_name
from .values import (
    _check_bpm,
    _check_choice,
    _check_duration,
    _check_hits,
    _check_instruments,
    _check_mode,
    _check_prompt,
    _hit_list,
    _number,
    _seconds,
    parse_key,
    parse_seconds,
)

__all__ = [
    "DEFAULT_DURATION_S",
    "OVERRIDES",
    "Meaning",
    "embedding_match",
    "lexical_match",
    "matcher_name",
    "parse_key",
    "parse_prompt",
    "parse_seconds",
]

OVERRIDES = ("bpm", "key", "mode", "duration", "energy", "hits", "genre", "meter", "instruments")
DEFAULT_DURATION_S = 60.0
FROM_PROMPT = " (from the prompt)"
ENERGY_BANDS = {"low": (0.0, 0.3), "medium": (0.4, 0.6), "high": (0.7, 1.0)}


def parse_prompt(text: str, **overrides: object) -> Brief:
    """Resolve a prompt and optional explicit parameters into a Brief.

    Overrides: bpm, key, mode, duration, energy, hits, genre, meter, instruments. A None override counts
    as not given. Raises BriefError naming the field for any value that cannot be used.
    """
    unknown = sorted(set(overrides) - set(OVERRIDES))
    if unknown:
        raise TypeError(f"parse_prompt() got an unexpected keyword argument {unknown[0]!r}")
    given = {name: value for name, value in overrides.items() if value is not None}
    prompt = _check_prompt(text)
    found = _read_explicit(prompt)
    parts = _read_instruments(found.rest)
    meaning = _match(parts.rest)
    explicit: set[str] = set(found.explicit) | set(given)

    genre = _check_choice("genre", given["genre"], GENRES) if "genre" in given else meaning.genre
    profile = GENRE_PROFILES[genre]

    tonic, mode, key_mode = found.tonic, found.mode, None
    if "key" in given:
        tonic, key_mode = parse_key(str(given["key"]))
        mode = key_mode or mode
    elif found.key_error:
        raise BriefError("key", found.key_error)
    if "mode" in given:
        mode = _check_mode(given["mode"])
        if "key" in given and key_mode and key_mode != mode:
            raise BriefError("mode", f"mode {given['mode']!r} contradicts key {given['key']!r}")
    if mode is None:
        mode = "minor" if meaning.valence < -0.05 else "major" if meaning.valence > 0.05 else profile.mode
    else:
        explicit.add("mode")
    if tonic is None:
        keys = profile.minor_keys if mode == "minor" else profile.major_keys
        tonic = keys[zlib.crc32(" ".join(prompt.lower().split()).encode()) % len(keys)]

    if "meter" in given:
        meter = _check_choice("meter", given["meter"], METERS)
    elif found.meter_error:
        raise BriefError("meter", found.meter_error)
    else:
        meter = found.meter or found.meter_hint or profile.meters[0]

    arousal = meaning.arousal
    energy = _check_choice("energy", given["energy"], ENERGIES) if "energy" in given else found.energy
    if energy is None:
        energy = "low" if arousal < 0.36 else "high" if arousal >= 0.64 else "medium"
    else:
        arousal = float(np.clip(arousal, *ENERGY_BANDS[energy]))

    if "bpm" in given:
        bpm = _check_bpm(_number(given["bpm"], "bpm", "tempo"))
    elif found.bpm is not None:
        bpm = _check_bpm(found.bpm, FROM_PROMPT)
    else:
        low, high = profile.bpm_range
        bpm = float(round(low + arousal * (high - low)))

    if "duration" in given:
        duration = _check_duration(_seconds(given["duration"], "duration"))
    elif found.duration is not None:
        duration = _check_duration(found.duration, FROM_PROMPT)
    else:
        duration = DEFAULT_DURATION_S
    hits = _check_hits(_hit_list(given["hits"]) if "hits" in given else found.hits, duration)

    if "instruments" in given:
        instruments = _check_instruments(given["instruments"])
    else:
        instruments = _arrange(profile.instruments, parts, meaning.instruments, genre)

    fields = ("genre", "bpm", "key", "mode", "meter", "duration_s", "instruments", "energy", "hits")
    explicit = {"duration_s" if name == "duration" else name for name in explicit}
    return Brief(
        prompt=prompt,
        genre=genre,
        moods=meaning.moods,
        bpm=float(bpm),
        key=tonic,
        mode=mode,
        meter=meter,
        duration_s=float(duration),
        instruments=instruments,
        energy=energy,
        hits=hits,
        valence=round(meaning.valence, 3),
        arousal=round(arousal, 3),
        explicit=tuple(name for name in fields if name in explicit),
    )
