"""From beats to seconds: the tempo map, swing and seeded humanisation."""

from __future__ import annotations

import numpy as np

from generation.engine.compose.common import Ev
from generation.engine.compose.material import Material
from generation.engine.score import Note, TempoSegment

MONOPHONIC = {"melody"}
_ROLE_OFFSET = {"drums": 0, "percussion": 11, "bass": 23, "harmony": 37, "melody": 41, "texture": 53}
_TIMING_SCALE = {"drums": 0.5, "percussion": 0.7, "bass": 0.6, "harmony": 1.0, "melody": 1.0, "texture": 0.5}


def beats_to_seconds(tempo: list[TempoSegment], beats: np.ndarray) -> np.ndarray:
    """Seconds for an array of beat positions under a piecewise-constant tempo map."""
    starts = np.array([seg.start_beat for seg in tempo])
    index = np.clip(np.searchsorted(starts, beats, side="right") - 1, 0, len(tempo) - 1)
    seg_start = np.array([seg.start for seg in tempo])[index]
    seg_spb = np.array([seg.seconds_per_beat for seg in tempo])[index]
    return seg_start + (beats - starts[index]) * seg_spb


def swing_beats(beats: np.ndarray, ratio: float, unit: float) -> np.ndarray:
    """Delay every second `unit` of each pair so the pair divides `ratio` : 1 - ratio."""
    if abs(ratio - 0.5) < 1e-9:
        return beats
    phase = np.mod(beats, 2 * unit)
    offbeat = np.abs(phase - unit) < 1e-6
    return np.where(offbeat, beats + unit * (2 * ratio - 1), beats)


def perform(
    role: str, events: list[Ev], tempo: list[TempoSegment], mat: Material, swing: bool = True
) -> list[Note]:
    """Notes in seconds: swung, then humanised where the genre plays by hand, fixed notes untouched."""
    if not events:
        return []
    beats = np.array([e.beat for e in events], dtype=float)
    ends = beats + np.array([e.dur for e in events], dtype=float)
    fixed = np.array([e.fixed for e in events], dtype=bool)
    style = mat.style
    played = beats
    if swing and mat.beats_per_bar != 6:
        played = np.where(fixed, beats, swing_beats(beats, mat.swing, style.swing_unit))
    starts = beats_to_seconds(tempo, played)
    played_ends = ends
    if swing and mat.beats_per_bar != 6:
        played_ends = np.where(fixed, ends, swing_beats(ends, mat.swing, style.swing_unit))
    stops = beats_to_seconds(tempo, played_ends)
    velocities = np.array([e.vel for e in events], dtype=float)
    if style.humanise_ms > 0 and not style.electronic:
        offset = _ROLE_OFFSET.get(role, 0)
        pattern_t = np.array(mat.hum_time)
        pattern_v = np.array(mat.hum_vel)
        index = (np.arange(len(events)) + offset) % len(pattern_t)
        shift = style.humanise_ms / 1000.0 * _TIMING_SCALE.get(role, 1.0) * pattern_t[index]
        starts = np.where(fixed, starts, np.maximum(0.0, starts + shift))
        velocities = np.where(fixed, velocities, velocities + np.round(style.humanise_vel * pattern_v[index]))
    notes = []
    for i, event in enumerate(events):
        start = float(starts[i])
        duration = max(0.02, float(stops[i]) - start)
        if not fixed[i]:
            start, duration = round(start, 6), round(duration, 6)
        notes.append(Note(start, duration, int(event.pitch), int(np.clip(velocities[i], 1, 127))))
    notes.sort(key=lambda n: (n.start, n.pitch))
    if role in MONOPHONIC:
        notes = _legato_trim(notes)
    return notes


def _legato_trim(notes: list[Note]) -> list[Note]:
    """End each note of a single line before the next begins (humanised onsets may have moved them)."""
    out = []
    for i, note in enumerate(notes):
        nxt = next((n.start for n in notes[i + 1 :] if n.start > note.start + 1e-6), None)
        if nxt is not None and note.start + note.duration > nxt - 0.005:
            note = Note(note.start, round(max(0.02, nxt - 0.005 - note.start), 6), note.pitch, note.velocity)
        out.append(note)
    return out
