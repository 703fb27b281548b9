"""The arranger: lays the material over the form, writes every part, the final chord and the hits."""

from __future__ import annotations

import numpy as np

from generation.engine.compose.common import Bar, BarCtx, ChordEvent, Ev, SectionPlan
from generation.engine.compose.form import ENERGY_SPANS, Timeline
from generation.engine.compose.harmony import chord_timeline, final_chord, voice_chords
from generation.engine.compose.material import Material
from generation.engine.compose.orchestra import bass_range, melody_range, mix_settings
from generation.engine.compose.parts.bass import bass_bar
from generation.engine.compose.parts.comp import comp_bar
from generation.engine.compose.parts.drums import drum_bar
from generation.engine.compose.parts.melody import melody_section
from generation.engine.compose.parts.percussion import percussion_bar
from generation.engine.compose.parts.texture import pad_voicing, texture_bar
from generation.engine.compose.perform import beats_to_seconds, perform
from generation.engine.compose.theory import nearest_pitch_with_pc, place_in_range, power_voicing
from generation.engine.score import Chord, Note, Part, Score, Section, TempoSegment

PART_ORDER = ("drums", "percussion", "bass", "harmony", "melody", "texture")
_BAR_WRITERS = {
    "drums": lambda ctx, mat, inst: drum_bar(ctx, mat),
    "percussion": percussion_bar,
    "bass": bass_bar,
    "harmony": comp_bar,
    "texture": texture_bar,
}


def loop_energy(energy: str) -> float:
    """The energy of the main groove section that a loop repeats."""
    lo, hi = ENERGY_SPANS.get(energy, ENERGY_SPANS["medium"])
    return round(lo + (hi - lo) * 0.75, 4)


def arrange(mat: Material, timeline: Timeline, *, key: str, meter: str, loop: bool = False) -> Score:
    """The Score for `timeline`: every part written bar by bar, then timed, then the ending and hits."""
    bars, sections = timeline.bars, timeline.sections
    starts = {s.first_bar for s in sections}
    chords = voice_chords(mat, bars, chord_timeline(mat, sections, bars, cadence=not loop), starts)
    last_voicing = chords[-1][-1].voicing if chords and chords[-1] else None
    ending_chord = final_chord(mat, last_voicing, timeline.final_beat, 1.0)
    ctxs = _contexts(sections, bars, chords, ending_chord, timeline.final_beat, loop)

    events: dict[str, list[Ev]] = {role: [] for role in mat.roles}
    for ctx in ctxs:
        for role, writer in _BAR_WRITERS.items():
            if role in mat.roles:
                events[role] += writer(ctx, mat, mat.roles[role])
    if "melody" in mat.roles:
        for section in sections:
            section_ctxs = [c for c in ctxs if c.section is section]
            events["melody"] += melody_section(section, section_ctxs, mat, mat.roles["melody"], loop)

    limit = timeline.final_beat
    notes: dict[str, list[Note]] = {}
    for role, evs in events.items():
        kept = [e for e in evs if e.beat < limit - 1e-9]
        if not loop:
            kept = [e._replace(dur=min(e.dur, limit - e.beat)) for e in kept]
        notes[role] = perform(role, kept, timeline.tempo, mat)
    if not loop:
        _add_ending(notes, mat, timeline, ending_chord, sections[-1].energy if sections else 0.5)
    _add_hits(notes, mat, timeline)

    parts = []
    has_drums = bool(notes.get("drums"))
    shared = mat.roles.get("harmony") == mat.roles.get("melody")
    for role in (*PART_ORDER, "impacts"):
        part_notes = notes.get(role)
        if not part_notes:
            continue
        part_notes.sort(key=lambda n: (n.start, n.pitch))
        instrument = mat.roles.get(role) or _impacts_instrument(mat)
        mix = mix_settings(role, instrument, mat.style, shared and role in ("harmony", "melody"), has_drums)
        if role == "impacts":
            mix = {
                "gain_db": -3.0,
                "pan": 0.0,
                "reverb": round(min(0.9, mat.style.reverb * 1.2), 3),
                "sidechain": 0.0,
            }
        parts.append(Part(role, instrument, part_notes, **mix))

    return Score(
        length_s=timeline.length_s,
        bpm=mat.bpm,
        key=key,
        mode=mat.mode,
        meter=meter,
        tempo=list(timeline.tempo),
        sections=_score_sections(timeline, loop),
        chords=_score_chords(timeline, chords, ending_chord, loop),
        parts=parts,
        hits=timeline.accents,
        loop=loop,
    )


def _contexts(sections, bars, chords, ending_chord, final_beat, loop) -> list[BarCtx]:
    ctxs = []
    for si, section in enumerate(sections):
        nxt = sections[si + 1] if si + 1 < len(sections) else None
        last_bar = bars[section.first_bar + section.n_bars - 1]
        section_end = last_bar.start + last_bar.beats
        for pos in range(section.n_bars):
            bar = bars[section.first_bar + pos]
            if bar.index + 1 < len(bars):
                next_root = chords[bar.index + 1][0].spec.root
            else:
                next_root = chords[0][0].spec.root if loop else ending_chord.spec.root
            ctxs.append(
                BarCtx(
                    bar=bar,
                    section=section,
                    pos=pos,
                    chords=tuple(chords[bar.index]),
                    next_root=next_root,
                    next_energy=nxt.energy if nxt else None,
                    final=not loop and bar.index == len(bars) - 1,
                    section_end=section_end,
                )
            )
    return ctxs


def _impacts_instrument(mat: Material) -> str:
    drums = mat.roles.get("drums")
    return drums if drums in ("acoustic_drums", "electronic_drums", "trap_drums") else "acoustic_drums"


def _add_ending(
    notes: dict[str, list[Note]], mat: Material, timeline: Timeline, chord: ChordEvent, energy: float
):
    """The final chord on the last downbeat (with kick and crash), let ring: it is held for a moment
    and released, so that its release and reverb die away to silence by the very end."""
    t = timeline.final_time
    if timeline.length_s - t <= 0:
        return
    ring = final_hold(timeline.length_s - t)
    vel = int(min(120, 70 + 40 * energy))
    root = chord.spec.root
    roles = mat.roles
    if "harmony" in roles:
        if mat.comp.startswith("power"):
            pitches = list(power_voicing(root, 40))
        else:
            pitches = list(chord.voicing)
            if mat.comp.startswith("piano") or mat.comp in ("strum", "fingerpick"):
                pitches.insert(0, place_in_range(root, 36, 47))
        notes["harmony"].extend(Note(t, ring, p, vel) for p in pitches)
    if "bass" in roles:
        low, _ = bass_range(roles["bass"])
        notes["bass"].append(Note(t, ring, place_in_range(root, low, low + 11), vel))
    if "melody" in roles:
        low, high = melody_range(roles["melody"])
        previous = notes["melody"][-1].pitch if notes["melody"] else mat.melody_tonic
        pitch = nearest_pitch_with_pc(previous, {root}, -1)
        while pitch > high:
            pitch -= 12
        while pitch < low:
            pitch += 12
        notes["melody"].append(Note(t, ring, pitch, vel))
    if "texture" in roles:
        instrument = roles["texture"]
        if instrument == "noise_texture":
            notes["texture"].append(Note(t, ring, 60, 50))
        elif instrument == "drone":
            tonic = place_in_range(mat.tonic, 38, 49)
            notes["texture"].extend([Note(t, ring, tonic, vel - 10), Note(t, ring, tonic + 12, vel - 20)])
        else:
            notes["texture"].extend(Note(t, ring, p, vel - 15) for p in pad_voicing(chord))
    if "drums" in roles:
        notes["drums"].extend([Note(t, min(ring, 0.5), 36, 118), Note(t, ring, 49, 112)])
    if "percussion" in roles:
        instrument = roles["percussion"]
        if instrument in ("taiko", "timpani"):
            notes["percussion"].append(Note(t, ring, place_in_range(mat.tonic, 38, 49), 115))
        else:
            notes["percussion"].append(Note(t, min(ring, 1.0), 64, 100))


def final_hold(ring_s: float) -> float:
    """How long the final chord is held before its release: long enough to sound as an ending,
    short enough that the tail has faded out when the cue ends."""
    return min(ring_s, 1.2, max(0.5, 0.4 * ring_s))


def _add_hits(notes: dict[str, list[Note]], mat: Material, timeline: Timeline) -> None:
    """An impact (crash and low boom) exactly on each hit point, and a kit crash where there is a kit."""
    if not timeline.accents:
        return
    impacts = notes.setdefault("impacts", [])
    for hit in timeline.accents:
        ring = max(1e-3, min(3.0, timeline.length_s - hit))
        impacts.extend(
            [Note(hit, ring, 49, 120), Note(hit, min(ring, 2.0), 35, 124), Note(hit, min(ring, 2.0), 41, 112)]
        )
        if "drums" in mat.roles:
            notes["drums"].append(Note(hit, ring, 49, 118))


def _score_sections(timeline: Timeline, loop: bool) -> list[Section]:
    bars, plans = timeline.bars, timeline.sections
    out = []
    beats = [bars[p.first_bar].start for p in plans] + [timeline.final_beat]
    times = beats_to_seconds(timeline.tempo, _array(beats))
    for i, plan in enumerate(plans):
        end = timeline.length_s if loop and i == len(plans) - 1 else float(times[i + 1])
        out.append(Section(plan.name, float(times[i]), end, beats[i], plan.n_bars, plan.energy))
    if not loop:
        energy = plans[-1].energy * 0.8 if plans else 0.4
        out.append(
            Section(
                "ending", timeline.final_time, timeline.length_s, timeline.final_beat, 1, round(energy, 4)
            )
        )
    return out


def _score_chords(
    timeline: Timeline, chords: list[list[ChordEvent]], ending: ChordEvent, loop: bool
) -> list[Chord]:
    flat = [c for row in chords for c in row]
    merged: list[ChordEvent] = []
    for chord in flat:
        if merged and chord.tied:
            continue
        merged.append(chord)
    beats = [c.start for c in merged] + [timeline.final_beat]
    times = beats_to_seconds(timeline.tempo, _array(beats))
    out = [
        Chord(float(times[i]), float(times[i + 1]), c.spec.symbol, c.spec.root, c.voicing)
        for i, c in enumerate(merged)
    ]
    if loop:
        if out:
            out[-1] = Chord(out[-1].start, timeline.length_s, out[-1].symbol, out[-1].root, out[-1].pitches)
    else:
        spec = ending.spec
        out.append(Chord(timeline.final_time, timeline.length_s, spec.symbol, spec.root, ending.voicing))
    return out


def _array(values: list[float]) -> np.ndarray:
    return np.array(values, dtype=float)


def loop_timeline(mat: Material, *, bars: int, energy: str) -> Timeline:
    """A timeline of `bars` whole bars at the nominal tempo holding one main-groove section."""
    bpb = mat.beats_per_bar
    spb = 60.0 / mat.bpm
    bar_list = [Bar(i, float(i * bpb), float(bpb)) for i in range(bars)]
    section = SectionPlan("a", loop_energy(energy), 0, bars, 0)
    length = bars * bpb * spb
    return Timeline([TempoSegment(0.0, 0.0, spb)], bar_list, [section], float(bars * bpb), length, length, ())
