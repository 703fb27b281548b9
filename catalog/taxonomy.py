"""The vocabulary as the catalog files it: bit sets for facet filters and labels for people."""

from __future__ import annotations

from collections.abc import Iterable

from common.vocabulary import INSTRUMENTS, MOODS


def _bits(values: Iterable[str], vocabulary: tuple[str, ...]) -> int:
    mask = 0
    for value in values:
        mask |= 1 << vocabulary.index(value)
    return mask


def mood_bits(moods: Iterable[str]) -> int:
    return _bits(moods, MOODS)


def instrument_bits(instruments: Iterable[str]) -> int:
    return _bits(instruments, INSTRUMENTS)


def label(value: str) -> str:
    """A vocabulary word as people read it: "synth_bass" -> "Synth bass"."""
    return value.replace("_", " ").capitalize()
