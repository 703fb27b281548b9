"""The melody: the material's motifs developed into phrases and sung against the chords.

A section is a run of two-bar slots. Each slot states a form of a motif (as is, varied, sequenced,
inverted, fragmented, augmented); every second slot closes a phrase on a chord tone and the last
slot of a section cadences.
"""

from __future__ import annotations

from generation.engine.compose import motif as motifs
from generation.engine.compose.common import BarCtx, Ev, SectionPlan
from generation.engine.compose.material import Material
from generation.engine.compose.orchestra import melody_range
from generation.engine.compose.theory import chord_scale, nearest_pitch_with_pc

_PLANS = {
    ("a", 0): ("A", "Av", "Aseq", "A"),
    ("a", 1): ("A", "Av2", "Aseq", "Av"),
    ("b", 0): ("B", "Bseq", "Bv", "B"),
    ("climax", 0): ("A", "Av", "Bseq", "A"),
    ("build", 0): ("frag0", "frag1", "frag2", "frag3"),
    ("breakdown", 0): ("Aaug",),
    ("outro", 0): ("Aaug",),
    ("loop", 0): ("A", "Av", "A", "Aseq"),
}


def _plan(name: str, occurrence: int) -> tuple[str, ...] | None:
    if name == "intro":
        return None
    return _PLANS.get((name, occurrence % 2)) or _PLANS.get((name, 0)) or _PLANS[("a", 0)]


def _form(mat: Material, token: str) -> motifs.Motif:
    if token == "A":
        return mat.motif_a
    if token == "Av":
        return mat.motif_a_var
    if token == "Av2":
        return mat.motif_a_var2
    if token == "Aseq":
        return motifs.sequence(mat.motif_a, mat.seq_a)
    if token == "B":
        return mat.motif_b
    if token == "Bv":
        return mat.motif_b_var
    if token == "Bseq":
        return motifs.sequence(mat.motif_b, mat.seq_b)
    if token.startswith("frag"):
        return motifs.sequence(motifs.fragment(mat.motif_a, 1), int(token[4:]))  # rising step by step
    if token == "Aaug":
        return motifs.augment(motifs.thin(mat.motif_a, 1.0))
    raise ValueError(token)


def melody_section(
    section: SectionPlan, ctxs: list[BarCtx], mat: Material, instrument: str, loop: bool
) -> list[Ev]:
    """The melody of one section (nothing in an intro)."""
    plan = _plan("loop" if loop else section.name, section.occurrence)
    if plan is None or not ctxs:
        return []
    low, high = melody_range(instrument)
    anchor = 0
    if section.name == "climax":
        anchor = 7 if mat.melody_tonic + 24 <= high + 2 else 2
    bpb = mat.beats_per_bar
    pulse = 3.0 if bpb == 6 else 1.0
    out: list[Ev] = []
    previous: int | None = None
    slot, i = 0, 0
    while i < len(ctxs):
        token = plan[slot % len(plan)]
        form = _form(mat, token)
        bars_needed = max(1, round(form.length / bpb))
        bars = ctxs[i : i + bars_needed]
        is_last = i + bars_needed >= len(ctxs)
        available = sum(c.bar.beats for c in bars)
        if available < form.length - 1e-9:
            form = motifs.truncate(form, available)
        if section.energy < 0.3 and not token.startswith(("frag", "Aaug")):
            form = motifs.thin(form, pulse)
        if is_last and not loop:
            form = motifs.cadence(form)
        elif slot % 2 == 1 or is_last:
            form = motifs.mark_end(form)
        notes, previous = _realize(form, bars, mat, anchor, low, high, previous, final=is_last and not loop)
        out += notes
        i += bars_needed
        slot += 1
    return out


def scale_pcs(intervals: tuple[int, ...], tonic: int) -> tuple[int, ...]:
    """Pitch classes of a scale given as intervals above the tonic."""
    return tuple((tonic + i) % 12 for i in intervals)


def _realize(
    form: motifs.Motif,
    bars: list[BarCtx],
    mat: Material,
    anchor: int,
    low: int,
    high: int,
    previous: int | None,
    final: bool,
) -> tuple[list[Ev], int | None]:
    """Turn scale steps into pitches over the chords of `bars`, in the instrument's range."""
    start = bars[0].bar.start
    available = sum(c.bar.beats for c in bars)
    bpb = mat.beats_per_bar
    half = {4: 2.0, 6: 3.0}.get(bpb, float(bpb))
    intervals_cache: dict[tuple[int, ...], tuple[int, ...]] = {}
    out: list[Ev] = []
    for note in form.notes:
        if note.onset >= available - 1e-9:
            break
        beat = start + note.onset
        ctx = next(c for c in reversed(bars) if c.bar.start <= beat + 1e-9)
        offset = beat - ctx.bar.start
        chord = ctx.chord_at(offset)
        pcs = chord.spec.pitch_classes
        scale = intervals_cache.get(pcs)
        if scale is None:
            bent = chord_scale(mat.scale_pcs, pcs)
            scale = intervals_cache[pcs] = tuple((pc - mat.tonic) % 12 for pc in bent)
        octave, step = divmod(anchor + note.step, 7)
        pitch = mat.melody_tonic + 12 * octave + scale[step % len(scale)]
        strong = abs(offset % half) < 1e-9 or note.dur >= (3.0 if bpb == 6 else 1.0) or note.end
        direction = 0 if previous is None else (1 if pitch > previous else -1)
        third = chord.spec.third
        if third is None:
            # power chords and suspensions: the scale's own third carries the mode
            third = next(
                (pc for pc in scale_pcs(scale, mat.tonic) if (pc - chord.spec.root) % 12 in (3, 4)), None
            )
        # strong beats take the triad (colour tones such as sevenths pass on weak beats)
        tones = {chord.spec.root, chord.spec.fifth} | ({third} if third is not None else set())
        if note.end:
            targets = {chord.spec.root, third if third is not None else chord.spec.fifth}
            pitch = nearest_pitch_with_pc(pitch, targets if final else tones, direction)
        elif strong and pitch % 12 not in tones:
            pitch = nearest_pitch_with_pc(pitch, tones, direction)
        dur = min(note.dur, available - note.onset) * 0.92
        vel = int(min(124, 66 + 42 * ctx.energy + (8 if abs(offset % half) < 1e-9 else 0)))
        out.append(Ev(beat, max(0.1, dur), pitch, vel))
        previous = pitch
    out = _into_range(out, low, high)
    return out, (out[-1].pitch if out else previous)


def _into_range(notes: list[Ev], low: int, high: int) -> list[Ev]:
    """Move a whole phrase by octaves into the instrument's range (folding single notes would break
    its contour with octave leaps); only notes still outside are folded one by one."""
    if not notes:
        return notes
    pitches = [n.pitch for n in notes]
    shift = 0
    while max(pitches) + shift > high and min(pitches) + shift - 12 >= low - 2:
        shift -= 12
    while min(pitches) + shift < low and max(pitches) + shift + 12 <= high + 2:
        shift += 12
    out = []
    for n in notes:
        pitch = n.pitch + shift
        while pitch > high:
            pitch -= 12
        while pitch < low:
            pitch += 12
        out.append(n._replace(pitch=pitch))
    return out
