"""The bass: roots and fifths in the genre's rhythm, walking lines, 808s that follow the kick."""

from __future__ import annotations

from generation.engine.compose.common import BarCtx, ChordEvent, Ev
from generation.engine.compose.material import Material
from generation.engine.compose.orchestra import bass_range
from generation.engine.compose.parts.grooves import drum_lanes, lane_events
from generation.engine.compose.theory import place_in_range


def bass_bar(ctx: BarCtx, mat: Material, instrument: str) -> list[Ev]:
    """One bar of bass for the material's bass style, thinned in intros and breakdowns."""
    low, high = bass_range(instrument)
    energy = ctx.energy
    name = ctx.section.name
    if name == "intro" and energy < 0.3:
        return []
    style = mat.bass_style
    if name in ("intro", "breakdown") and energy < 0.45:
        style = "long"
    vel = int(min(120, 78 + 32 * energy))
    writer = _WRITERS.get(style, _roots)
    out = writer(ctx, mat, low, high, vel)
    return [e for e in out if e.beat < ctx.bar.start + ctx.bar.beats - 1e-9]


def _root(chord: ChordEvent, low: int, high: int) -> int:
    return place_in_range(chord.spec.root, low, low + 11)


def _fifth_below_or_above(chord: ChordEvent, root: int, high: int) -> int:
    fifth = root + 7
    return fifth if fifth <= high else root - 5


def _per_chord(ctx: BarCtx, offsets_for, low: int, high: int, vel: int, gate: float = 0.9, pitch_for=None):
    """Write each chord's notes at `offsets_for(chord_beats)` (offsets inside the chord)."""
    out = []
    for chord in ctx.chords:
        root = _root(chord, low, high)
        offsets = offsets_for(chord.dur)
        for i, off in enumerate(offsets):
            nxt = offsets[i + 1] if i + 1 < len(offsets) else chord.dur
            pitch = pitch_for(i, off, root, chord) if pitch_for else root
            accent = 10 if off == 0 else 0
            out.append(
                Ev(chord.start + off, max(0.1, (nxt - off) * gate), pitch, min(127, vel + accent - 10))
            )
    return out


def _long(ctx, mat, low, high, vel):
    return [
        Ev(chord.start, chord.sustain * 0.98, _root(chord, low, high), vel - 10)
        for chord in ctx.chords
        if not chord.tied
    ]


def _roots(ctx, mat, low, high, vel):
    half = 3.0 if mat.beats_per_bar == 6 else 2.0

    def offsets(d):
        return [0.0, half] if ctx.energy > 0.6 and d > half else [0.0]

    return _per_chord(ctx, offsets, low, high, vel, gate=0.95)


def _pulse(ctx, mat, low, high, vel):
    sub = 1.0 if mat.beats_per_bar == 6 else 0.5
    if ctx.energy < 0.35:
        return _roots(ctx, mat, low, high, vel)
    step = sub if ctx.energy >= 0.6 else sub * 2
    return _per_chord(ctx, lambda d: _grid(d, step), low, high, vel, gate=0.8)


def _roots8(ctx, mat, low, high, vel):
    out = _pulse(ctx, mat, low, high, vel)
    if ctx.energy >= 0.5 and out:
        last = out[-1]
        out[-1] = last._replace(pitch=_fifth_below_or_above(ctx.chords[-1], last.pitch, high))
    return out


def _ostinato(ctx, mat, low, high, vel):
    if ctx.energy < 0.45:
        return _long(ctx, mat, low, high, vel)
    sub = 1.0 if mat.beats_per_bar == 6 else 0.5

    def pitch(i, off, root, chord):
        return root + 12 if i % 4 == 3 and root + 12 <= high else root

    return _per_chord(ctx, lambda d: _grid(d, sub), low, high, vel, gate=0.7, pitch_for=pitch)


def _offbeat(ctx, mat, low, high, vel):
    if ctx.energy < 0.3:
        return _long(ctx, mat, low, high, vel)
    pulse = 3.0 if mat.beats_per_bar == 6 else 1.0
    off = pulse / 2

    def offsets(d):
        return [t + off for t in _grid(d, pulse) if t + off < d]

    return _per_chord(ctx, offsets, low, high, vel, gate=0.45)


def _octave(ctx, mat, low, high, vel):
    if ctx.energy < 0.4:
        return _roots(ctx, mat, low, high, vel)
    sub = 1.0 if mat.beats_per_bar == 6 else 0.5

    def pitch(i, off, root, chord):
        return root + 12 if i % 2 == 1 and root + 12 <= high else root

    return _per_chord(ctx, lambda d: _grid(d, sub), low, high, vel, gate=0.6, pitch_for=pitch)


def _root_fifth(ctx, mat, low, high, vel):
    bpb = mat.beats_per_bar
    half = {4: 2.0, 6: 3.0}.get(bpb)

    def offsets(d):
        out = [0.0]
        if half is not None and d > half:
            out.append(half)
        elif bpb == 3 and ctx.energy >= 0.6 and d >= 3:
            out.append(2.0)
        return out

    def pitch(i, off, root, chord):
        return root if i % 2 == 0 else _fifth_below_or_above(chord, root, high)

    return _per_chord(ctx, offsets, low, high, vel, gate=0.9, pitch_for=pitch)


def _tresillo(ctx, mat, low, high, vel):
    pattern = {4: [0.0, 1.5, 3.0], 3: [0.0, 1.5], 6: [0.0, 3.0, 5.0]}.get(mat.beats_per_bar, [0.0])
    if ctx.energy < 0.35:
        return _long(ctx, mat, low, high, vel)

    def pitch(i, off, root, chord):
        return root if i != 1 else _fifth_below_or_above(chord, root, high)

    return _per_chord(
        ctx, lambda d: [p for p in pattern if p < d], low, high, vel, gate=0.85, pitch_for=pitch
    )


def _pedal(ctx, mat, low, high, vel):
    """A tonic drone with its fifth, the modal ground of much folk and world music."""
    tonic = place_in_range(mat.tonic, low, low + 11)
    start, beats = ctx.bar.start, ctx.bar.beats
    return [Ev(start, beats * 0.98, tonic, vel - 12), Ev(start, beats * 0.98, tonic + 7, vel - 22)]


def _walking(ctx, mat, low, high, vel):
    """Quarter notes: the root on the chord's first beat, chord tones on the way towards the next
    root, and a half step into it from the side the line comes from."""
    out = []
    for ci, chord in enumerate(ctx.chords):
        root = _root(chord, low, high)
        beats = max(1, round(chord.dur))
        next_root_pc = ctx.chords[ci + 1].spec.root if ci + 1 < len(ctx.chords) else ctx.next_root
        target = place_in_range(next_root_pc, low, low + 11)
        tones = sorted(
            {
                p
                for pc in chord.spec.pitch_classes
                for p in (place_in_range(pc, low, low + 11),)
                for p in (p, p + 12)
            }
        )
        tones = [p for p in tones if low <= p <= high]
        line = [root]
        for b in range(1, beats):
            if b == beats - 1:
                side = 1 if line[-1] > target else -1
                approach = target + side
                line.append(approach if low <= approach <= high and approach != line[-1] else target - side)
            else:
                aim = root + (target - root) * b / (beats - 1)
                if chord.spec.root == mat.tonic and b == 2 and root + 12 <= high:
                    aim = root + 12  # the tonic chord walks through its octave: the key's home note
                elif abs(target - root) < 5:
                    # the next root is near: arch up (or down) through the chord and come back
                    aim = root + (7 if root + 9 <= high else -7) * min(b, beats - 1 - b) / max(
                        1, (beats - 1) // 2
                    )
                line.append(min((p for p in tones if p != line[-1]), key=lambda p, a=aim: (abs(p - a), p)))
        for b, pitch in enumerate(line):
            out.append(Ev(chord.start + b, 0.9, pitch, vel - (0 if b == 0 else 8)))
    return out


def _follow_kick(ctx, mat, low, high, vel, family: str, slide: bool):
    """Bass notes on the kick drum's hits, each held to the next (808 and boom-bap basslines)."""
    lanes = drum_lanes(family, mat.beats_per_bar, mat.groove_variant)
    kicks = sorted(
        {
            off
            for lane in lanes
            if lane[0] == 36
            for off, _, _ in lane_events(lane, ctx.pos, 1.0, mat.beats_per_bar)
        }
    )
    kicks = kicks or [0.0]
    if kicks[0] > 0:
        kicks = [0.0, *kicks]
    out = []
    for i, off in enumerate(kicks):
        end = kicks[i + 1] if i + 1 < len(kicks) else ctx.bar.beats
        chord = ctx.chord_at(off)
        root = _root(chord, low, high)
        pitch = root if family == "trap" or i % 3 != 2 else _fifth_below_or_above(chord, root, high)
        out.append(Ev(ctx.bar.start + off, max(0.2, (end - off) * 0.95), pitch, vel))
    if slide and ctx.energy >= 0.55 and ctx.pos % 2 == 1 and len(out) >= 2:
        # an octave jump that overlaps its neighbour: a mono 808 glides between the two
        last = out[-1]
        up = last.pitch + 12 if last.pitch + 12 <= high else last.pitch + 7
        tail = last.beat + last.dur * 0.5
        out[-1] = last._replace(dur=last.dur * 0.5 + 0.1)
        out.append(Ev(tail, max(0.2, ctx.bar.start + ctx.bar.beats - tail), up, vel - 6))
    return out


def _808(ctx, mat, low, high, vel):
    return _follow_kick(ctx, mat, low, high, vel, "trap", slide=True)


def _boombap(ctx, mat, low, high, vel):
    return _follow_kick(ctx, mat, low, high, vel, "boombap", slide=False)


def _grid(length: float, step: float) -> list[float]:
    count = max(1, round(length / step - 1e-9))
    return [i * step for i in range(count) if i * step < length - 1e-9]


_WRITERS = {
    "long": _long,
    "drone": _long,
    "roots": _roots,
    "pulse": _pulse,
    "roots8": _roots8,
    "ostinato": _ostinato,
    "offbeat": _offbeat,
    "octave": _octave,
    "root_fifth": _root_fifth,
    "tresillo": _tresillo,
    "pedal": _pedal,
    "walking": _walking,
    "808": _808,
    "boombap": _boombap,
}
