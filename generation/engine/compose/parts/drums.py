"""The drum kit: genre grooves gated by energy, fills into sections, build rolls, crashes, trap rolls."""

from __future__ import annotations

from generation.engine.compose.common import BarCtx, Ev, pulse_beats, stream
from generation.engine.compose.material import Material
from generation.engine.compose.parts.grooves import drum_lanes, lane_events

KICK, SNARE, CRASH = 36, 38, 49
TIME_KEEPERS = {42, 44, 46, 51, 70, 54}  # what still plays in an intro or breakdown
_TOM_FILL = (50, 48, 47, 45, 43, 41)
_ROLL_FAMILIES = {"pop", "house", "synthwave", "rock", "trap", "cinematic"}
_TOM_FAMILIES = {"pop", "rock", "folk", "cinematic", "world"}


def drum_mode(ctx: BarCtx, family: str) -> str:
    """How much of the kit a section uses: "full", "light" (time keepers only) or "none"."""
    name, energy = ctx.section.name, ctx.energy
    if name == "intro":
        return "light" if energy >= 0.36 or family == "house" else "none"
    if name == "breakdown":
        return "light" if energy >= 0.3 else "none"
    return "full"


def drum_bar(ctx: BarCtx, mat: Material) -> list[Ev]:
    """One bar of the kit."""
    family = mat.drum_family
    mode = drum_mode(ctx, family)
    if mode == "none":
        return []
    bpb = mat.beats_per_bar
    energy = ctx.energy
    hits: list[tuple[float, int, int]] = []
    for lane in drum_lanes(family, bpb, mat.groove_variant):
        if mode == "light" and lane[0] not in TIME_KEEPERS and not (family == "house" and lane[0] == KICK):
            continue
        hits.extend(lane_events(lane, ctx.pos, energy, bpb))
    rng = stream(mat.seed, "drums", ctx.bar.index)
    if mode == "full":
        if family == "trap" and energy >= 0.4 and bpb == 4:
            hits = _trap_roll(hits, rng)
        if family in ("jazz", "brush"):
            hits += _ghost_comping(rng, bpb, energy)
        hits = _fill_or_roll(ctx, family, bpb, hits)
        if ctx.pos == 0 and ctx.section.first_bar > 0 and energy >= 0.45 and not ctx.section.hit_start:
            hits.append((0.0, CRASH, 112))
    start = ctx.bar.start
    return [Ev(start + off, 0.25 if key != CRASH else 2.0, key, vel) for off, key, vel in sorted(hits)]


def _trap_roll(hits: list[tuple[float, int, int]], rng) -> list[tuple[float, int, int]]:
    """Replace one off-beat hat with a 1/32 (or triplet) roll, the trap signature."""
    if rng.random() > 0.65:
        return hits
    beat = float(rng.choice([1.0, 2.0, 3.0]))
    lo, hi = beat + 0.5, beat + 1.0
    kept = [h for h in hits if not (h[1] == 42 and lo - 1e-9 <= h[0] < hi - 1e-9)]
    if rng.random() < 0.7:
        roll = [(lo + k * 0.125, 42, 55 + 12 * k) for k in range(4)]
    else:
        roll = [(lo + k / 6, 42, 60 + 14 * k) for k in range(3)]
    return kept + roll


def _ghost_comping(rng, bpb: int, energy: float) -> list[tuple[float, int, int]]:
    """A jazz drummer's snare chatter: a few ghost notes on off-beats."""
    slots = [i * 0.5 for i in range(1, 2 * bpb) if i % 2 == 1]
    count = min(len(slots), 1 + int(energy * 2.5))
    chosen = rng.choice(len(slots), size=count, replace=False)
    out = [(slots[int(i)], SNARE, int(rng.integers(30, 52))) for i in chosen]
    if energy >= 0.75 and rng.random() < 0.4:
        out.append((slots[int(rng.integers(len(slots)))], SNARE, 88))
    return out


def _fill_or_roll(ctx: BarCtx, family: str, bpb: int, hits: list[tuple[float, int, int]]):
    beats = ctx.bar.beats
    section = ctx.section
    into_next = ctx.last_in_section and ctx.next_energy is not None
    if section.name == "build" and family in _ROLL_FAMILIES and section.n_bars - ctx.pos <= 2:
        step = 0.25 if ctx.last_in_section else 0.5
        return _with_region(hits, 0.0, beats, _roll(0.0, beats, step, 50 if step == 0.5 else 70, 120))
    if into_next and ctx.next_energy >= ctx.energy - 0.05 and ctx.energy >= 0.35:
        length = pulse_beats(bpb) * (2 if ctx.next_energy - ctx.energy > 0.2 and bpb == 4 else 1)
    elif ctx.pos % 8 == 7 and ctx.energy >= 0.6 and not ctx.last_in_section:
        length = 0.5 if bpb != 6 else 1.0
    else:
        return hits
    start = max(0.0, beats - length)
    if family in _TOM_FAMILIES:
        fill = [
            (start + i * 0.25, _TOM_FILL[min(i * 6 // max(1, int(length * 4)), 5)], 80 + 4 * i)
            for i in range(round(length / 0.25))
        ]
    elif family in ("house", "synthwave"):
        fill = _roll(start, beats, 0.25, 60, 110)
    elif family == "trap":
        fill = _roll(start, beats, 0.125, 50, 105)
    elif family in ("jazz", "brush"):
        fill = [(start + i * (length / 3), SNARE, 60 + 20 * i) for i in range(3)]
    else:
        return hits
    return _with_region(hits, start, beats, fill)


def _roll(start: float, end: float, step: float, v0: int, v1: int) -> list[tuple[float, int, int]]:
    count = max(1, round((end - start) / step))
    return [(start + i * step, SNARE, int(v0 + (v1 - v0) * i / max(1, count - 1))) for i in range(count)]


def _with_region(hits, start: float, end: float, fill):
    """Keep the kick and everything outside [start, end); put the fill inside."""
    kept = [h for h in hits if h[1] == KICK or not start - 1e-9 <= h[0] < end - 1e-9]
    return kept + fill
