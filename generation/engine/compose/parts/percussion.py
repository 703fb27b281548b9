"""Percussion: hand percussion grooves (GM keys), taiko ostinati and timpani (both pitched)."""

from __future__ import annotations

from generation.engine.compose.common import BarCtx, Ev
from generation.engine.compose.material import Material
from generation.engine.compose.parts.grooves import lane_events, percussion_lanes
from generation.engine.compose.theory import place_in_range

# Taiko strokes per bar, by meter and energy tier (offsets in beats).
_TAIKO = {
    4: ((0.0,), (0.0, 1.5, 2.0), (0.0, 0.75, 1.5, 2.0, 3.0, 3.5)),
    3: ((0.0,), (0.0, 2.0), (0.0, 1.0, 2.0, 2.5)),
    6: ((0.0,), (0.0, 3.0), (0.0, 2.0, 3.0, 5.0)),
}


def percussion_bar(ctx: BarCtx, mat: Material, instrument: str) -> list[Ev]:
    """One bar of the percussion part for its instrument."""
    if instrument == "taiko":
        return _taiko(ctx, mat)
    if instrument == "timpani":
        return _timpani(ctx, mat)
    family = mat.style.percussion
    floor = 0.15 if family == "world" else 0.2 if family == "folk" else 0.3
    if ctx.energy < floor or (ctx.section.name == "intro" and ctx.energy < 0.35 and family != "world"):
        return []
    out = []
    for lane in percussion_lanes(family, mat.beats_per_bar):
        for off, key, vel in lane_events(lane, ctx.pos, ctx.energy, mat.beats_per_bar):
            out.append(Ev(ctx.bar.start + off, 0.25, key, vel))
    return out


def _tier(energy: float) -> int:
    return 0 if energy < 0.5 else 1 if energy < 0.75 else 2


def _taiko(ctx: BarCtx, mat: Material) -> list[Ev]:
    if ctx.energy < 0.3:
        return []
    low = place_in_range(mat.tonic, 36, 47)
    strokes = _TAIKO.get(mat.beats_per_bar, _TAIKO[4])[_tier(ctx.energy)]
    out = [
        Ev(ctx.bar.start + off, 1.0, low if i % 3 != 2 else low + 7, 118 if off == 0 else 92)
        for i, off in enumerate(strokes)
    ]
    if ctx.section.name == "build" and ctx.last_in_section:
        half = ctx.bar.beats / 2
        out = [e for e in out if e.beat < ctx.bar.start + half]
        count = int(half / 0.25)
        out += [
            Ev(ctx.bar.start + half + i * 0.25, 0.5, low + 7, 70 + 45 * i // max(1, count - 1))
            for i in range(count)
        ]
    return out


def _timpani(ctx: BarCtx, mat: Material) -> list[Ev]:
    chord = ctx.chords[0].spec
    root = place_in_range(chord.root, 40, 51)
    fifth = place_in_range(chord.fifth, 38, 49)
    start, beats = ctx.bar.start, ctx.bar.beats
    if ctx.section.name == "build" and ctx.section.n_bars - ctx.pos <= 2:
        # a rolled crescendo on the dominant pedal into the next section
        count = int(beats / 0.25)
        base = 55 if not ctx.last_in_section else 80
        return [Ev(start + i * 0.25, 0.3, fifth, base + 35 * i // max(1, count - 1)) for i in range(count)]
    if ctx.energy < 0.45 and ctx.pos != 0:
        return []
    # a heartbeat on the felt beat once the music moves: the root, the fifth leading into the next bar
    pulse = 3.0 if mat.beats_per_bar == 6 else 1.0
    strokes = [0.0] if ctx.energy < 0.5 else [i * pulse for i in range(int(beats / pulse + 1e-9))]
    return [
        Ev(
            start + off,
            min(1.5, pulse),
            fifth if 0 < i == len(strokes) - 1 else root,
            (100 if ctx.energy >= 0.6 else 80) - (0 if i == 0 else 14),
        )
        for i, off in enumerate(strokes)
    ]
