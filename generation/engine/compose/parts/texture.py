"""The texture part: pads and choirs holding chord tones, drones, sparkles, and long noise beds."""

from __future__ import annotations

from generation.engine.compose.common import BarCtx, ChordEvent, Ev
from generation.engine.compose.material import Material
from generation.engine.compose.theory import place_in_range

_SPARKLE = {"celesta", "glockenspiel", "kalimba"}


def texture_bar(ctx: BarCtx, mat: Material, instrument: str) -> list[Ev]:
    """One bar of texture; long notes start on section or chord boundaries."""
    if instrument == "noise_texture":
        return _noise(ctx)
    if instrument == "drone":
        return _drone(ctx, mat)
    if instrument in _SPARKLE:
        return _sparkle(ctx, mat)
    return _pad(ctx)


def _velocity(ctx: BarCtx) -> int:
    if ctx.section.name == "build":
        # re-struck every bar a little louder: the pad swells into the next section
        return int(45 + 55 * (ctx.pos + 1) / ctx.section.n_bars)
    return int(40 + 45 * ctx.energy)


def _noise(ctx: BarCtx) -> list[Ev]:
    if ctx.pos != 0:
        return []
    return [Ev(ctx.bar.start, ctx.section_end - ctx.bar.start, 60, int(45 + 35 * ctx.energy))]


def _drone(ctx: BarCtx, mat: Material) -> list[Ev]:
    if ctx.pos % 4 != 0:
        return []
    tonic = place_in_range(mat.tonic, 38, 49)
    length = min(ctx.section_end, ctx.bar.start + 4 * mat.beats_per_bar) - ctx.bar.start
    vel = _velocity(ctx)
    # tonic and octave: a drone's own overtones already sound the fifth
    return [Ev(ctx.bar.start, length, tonic, vel), Ev(ctx.bar.start, length, tonic + 12, vel - 12)]


def _pad(ctx: BarCtx) -> list[Ev]:
    out = []
    vel = _velocity(ctx)
    restrike = ctx.section.name == "build"
    for chord in ctx.chords:
        if chord.tied and not restrike:
            continue
        notes = pad_voicing(chord)
        length = chord.dur if restrike else chord.sustain
        out += [Ev(chord.start, length * 0.99, p, vel) for p in notes]
    return out


def pad_voicing(chord: ChordEvent) -> tuple[int, ...]:
    """An open voicing that leads with the root: root, then third (a tenth up) and fifth or seventh.

    Pads sustain the longest, so they spell the chord's core rather than its colour tones.
    """
    spec = chord.spec
    root = place_in_range(spec.root, 48, 59)
    upper = [pc for pc in (spec.third, spec.fifth) if pc is not None]
    if 10 in spec.intervals or 11 in spec.intervals:
        upper.append((spec.root + (10 if 10 in spec.intervals else 11)) % 12)
    return (root, *(place_in_range(pc, root + 12, root + 23) for pc in upper))


def _sparkle(ctx: BarCtx, mat: Material) -> list[Ev]:
    if ctx.energy < 0.35:
        return []
    half = {4: 2.0, 6: 3.0, 3: 1.0}[mat.beats_per_bar]
    out = []
    for i, off in enumerate(x * half for x in range(int(ctx.bar.beats / half))):
        chord = ctx.chord_at(off)
        top = sorted(chord.voicing)
        pitch = top[-1 - (i % 2)] + 12
        out.append(Ev(ctx.bar.start + off, half, pitch, int(45 + 35 * ctx.energy)))
    return out
