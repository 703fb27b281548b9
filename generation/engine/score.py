"""The Score: a composition as timed note events per part, before any sound is made.

Times are in seconds from the start of the cue (the tempo map is already applied), so the renderer
never needs to know about tempo. Beats are kept beside them for the MIDI export.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Note:
    start: float  # seconds
    duration: float  # seconds
    pitch: int  # MIDI note number; for drum parts a General MIDI percussion key
    velocity: int  # 1..127


@dataclass
class Part:
    """One instrument line, rendered into one stem named after `name`."""

    name: str  # stem name: drums, percussion, bass, harmony, melody, texture, impacts ...
    instrument: str  # one of brief.INSTRUMENTS
    notes: list[Note] = field(default_factory=list)
    gain_db: float = 0.0  # static mix level, applied before the master
    pan: float = 0.0  # -1 left .. +1 right
    reverb: float = 0.2  # send amount 0..1 (each stem carries its own reverb so stems sum to the mix)
    sidechain: float = 0.0  # 0..1 depth of ducking under the kick (house, synthwave)


@dataclass(frozen=True)
class Section:
    name: str  # intro, a, b, build, climax, breakdown, outro, ending ...
    start: float  # seconds
    end: float  # seconds
    start_beat: float
    bars: int
    energy: float  # 0..1, drives density and dynamics


@dataclass(frozen=True)
class Chord:
    start: float  # seconds
    end: float  # seconds
    symbol: str  # e.g. "Dm", "Bb", "A7", "Fmaj7"
    root: int  # pitch class
    pitches: tuple[int, ...]  # MIDI pitches of a close voicing around middle C


@dataclass(frozen=True)
class TempoSegment:
    """From `start` seconds (= `start_beat`) on, each beat lasts `seconds_per_beat`."""

    start: float
    start_beat: float
    seconds_per_beat: float

    @property
    def bpm(self) -> float:
        return 60.0 / self.seconds_per_beat


@dataclass
class Score:
    length_s: float  # exact length of the audio to render, seconds
    bpm: float  # nominal tempo of the brief (segments may be nudged by up to 3 % for hit points)
    key: str
    mode: str
    meter: str
    tempo: list[TempoSegment]
    sections: list[Section]
    chords: list[Chord]
    parts: list[Part]
    hits: tuple[float, ...] = ()
    loop: bool = False  # if True the renderer folds tails past length_s back onto the start

    def beat_to_time(self, beat: float) -> float:
        seg = self.tempo[0]
        for candidate in self.tempo:
            if candidate.start_beat <= beat:
                seg = candidate
        return seg.start + (beat - seg.start_beat) * seg.seconds_per_beat

    def time_to_beat(self, t: float) -> float:
        seg = self.tempo[0]
        for candidate in self.tempo:
            if candidate.start <= t:
                seg = candidate
        return seg.start_beat + (t - seg.start) / seg.seconds_per_beat

    def part(self, name: str) -> Part | None:
        return next((p for p in self.parts if p.name == name), None)
