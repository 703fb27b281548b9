"""Shared building blocks of the composer: seeded random streams and the beat-time event types."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from generation.engine.compose.theory import ChordSpec


def stream(seed: int, name: str, *extra: int) -> np.random.Generator:
    """An independent random stream for one purpose, reproducible across processes and platforms.

    Named streams keep choices independent: drawing one more motif note never changes the groove.
    """
    return np.random.default_rng(
        [int(seed) & 0xFFFFFFFF, zlib.crc32(name.encode()), *(int(x) for x in extra)]
    )


class Ev(NamedTuple):
    """A note in beats (before the tempo map); `fixed` notes are never humanised or swung."""

    beat: float
    dur: float
    pitch: int
    vel: int
    fixed: bool = False


@dataclass(frozen=True)
class Bar:
    index: int
    start: float  # beat
    beats: float  # usually the meter's beats per bar; shorter before a hit point


@dataclass(frozen=True)
class SectionPlan:
    """A section in beats, before the tempo map turns it into seconds."""

    name: str
    energy: float
    first_bar: int
    n_bars: int
    occurrence: int  # how many sections of this name came before
    hit_start: bool = False


@dataclass(frozen=True)
class ChordEvent:
    start: float  # beat
    dur: float  # beats
    spec: ChordSpec
    voicing: tuple[int, ...]  # close voicing around middle C, voice-led from the previous chord
    tied: bool = False  # the same chord as the one before: sustained parts keep holding it
    held: float = 0.0  # beats until this harmony changes (spans bar lines)

    @property
    def sustain(self) -> float:
        """How long a note struck at this chord may ring before the harmony changes."""
        return max(self.dur, self.held)


@dataclass(frozen=True)
class BarCtx:
    """Everything a part needs to write one bar."""

    bar: Bar
    section: SectionPlan
    pos: int  # bar index inside the section
    chords: tuple[ChordEvent, ...]  # the chords sounding in this bar, in order
    next_root: int  # root pitch class of the chord after this bar
    next_energy: float | None  # energy of the following section; None when the cue ends or loops
    final: bool  # the last bar before the final chord
    section_end: float  # beat where the section ends

    @property
    def energy(self) -> float:
        """The section's energy, 0..1."""
        return self.section.energy

    @property
    def last_in_section(self) -> bool:
        """Whether this is the section's last bar."""
        return self.pos == self.section.n_bars - 1

    def chord_at(self, offset: float) -> ChordEvent:
        """The chord sounding `offset` beats into the bar."""
        current = self.chords[0]
        for chord in self.chords:
            if chord.start <= self.bar.start + offset + 1e-9:
                current = chord
        return current


def pulse_beats(beats_per_bar: int) -> float:
    """The felt beat in beats: a dotted quarter (three eighths) in 6/8, else one beat."""
    return 3.0 if beats_per_bar == 6 else 1.0


def sub_beats(beats_per_bar: int) -> float:
    """The eighth note in beats (the beat itself in 6/8, where beats are eighths)."""
    return 1.0 if beats_per_bar == 6 else 0.5
