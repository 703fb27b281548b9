"""Per-genre idioms: progressions, cadences, grooves, comping and bass styles, feel and mix.

Progressions are roman numerals relative to the scale ("VI" in minor is the flat sixth), one token per
progression step; "a,b" splits a step in two. Each A progression starts and ends on the tonic and
holds the tonic longer than any other chord, so the key is never in doubt.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Style:
    """How one genre is written."""

    name: str
    progressions: dict[str, tuple[str, ...]]  # scale name -> A-section progressions (seed picks one)
    b_progressions: dict[str, tuple[str, ...]]  # scale name -> B-section progressions
    cadences: dict[str, tuple[str, ...]]  # scale name -> the chords that lead into the final tonic
    scales: dict[str, tuple[str, ...]] = field(
        default_factory=lambda: {"major": ("major",), "minor": ("minor",)}
    )
    chord_bars: tuple[int, ...] = (1,)  # bars per progression step (seed picks)
    groove: str = "pop"  # drum family
    percussion: str = "shaker"  # hand percussion family
    comp: tuple[str, ...] = ("block",)  # harmony part patterns (seed picks)
    bass: tuple[str, ...] = ("roots",)
    swing: tuple[float, float] = (0.5, 0.5)  # long/short ratio range of swung pairs (0.5 is straight)
    swing_unit: float = 0.5  # beats: the shorter note of a swung pair
    humanise_ms: float = 0.0
    humanise_vel: int = 0
    melody_density: float = 1.0  # 0.5 sparse .. 1.5 busy
    melody_grid: float = 0.25  # finest melodic subdivision, beats
    reverb: float = 0.25
    sidechain: float = 0.0
    electronic: bool = False
    subdivide: bool = True  # whether pulsing chords move in eighths (else on the beat)


STYLES: dict[str, Style] = {
    s.name: s
    for s in (
        Style(
            "cinematic",
            progressions={
                "minor": (
                    "i VI III VII i VI VII i",
                    "i iv VI V i iv V i",
                    "i VI iv V i VI V i",
                    "i III VII iv i VI V i",
                ),
                "major": ("I V vi IV I V IV I", "I IV vi V I IV V I", "I bVI bVII I I IV V I"),
            },
            b_progressions={
                "minor": ("VI III VII i VI iv V i", "iv VI i V iv VI V i", "VI VII i i VI VII V i"),
                "major": ("vi IV I V vi IV V I", "IV V iii vi IV I V I"),
            },
            cadences={"minor": ("iv V", "VI V", "VI VII"), "major": ("IV V", "bVI bVII", "ii V")},
            chord_bars=(1, 2),
            groove="cinematic",
            percussion="cinematic",
            comp=("pulse", "arp"),
            bass=("long", "ostinato"),
            humanise_ms=6.0,
            humanise_vel=6,
            melody_density=0.7,
            melody_grid=0.5,
            reverb=0.45,
        ),
        Style(
            "ambient",
            progressions={
                "major": (
                    "Iadd9 IVmaj7 Iadd9 vi7 IVmaj7 Iadd9 Vsus4 Iadd9",
                    "Iadd9 Iadd9 IVadd9 vi7 Iadd9 iii7 IVmaj7 I",
                    "Iadd9 vi7 IVmaj7 Isus2 Iadd9 V IVadd9 Iadd9",
                ),
                "minor": (
                    "iadd9 VImaj7 iadd9 iv9 i9 IIImaj7 VIIsus4 iadd9",
                    "iadd9 VImaj7 iadd9 VIIadd9 iadd9 iv7 VImaj7 iadd9",
                ),
            },
            b_progressions={
                "major": ("IVmaj7 vi7 Iadd9 Vsus4 IVmaj7 vi7 Vsus4 Iadd9",),
                "minor": ("VImaj7 iv9 i9 VIIsus4 VImaj7 iv9 VIIsus4 i9",),
            },
            cadences={"major": ("IVmaj7 Vsus4", "IVadd9 IVmaj7"), "minor": ("VImaj7 VIIsus4", "iv9 iv9")},
            chord_bars=(2,),
            groove="ambient",
            percussion="soft",
            subdivide=False,
            comp=("arp", "pulse"),
            bass=("drone",),
            humanise_ms=8.0,
            humanise_vel=6,
            melody_density=0.5,
            melody_grid=1.0,
            reverb=0.7,
        ),
        Style(
            "lofi",
            progressions={
                "major": (
                    "Imaj7 vi7 ii7 V7 Imaj7 vi7 ii7,V7 Imaj7",
                    "Imaj7 IVmaj7 iii7 vi7 ii7 V7 Imaj7 Imaj7",
                    "Imaj7 ii7 iii7 IVmaj7 Imaj7 vi7 ii7,V7 Imaj7",
                ),
                "minor": (
                    "i9 iv9 VImaj7 V7 i9 iv9 iiø,V7 i9",
                    "i7 VImaj7 iv7 v7 i7 VImaj7 iv7,V7 i7",
                    "i9 i9 iv9 VII7 IIImaj7 VImaj7 iiø,V7 i9",
                ),
            },
            b_progressions={
                "major": ("IVmaj7 iii7 vi7 Imaj7 IVmaj7 iii7 ii7,V7 Imaj7",),
                "minor": ("VImaj7 iv9 i9 VII7 VImaj7 iv9 V7 i9",),
            },
            cadences={"major": ("ii7 V7", "IVmaj7 V7"), "minor": ("iiø V7", "iv9 V7")},
            groove="boombap",
            percussion="shaker",
            comp=("jazzy", "block"),
            bass=("boombap",),
            swing=(0.57, 0.63),
            swing_unit=0.25,
            humanise_ms=12.0,
            humanise_vel=10,
            melody_density=0.8,
            reverb=0.3,
        ),
        Style(
            "corporate",
            progressions={
                "major": (
                    "I V vi IV I V IV I",
                    "I IV vi V I IV V I",
                    "I vi IV V I vi V I",
                    "Iadd9 V vi IV Iadd9 V IV,V Iadd9",
                ),
                "minor": ("i VI III VII i VI VII i", "i iv VI VII i iv VII i"),
            },
            b_progressions={
                "major": ("vi IV I V vi IV V I", "IV I V vi IV I V I"),
                "minor": ("VI VII i III VI VII V i",),
            },
            cadences={"major": ("IV V", "ii V"), "minor": ("VI VII", "iv V")},
            groove="pop",
            percussion="shaker",
            comp=("pulse", "strum", "block"),
            bass=("pulse", "roots"),
            melody_density=1.0,
            reverb=0.2,
        ),
        Style(
            "house",
            progressions={
                "minor": (
                    "i7 iv7 i7 iv7 i7 iv7 i7 VII",
                    "i7 VImaj7 i7 VII i9 VImaj7 iv7 i7",
                    "i7 i7 VImaj7 VII i7 i7 iv7 VII",
                ),
                "major": (
                    "Imaj7 IVmaj7 Imaj7 IVmaj7 Imaj7 vi7 ii7 Imaj7",
                    "Imaj7 ii7 Imaj7 IVmaj7 Imaj7 ii7 IVmaj7 V",
                ),
            },
            b_progressions={
                "minor": ("VImaj7 VII i7 i7 VImaj7 VII iv7 i7",),
                "major": ("vi7 IVmaj7 Imaj7 V vi7 IVmaj7 V Imaj7",),
            },
            cadences={"minor": ("VImaj7 VII", "iv7 V7"), "major": ("IVmaj7 V", "ii7 V")},
            groove="house",
            percussion="shaker",
            comp=("stabs", "pulse"),
            bass=("offbeat", "octave"),
            melody_density=0.9,
            reverb=0.15,
            sidechain=0.6,
            electronic=True,
        ),
        Style(
            "synthwave",
            progressions={
                "minor": (
                    "i VI III VII i VI VII i",
                    "i VII VI VII i i VI,VII i",
                    "i VI VII i i VI VII V",
                    "i iv VI VII i iv VI,VII i",
                ),
                "major": ("I V vi IV I V IV I", "I vi IV V I vi IV I"),
            },
            b_progressions={"minor": ("VI VII i III VI VII i i",), "major": ("vi IV I V vi IV V I",)},
            cadences={"minor": ("VI VII", "iv V"), "major": ("IV V",)},
            groove="synthwave",
            percussion="shaker",
            comp=("arp", "pulse"),
            bass=("octave", "pulse"),
            melody_density=0.9,
            reverb=0.35,
            sidechain=0.55,
            electronic=True,
        ),
        Style(
            "rock",
            progressions={
                "major": (
                    "I5 bVII5 IV5 I5 I5 bVII5 IV5,V5 I5",
                    "I5 IV5 V5 I5 I5 IV5 bVII5 I5",
                    "I5 V5 bVII5 IV5 I5 V5 IV5 I5",
                ),
                "minor": (
                    "i5 VI5 VII5 i5 i5 VI5 VII5 i5",
                    "i5 III5 VII5 i5 i5 iv5 VI5,VII5 i5",
                    "i5 VII5 VI5 i5 i5 VII5 iv5 i5",
                ),
            },
            b_progressions={
                "major": ("IV5 V5 I5 I5 IV5 V5 bVII5 I5",),
                "minor": ("VI5 VII5 i5 i5 iv5 VI5 VII5 i5",),
            },
            cadences={"major": ("IV5 V5", "bVII5 IV5"), "minor": ("VI5 VII5", "iv5 V5")},
            groove="rock",
            percussion="shaker",
            comp=("power", "power8"),
            bass=("pulse", "roots8"),
            humanise_ms=3.0,
            humanise_vel=5,
            melody_density=1.0,
            reverb=0.2,
        ),
        Style(
            "folk",
            progressions={
                "major": ("I IV I V I IV V I", "I V IV I I IV V I", "I vi IV V I IV V I"),
                "minor": ("i VII i v i VII VI,VII i", "i iv VII III i iv v i", "i VI VII i i VI v i"),
            },
            b_progressions={
                "major": ("IV I V vi IV I V I", "vi IV I V IV I V I"),
                "minor": ("III VII i v VI VII v i",),
            },
            cadences={"major": ("IV V",), "minor": ("VI VII", "iv v")},
            groove="folk",
            percussion="folk",
            comp=("strum", "fingerpick"),
            bass=("root_fifth",),
            humanise_ms=8.0,
            humanise_vel=8,
            melody_density=0.9,
            reverb=0.25,
        ),
        Style(
            "jazz",
            progressions={
                "major": (
                    "Imaj7 vi7 ii7 V7 Imaj7 IVmaj7 ii7,V7 Imaj7",
                    "I6 I6 ii7 V7 I6 IVmaj7 ii7,V7 I6",
                    "Imaj7 IV7 Imaj7 VI7 ii7 V7 Imaj7 Imaj7",
                ),
                "minor": (
                    "i7 iv7 iiø,V7 i7 i7 VImaj7 iiø,V7 i7",
                    "i9 i9 iv9 VII7 IIImaj7 VImaj7 iiø,V7 i9",
                    "i6 iv7 i6 VImaj7 iiø V7 i6 i6",
                ),
            },
            b_progressions={
                "major": ("IVmaj7 iv7 iii7 VI7 ii7 V7 Imaj7 Imaj7",),
                "minor": ("iv7 VII7 IIImaj7 VImaj7 iiø V7 i7 i7",),
            },
            cadences={"major": ("ii7 V7",), "minor": ("iiø V7",)},
            groove="jazz",
            percussion="soft",
            comp=("charleston", "jazzy"),
            bass=("walking",),
            swing=(0.6, 0.67),
            swing_unit=0.5,
            humanise_ms=10.0,
            humanise_vel=10,
            melody_density=1.1,
            melody_grid=0.5,
            reverb=0.3,
        ),
        Style(
            "trap",
            progressions={
                "minor": ("i VI i VII i VI i iv", "i iv i VI i iv i V", "i VI i VI i VI i VII"),
                "major": ("I vi I IV I vi I V",),
            },
            b_progressions={"minor": ("VI VII i i VI VII i i",), "major": ("IV V I I IV V vi I",)},
            cadences={"minor": ("VI VII", "iv V"), "major": ("IV V",)},
            chord_bars=(1, 2),
            groove="trap",
            percussion="shaker",
            comp=("sustain", "arp"),
            bass=("808",),
            melody_density=0.9,
            reverb=0.15,
            electronic=True,
        ),
        Style(
            "piano",
            progressions={
                "major": ("I V vi IV I IV V I", "I vi IV V I iii IV,V I", "Imaj7 IVmaj7 vi7 V I IV V I"),
                "minor": ("i iv VII III i iv V i", "i VI iv V i VI V i", "i III iv V i VI iv,V i"),
            },
            b_progressions={
                "major": ("vi IV I V vi IV V I", "IV V iii vi IV V I I"),
                "minor": ("VI VII i i iv VI V i",),
            },
            cadences={"major": ("IV V", "ii V"), "minor": ("iv V", "VI V")},
            groove="ambient",
            percussion="soft",
            comp=("piano_broken", "piano_arp", "piano_block"),
            bass=("roots",),
            humanise_ms=8.0,
            humanise_vel=10,
            melody_density=0.9,
            reverb=0.35,
        ),
        Style(
            "world",
            progressions={
                "mixolydian": ("I I VII I I VII IV I", "I IV I VII I IV VII I"),
                "major": ("I IV I V I IV V I", "I I IV I I V IV I"),
                "dorian": ("i i IV i i IV VII i", "i IV i v i IV VII i"),
                "phrygian": ("i II i VII i II i i", "i i II i i vii II i"),
                "minor": ("i i VII VI i VII VI i", "i iv i VII i iv VI i"),
            },
            b_progressions={
                "mixolydian": ("IV I VII I IV VII I I",),
                "major": ("IV I V I IV V I I",),
                "dorian": ("IV i VII i IV v i i",),
                "phrygian": ("II i VII i II VII i i",),
                "minor": ("VI VII i i iv VII i i",),
            },
            cadences={
                "mixolydian": ("IV VII",),
                "major": ("IV V",),
                "dorian": ("IV VII",),
                "phrygian": ("VII II",),
                "minor": ("VI VII",),
            },
            scales={"major": ("mixolydian", "major"), "minor": ("dorian", "phrygian", "minor")},
            groove="world",
            percussion="world",
            comp=("ostinato", "arp"),
            bass=("tresillo", "pedal"),
            humanise_ms=8.0,
            humanise_vel=8,
            melody_density=1.0,
            reverb=0.35,
        ),
    )
}
