"""Notes as sample-indexed arrays, and the overlap-add that places rendered notes into a buffer."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from ..score import Note


@dataclass(frozen=True)
class NoteEvents:
    """A part's notes in samples: parallel arrays, in the order the part lists them."""

    start: np.ndarray  # int64, first sample of the note
    length: np.ndarray  # int64, held samples (at least 1)
    pitch: np.ndarray  # int64 MIDI note number
    velocity: np.ndarray  # int64 1..127

    def __len__(self) -> int:
        return int(self.start.shape[0])


def note_events(notes: list[Note], sample_rate: int) -> NoteEvents:
    """Convert score notes (seconds) to sample positions; negative starts are clamped to 0."""
    if not notes:
        empty = np.zeros(0, dtype=np.int64)
        return NoteEvents(empty, empty, empty, empty)
    start = np.array([n.start for n in notes], dtype=np.float64)
    dur = np.array([n.duration for n in notes], dtype=np.float64)
    start_s = np.maximum(np.round(start * sample_rate), 0).astype(np.int64)
    length = np.maximum(np.round(dur * sample_rate), 1).astype(np.int64)
    pitch = np.clip(np.array([n.pitch for n in notes], dtype=np.int64), 0, 127)
    velocity = np.clip(np.array([n.velocity for n in notes], dtype=np.int64), 1, 127)
    return NoteEvents(start_s, length, pitch, velocity)


def stable_seed(*names: str | int) -> list[int]:
    """A numpy seed sequence from stable values (crc32 of strings), never Python's salted hash()."""
    return [zlib.crc32(n.encode()) if isinstance(n, str) else int(n) & 0xFFFFFFFF for n in names]


class StemBuffer:
    """Where a part's notes land: `main` (2, n) is the stem itself, `tail` (2, t) catches whatever rings
    on past its end (folded back onto the start in a loop, dropped otherwise). Keeping them apart
    means the stem never has to be copied out of a longer buffer."""

    def __init__(self, n: int, tail: int) -> None:
        self.main = np.zeros((2, n), dtype=np.float32)
        self.tail = np.zeros((2, max(tail, 0)), dtype=np.float32)

    def add(self, start: int, wave: np.ndarray) -> None:
        """Add `wave` (channels, m) at sample `start`; what falls past main and tail is cut."""
        n = self.main.shape[-1]
        end = start + wave.shape[-1]
        if start < n:
            stop = min(end, n)
            self.main[:, start:stop] += wave[..., : stop - start]
        if end > n:
            lo = max(start, n)
            hi = min(end, n + self.tail.shape[-1])
            if hi > lo:
                self.tail[:, lo - n : hi - n] += wave[..., lo - start : hi - start]

    def trim_tail(self) -> None:
        """Drop the silent end of the tail, so the reverb does not convolve seconds of zeros."""
        if self.tail.shape[-1]:
            loud = np.flatnonzero(np.abs(self.tail).max(axis=0) > 0.0)
            self.tail = self.tail[:, : int(loud[-1]) + 1 if loud.size else 0]
