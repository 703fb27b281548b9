"""Which instrument plays which part, in what register, and how each part sits in the mix."""

from __future__ import annotations

from generation.engine.brief import INSTRUMENT_ROLES, ROLES
from generation.engine.compose.styles import Style

# Comfortable melodic range (MIDI) of each instrument that can carry a tune.
MELODY_RANGES: dict[str, tuple[int, int]] = {
    "piano": (60, 84),
    "electric_piano": (57, 81),
    "organ": (55, 84),
    "celesta": (72, 96),
    "marimba": (60, 88),
    "vibraphone": (60, 89),
    "glockenspiel": (79, 103),
    "kalimba": (60, 88),
    "acoustic_guitar": (55, 79),
    "electric_guitar": (55, 84),
    "distorted_guitar": (55, 79),
    "harp": (55, 88),
    "sitar": (55, 79),
    "banjo": (60, 84),
    "strings": (60, 88),
    "violin": (62, 93),
    "cello": (48, 72),
    "pizzicato_strings": (60, 86),
    "brass": (55, 79),
    "trumpet": (58, 82),
    "french_horn": (50, 74),
    "flute": (67, 93),
    "clarinet": (55, 84),
    "choir": (57, 79),
    "pan_flute": (67, 91),
    "saxophone": (55, 81),
    "synth_pad": (60, 84),
    "synth_lead": (60, 86),
    "arp_synth": (60, 86),
    "pluck_synth": (60, 86),
}
# Where the bass part puts its roots: (lowest root, highest note).
BASS_RANGES: dict[str, tuple[int, int]] = {
    "acoustic_bass": (31, 55),
    "electric_bass": (31, 55),
    "synth_bass": (29, 53),
    "sub_bass": (26, 50),
    "cello": (36, 60),
}
GUITARS = {"acoustic_guitar", "electric_guitar", "distorted_guitar", "banjo", "harp"}
SUSTAINED = {"strings", "synth_pad", "organ", "choir", "brass", "french_horn"}

_GAIN_DB = {
    "drums": -2.0,
    "percussion": -7.0,
    "bass": -4.0,
    "harmony": -6.0,
    "melody": -3.0,
    "texture": -10.0,
}
_PAN = {"drums": 0.0, "percussion": 0.35, "bass": 0.0, "harmony": -0.25, "melody": 0.12, "texture": 0.0}
_REVERB_SCALE = {"drums": 0.6, "percussion": 0.8, "bass": 0.25, "harmony": 1.0, "melody": 0.9, "texture": 1.3}
_DUCKED = {"bass": 1.0, "harmony": 0.8, "texture": 1.0, "melody": 0.3}


def assign_parts(instruments: tuple[str, ...]) -> dict[str, str]:
    """Role -> instrument: each role takes the first instrument of the brief that can play it and is
    still free. A melody may reuse the harmony instrument when nothing else can carry it (solo piano)."""
    roles: dict[str, str] = {}
    used: set[str] = set()
    for role in ROLES:
        candidates = [i for i in instruments if role in INSTRUMENT_ROLES.get(i, ())]
        free = [i for i in candidates if i not in used]
        if free:
            roles[role] = free[0]
            used.add(free[0])
        elif role == "melody" and candidates:
            roles[role] = candidates[0]
    if not any(role in roles for role in ("bass", "harmony", "melody", "texture")):
        roles["harmony"] = "piano"  # a cue without pitched parts would have no key at all
    return roles


def mix_settings(role: str, instrument: str, style: Style, shared: bool, has_drums: bool) -> dict[str, float]:
    """gain_db, pan, reverb and sidechain for one part."""
    gain = _GAIN_DB.get(role, -4.0)
    if instrument == "noise_texture":
        gain = -18.0
    elif instrument == "drone":
        gain = -12.0
    pan = 0.0 if shared else _PAN.get(role, 0.0)
    reverb = min(0.9, style.reverb * _REVERB_SCALE.get(role, 1.0))
    sidechain = style.sidechain * _DUCKED.get(role, 0.0) if has_drums else 0.0
    return {"gain_db": gain, "pan": pan, "reverb": round(reverb, 3), "sidechain": round(sidechain, 3)}


def melody_range(instrument: str) -> tuple[int, int]:
    """The melodic range of an instrument (a middle range for ones not listed)."""
    return MELODY_RANGES.get(instrument, (60, 84))


def bass_range(instrument: str) -> tuple[int, int]:
    """(lowest root, highest note) for the bass part."""
    return BASS_RANGES.get(instrument, (31, 55))
