"""What the prompt parser knows about genres, moods and instruments, as data.

Every entry carries phrases that describe it in the words people use in prompts. The parser embeds
the phrases (or, without embeddings, matches their words) and maps free text onto the nearest entries.
"""

from __future__ import annotations

from dataclasses import dataclass

from .brief import GENRES, INSTRUMENTS, METERS, MODES, MOODS, PITCH_CLASSES


@dataclass(frozen=True)
class GenreProfile:
    """A genre: how prompts describe it and the musical defaults it implies."""

    name: str
    phrases: tuple[str, ...]
    bpm_range: tuple[int, int]
    meters: tuple[str, ...]  # preferred first
    mode: str  # the mode to use when the moods do not lean either way
    instruments: tuple[str, ...]  # defaults, most essential first within each role
    major_keys: tuple[str, ...]
    minor_keys: tuple[str, ...]
    keywords: tuple[str, ...] = ()  # literal names that mark the genre beyond doubt
    moods: tuple[str, ...] = ()  # the moods it usually carries, used when a prompt names none

    @property
    def description(self) -> str:
        """The phrases as one line of text."""
        return ", ".join(self.phrases)


@dataclass(frozen=True)
class MoodProfile:
    """A mood: how prompts describe it, with valence (-1 sad .. 1 happy) and arousal (0 calm .. 1 wild)."""

    name: str
    phrases: tuple[str, ...]
    valence: float
    arousal: float

    @property
    def description(self) -> str:
        """The phrases as one line of text."""
        return ", ".join(self.phrases)


GENRE_PROFILES: dict[str, GenreProfile] = {
    p.name: p
    for p in (
        GenreProfile(
            "cinematic",
            (
                "cinematic orchestral film score",
                "epic trailer music",
                "orchestra with strings, brass and choir",
                "movie soundtrack",
                "suspense thriller and horror film music",
                "heroic adventure, battle and fantasy score",
            ),
            (70, 120),
            ("4/4", "6/8", "3/4"),
            "minor",
            ("timpani", "strings", "brass", "piano", "french_horn", "choir"),
            ("C", "D", "F", "G", "D#"),
            ("D", "C", "A", "E", "G"),
            ("cinematic", "orchestral", "trailer", "film score", "soundtrack"),
            moods=("epic", "tense", "dark", "triumphant"),
        ),
        GenreProfile(
            "ambient",
            (
                "ambient soundscape",
                "meditation and relaxation music",
                "atmospheric drones and pads",
                "dark ambient space atmosphere",
                "sleep, yoga and spa background",
            ),
            (60, 90),
            ("4/4", "3/4"),
            "major",
            ("synth_pad", "piano", "drone"),
            ("C", "D", "E", "F", "G", "A"),
            ("A", "D", "E", "C", "F#"),
            ("ambient", "soundscape", "meditation", "drone music"),
            moods=("calm", "dreamy", "mysterious"),
        ),
        GenreProfile(
            "lofi",
            (
                "lo-fi hip hop beats",
                "chillhop beats to study and relax to",
                "lofi jazzy hip hop with vinyl crackle",
                "mellow boom bap beat",
            ),
            (70, 90),
            ("4/4",),
            "minor",
            ("acoustic_drums", "electric_bass", "electric_piano", "noise_texture"),
            ("F", "C", "D#", "G#", "D"),
            ("A", "D", "E", "F", "C"),
            ("lofi", "lo-fi", "lo fi", "chillhop", "chill hop", "boom bap"),
            moods=("calm", "nostalgic", "melancholic", "dreamy"),
        ),
        GenreProfile(
            "corporate",
            (
                "upbeat corporate background music",
                "business presentation and commercial",
                "positive advertising and explainer video",
                "motivational technology promo",
            ),
            (100, 124),
            ("4/4",),
            "major",
            ("acoustic_drums", "electric_bass", "piano", "acoustic_guitar", "pluck_synth"),
            ("C", "D", "G", "A", "E"),
            ("A", "E", "D"),
            ("corporate", "commercial", "presentation", "explainer"),
            moods=("uplifting", "bright", "hopeful", "happy"),
        ),
        GenreProfile(
            "house",
            (
                "house music",
                "four on the floor club dance track",
                "deep house and tech house groove",
                "edm dance floor, dj set",
            ),
            (120, 128),
            ("4/4",),
            "minor",
            ("electronic_drums", "synth_bass", "piano", "synth_pad"),
            ("F", "G", "A", "C"),
            ("A", "F", "G", "C", "D"),
            ("deep house", "tech house", "house music", "house track", "edm", "four on the floor"),
            moods=("energetic", "happy", "uplifting"),
        ),
        GenreProfile(
            "synthwave",
            (
                "synthwave, retrowave, outrun",
                "80s retro neon night drive",
                "analog synthesizers and arpeggios",
                "cyberpunk retro futuristic",
            ),
            (80, 118),
            ("4/4",),
            "minor",
            ("electronic_drums", "synth_bass", "arp_synth", "synth_lead", "synth_pad"),
            ("C", "F", "G", "D"),
            ("A", "E", "F#", "C#", "D"),
            ("synthwave", "retrowave", "outrun", "vaporwave", "cyberpunk"),
            moods=("nostalgic", "dreamy", "energetic"),
        ),
        GenreProfile(
            "rock",
            (
                "rock band with electric guitars",
                "heavy guitar riffs, hard rock and metal",
                "indie and alternative rock anthem",
                "punk rock energy",
            ),
            (100, 150),
            ("4/4",),
            "minor",
            ("acoustic_drums", "electric_bass", "distorted_guitar", "electric_guitar"),
            ("E", "A", "D", "G", "C"),
            ("E", "A", "B", "D", "F#"),
            ("rock", "metal", "punk", "grunge"),
            moods=("energetic", "aggressive", "triumphant"),
        ),
        GenreProfile(
            "folk",
            (
                "acoustic folk song",
                "campfire singer-songwriter guitar",
                "americana, country and bluegrass",
                "celtic and traditional fiddle tune",
            ),
            (85, 120),
            ("4/4", "3/4", "6/8"),
            "major",
            ("hand_percussion", "acoustic_bass", "acoustic_guitar", "banjo", "violin"),
            ("G", "D", "C", "A", "E"),
            ("E", "A", "D", "B"),
            ("folk", "americana", "bluegrass", "country", "celtic", "singer-songwriter"),
            moods=("hopeful", "nostalgic", "happy", "calm"),
        ),
        GenreProfile(
            "jazz",
            (
                "jazz combo",
                "smoky late night jazz club",
                "swing, bebop and jazz ballad",
                "saxophone and upright bass lounge",
            ),
            (90, 160),
            ("4/4", "3/4"),
            "minor",
            ("brush_drums", "acoustic_bass", "piano", "saxophone"),
            ("F", "A#", "D#", "C", "G"),
            ("C", "D", "G", "F"),
            ("jazz", "bebop", "swing", "bossa nova"),
            moods=("romantic", "calm", "playful", "melancholic"),
        ),
        GenreProfile(
            "trap",
            (
                "trap beat with 808s",
                "hard hip hop and rap instrumental",
                "drill beat with rolling hi-hats",
                "dark trap with heavy sub bass",
            ),
            (130, 150),
            ("4/4",),
            "minor",
            ("trap_drums", "sub_bass", "synth_pad", "glockenspiel"),
            ("C", "F", "G"),
            ("C#", "F#", "F", "A", "C"),
            ("trap", "drill", "rap", "808"),
            moods=("dark", "aggressive", "energetic"),
        ),
        GenreProfile(
            "piano",
            (
                "solo piano piece",
                "reflective piano solo",
                "intimate felt piano",
                "classical piano, neoclassical",
            ),
            (60, 100),
            ("4/4", "3/4"),
            "minor",
            ("piano",),
            ("C", "G", "D", "F", "D#"),
            ("A", "E", "D", "C", "F#"),
            ("solo piano", "piano solo", "felt piano", "neoclassical"),
            moods=("melancholic", "sad", "calm", "romantic"),
        ),
        GenreProfile(
            "world",
            (
                "world music",
                "african drums and percussion",
                "latin, middle eastern and asian traditional instruments",
                "tribal ethnic celebration",
                "indian sitar and tabla, andean pan flute",
            ),
            (90, 125),
            ("4/4", "6/8"),
            "major",
            ("hand_percussion", "taiko", "acoustic_bass", "kalimba", "pan_flute"),
            ("D", "G", "A", "C"),
            ("D", "E", "A", "B"),
            ("world music", "african", "tribal", "ethnic", "latin", "middle eastern", "bollywood"),
            moods=("happy", "energetic", "playful"),
        ),
    )
}

MOOD_PROFILES: dict[str, MoodProfile] = {
    m.name: m
    for m in (
        MoodProfile(
            "dark", ("dark", "ominous, sinister, spooky", "horror, gloomy night shadows"), -0.75, 0.4
        ),
        MoodProfile("tense", ("tense", "suspense, thriller, anxious", "danger, chase, heist"), -0.5, 0.7),
        MoodProfile("sad", ("sad", "sorrowful, grief, tears", "heartbreak and loss"), -0.8, 0.2),
        MoodProfile("melancholic", ("melancholic", "wistful, bittersweet", "rainy day longing"), -0.5, 0.25),
        MoodProfile(
            "calm", ("calm", "peaceful, relaxing, gentle", "soothing, serene, lullaby, sleep"), 0.3, 0.1
        ),
        MoodProfile("dreamy", ("dreamy", "ethereal, floating, hazy", "atmospheric, spacey"), 0.2, 0.2),
        MoodProfile("mysterious", ("mysterious", "enigmatic, secret, unknown", "curious magic"), -0.35, 0.35),
        MoodProfile("romantic", ("romantic", "love, tender, intimate", "wedding, sensual"), 0.5, 0.3),
        MoodProfile("happy", ("happy", "joyful, cheerful, fun", "feel-good, smiling"), 0.85, 0.65),
        MoodProfile("uplifting", ("uplifting", "inspiring, motivational", "positive, soaring"), 0.7, 0.7),
        MoodProfile("bright", ("bright", "sunny morning, fresh, light", "sparkling, optimistic"), 0.7, 0.55),
        MoodProfile("playful", ("playful", "quirky, whimsical, silly", "cartoon, bouncy, kids"), 0.6, 0.6),
        MoodProfile("triumphant", ("triumphant", "victorious, heroic", "victory and glory"), 0.7, 0.8),
        MoodProfile("epic", ("epic", "grand, massive, powerful", "huge trailer, battle"), 0.0, 0.85),
        MoodProfile(
            "energetic", ("energetic", "driving, fast, intense", "high-octane workout, pumping"), 0.4, 0.9
        ),
        MoodProfile("aggressive", ("aggressive", "angry, hard, heavy", "fierce, brutal, rage"), -0.5, 0.95),
        MoodProfile(
            "nostalgic", ("nostalgic", "retro, vintage", "memories of old times, childhood"), -0.1, 0.35
        ),
        MoodProfile("hopeful", ("hopeful", "optimistic, new beginning", "warm dawn, promise"), 0.55, 0.45),
    )
}

# Common names per instrument. They are embedded for meaning and matched literally (longest first),
# so a more specific name ("synth bass", "low strings") wins over a generic one ("bass", "strings").
INSTRUMENT_NAMES: dict[str, tuple[str, ...]] = {
    "acoustic_drums": ("acoustic drums", "drum kit", "live drums", "rock drums", "breakbeat"),
    "electronic_drums": ("electronic drums", "drum machine", "909", "dance drums", "electronic beat"),
    "trap_drums": ("trap drums", "trap hi-hats", "rolling hi-hats", "hi-hat rolls"),
    "brush_drums": ("brush drums", "brushes", "jazz drums", "brushed snare"),
    "hand_percussion": (
        "hand percussion",
        "hand drums",
        "african drums",
        "djembe",
        "congas",
        "bongos",
        "tabla",
        "shaker",
        "tambourine",
    ),
    "taiko": ("taiko", "taiko drums", "war drums", "japanese drums", "big drums"),
    "timpani": ("timpani", "kettle drums", "orchestral percussion"),
    "acoustic_bass": ("acoustic bass", "upright bass", "double bass", "contrabass", "standup bass"),
    "electric_bass": ("electric bass", "bass guitar", "fingered bass", "slap bass"),
    "synth_bass": ("synth bass", "synthesizer bass", "pulsing synth bass", "analog bass", "moog bass"),
    "sub_bass": ("sub bass", "808 bass", "808", "deep sub"),
    "piano": ("piano", "grand piano", "felt piano", "upright piano", "acoustic piano"),
    "electric_piano": ("electric piano", "rhodes", "wurlitzer", "e-piano"),
    "organ": ("organ", "hammond organ", "church organ"),
    "celesta": ("celesta", "music box", "celeste"),
    "marimba": ("marimba", "xylophone"),
    "vibraphone": ("vibraphone", "vibraphone melody"),
    "glockenspiel": ("glockenspiel", "bell", "chime", "bell melody"),
    "kalimba": ("kalimba", "thumb piano", "mbira"),
    "acoustic_guitar": ("acoustic guitar", "nylon guitar", "fingerpicked guitar", "strummed guitar"),
    "electric_guitar": ("electric guitar", "clean guitar", "funk guitar", "jangly guitar"),
    "distorted_guitar": (
        "distorted guitar",
        "overdriven guitar",
        "heavy guitar",
        "power chords",
        "guitar riffs",
    ),
    "harp": ("harp", "orchestral harp", "harp glissando"),
    "sitar": ("sitar", "indian sitar"),
    "banjo": ("banjo",),
    "strings": (
        "strings",
        "string section",
        "violins",
        "orchestra strings",
        "low strings",
        "string ensemble",
    ),
    "violin": ("violin", "solo violin", "fiddle"),
    "cello": ("cello", "solo cello", "cellos"),
    "pizzicato_strings": ("pizzicato strings", "pizzicato", "plucked strings"),
    "brass": ("brass", "brass section", "horn section", "trombones", "big brass hits"),
    "trumpet": ("trumpet", "muted trumpet", "flugelhorn"),
    "french_horn": ("french horn", "horn"),
    "flute": ("flute", "wooden flute", "piccolo"),
    "clarinet": ("clarinet", "woodwinds"),
    "choir": ("choir", "choral voices", "chanting", "vocal choir", "ooh aah voices"),
    "pan_flute": ("pan flute", "panpipes", "andean flute", "shakuhachi"),
    "saxophone": ("saxophone", "sax", "tenor sax", "alto sax"),
    "synth_pad": ("synth pad", "pad", "warm pad", "lush pads", "atmospheric pad"),
    "synth_lead": ("synth lead", "lead synth", "synth melody", "saw lead"),
    "arp_synth": ("arpeggiator", "arpeggiated synth", "synth arpeggio", "arp", "arpeggio"),
    "pluck_synth": ("pluck synth", "synth pluck", "pluck", "plucky synth"),
    "drone": ("drone", "sustained drone", "tanpura"),
    "noise_texture": (
        "vinyl crackle",
        "vinyl noise",
        "tape hiss",
        "noise texture",
        "rain",
        "field recording",
    ),
}

# Words that name an instrument family rather than one instrument. The genre's own member of the
# family is used when it has one ("drums" in jazz means brushes), otherwise the first listed here.
GENERIC_INSTRUMENTS: dict[str, tuple[str, ...]] = {
    "drums": ("acoustic_drums", "electronic_drums", "trap_drums", "brush_drums"),
    "drum": ("acoustic_drums", "electronic_drums", "trap_drums", "brush_drums"),
    "percussion": ("hand_percussion", "taiko", "timpani"),
    "bass": ("electric_bass", "acoustic_bass", "synth_bass", "sub_bass"),
    "bassline": ("electric_bass", "acoustic_bass", "synth_bass", "sub_bass"),
    "guitar": ("acoustic_guitar", "electric_guitar", "distorted_guitar"),
    "synth": ("synth_lead", "synth_pad", "arp_synth", "pluck_synth"),
    "synthesizer": ("synth_lead", "synth_pad", "arp_synth", "pluck_synth"),
    "keys": ("piano", "electric_piano", "organ"),
    "orchestra": ("strings", "brass", "french_horn", "timpani"),
}

# Role names a prompt may remove ("no drums", "without percussion") map to the roles they clear.
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "drums": ("drums",),
    "drum": ("drums",),
    "beat": ("drums",),
    "beats": ("drums",),
    "percussion": ("drums", "percussion"),
    "bass": ("bass",),
}

# Words that set energy whatever the moods say; they nudge arousal into the matching band.
LOW_ENERGY_WORDS = (
    "calm",
    "gentle",
    "soft",
    "quiet",
    "relaxing",
    "relaxed",
    "soothing",
    "peaceful",
    "sleepy",
    "sleep",
    "lullaby",
    "slow",
    "mellow",
    "tranquil",
    "meditation",
    "meditative",
    "chill",
)
HIGH_ENERGY_WORDS = (
    "energetic",
    "intense",
    "driving",
    "high-octane",
    "high octane",
    "powerful",
    "aggressive",
    "fast",
    "explosive",
    "workout",
    "pumping",
    "frantic",
    "hard-hitting",
    "banging",
)

# Extra words per vocabulary entry for the lexical matcher, where the phrases above are too terse.
LEXICAL_SYNONYMS: dict[str, tuple[str, ...]] = {
    "cinematic": ("epic", "orchestra", "film", "movie", "score", "trailer", "horror", "spooky", "battle"),
    "ambient": ("ambient", "meditation", "soundscape", "atmosphere", "drone", "space", "calm", "spa"),
    "lofi": ("lofi", "study", "chill", "chillhop", "hiphop", "vinyl", "relax"),
    "corporate": ("corporate", "business", "presentation", "commercial", "advert", "promo", "explainer"),
    "house": ("house", "club", "dance", "edm", "dj", "floor"),
    "synthwave": ("synthwave", "retrowave", "outrun", "neon", "80s", "retro", "cyberpunk"),
    "rock": ("rock", "guitar", "metal", "punk", "anthem", "riff"),
    "folk": ("folk", "acoustic", "campfire", "country", "americana", "bluegrass", "fiddle"),
    "jazz": ("jazz", "swing", "bebop", "smoky", "lounge", "saxophone", "sax"),
    "trap": ("trap", "808", "rap", "hiphop", "drill", "hihat"),
    "piano": ("piano", "solo", "reflection", "reflective", "neoclassical"),
    "world": ("world", "african", "tribal", "ethnic", "latin", "marimba", "sitar", "tabla"),
    "dark": ("dark", "spooky", "scary", "creepy", "halloween", "horror", "ominous", "sinister", "haunted"),
    "tense": ("tense", "tension", "suspense", "heist", "chase", "thriller", "danger", "anxious"),
    "sad": ("sad", "sorrow", "grief", "tears", "loss", "heartbreak", "funeral"),
    "melancholic": ("melancholy", "melancholic", "wistful", "bittersweet", "rainy", "longing"),
    "calm": ("calm", "peaceful", "relax", "relaxing", "gentle", "soothing", "lullaby", "sleep", "meditation"),
    "dreamy": ("dreamy", "dream", "ethereal", "floating", "hazy", "space"),
    "mysterious": ("mysterious", "mystery", "enigmatic", "secret", "magic", "night"),
    "romantic": ("romantic", "love", "tender", "wedding", "intimate"),
    "happy": ("happy", "joy", "joyful", "cheerful", "fun", "sunny", "celebration"),
    "uplifting": ("uplifting", "inspiring", "motivational", "positive", "upbeat"),
    "bright": ("bright", "sunny", "morning", "fresh", "sparkling", "commute"),
    "playful": ("playful", "quirky", "whimsical", "silly", "cartoon", "kids"),
    "triumphant": ("triumphant", "victory", "victorious", "heroic", "glory", "anthem"),
    "epic": ("epic", "grand", "massive", "trailer", "battle"),
    "energetic": ("energetic", "driving", "intense", "workout", "octane", "fast", "pumping"),
    "aggressive": ("aggressive", "angry", "hard", "heavy", "fierce", "rage"),
    "nostalgic": ("nostalgic", "nostalgia", "retro", "vintage", "memories", "80s"),
    "hopeful": ("hopeful", "hope", "optimistic", "dawn", "beginning"),
}


def _check() -> None:
    assert tuple(GENRE_PROFILES) == GENRES
    assert tuple(MOOD_PROFILES) == MOODS
    assert tuple(INSTRUMENT_NAMES) == INSTRUMENTS
    for genre in GENRE_PROFILES.values():
        assert genre.mode in MODES and set(genre.meters) <= set(METERS)
        assert set(genre.instruments) <= set(INSTRUMENTS)
        assert set(genre.major_keys + genre.minor_keys) <= set(PITCH_CLASSES)
    for members in GENERIC_INSTRUMENTS.values():
        assert set(members) <= set(INSTRUMENTS)
    assert set(LEXICAL_SYNONYMS) == set(GENRES) | set(MOODS)


_check()
