"""The marketplace's music vocabulary: genres, moods, instruments, keys, modes and energies.

Pure Python, shared by the engine (which composes from these words) and the catalog (which files and
filters tracks by them), so both always speak the same words.
"""

from __future__ import annotations

ENERGIES = ("low", "medium", "high")
MODES = ("major", "minor")
METERS = ("4/4", "3/4", "6/8")

# Pitch classes, sharps as canonical spelling; flats are accepted by the parser.
PITCH_CLASSES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")

GENRES = (
    "cinematic",
    "ambient",
    "lofi",
    "corporate",
    "house",
    "synthwave",
    "rock",
    "folk",
    "jazz",
    "trap",
    "piano",
    "world",
)

MOODS = (
    "dark",
    "tense",
    "sad",
    "melancholic",
    "calm",
    "dreamy",
    "mysterious",
    "romantic",
    "happy",
    "uplifting",
    "bright",
    "playful",
    "triumphant",
    "epic",
    "energetic",
    "aggressive",
    "nostalgic",
    "hopeful",
)

# Canonical instrument names. The renderer maps each to a General MIDI program or a torch DSP voice.
INSTRUMENTS = (
    # drums and percussion
    "acoustic_drums",
    "electronic_drums",
    "trap_drums",
    "brush_drums",
    "hand_percussion",
    "taiko",
    "timpani",
    # bass
    "acoustic_bass",
    "electric_bass",
    "synth_bass",
    "sub_bass",
    # keys and mallets
    "piano",
    "electric_piano",
    "organ",
    "celesta",
    "marimba",
    "vibraphone",
    "glockenspiel",
    "kalimba",
    # guitars and plucked
    "acoustic_guitar",
    "electric_guitar",
    "distorted_guitar",
    "harp",
    "sitar",
    "banjo",
    # orchestra
    "strings",
    "violin",
    "cello",
    "pizzicato_strings",
    "brass",
    "trumpet",
    "french_horn",
    "flute",
    "clarinet",
    "choir",
    "pan_flute",
    "saxophone",
    # synths and textures
    "synth_pad",
    "synth_lead",
    "arp_synth",
    "pluck_synth",
    "drone",
    "noise_texture",
)
