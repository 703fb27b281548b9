"""The composer: Brief + seed -> Score (sections, tempo map, chords and parts as timed notes).

compose(brief, seed) is the full cue; compose_cut(brief, seed, seconds) an alternate-length edit of
the same material with its own ending; compose_loop(brief, seed) a seamless loop of the main groove.
The material (themes, progressions, grooves, instrumentation) depends only on the brief's musical
fields and the seed, so the three share it.
"""

from __future__ import annotations

from dataclasses import replace

from generation.engine.brief import BPM_MAX, BPM_MIN, DURATION_MAX, METERS, MODES, PITCH_CLASSES, Brief
from generation.engine.compose.arrange import arrange, loop_timeline
from generation.engine.compose.form import RING_MIN_S, plan_timeline
from generation.engine.compose.material import draw_material
from generation.engine.compose.styles import STYLES
from generation.engine.errors import BriefError
from generation.engine.score import Score

__all__ = ["compose", "compose_cut", "compose_loop", "loop_bar_count"]

MIN_LENGTH_S = 2 * RING_MIN_S
LOOP_SECONDS = (8.0, 20.0)


def compose(brief: Brief, seed: int) -> Score:
    """The full cue for (brief, seed): `score.length_s == brief.duration_s` exactly."""
    _check(brief, brief.duration_s)
    material = draw_material(brief, seed)
    timeline = plan_timeline(
        bpm=float(brief.bpm),
        beats_per_bar=brief.beats_per_bar,
        length_s=float(brief.duration_s),
        hits=tuple(brief.hits),
        energy=brief.energy,
    )
    return arrange(material, timeline, key=brief.key, meter=brief.meter)


def compose_cut(brief: Brief, seed: int, duration_s: float) -> Score:
    """An alternate-length edit of compose(brief, seed): same material, arranged for `duration_s`
    with its own cadence and final chord, and without hit points."""
    _check(brief, duration_s)
    return compose(replace(brief, duration_s=float(duration_s), hits=()), seed)


def compose_loop(brief: Brief, seed: int) -> Score:
    """A seamless loop of the main groove: whole bars (4, 8 or 16), no intro, no ending.

    `length_s` is exactly those bars at the nominal tempo; notes may ring past it (the renderer folds
    them back onto the start).
    """
    _check(brief, MIN_LENGTH_S)
    material = draw_material(brief, seed)
    bars = loop_bar_count(float(brief.bpm), brief.beats_per_bar)
    timeline = loop_timeline(material, bars=bars, energy=brief.energy)
    return arrange(material, timeline, key=brief.key, meter=brief.meter, loop=True)


def loop_bar_count(bpm: float, beats_per_bar: int) -> int:
    """8 bars when they last 8-20 s, else 4 or 16 (whichever lands in or nearest that window)."""
    bar_s = beats_per_bar * 60.0 / bpm
    lo, hi = LOOP_SECONDS

    def miss(n: int) -> float:
        length = n * bar_s
        return max(0.0, lo - length, length - hi)

    return min((8, 4, 16), key=lambda n: (miss(n), (8, 4, 16).index(n)))


def _check(brief: Brief, duration_s: float) -> None:
    if brief.genre not in STYLES:
        raise BriefError("genre", f"unknown genre {brief.genre!r}")
    if brief.key not in PITCH_CLASSES:
        raise BriefError("key", f"unknown key {brief.key!r}")
    if brief.mode not in MODES:
        raise BriefError("mode", f"unknown mode {brief.mode!r}")
    if brief.meter not in METERS:
        raise BriefError("meter", f"unsupported meter {brief.meter!r}")
    if not BPM_MIN <= float(brief.bpm) <= BPM_MAX:
        raise BriefError("bpm", f"tempo {brief.bpm} is outside {BPM_MIN:g}-{BPM_MAX:g}")
    if not MIN_LENGTH_S <= float(duration_s) <= DURATION_MAX:
        raise BriefError(
            "duration", f"duration {duration_s} s is outside {MIN_LENGTH_S:g}-{DURATION_MAX:g} s"
        )
