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


HI_HAT_KEYS = (42, 44, 46)  # GM closed, pedal and open hi-hat: one cymbal pair, each hit chokes the last
CHOKE_FADE_S = 0.01


def choke_limits(events: NoteEvents) -> np.ndarray:
    """For each hit, the samples until the next hi-hat hit if it is a hi-hat (it is cut off there, as
    a closed hi-hat stops an open one ringing), else -1."""
    limit = np.full(len(events), -1, dtype=np.int64)
    hats = np.flatnonzero(np.isin(events.pitch, HI_HAT_KEYS))
    if hats.size > 1:
        order = hats[np.argsort(events.start[hats], kind="stable")]
        gaps = events.start[order[1:]] - events.start[order[:-1]]
        limit[order[:-1]] = np.where(gaps > 0, gaps, -1)
    return limit


def choke(wave: np.ndarray, limit: int, sample_rate: int) -> np.ndarray:
    """`wave` cut at `limit` samples with a short fade (in place when it fits), or unchanged."""
    if limit < 0 or limit >= wave.shape[-1]:
        return wave
    fade = max(int(CHOKE_FADE_S * sample_rate), 1)
    end = min(limit + fade, wave.shape[-1])
    wave[..., limit:end] *= np.linspace(1.0, 0.0, fade, dtype=np.float32)[: end - limit]
    return wave[..., :end]


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
