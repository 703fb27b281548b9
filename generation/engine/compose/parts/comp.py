"""The harmony part: the voice-led chords played in the genre's comping pattern.

Patterns that keep a steady subdivision (arpeggios, pulses, broken chords) also carry the beat in
genres without drums.
"""

from __future__ import annotations

from generation.engine.compose.common import BarCtx, ChordEvent, Ev, pulse_beats, stream, sub_beats
from generation.engine.compose.material import SLOW_BPM, Material
from generation.engine.compose.theory import place_in_range, power_voicing

_CHARLESTON = {
    4: ((0.0, 1.5), (0.0, 2.5), (1.0, 2.5), (0.5, 2.0, 3.5), (1.5, 3.0)),
    3: ((0.0,), (0.0, 1.5), (1.0, 2.0)),
    6: ((0.0, 3.0), (0.0,), (2.0, 5.0)),
}
_BROKEN = {4: (0, 1, 2, 3, 2, 1, 2, 1), 3: (0, 1, 2, 3, 2, 1), 6: (0, 1, 2, 3, 2, 1)}


def _motion(mat: Material) -> float:
    """The step of moving figures: eighths, or the beat itself in slow tempos (below 76 bpm eighths
    are heard as the beat, doubling the tempo) and in styles that breathe on the beat."""
    bpb = mat.beats_per_bar
    if bpb == 6:
        return sub_beats(bpb)  # in 6/8 the beat already is the eighth note
    if not mat.style.subdivide or mat.bpm < SLOW_BPM:
        return pulse_beats(bpb)
    return sub_beats(bpb)


def comp_bar(ctx: BarCtx, mat: Material, instrument: str) -> list[Ev]:
    """One bar of the harmony part."""
    writer = _WRITERS.get(mat.comp, _block)
    out = writer(ctx, mat)
    end = ctx.bar.start + ctx.bar.beats
    return [e for e in out if e.beat < end - 1e-9]


def _vel(ctx: BarCtx, base: int = 52, span: int = 40) -> int:
    return int(min(120, base + span * ctx.energy))


def _chord_notes(chord: ChordEvent, offsets, dur_for, vel: int, accent_every: float | None = None):
    out = []
    for i, off in enumerate(offsets):
        nxt = offsets[i + 1] if i + 1 < len(offsets) else chord.dur
        accent = 0 if not accent_every else 12 if _on(off, accent_every) else -6
        for pitch in chord.voicing:
            out.append(Ev(chord.start + off, dur_for(nxt - off), pitch, min(127, vel + accent)))
    return out


def _on(offset: float, every: float) -> bool:
    return abs(offset / every - round(offset / every)) < 1e-9


def _grid(length: float, step: float) -> list[float]:
    count = max(1, round(length / step - 1e-9))
    return [i * step for i in range(count) if i * step < length - 1e-9]


def _sustain(ctx: BarCtx, mat: Material) -> list[Ev]:
    half = {4: 2.0, 6: 3.0, 3: 3.0}[mat.beats_per_bar]
    out = []
    for chord in ctx.chords:
        if ctx.energy >= 0.65:
            out += _chord_notes(chord, _grid(chord.dur, half), lambda g: g * 0.98, _vel(ctx, 48, 40))
        elif not chord.tied:
            out += [Ev(chord.start, chord.sustain * 0.98, p, _vel(ctx, 48, 40)) for p in chord.voicing]
    return out


def _block(ctx: BarCtx, mat: Material) -> list[Ev]:
    bpb = mat.beats_per_bar
    tier = 0 if ctx.energy < 0.35 else 1 if ctx.energy < 0.65 else 2
    steps = {4: (4.0, 2.0, 1.0), 3: (3.0, 1.0, 1.0), 6: (6.0, 3.0, 1.0)}[bpb]
    out = []
    for chord in ctx.chords:
        offsets = _grid(chord.dur, steps[tier])
        out += _chord_notes(chord, offsets, lambda g: g * 0.9, _vel(ctx), accent_every=pulse_beats(bpb) * 2)
    return out


def _pulse(ctx: BarCtx, mat: Material) -> list[Ev]:
    bpb = mat.beats_per_bar
    step = _motion(mat) if ctx.energy >= 0.35 else pulse_beats(bpb)
    out = []
    for chord in ctx.chords:
        out += _chord_notes(
            chord, _grid(chord.dur, step), lambda g: g * 0.8, _vel(ctx, 45, 40), pulse_beats(bpb)
        )
    return out


def _arp_notes(chord: ChordEvent) -> list[int]:
    """The chord from its root upwards (so an arpeggio's first note, on the beat, is the root)."""
    voicing = chord.voicing
    roots = [p for p in voicing if p % 12 == chord.spec.root]
    root = roots[0] if roots else place_in_range(chord.spec.root, min(voicing) - 12, min(voicing) - 1)
    notes = sorted({root, *(p if p > root else p + 12 for p in voicing if p != root)})
    return notes + [p + 12 for p in notes[: max(0, 4 - len(notes))]]


def _arp_over(ctx: BarCtx, mat: Material, chord: ChordEvent, vel: int) -> list[Ev]:
    bpb = mat.beats_per_bar
    fast = ctx.energy >= 0.7 and (bpb == 6 or mat.bpm <= 115)
    step = _motion(mat) / (2 if fast and _motion(mat) < pulse_beats(bpb) else 1)
    notes = _arp_notes(chord)
    pattern = mat.arp_pattern
    out = []
    for i, off in enumerate(_grid(chord.dur, step)):
        pitch = notes[pattern[i % len(pattern)] % len(notes)]
        accent = 14 if _on(off, pulse_beats(bpb)) else -14
        out.append(Ev(chord.start + off, step * 2.0, pitch, min(127, vel + accent)))
    return out


def _arp(ctx: BarCtx, mat: Material) -> list[Ev]:
    out = []
    for chord in ctx.chords:
        out += _arp_over(ctx, mat, chord, _vel(ctx, 48, 38))
    return out


def _strum(ctx: BarCtx, mat: Material) -> list[Ev]:
    bpb = mat.beats_per_bar
    slot = sub_beats(bpb)
    pattern = mat.strum
    if ctx.energy < 0.35:
        pattern = "D" + "." * (len(pattern) - 1)
    strokes = [(i * slot, c) for i, c in enumerate(pattern) if c in "DU" and i * slot < ctx.bar.beats]
    out = []
    for i, (off, stroke) in enumerate(strokes):
        nxt = strokes[i + 1][0] if i + 1 < len(strokes) else ctx.bar.beats
        chord = ctx.chord_at(off)
        bass = place_in_range(chord.spec.root, 40, 51)
        notes = [bass, *chord.voicing] if stroke == "D" else list(reversed(chord.voicing))[:3]
        vel = _vel(ctx, 62, 36) if stroke == "D" else _vel(ctx, 45, 30)
        for k, pitch in enumerate(notes):
            out.append(Ev(ctx.bar.start + off + 0.02 * k, max(0.2, (nxt - off) * 0.95), pitch, vel))
    return out


def _fingerpick(ctx: BarCtx, mat: Material) -> list[Ev]:
    bpb = mat.beats_per_bar
    slot = sub_beats(bpb)
    order = {4: "BTFMBTFM", 3: "BTMTMT", 6: "BMTFMT"}.get(bpb, "BTFM")
    out = []
    for i, role in enumerate(order):
        off = i * slot
        if off >= ctx.bar.beats:
            break
        chord = ctx.chord_at(off)
        root = place_in_range(chord.spec.root, 40, 51)
        top = sorted(chord.voicing)
        pitch = {"B": root, "F": root + 7, "T": top[-1], "M": top[len(top) // 2]}[role]
        vel = _vel(ctx, 55, 35) + (6 if role in "BF" else 0)
        out.append(Ev(ctx.bar.start + off, slot * 2.5, pitch, vel))
    return out


def _stabs(ctx: BarCtx, mat: Material) -> list[Ev]:
    offsets = (
        mat.stabs
        if mat.beats_per_bar == 4
        else [p + sub_beats(mat.beats_per_bar) for p in _grid(ctx.bar.beats, pulse_beats(mat.beats_per_bar))]
    )
    vel = _vel(ctx, 55, 40)
    out = []
    for off in offsets:
        chord = ctx.chord_at(off)
        out += [Ev(ctx.bar.start + off, 0.3, p, vel) for p in chord.voicing]
    return out


def _power(ctx: BarCtx, mat: Material, eighths_from: float = 0.4) -> list[Ev]:
    bpb = mat.beats_per_bar
    out = []
    for chord in ctx.chords:
        notes = power_voicing(chord.spec.root, 40)
        if ctx.energy < eighths_from:
            out += [Ev(chord.start, chord.dur * 0.95, p, _vel(ctx, 60, 35)) for p in notes]
            continue
        step = sub_beats(bpb)
        for off in _grid(chord.dur, step):
            accent = abs(off / pulse_beats(bpb) - round(off / pulse_beats(bpb))) < 1e-9
            out += [Ev(chord.start + off, step * 0.6, p, _vel(ctx, 66 if accent else 56, 38)) for p in notes]
    return out


def _power8(ctx: BarCtx, mat: Material) -> list[Ev]:
    return _power(ctx, mat, eighths_from=0.3)


def _charleston(ctx: BarCtx, mat: Material) -> list[Ev]:
    rng = stream(mat.seed, "comp", ctx.bar.index)
    options = _CHARLESTON.get(mat.beats_per_bar, _CHARLESTON[4])
    offsets = options[0] if ctx.energy < 0.3 else options[int(rng.integers(len(options)))]
    out = []
    for off in offsets:
        chord = ctx.chord_at(off)
        voicing = chord.voicing
        if len(voicing) >= 4 and chord.spec.root != mat.tonic:  # rootless: the bass has the root
            voicing = tuple(p for p in voicing if p % 12 != chord.spec.root)
        out += [Ev(ctx.bar.start + off, 0.8, p, _vel(ctx, 50, 32)) for p in voicing]
    return out


def _jazzy(ctx: BarCtx, mat: Material) -> list[Ev]:
    offsets = list(mat.lazy_comp) if mat.beats_per_bar == 4 and ctx.energy >= 0.3 else [0.0]
    out = []
    for i, off in enumerate(offsets):
        nxt = offsets[i + 1] if i + 1 < len(offsets) else ctx.bar.beats
        chord = ctx.chord_at(off)
        out += [Ev(ctx.bar.start + off, (nxt - off) * 0.95, p, _vel(ctx, 48, 30)) for p in chord.voicing]
    return out


def _left_hand_root(chord: ChordEvent) -> int:
    return place_in_range(chord.spec.root, 36, 47)


def _piano_broken(ctx: BarCtx, mat: Material) -> list[Ev]:
    bpb = mat.beats_per_bar
    step = _motion(mat)
    order = _BROKEN.get(bpb, _BROKEN[4])
    out = []
    for chord in ctx.chords:
        root = _left_hand_root(chord)
        third = chord.spec.third if chord.spec.third is not None else chord.spec.fifth
        lh = [
            root,
            root + (chord.spec.fifth - chord.spec.root) % 12,
            root + 12,
            place_in_range(third, root + 12, root + 23),
        ]
        for i, off in enumerate(_grid(chord.dur, step)):
            accent = 14 if _on(off, pulse_beats(bpb)) else -4
            out.append(
                Ev(chord.start + off, step * 2.5, lh[order[i % len(order)]], _vel(ctx, 46, 30) + accent)
            )
        if ctx.energy >= 0.4:
            rh_offsets = _grid(chord.dur, {4: 2.0, 6: 3.0, 3: 3.0}[bpb]) if ctx.energy >= 0.7 else [0.0]
            out += _chord_notes(chord, rh_offsets, lambda g: g * 0.95, _vel(ctx, 50, 32))
    return out


def _piano_arp(ctx: BarCtx, mat: Material) -> list[Ev]:
    out = []
    for chord in ctx.chords:
        root = _left_hand_root(chord)
        lh_vel = _vel(ctx, 55, 30)
        out += [
            Ev(chord.start, chord.dur * 0.98, root, lh_vel),
            Ev(chord.start, chord.dur * 0.98, root + 12, lh_vel - 8),
        ]
        out += _arp_over(ctx, mat, chord, _vel(ctx, 48, 34))
    return out


def _piano_block(ctx: BarCtx, mat: Material) -> list[Ev]:
    out = []
    for chord in ctx.chords:
        root = _left_hand_root(chord)
        out.append(Ev(chord.start, chord.dur * 0.98, root, _vel(ctx, 58, 30)))
        if ctx.energy >= 0.6:
            out.append(
                Ev(
                    chord.start,
                    chord.dur * 0.98,
                    root - 12 if root - 12 >= 28 else root + 12,
                    _vel(ctx, 50, 30),
                )
            )
    bpb = mat.beats_per_bar
    step = {4: 1.0, 3: 1.0, 6: 1.0}[bpb] if ctx.energy >= 0.35 else pulse_beats(bpb) * (2 if bpb == 4 else 1)
    for chord in ctx.chords:
        out += _chord_notes(
            chord, _grid(chord.dur, step), lambda g: g * 0.9, _vel(ctx, 45, 35), pulse_beats(bpb) * 2
        )
    return out


def _ostinato(ctx: BarCtx, mat: Material) -> list[Ev]:
    pulse = pulse_beats(mat.beats_per_bar)
    out = []
    for off, voice in mat.riff:
        if off >= ctx.bar.beats or (ctx.energy < 0.3 and abs(off / pulse - round(off / pulse)) > 1e-9):
            continue
        chord = ctx.chord_at(off)
        notes = _arp_notes(chord)
        out.append(
            Ev(
                ctx.bar.start + off,
                sub_beats(mat.beats_per_bar) * 1.8,
                notes[voice % len(notes)],
                _vel(ctx, 55, 35),
            )
        )
    return out


_WRITERS = {
    "sustain": _sustain,
    "block": _block,
    "pulse": _pulse,
    "arp": _arp,
    "strum": _strum,
    "fingerpick": _fingerpick,
    "stabs": _stabs,
    "power": _power,
    "power8": _power8,
    "charleston": _charleston,
    "jazzy": _jazzy,
    "piano_broken": _piano_broken,
    "piano_arp": _piano_arp,
    "piano_block": _piano_block,
    "ostinato": _ostinato,
}
