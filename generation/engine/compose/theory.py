"""Scales, chord numerals, chord spelling and voice leading: the harmony vocabulary of the composer."""

from __future__ import annotations

import re
from dataclasses import dataclass

SCALES: dict[str, tuple[int, ...]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "lydian": (0, 2, 4, 6, 7, 9, 11),
}

SHARP_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
FLAT_NAMES = ("C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B")
# Major keys written with flats (F, Bb, Eb, Ab, Db); a minor key is spelled like its relative major.
_FLAT_MAJOR_TONICS = {5, 10, 3, 8, 1}

_NUMERAL = re.compile(
    r"^(?P<acc>[b#]?)(?P<num>VII|VI|V|IV|III|II|I|vii|vi|v|iv|iii|ii|i)"
    r"(?P<q>°|ø|m7b5|maj9|maj7|add9|sus2|sus4|7|9|6|5)?$"
)
_DEGREE = {"I": 0, "II": 1, "III": 2, "IV": 3, "V": 4, "VI": 5, "VII": 6}

# (intervals, symbol suffix) for upper-case (major) and lower-case (minor) numerals
_MAJOR_QUALITIES = {
    "": ((0, 4, 7), ""),
    "7": ((0, 4, 7, 10), "7"),
    "maj7": ((0, 4, 7, 11), "maj7"),
    "9": ((0, 4, 7, 10, 14), "9"),
    "maj9": ((0, 4, 7, 11, 14), "maj9"),
    "6": ((0, 4, 7, 9), "6"),
    "add9": ((0, 4, 7, 14), "add9"),
}
_MINOR_QUALITIES = {
    "": ((0, 3, 7), "m"),
    "7": ((0, 3, 7, 10), "m7"),
    "maj7": ((0, 3, 7, 11), "mMaj7"),
    "9": ((0, 3, 7, 10, 14), "m9"),
    "maj9": ((0, 3, 7, 11, 14), "mMaj9"),
    "6": ((0, 3, 7, 9), "m6"),
    "add9": ((0, 3, 7, 14), "madd9"),
}
_SHARED_QUALITIES = {
    "sus2": ((0, 2, 7), "sus2"),
    "sus4": ((0, 5, 7), "sus4"),
    "5": ((0, 7), "5"),
    "°": ((0, 3, 6), "dim"),
    "ø": ((0, 3, 6, 10), "m7b5"),
    "m7b5": ((0, 3, 6, 10), "m7b5"),
}


@dataclass(frozen=True)
class ChordSpec:
    """A chord in a key: its root pitch class, its intervals above the root, and its printed symbol."""

    numeral: str
    root: int
    intervals: tuple[int, ...]
    symbol: str

    @property
    def pitch_classes(self) -> tuple[int, ...]:
        """Distinct pitch classes, root first."""
        seen: list[int] = []
        for interval in self.intervals:
            pc = (self.root + interval) % 12
            if pc not in seen:
                seen.append(pc)
        return tuple(seen)

    @property
    def third(self) -> int | None:
        """Pitch class of the chord's third, if it has one."""
        for interval in (4, 3):
            if interval in self.intervals:
                return (self.root + interval) % 12
        return None

    @property
    def fifth(self) -> int:
        """Pitch class of the chord's fifth (the diminished fifth for dim chords)."""
        for interval in (7, 6, 8):
            if interval in self.intervals:
                return (self.root + interval) % 12
        return (self.root + 7) % 12


def uses_flats(tonic: int, mode: str) -> bool:
    """Whether chord symbols in this key are spelled with flats."""
    major_tonic = tonic if mode == "major" else (tonic + 3) % 12
    return major_tonic in _FLAT_MAJOR_TONICS


def note_name(pc: int, flats: bool) -> str:
    """The name of a pitch class in the key's spelling."""
    return (FLAT_NAMES if flats else SHARP_NAMES)[pc % 12]


def parse_numeral(token: str, tonic: int, scale: tuple[int, ...], flats: bool) -> ChordSpec:
    """A roman numeral relative to `scale` ("VI" in minor is the flat sixth) as a chord in the key.

    Upper case is a major chord, lower case minor; suffixes: 7, maj7, 9, maj9, 6, add9, sus2, sus4,
    5 (power chord), ° (diminished), ø or m7b5 (half-diminished).
    """
    match = _NUMERAL.match(token)
    if match is None:
        raise ValueError(f"not a chord numeral: {token!r}")
    numeral = match["num"]
    quality = match["q"] or ""
    shift = {"b": -1, "#": 1, "": 0}[match["acc"]]
    root = (tonic + scale[_DEGREE[numeral.upper()]] + shift) % 12
    if quality in _SHARED_QUALITIES:
        intervals, suffix = _SHARED_QUALITIES[quality]
    elif numeral.isupper():
        intervals, suffix = _MAJOR_QUALITIES[quality]
    else:
        intervals, suffix = _MINOR_QUALITIES[quality]
    return ChordSpec(token, root, intervals, note_name(root, flats) + suffix)


def degree_to_pitch(degree: int, tonic_midi: int, scale: tuple[int, ...]) -> int:
    """MIDI pitch of a scale degree counted from the tonic at `tonic_midi` (degree 7 is an octave up)."""
    octave, step = divmod(degree, len(scale))
    return tonic_midi + 12 * octave + scale[step]


def chord_scale(scale_pcs: tuple[int, ...], chord_pcs: tuple[int, ...]) -> tuple[int, ...]:
    """The key's scale bent to agree with a chord that borrows a note (the leading tone over V in minor)."""
    out = []
    for i, pc in enumerate(scale_pcs):
        if pc in chord_pcs or i in (0, 4):  # the tonic and fifth of the key never bend
            out.append(pc)
        elif (pc + 1) % 12 in chord_pcs and (pc + 1) % 12 not in scale_pcs:
            out.append((pc + 1) % 12)
        elif (pc - 1) % 12 in chord_pcs and (pc - 1) % 12 not in scale_pcs:
            out.append((pc - 1) % 12)
        else:
            out.append(pc)
    return tuple(out)


def nearest_pitch_with_pc(pitch: int, pcs: tuple[int, ...] | set[int], direction: int = 0) -> int:
    """The pitch closest to `pitch` whose class is in `pcs`; ties go the way of `direction`."""
    best, best_key = pitch, None
    for candidate in range(pitch - 6, pitch + 7):
        if candidate % 12 in pcs:
            distance = abs(candidate - pitch)
            tie = 0 if direction == 0 else (0 if (candidate - pitch) * direction >= 0 else 1)
            key = (distance, tie, candidate)
            if best_key is None or key < best_key:
                best, best_key = candidate, key
    return best


def place_in_range(pc: int, low: int, high: int) -> int:
    """The lowest pitch of class `pc` at or above `low` (folded down if it passes `high`)."""
    pitch = low + (pc - low) % 12
    while pitch > high:
        pitch -= 12
    return pitch


def close_voicings(pcs: tuple[int, ...], low: int, high: int) -> list[tuple[int, ...]]:
    """Every inversion of the chord in close position that fits between `low` and `high`."""
    out = []
    for inversion in range(len(pcs)):
        order = pcs[inversion:] + pcs[:inversion]
        for bottom in range(low, low + 12):
            if bottom % 12 != order[0]:
                continue
            for octave_up in (0, 12):
                notes = [bottom + octave_up]
                for pc in order[1:]:
                    notes.append(notes[-1] + (pc - notes[-1]) % 12 or 12)
                if notes[-1] <= high:
                    out.append(tuple(notes))
    return out


def voice_lead(
    previous: tuple[int, ...] | None,
    pcs: tuple[int, ...],
    low: int = 55,
    high: int = 76,
    center: float = 64.0,
) -> tuple[int, ...]:
    """The close voicing of `pcs` that moves least from `previous` (or sits nearest `center` at the start)."""
    if len(pcs) >= 5:
        pcs = tuple(pc for pc in pcs if pc != pcs[2])  # five notes crowd a close voicing: drop the fifth
    candidates = close_voicings(pcs, low, high) or [tuple(place_in_range(pc, low, high + 12) for pc in pcs)]

    def cost(voicing: tuple[int, ...]) -> float:
        drift = abs(sum(voicing) / len(voicing) - center)
        if previous is None:
            return drift
        moves = sum(min(abs(a - b) for b in previous) for a in voicing)
        moves += sum(min(abs(a - b) for a in voicing) for b in previous)
        return moves + 0.25 * drift

    return min(candidates, key=lambda v: (cost(v), v))


def power_voicing(root: int, low: int = 40) -> tuple[int, ...]:
    """Root, fifth and octave from the lowest root at or above `low`: a guitar power chord."""
    bottom = place_in_range(root, low, low + 11)
    return (bottom, bottom + 7, bottom + 12)
