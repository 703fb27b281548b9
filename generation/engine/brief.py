"""The Brief: everything the composer needs to know, resolved from a prompt and explicit parameters."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from common.vocabulary import ENERGIES, GENRES, INSTRUMENTS, METERS, MODES, MOODS, PITCH_CLASSES

__all__ = ["ENERGIES", "GENRES", "INSTRUMENTS", "METERS", "MODES", "MOODS", "PITCH_CLASSES", "Brief"]

SAMPLE_RATE = 44100

BPM_MIN, BPM_MAX = 40.0, 220.0
DURATION_MIN, DURATION_MAX = 5.0, 600.0
PROMPT_MAX_CHARS = 500


@dataclass(frozen=True)
class Brief:
    """A resolved description of one cue. Every field has a concrete value; nothing is left to chance
    except what the seed decides inside the composer."""

    prompt: str
    genre: str
    moods: tuple[str, ...]
    bpm: float
    key: str  # tonic pitch class, one of PITCH_CLASSES
    mode: str  # "major" or "minor"
    meter: str  # one of METERS
    duration_s: float
    instruments: tuple[str, ...]
    energy: str  # one of ENERGIES
    hits: tuple[float, ...] = ()
    # valence in [-1, 1] (sad..happy) and arousal in [0, 1] (calm..energetic), from the moods
    valence: float = 0.0
    arousal: float = 0.5
    # which values were given explicitly (prompt numbers or parameters), for the manifest
    explicit: tuple[str, ...] = field(default=())

    @property
    def tonic(self) -> int:
        """Pitch class of the key's tonic, 0 = C."""
        return PITCH_CLASSES.index(self.key)

    @property
    def beats_per_bar(self) -> int:
        return {"4/4": 4, "3/4": 3, "6/8": 6}[self.meter]

    def to_dict(self) -> dict:
        data = asdict(self)
        for name in ("moods", "instruments", "hits", "explicit"):
            data[name] = list(data[name])
        return data


# The parts an instrument can play. The composer gives each part to the first instrument of the
# brief that can take it; the parser uses it to let an instrument the prompt names replace a default.
ROLES = ("drums", "percussion", "bass", "harmony", "melody", "texture")

INSTRUMENT_ROLES: dict[str, tuple[str, ...]] = {
    "acoustic_drums": ("drums",),
    "electronic_drums": ("drums",),
    "trap_drums": ("drums",),
    "brush_drums": ("drums",),
    "hand_percussion": ("percussion",),
    "taiko": ("percussion",),
    "timpani": ("percussion",),
    "acoustic_bass": ("bass",),
    "electric_bass": ("bass",),
    "synth_bass": ("bass",),
    "sub_bass": ("bass",),
    "piano": ("harmony", "melody"),
    "electric_piano": ("harmony", "melody"),
    "organ": ("harmony", "texture"),
    "celesta": ("melody", "texture"),
    "marimba": ("melody", "harmony"),
    "vibraphone": ("melody", "harmony"),
    "glockenspiel": ("melody", "texture"),
    "kalimba": ("melody", "harmony"),
    "acoustic_guitar": ("harmony", "melody"),
    "electric_guitar": ("harmony", "melody"),
    "distorted_guitar": ("harmony", "melody"),
    "harp": ("harmony", "melody"),
    "sitar": ("melody",),
    "banjo": ("harmony", "melody"),
    "strings": ("harmony", "texture", "melody"),
    "violin": ("melody",),
    "cello": ("melody", "bass"),
    "pizzicato_strings": ("harmony", "melody"),
    "brass": ("harmony", "melody"),
    "trumpet": ("melody",),
    "french_horn": ("melody", "harmony"),
    "flute": ("melody",),
    "clarinet": ("melody",),
    "choir": ("texture", "harmony"),
    "pan_flute": ("melody",),
    "saxophone": ("melody",),
    "synth_pad": ("texture", "harmony"),
    "synth_lead": ("melody",),
    "arp_synth": ("harmony", "texture"),
    "pluck_synth": ("harmony", "melody"),
    "drone": ("texture",),
    "noise_texture": ("texture",),
}
assert set(INSTRUMENT_ROLES) == set(INSTRUMENTS)
