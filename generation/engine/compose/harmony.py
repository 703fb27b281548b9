"""The chord timeline: progressions laid over the sections, cadences, voice-led voicings."""

from __future__ import annotations

from dataclasses import replace

from generation.engine.compose.common import Bar, ChordEvent, SectionPlan
from generation.engine.compose.material import Material, Step
from generation.engine.compose.theory import ChordSpec, voice_lead


def chord_timeline(
    material: Material, sections: list[SectionPlan], bars: list[Bar], cadence: bool
) -> list[list[tuple[float, float, str]]]:
    """For each bar, its chords as (offset, beats, numeral).

    Each section starts its progression from the top (B sections use the B progression); a build
    ends on the dominant; with `cadence` the last bars lead into the final tonic.
    """
    per_bar: list[list[tuple[float, float, str]]] = [[] for _ in bars]
    for section in sections:
        steps = material.prog_b if section.name == "b" else material.prog_a
        span = material.chord_bars
        for pos in range(section.n_bars):
            bar = bars[section.first_bar + pos]
            step = steps[(pos // span) % len(steps)]
            per_bar[bar.index] = _split(step, pos % span, span, bar.beats)
        if section.name == "build" and section.n_bars >= 2:
            last = bars[section.first_bar + section.n_bars - 1]
            per_bar[last.index] = [(0.0, last.beats, material.cadence[-1])]
    if cadence and bars:
        tokens = material.cadence[-min(len(material.cadence), max(1, len(bars) - 1)) :]
        for token, bar in zip(tokens, bars[-len(tokens) :], strict=True):
            per_bar[bar.index] = [(0.0, bar.beats, token)]
    return per_bar


def _split(step: Step, bar_in_step: int, span: int, beats: float) -> list[tuple[float, float, str]]:
    if len(step) == 1:
        return [(0.0, beats, step[0])]
    if span >= 2:
        return [(0.0, beats, step[min(bar_in_step * len(step) // span, len(step) - 1)])]
    half = beats / 2
    return [(0.0, half, step[0]), (half, beats - half, step[1])]


def voice_chords(
    material: Material,
    bars: list[Bar],
    per_bar: list[list[tuple[float, float, str]]],
    section_starts: set[int],
) -> list[list[ChordEvent]]:
    """ChordEvents per bar, each voiced with the smallest motion from the previous chord; a chord
    repeated within a section is tied to the one before it."""
    specs: dict[str, ChordSpec] = {}
    previous: tuple[int, ...] | None = None
    last: ChordEvent | None = None
    out: list[list[ChordEvent]] = []
    for bar, chords in zip(bars, per_bar, strict=True):
        events = []
        for offset, beats, numeral in chords:
            spec = specs.get(numeral)
            if spec is None:
                spec = specs[numeral] = material.chord(numeral)
            fresh = offset == 0 and bar.index in section_starts
            tied = last is not None and last.spec.numeral == numeral and not fresh
            voicing = last.voicing if tied else voice_lead(previous, spec.pitch_classes)
            previous = voicing
            last = ChordEvent(bar.start + offset, beats, spec, voicing, tied=tied)
            events.append(last)
        out.append(events)
    return _with_held(out)


def _with_held(per_bar: list[list[ChordEvent]]) -> list[list[ChordEvent]]:
    """Fill in how long each chord's harmony lasts across bar lines."""
    flat = [event for events in per_bar for event in events]
    held: dict[int, float] = {}
    end = None
    for i in range(len(flat) - 1, -1, -1):
        event = flat[i]
        if end is None or i + 1 >= len(flat) or not flat[i + 1].tied:
            end = event.start + event.dur
        held[i] = end - event.start
    out, i = [], 0
    for events in per_bar:
        row = []
        for event in events:
            row.append(replace(event, held=held[i]))
            i += 1
        out.append(row)
    return out


def final_chord(
    material: Material, previous: tuple[int, ...] | None, beat: float, beats: float
) -> ChordEvent:
    """The tonic chord the cue ends on, in the colour of the A progression's first chord."""
    spec = material.chord(material.prog_a[0][0])
    return ChordEvent(beat, beats, spec, voice_lead(previous, spec.pitch_classes))
