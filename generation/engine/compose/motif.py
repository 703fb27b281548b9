"""Motifs: two-bar rhythm and contour cells drawn from the seed, and the ways a phrase develops them.

Steps are diatonic scale steps relative to the motif's anchor, so a motif keeps its shape in any key
and over any chord; the melody part turns steps into pitches against the harmony.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

# Rhythm cells by the number of beats they fill; a negative value is a rest.
# Each size lists (sparse, medium, busy) groups; the style's density weights the groups.
_CELLS: dict[int, tuple[tuple[tuple[float, ...], ...], ...]] = {
    1: (
        ((1.0,),),
        ((0.5, 0.5), (-0.5, 0.5)),
        ((0.75, 0.25), (0.25, 0.25, 0.5), (0.5, 0.25, 0.25)),
    ),
    2: (
        ((2.0,), (1.5, 0.5), (1.0, 1.0), (-1.0, 1.0)),
        ((1.0, 0.5, 0.5), (0.5, 0.5, 1.0), (0.5, 1.0, 0.5), (-0.5, 0.5, 1.0), (0.75, 0.75, 0.5)),
        ((0.5, 0.5, 0.5, 0.5), (0.25, 0.25, 0.5, 1.0), (0.5, 0.25, 0.25, 1.0), (0.75, 0.25, 0.5, 0.5)),
    ),
    3: (
        ((3.0,), (2.0, 1.0), (-1.0, 2.0)),
        ((1.0, 1.0, 1.0), (1.0, 2.0), (-1.0, 1.0, 1.0), (1.5, 0.5, 1.0)),
        ((1.0, 0.5, 0.5, 1.0), (0.5, 0.5, 1.0, 1.0), (1.0, 1.0, 0.5, 0.5)),
    ),
}
_ENDINGS: dict[int, tuple[tuple[float, ...], ...]] = {
    1: ((1.0,), (0.5, -0.5)),
    2: ((2.0,), (1.0, -1.0), (0.5, 1.5), (1.5, -0.5)),
    3: ((3.0,), (2.0, -1.0), (1.0, 2.0)),
}
_STEP_CHOICES = np.array([-4, -3, -2, -1, 0, 1, 2, 3, 4])
_STEP_WEIGHTS = np.array([0.02, 0.04, 0.1, 0.32, 0.08, 0.32, 0.08, 0.03, 0.01])


@dataclass(frozen=True)
class MNote:
    onset: float  # beats from the motif's start
    dur: float
    step: int  # scale steps from the anchor
    end: bool = False  # a phrase ends here: the melody resolves it to a chord tone


@dataclass(frozen=True)
class Motif:
    notes: tuple[MNote, ...]
    length: float  # beats


def chunk_layout(beats_per_bar: int, rng: np.random.Generator) -> list[int]:
    """How two bars split into rhythm cells: 2+2 in 4/4, 3+3 in 6/8, 1s and 2s in 3/4."""
    if beats_per_bar == 4:
        return [2, 2, 2, 2]
    if beats_per_bar == 6:
        return [3, 3, 3, 3]
    per_bar = [[1, 2], [2, 1], [1, 1, 1]][int(rng.integers(3))]
    return per_bar * 2


def draw_motif(
    rng: np.random.Generator, beats_per_bar: int, density: float, grid: float, start_choices=(0, 2, 4)
) -> Motif:
    """A new two-bar motif: a rhythm of cells weighted by `density` and a mostly stepwise contour."""
    for _ in range(32):
        rhythm = _draw_rhythm(rng, beats_per_bar, density, grid)
        if sum(1 for _, dur in rhythm if dur > 0) >= 3:
            break
    steps = _draw_contour(rng, sum(1 for _, dur in rhythm if dur > 0), start_choices)
    notes, i = [], 0
    for onset, dur in rhythm:
        if dur > 0:
            notes.append(MNote(onset, dur, steps[i]))
            i += 1
    return Motif(tuple(notes), 2.0 * beats_per_bar)


def _draw_rhythm(
    rng: np.random.Generator, bpb: int, density: float, grid: float
) -> list[tuple[float, float]]:
    layout = chunk_layout(bpb, rng)
    weights = np.array([max(0.1, 1.6 - density), 1.0, max(0.05, density - 0.45)])
    out: list[tuple[float, float]] = []
    onset = 0.0
    for i, size in enumerate(layout):
        if i == len(layout) - 1:
            options = [c for c in _ENDINGS[size] if _fits(c, grid)]
        else:
            groups = _CELLS[size]
            group = int(rng.choice(3, p=weights / weights.sum()))
            options = [c for c in groups[group] if _fits(c, grid)] or [
                c for g in groups for c in g if _fits(c, grid)
            ]
        cell = options[int(rng.integers(len(options)))]
        for value in cell:
            out.append((onset, value))
            onset += abs(value)
    return out


def _fits(cell: tuple[float, ...], grid: float) -> bool:
    return all(abs(abs(v) / grid - round(abs(v) / grid)) < 1e-9 for v in cell)


def _draw_contour(rng: np.random.Generator, count: int, start_choices) -> list[int]:
    p = _STEP_WEIGHTS / _STEP_WEIGHTS.sum()
    steps = [int(start_choices[int(rng.integers(len(start_choices)))])]
    for _ in range(count - 1):
        move = int(rng.choice(_STEP_CHOICES, p=p))
        if len(steps) >= 2 and abs(steps[-1] - steps[-2]) >= 3:
            # after a leap, step back against it, as singers do
            move = -int(np.sign(steps[-1] - steps[-2])) * int(rng.integers(1, 3))
        nxt = steps[-1] + move
        if nxt > 8 or nxt < -4:
            nxt = steps[-1] - move
        steps.append(nxt)
    return steps


def sequence(motif: Motif, by: int) -> Motif:
    """The motif moved by `by` scale steps."""
    return replace(motif, notes=tuple(replace(n, step=n.step + by) for n in motif.notes))


def invert(motif: Motif) -> Motif:
    """The contour mirrored around its first note."""
    first = motif.notes[0].step
    return replace(motif, notes=tuple(replace(n, step=2 * first - n.step) for n in motif.notes))


def vary_rhythm(motif: Motif, rng: np.random.Generator, grid: float) -> Motif:
    """The same contour with one rhythmic change: a long note split, two short ones merged, or an
    onset pushed late."""
    notes = list(motif.notes)
    choice = int(rng.integers(3))
    longs = [i for i, n in enumerate(notes) if n.dur >= 2 * grid and n.dur >= 1.0]
    if choice == 0 and longs:
        i = longs[int(rng.integers(len(longs)))]
        n = notes[i]
        half = round(n.dur / 2 / grid) * grid
        step = n.step + (1 if rng.random() < 0.5 else -1)
        notes[i : i + 1] = [replace(n, dur=half), MNote(n.onset + half, n.dur - half, step)]
    elif choice == 1 and len(notes) > 3:
        i = int(rng.integers(len(notes) - 1))
        a, b = notes[i], notes[i + 1]
        notes[i : i + 2] = [replace(a, dur=b.onset + b.dur - a.onset)]
    else:
        movable = [i for i, n in enumerate(notes[1:], 1) if n.dur > grid]
        if movable:
            i = movable[int(rng.integers(len(movable)))]
            n = notes[i]
            notes[i] = replace(n, onset=n.onset + grid, dur=n.dur - grid)
    return replace(motif, notes=tuple(notes))


def fragment(motif: Motif, rise: int = 1) -> Motif:
    """The first bar twice, the repeat `rise` steps higher: the way a build tightens a theme."""
    half = motif.length / 2
    head = [n for n in motif.notes if n.onset < half]
    tail = [replace(n, onset=n.onset + half, step=n.step + rise) for n in head]
    head = [replace(n, dur=min(n.dur, half - n.onset)) for n in head]
    tail = [replace(n, dur=min(n.dur, motif.length - n.onset)) for n in tail]
    return replace(motif, notes=tuple(head + tail))


def augment(motif: Motif) -> Motif:
    """Twice as slow (four bars): for breakdowns and outros."""
    return Motif(tuple(replace(n, onset=n.onset * 2, dur=n.dur * 2) for n in motif.notes), motif.length * 2)


def thin(motif: Motif, pulse: float) -> Motif:
    """Only the notes that start on a pulse, each held to the next: a quieter statement."""
    kept = [n for n in motif.notes if abs(n.onset / pulse - round(n.onset / pulse)) < 1e-9] or [
        motif.notes[0]
    ]
    out = []
    for i, n in enumerate(kept):
        nxt = kept[i + 1].onset if i + 1 < len(kept) else motif.length
        out.append(replace(n, dur=max(n.dur, min(nxt - n.onset, 2 * pulse))))
    return replace(motif, notes=tuple(out))


def cadence(motif: Motif) -> Motif:
    """The motif with its last note held to the end and marked as a phrase end; the melody settles
    it on the nearest chord tone, so the line resolves by step rather than jumping to the tonic."""
    notes = list(motif.notes)
    last = notes[-1]
    notes[-1] = replace(last, dur=motif.length - last.onset, end=True)
    return replace(motif, notes=tuple(notes))


def truncate(motif: Motif, length: float) -> Motif:
    """The motif cut to its first `length` beats (for a section that ends on an odd bar)."""
    kept = [replace(n, dur=min(n.dur, length - n.onset)) for n in motif.notes if n.onset < length - 1e-9]
    return Motif(tuple(kept or [replace(motif.notes[0], dur=length)]), length)


def mark_end(motif: Motif) -> Motif:
    """The motif with its last note marked as a phrase end (resolved to a chord tone)."""
    notes = list(motif.notes)
    notes[-1] = replace(notes[-1], end=True)
    return replace(motif, notes=tuple(notes))
