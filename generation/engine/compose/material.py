"""The material of a cue: key and scale, progressions, motifs, grooves, instrumentation, feel.

Drawn only from the brief's musical fields and the seed (never the duration or hit points), so every
cut and the loop of a cue share its themes, chords and grooves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from generation.engine.brief import Brief
from generation.engine.compose import motif as motifs
from generation.engine.compose.common import stream
from generation.engine.compose.orchestra import GUITARS, assign_parts, melody_range
from generation.engine.compose.styles import STYLES, Style
from generation.engine.compose.theory import SCALES, ChordSpec, parse_numeral, uses_flats

Step = tuple[str, ...]  # one progression step: one numeral, or two that split it

_ARP_PATTERNS = (
    (0, 1, 2, 3),
    (0, 1, 2, 3, 2, 1),
    (0, 2, 1, 3),
    (3, 2, 1, 0),
    (0, 1, 2, 1, 3, 1),
    (0, 2, 3, 1, 2, 3),
    (0, 3, 2, 3, 1, 3),
)
_STRUMS = {
    4: ("D.DU.UDU", "D.D.DUDU", "D..UD.DU", "D.DUD.DU"),
    3: ("D.DUDU", "D.D.DU", "D.DUD."),
    6: ("D.UD.U", "D.DD.D", "D..D.U"),
}
_STABS = (
    (0.5, 1.5, 2.5, 3.5),
    (0.75, 1.5, 2.75, 3.5),
    (0.0, 0.75, 1.5, 2.5, 3.25),
    (0.5, 1.25, 2.5, 3.25, 3.75),
)
_LAZY_COMPS = ((0.0, 2.5), (0.0, 1.75, 3.5), (0.0, 3.5), (0.0, 1.5, 2.75))
_PIANO_COMPS = ("piano_broken", "piano_arp", "piano_block")
_GUITAR_COMPS = ("strum", "fingerpick", "power", "power8")
SLOW_BPM = 76.0  # below this, eighth notes are heard as the beat
_KEYS = {"piano", "electric_piano", "harp", "marimba", "vibraphone", "organ", "celesta", "kalimba"}


@dataclass(frozen=True)
class Material:
    """Everything the seed decides, shared by the full cue, its cuts and its loop."""

    seed: int
    genre: str
    style: Style
    tonic: int
    mode: str
    scale_name: str
    scale: tuple[int, ...]
    flats: bool
    beats_per_bar: int
    bpm: float
    roles: dict[str, str]
    prog_a: tuple[Step, ...]
    prog_b: tuple[Step, ...]
    cadence: tuple[str, ...]
    chord_bars: int
    comp: str
    bass_style: str
    drum_family: str
    groove_variant: int
    swing: float
    arp_pattern: tuple[int, ...]
    riff: tuple[tuple[float, int], ...]  # (offset, voice) of a one-bar ostinato
    strum: str
    stabs: tuple[float, ...]
    lazy_comp: tuple[float, ...]
    motif_a: motifs.Motif
    motif_a_var: motifs.Motif
    motif_a_var2: motifs.Motif
    motif_b: motifs.Motif
    motif_b_var: motifs.Motif
    seq_a: int
    seq_b: int
    melody_tonic: int  # MIDI pitch of the tonic the melody's steps count from
    hum_time: tuple[float, ...]
    hum_vel: tuple[float, ...]

    def chord(self, numeral: str) -> ChordSpec:
        """A numeral of this key and scale as a chord."""
        return parse_numeral(numeral, self.tonic, self.scale, self.flats)

    @property
    def scale_pcs(self) -> tuple[int, ...]:
        """The scale's pitch classes, tonic first."""
        return tuple((self.tonic + i) % 12 for i in self.scale)


def draw_material(brief: Brief, seed: int) -> Material:
    """The material for (brief, seed); the brief's duration and hit points are never read."""
    style = STYLES.get(brief.genre, STYLES["corporate"])
    bpb = brief.beats_per_bar
    roles = assign_parts(brief.instruments)

    rng = stream(seed, "scale")
    scale_options = style.scales.get(brief.mode, (brief.mode,))
    scale_name = scale_options[int(rng.integers(len(scale_options)))]

    rng = stream(seed, "progression")
    a_options = style.progressions[scale_name]
    prog_a = parse_progression(a_options[int(rng.integers(len(a_options)))])
    b_options = style.b_progressions.get(scale_name) or a_options
    prog_b = parse_progression(b_options[int(rng.integers(len(b_options)))])
    cadences = style.cadences[scale_name]
    cadence = tuple(cadences[int(rng.integers(len(cadences)))].split())
    chord_bars = int(style.chord_bars[int(rng.integers(len(style.chord_bars)))])

    rng = stream(seed, "arrangement")
    comp = _pick_comp(style, roles.get("harmony"), rng)
    bass_style = style.bass[int(rng.integers(len(style.bass)))]
    drum_family = "brush" if roles.get("drums") == "brush_drums" else style.groove
    groove_variant = int(rng.integers(1 << 16))
    lo, hi = style.swing
    swing = round(float(rng.uniform(lo, hi)), 3) if bpb != 6 else 0.5
    arp_pattern = _ARP_PATTERNS[int(rng.integers(len(_ARP_PATTERNS)))]
    strum = _STRUMS[bpb if bpb in _STRUMS else 4][
        int(rng.integers(len(_STRUMS[bpb if bpb in _STRUMS else 4])))
    ]
    stabs = _STABS[int(rng.integers(len(_STABS)))]
    lazy_comp = _LAZY_COMPS[int(rng.integers(len(_LAZY_COMPS)))]
    riff = _draw_riff(rng, bpb)

    grid = style.melody_grid
    if brief.bpm < SLOW_BPM:
        grid = max(grid, 0.5)  # slow tunes move in eighths; sixteenths would be heard as the beat
    density = style.melody_density * (0.8 + 0.4 * float(np.clip(brief.arousal, 0.0, 1.0)))
    motif_a = motifs.draw_motif(stream(seed, "motif-a"), bpb, density, grid)
    count_a = len(motif_a.notes)
    density_b = density * (0.7 if count_a >= 7 else 1.3)
    motif_b = motifs.draw_motif(stream(seed, "motif-b"), bpb, density_b, grid, start_choices=(2, 4, 5))
    rng = stream(seed, "development")
    motif_a_var = motifs.vary_rhythm(motif_a, rng, grid)
    motif_a_var2 = motifs.vary_rhythm(motifs.invert(motif_a), rng, grid)
    motif_b_var = motifs.vary_rhythm(motif_b, rng, grid)
    seq_a = int(rng.choice([-2, -1, 1, 2, 3]))
    seq_b = int(rng.choice([-1, 1, 2]))

    rng = stream(seed, "humanise")
    hum_time = tuple(round(float(x), 4) for x in np.clip(rng.normal(0.0, 0.45, 64), -1, 1))
    hum_vel = tuple(round(float(x), 4) for x in np.clip(rng.normal(0.0, 0.45, 64), -1, 1))

    low, high = melody_range(roles.get("melody", "piano"))
    return Material(
        seed=seed,
        genre=brief.genre,
        style=style,
        tonic=brief.tonic,
        mode=brief.mode,
        scale_name=scale_name,
        scale=SCALES[scale_name],
        flats=uses_flats(brief.tonic, brief.mode),
        beats_per_bar=bpb,
        bpm=float(brief.bpm),
        roles=roles,
        prog_a=prog_a,
        prog_b=prog_b,
        cadence=cadence,
        chord_bars=chord_bars,
        comp=comp,
        bass_style=bass_style,
        drum_family=drum_family,
        groove_variant=groove_variant,
        swing=swing,
        arp_pattern=arp_pattern,
        riff=riff,
        strum=strum,
        stabs=stabs,
        lazy_comp=lazy_comp,
        motif_a=motif_a,
        motif_a_var=motif_a_var,
        motif_a_var2=motif_a_var2,
        motif_b=motif_b,
        motif_b_var=motif_b_var,
        seq_a=seq_a,
        seq_b=seq_b,
        melody_tonic=_home_tonic(brief.tonic, low, high),
        hum_time=hum_time,
        hum_vel=hum_vel,
    )


def parse_progression(text: str) -> tuple[Step, ...]:
    """'I V vi IV,V' -> (('I',), ('V',), ('vi',), ('IV', 'V'))."""
    return tuple(tuple(token.split(",")) for token in text.split())


def _pick_comp(style: Style, instrument: str | None, rng: np.random.Generator) -> str:
    """A comping pattern of the genre that the harmony instrument can actually play."""
    if style.name == "piano":
        options = list(_PIANO_COMPS) if instrument in _KEYS else ["arp", "block"]
    elif instrument in GUITARS:
        fallback = ["power8"] if instrument == "distorted_guitar" else ["strum"]
        options = [c for c in style.comp if c in _GUITAR_COMPS] or fallback
    else:
        options = [c for c in style.comp if c not in _GUITAR_COMPS] or ["pulse"]
    return options[int(rng.integers(len(options)))]


def _draw_riff(rng: np.random.Generator, bpb: int) -> tuple[tuple[float, int], ...]:
    step = 1.0 if bpb == 6 else 0.5
    slots = round(bpb / step)
    out = [(0.0, 0)]
    for i in range(1, slots):
        if rng.random() < 0.7:
            out.append((i * step, int(rng.integers(0, 4))))
    return tuple(out)


def _home_tonic(tonic: int, low: int, high: int) -> int:
    """The tonic pitch that lets a melody move about a fifth below and an octave and more above."""
    center = (low + high) / 2 - 4
    candidates = [p for p in range(low - 12, high + 12) if p % 12 == tonic]
    return min(candidates, key=lambda p: (abs(p - center), p))
