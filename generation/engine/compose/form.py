"""The form: bars, tempo map and sections scaled to the duration, with hit points on bar lines.

Everything here depends on the duration and the hit points, nothing on the seed, so a cut of a cue
keeps its material and only changes its shape.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from generation.engine.compose.common import Bar, SectionPlan
from generation.engine.score import TempoSegment

RING_MIN_S, RING_MAX_S = 1.5, 4.0
MAX_NUDGE = 0.03
MIN_HIT_GAP_S = 1.0

# (lowest, highest) section energy for each brief energy; a section's base energy is placed between.
ENERGY_SPANS = {"low": (0.1, 0.5), "medium": (0.18, 0.85), "high": (0.32, 1.0)}
BASE_ENERGY = {
    "intro": 0.3,
    "a": 0.5,
    "b": 0.62,
    "build": 0.72,
    "climax": 0.95,
    "breakdown": 0.3,
    "outro": 0.42,
}
_MIDDLE = ("a", "breakdown", "b", "build", "climax", "a", "b")


@dataclass
class Timeline:
    tempo: list[TempoSegment]
    bars: list[Bar]  # every bar before the final chord
    sections: list[SectionPlan]  # the musical sections; the ring after the final chord is not one of them
    final_beat: float
    final_time: float
    length_s: float
    accents: tuple[float, ...]  # hit times, in seconds, exactly as asked


def half_bar(beats_per_bar: int) -> int | None:
    """The strong mid-bar beat: 2 in 4/4, 3 in 6/8, none in 3/4."""
    return {4: 2, 6: 3}.get(beats_per_bar)


def plan_timeline(
    *, bpm: float, beats_per_bar: int, length_s: float, hits: tuple[float, ...], energy: str
) -> Timeline:
    """Bars and tempo from 0 to the final chord, sections over them, the final chord 1.5-4 s before the end.

    Each hit point becomes a bar line: the tempo of the stretch before it is nudged by at most 3 %
    (whole bars when possible, else whole beats with a short bar before the hit). A hit that even
    whole beats cannot reach keeps the nominal tempo and ends a bar of fractional length.
    """
    spb = 60.0 / bpm
    accents = tuple(sorted({float(h) for h in hits if 0.0 <= h < length_s}))
    tempo: list[TempoSegment] = []
    bars: list[Bar] = []
    hit_bars: set[int] = set()
    t0 = b0 = 0.0
    final: tuple[float, float] | None = None
    for hit in accents:
        if hit - t0 < max(MIN_HIT_GAP_S, 2 * spb) or hit > length_s - RING_MIN_S:
            continue
        n_beats, seg_spb = _land(hit - t0, spb, beats_per_bar)
        tempo.append(TempoSegment(t0, b0, seg_spb))
        _append_bars(bars, b0, n_beats, beats_per_bar)
        t0, b0 = hit, b0 + n_beats
        hit_bars.add(len(bars))
        if hit >= length_s - RING_MAX_S:
            final = (b0, t0)
            break
    tempo.append(TempoSegment(t0, b0, spb))
    if final is None:
        n_beats = _final_offset(length_s - t0, spb, beats_per_bar)
        _append_bars(bars, b0, n_beats, beats_per_bar)
        final = (b0 + n_beats, t0 + n_beats * spb)
    bar_s = beats_per_bar * spb
    sections = _sections(bars, hit_bars, bar_s, energy)
    return Timeline(tempo, bars, sections, final[0], final[1], length_s, accents)


def _land(dt: float, spb: float, bpb: int) -> tuple[float, float]:
    """(beats, seconds per beat) that put a bar line exactly `dt` seconds on."""
    target = dt / spb
    for unit in (bpb, half_bar(bpb), 1):
        if unit is None:
            continue
        best: tuple[float, int] | None = None
        for count in {math.floor(target / unit), math.ceil(target / unit)}:
            n = count * unit
            if n < 1:
                continue
            deviation = abs(n / target - 1.0)  # the tempo change, nominal to nudged
            if deviation <= MAX_NUDGE + 1e-12 and (best is None or deviation < best[0]):
                best = (deviation, n)
        if best is not None:
            return float(best[1]), dt / best[1]
    return target, spb


def _final_offset(available_s: float, spb: float, bpb: int) -> float:
    """Beats from the anchor to the final chord: the latest bar line leaving a 1.5-4 s ring,
    or a half bar or a beat when bars are too long for that."""
    for unit in (bpb, half_bar(bpb), 1):
        if unit is None:
            continue
        step = unit * spb
        count = math.floor((available_s - RING_MIN_S) / step + 1e-9)
        if count >= 0 and available_s - count * step <= RING_MAX_S + 1e-9:
            return float(count * unit)
    return max(0.0, float(math.floor((available_s - RING_MIN_S) / spb + 1e-9)))


def _append_bars(bars: list[Bar], start: float, n_beats: float, bpb: int) -> None:
    whole = math.floor(n_beats / bpb + 1e-9)
    for i in range(whole):
        bars.append(Bar(len(bars), start + i * bpb, float(bpb)))
    rest = n_beats - whole * bpb
    if rest > 1e-6:
        bars.append(Bar(len(bars), start + whole * bpb, rest))


def form_template(n_bars: int, bar_s: float) -> list[tuple[str, int]]:
    """Section names and lengths for `n_bars` bars: a short cue is intro + one statement, a long one
    gets the full arc (intro, A, B, variations, build, climax, outro)."""
    if n_bars <= 0:
        return []
    if n_bars <= 3:
        return [("a", n_bars)]
    intro = _pow2(6.0 / bar_s, limit=max(1, n_bars // 5))
    outro = _pow2(6.0 / bar_s, limit=4) if n_bars >= 20 else 0
    body = n_bars - intro - outro
    phrase = 8 if 8 * bar_s <= 20.0 else 4
    if body < 2 * phrase:
        phrase = 4 if body >= 8 else body
    count = max(1, round(body / phrase))
    sizes = [phrase] * (count - 1) + [body - phrase * (count - 1)]
    names = _body_names(count)
    out = [("intro", intro)] if intro else []
    out += list(zip(names, sizes, strict=True))
    if outro:
        out.append(("outro", outro))
    return out


def _pow2(value: float, limit: int) -> int:
    options = [n for n in (1, 2, 4, 8) if n <= limit] or [1]
    return min(options, key=lambda n: (abs(n - value), -n))


def _body_names(count: int) -> list[str]:
    if count == 1:
        return ["a"]
    if count == 2:
        return ["a", "climax"]  # a short cue states its theme, then restates it higher and fuller
    if count == 3:
        return ["a", "b", "climax"]
    middle = [_MIDDLE[i % len(_MIDDLE)] for i in range(count - 4)]
    if middle and middle[-1] == "build":
        middle[-1] = "b"  # the closing build comes next
    return ["a", "b", *middle, "build", "climax"]


def _sections(bars: list[Bar], hit_bars: set[int], bar_s: float, energy: str) -> list[SectionPlan]:
    template = form_template(len(bars), bar_s)
    starts: dict[int, str] = {}
    position = 0
    for name, size in template:
        starts[position] = name
        position += size
    # Hit points are hard boundaries: move the nearest planned boundary onto each, or add one.
    for hit_bar in sorted(b for b in hit_bars if 0 < b < len(bars)):
        if hit_bar in starts:
            continue
        nearest = min((b for b in starts if b > 0), key=lambda b: abs(b - hit_bar), default=None)
        if nearest is not None and nearest not in hit_bars and abs(nearest - hit_bar) <= 2:
            starts[hit_bar] = starts.pop(nearest)
        else:
            starts[hit_bar] = _name_at(starts, hit_bar)
    ordered = sorted(starts)
    lo, hi = ENERGY_SPANS.get(energy, ENERGY_SPANS["medium"])
    plans: list[SectionPlan] = []
    seen: dict[str, int] = {}
    for i, first in enumerate(ordered):
        end = ordered[i + 1] if i + 1 < len(ordered) else len(bars)
        if end <= first:
            continue
        name = starts[first]
        base = BASE_ENERGY.get(name, 0.5) + 0.06 * seen.get(name, 0)
        if len(template) <= 2 and name == "a":
            base = 0.7  # a short cue states its theme at full strength
        hit_start = first in hit_bars
        if hit_start:
            base += 0.08
        plans.append(
            SectionPlan(
                name=name,
                energy=round(min(1.0, lo + (hi - lo) * min(1.0, base)), 4),
                first_bar=first,
                n_bars=end - first,
                occurrence=seen.get(name, 0),
                hit_start=hit_start,
            )
        )
        seen[name] = seen.get(name, 0) + 1
    return plans


def _name_at(starts: dict[int, str], bar: int) -> str:
    name = "a"
    for first in sorted(starts):
        if first <= bar:
            name = starts[first]
    return "a" if name == "intro" else name
