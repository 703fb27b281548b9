"""How each canonical instrument sounds: a General MIDI preset, a synthesised voice, or both.

Instruments with a GM preset are played from the SoundFont when one is available; without a SoundFont
they fall back to the synthesised voice named here, so every instrument always makes a sound.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GMPreset:
    """Where an instrument lives in a General MIDI SoundFont."""

    program: int
    bank: int = 0
    drums: bool = False
    # a drum kit tried first (bank 128 program), falling back to `program` when the font lacks it
    preferred: int | None = None


GM_PRESETS: dict[str, GMPreset] = {
    "acoustic_drums": GMPreset(0, bank=128, drums=True),
    "brush_drums": GMPreset(0, bank=128, drums=True, preferred=40),
    "hand_percussion": GMPreset(0, bank=128, drums=True),
    "taiko": GMPreset(116),
    "timpani": GMPreset(47),
    "acoustic_bass": GMPreset(32),
    "electric_bass": GMPreset(33),
    "piano": GMPreset(0),
    "electric_piano": GMPreset(4),
    "organ": GMPreset(16),
    "celesta": GMPreset(8),
    "marimba": GMPreset(12),
    "vibraphone": GMPreset(11),
    "glockenspiel": GMPreset(9),
    "kalimba": GMPreset(108),
    "acoustic_guitar": GMPreset(25),
    "electric_guitar": GMPreset(27),
    "distorted_guitar": GMPreset(30),
    "harp": GMPreset(46),
    "sitar": GMPreset(104),
    "banjo": GMPreset(105),
    "strings": GMPreset(48),
    "violin": GMPreset(40),
    "cello": GMPreset(42),
    "pizzicato_strings": GMPreset(45),
    "brass": GMPreset(61),
    "trumpet": GMPreset(56),
    "french_horn": GMPreset(60),
    "flute": GMPreset(73),
    "clarinet": GMPreset(71),
    "choir": GMPreset(52),
    "pan_flute": GMPreset(75),
    "saxophone": GMPreset(65),
}

# The synthesised voice for every instrument: the only voice of the synth instruments, the fallback of
# the GM ones. Voice names are the keys of synth.VOICES and drums.KITS.
SYNTH_VOICE: dict[str, str] = {
    "acoustic_drums": "kit:acoustic",
    "electronic_drums": "kit:electronic",
    "trap_drums": "kit:trap",
    "brush_drums": "kit:acoustic",
    "hand_percussion": "kit:acoustic",
    "taiko": "big_drum",
    "timpani": "big_drum",
    "acoustic_bass": "round_bass",
    "electric_bass": "round_bass",
    "synth_bass": "synth_bass",
    "sub_bass": "sub_bass",
    "piano": "keys",
    "electric_piano": "keys",
    "organ": "organ",
    "celesta": "mallet",
    "marimba": "mallet",
    "vibraphone": "mallet",
    "glockenspiel": "mallet",
    "kalimba": "mallet",
    "acoustic_guitar": "pluck_synth",
    "electric_guitar": "pluck_synth",
    "distorted_guitar": "synth_lead",
    "harp": "pluck_synth",
    "sitar": "pluck_synth",
    "banjo": "pluck_synth",
    "strings": "ensemble",
    "violin": "ensemble",
    "cello": "ensemble",
    "pizzicato_strings": "pluck_synth",
    "brass": "brass",
    "trumpet": "brass",
    "french_horn": "brass",
    "flute": "woodwind",
    "clarinet": "woodwind",
    "choir": "ensemble",
    "pan_flute": "woodwind",
    "saxophone": "brass",
    "synth_pad": "synth_pad",
    "synth_lead": "synth_lead",
    "arp_synth": "arp_synth",
    "pluck_synth": "pluck_synth",
    "drone": "drone",
    "noise_texture": "noise_texture",
}
