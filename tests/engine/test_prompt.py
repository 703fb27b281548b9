"""The prompt parser: explicit values are read exactly, parameters win, bad input names its field, and free
words land on the genre, moods and instruments they mean."""

import math
import subprocess
import sys

import numpy as np
import pytest

from common import embeddings as embed
from generation.engine.brief import INSTRUMENT_ROLES, ROLES
from generation.engine.errors import BriefError
from generation.engine.prompt import (
    embedding_match,
    lexical_match,
    matcher_name,
    parse_key,
    parse_prompt,
)


@pytest.fixture(scope="module", autouse=True)
def model():
    """Load the sentence model once for the module; the parser needs it for meaning."""
    if not embed.available():
        pytest.skip("sentence embeddings are not installed")
    embed.load()


def _role_rank(name):
    return ROLES.index(INSTRUMENT_ROLES[name][0])


# --- explicit values in the prompt ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "bpm"),
    [
        ("chill beat, 92 bpm", 92),
        ("chill beat 92bpm", 92),
        ("rock anthem at 140 BPM", 140),
        ("tempo 100 jazz", 100),
    ],
)
def test_it_reads_the_tempo_written_in_the_prompt(prompt, bpm):
    brief = parse_prompt(prompt)
    assert brief.bpm == bpm
    assert "bpm" in brief.explicit


@pytest.mark.parametrize(
    ("prompt", "key", "mode"),
    [
        ("dark strings in D minor", "D", "minor"),
        ("folk tune in the key of F#", "F#", None),
        ("smooth jazz in Bb", "A#", None),
        ("A major pop song", "A", "major"),
        ("C# minor ballad", "C#", "minor"),
        ("Eb major anthem", "D#", "major"),
        ("B flat minor nocturne", "A#", "minor"),
        ("trap beat in F#m", "F#", "minor"),
        ("waltz in c minor", "C", "minor"),
    ],
)
def test_it_reads_keys_with_sharps_flats_and_modes(prompt, key, mode):
    brief = parse_prompt(prompt)
    assert brief.key == key
    assert "key" in brief.explicit
    if mode:
        assert brief.mode == mode
        assert "mode" in brief.explicit


@pytest.mark.parametrize(
    "prompt", ["a dark track", "in A dark room", "a major label sound", "music for a heist"]
)
def test_it_does_not_mistake_ordinary_words_for_keys(prompt):
    assert "key" not in parse_prompt(prompt).explicit


def test_it_reads_a_minor_key_as_a_mode_without_a_tonic():
    brief = parse_prompt("jazz ballad in a minor key")
    assert brief.mode == "minor"
    assert "mode" in brief.explicit
    assert "key" not in brief.explicit


@pytest.mark.parametrize(
    ("prompt", "seconds"),
    [
        ("calm piano, 45 seconds", 45),
        ("calm piano, 45s", 45),
        ("calm piano 45 sec", 45),
        ("calm piano, 2 minutes", 120),
        ("calm piano 1:30", 90),
        ("a 90-second calm piano spot", 90),
        ("calm piano, 1 minute 30 seconds", 90),
        ("calm piano, a minute", 60),
        ("calm piano, 30 s", 30),
    ],
)
def test_it_reads_durations_in_every_form(prompt, seconds):
    brief = parse_prompt(prompt)
    assert brief.duration_s == seconds
    assert "duration_s" in brief.explicit


@pytest.mark.parametrize("prompt", ["80s neon night drive", "hard trap beat with 808s", "1990s rock"])
def test_it_reads_decades_and_drum_machines_as_words_not_seconds(prompt):
    brief = parse_prompt(prompt)
    assert brief.duration_s == 60
    assert "duration_s" not in brief.explicit


def test_it_reads_meters_and_hit_points_from_the_prompt():
    assert parse_prompt("folk dance in 6/8").meter == "6/8"
    assert parse_prompt("a gentle waltz").meter == "3/4"
    brief = parse_prompt("tense chase, 30 seconds, hits at 10 and 20.5 seconds")
    assert brief.hits == (10.0, 20.5)
    assert brief.duration_s == 30


# --- parameters ----------------------------------------------------------------------------------------


def test_parameters_beat_the_prompt_text():
    brief = parse_prompt(
        "rock at 140 bpm in E minor, 45 seconds, high energy",
        bpm=100,
        key="Bb major",
        duration="1:30",
        energy="low",
        genre="jazz",
        meter="3/4",
    )
    assert (brief.bpm, brief.key, brief.mode, brief.duration_s) == (100, "A#", "major", 90)
    assert (brief.energy, brief.genre, brief.meter) == ("low", "jazz", "3/4")
    assert brief.arousal <= 0.3  # a low-energy override also calms the tempo placement
    assert set(brief.explicit) >= {"bpm", "key", "mode", "duration_s", "energy", "genre", "meter"}


def test_an_override_replaces_a_bad_value_in_the_prompt():
    assert parse_prompt("rock at 300 bpm", bpm=150).bpm == 150


@pytest.mark.parametrize(
    ("text", "key", "mode"),
    [
        ("D minor", "D", "minor"),
        ("F#", "F#", None),
        ("Bb major", "A#", "major"),
        ("c# min", "C#", "minor"),
        ("Eb", "D#", None),
        ("Ebm", "D#", "minor"),
        ("G-flat", "F#", None),
    ],
)
def test_it_parses_key_parameters(text, key, mode):
    assert parse_key(text) == (key, mode)


def test_a_key_without_a_mode_takes_the_mode_the_words_suggest():
    sad = parse_prompt("sad rainy day", key="F#")
    happy = parse_prompt("happy sunny morning", key="F#")
    assert (sad.key, sad.mode) == ("F#", "minor")
    assert (happy.key, happy.mode) == ("F#", "major")


def test_it_accepts_hits_as_a_string_or_a_list():
    assert parse_prompt("tense chase", hits="31.0, 12.5").hits == (12.5, 31.0)
    assert parse_prompt("tense chase", hits=[31, 12.5], duration=40).hits == (12.5, 31.0)


def test_instrument_parameters_are_kept_in_role_order():
    brief = parse_prompt("anything", instruments=["violin", "acoustic_drums", "cello"])
    assert brief.instruments == ("acoustic_drums", "violin", "cello")
    assert "instruments" in brief.explicit


def test_an_unknown_parameter_is_a_type_error():
    with pytest.raises(TypeError):
        parse_prompt("calm piano", tempo=90)


# --- validation ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "overrides", "field"),
    [
        ("", {}, "prompt"),
        ("   \n ", {}, "prompt"),
        ("x" * 501, {}, "prompt"),
        ("calm piano", {"bpm": 30}, "bpm"),
        ("calm piano", {"bpm": float("nan")}, "bpm"),
        ("calm piano", {"bpm": "fast"}, "bpm"),
        ("calm piano at 300 bpm", {}, "bpm"),
        ("calm piano", {"duration": 3}, "duration"),
        ("calm piano", {"duration": 601}, "duration"),
        ("calm piano", {"duration": float("inf")}, "duration"),
        ("calm piano, 15 minutes", {}, "duration"),
        ("calm piano", {"key": "H minor"}, "key"),
        ("calm piano", {"key": "Q"}, "key"),
        ("calm piano in H minor", {}, "key"),
        ("calm piano", {"energy": "extreme"}, "energy"),
        ("calm piano", {"hits": "12.5,abc"}, "hits"),
        ("calm piano", {"hits": 12.5}, "hits"),
        ("calm piano", {"hits": [0.5]}, "hits"),
        ("calm piano", {"hits": [59.5]}, "hits"),
        ("calm piano", {"hits": [70]}, "hits"),
        ("calm piano", {"hits": [float("nan")]}, "hits"),
        ("calm piano", {"genre": "polka"}, "genre"),
        ("calm piano", {"meter": "5/4"}, "meter"),
        ("calm piano in 7/8 time", {}, "meter"),
        ("calm piano", {"mode": "dorian"}, "mode"),
        ("calm piano", {"key": "D minor", "mode": "major"}, "mode"),
        ("calm piano", {"instruments": ["kazoo"]}, "instruments"),
        ("calm piano", {"instruments": []}, "instruments"),
    ],
)
def test_every_bad_value_is_refused_naming_its_field(prompt, overrides, field):
    with pytest.raises(BriefError) as caught:
        parse_prompt(prompt, **overrides)
    assert caught.value.field == field
    assert caught.value.message


def test_a_tempo_out_of_range_is_explained_in_words():
    with pytest.raises(BriefError) as caught:
        parse_prompt("drum and bass at 300 bpm")
    assert "tempo must be between 40 and 220 BPM, got 300" in caught.value.message
    with pytest.raises(BriefError) as caught:
        parse_prompt("calm piano", bpm=300)
    assert caught.value.message == "tempo must be between 40 and 220 BPM, got 300"


# --- meaning -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "genre"),
    [
        ("lo-fi hip hop beats to study to", "lofi"),
        ("four on the floor club house track", "house"),
        ("80s neon night drive", "synthwave"),
        ("acoustic campfire folk song", "folk"),
        ("smoky late night jazz club", "jazz"),
        ("hard trap beat with 808s", "trap"),
        ("solo piano reflection", "piano"),
        ("african drums and marimba celebration", "world"),
        ("upbeat corporate presentation background", "corporate"),
        ("heavy rock guitar anthem", "rock"),
        ("ambient meditation soundscape", "ambient"),
        ("epic orchestral trailer", "cinematic"),
    ],
)
def test_every_genre_is_reachable_from_a_natural_prompt(prompt, genre):
    assert parse_prompt(prompt).genre == genre


def test_spooky_lands_on_something_dark_and_minor():
    brief = parse_prompt("spooky halloween night")
    assert brief.genre in ("cinematic", "ambient")
    assert {"dark", "mysterious", "tense"} & set(brief.moods)
    assert brief.mode == "minor"
    assert brief.valence < 0


def test_sunny_lands_on_something_bright_and_major():
    brief = parse_prompt("sunny morning commute")
    assert {"bright", "happy", "uplifting"} & set(brief.moods)
    assert brief.mode == "major"
    assert brief.valence > 0


def test_a_heist_scene_is_tense_and_minor():
    brief = parse_prompt("music for a tense heist scene")
    assert {"tense", "dark"} & set(brief.moods)
    assert brief.mode == "minor"


def test_a_lullaby_is_slower_and_calmer_than_a_workout():
    lullaby = parse_prompt("gentle lullaby")
    workout = parse_prompt("high-octane workout")
    assert lullaby.bpm < workout.bpm
    assert (lullaby.energy, workout.energy) == ("low", "high")


@pytest.mark.parametrize(
    ("prompt", "energy"),
    [
        ("calm ambient pad", "low"),
        ("energetic house", "high"),
        ("intense driving rock", "high"),
        ("high energy ambient", "high"),
    ],
)
def test_energy_follows_the_words(prompt, energy):
    assert parse_prompt(prompt).energy == energy


def test_moods_are_one_to_three_and_tempo_stays_in_the_genre_range():
    for prompt in ("epic orchestral trailer", "gentle lullaby", "smoky late night jazz club", "xyzzy"):
        brief = parse_prompt(prompt)
        assert 1 <= len(brief.moods) <= 3
        assert 40 <= brief.bpm <= 220 and brief.bpm == round(brief.bpm)


# --- instruments ---------------------------------------------------------------------------------------


def test_named_instruments_join_or_replace_the_defaults():
    brief = parse_prompt("dark cinematic tension, low strings and pulsing synth bass")
    assert {"strings", "synth_bass"} <= set(brief.instruments)
    lofi = parse_prompt("lo-fi hip hop with trap drums")
    assert "trap_drums" in lofi.instruments
    assert "acoustic_drums" not in lofi.instruments


def test_solo_piano_is_only_piano():
    assert parse_prompt("solo piano reflection").instruments == ("piano",)


def test_no_drums_removes_the_drums():
    brief = parse_prompt("hard trap beat, no drums")
    assert brief.genre == "trap"
    assert not {"drums"} & {INSTRUMENT_ROLES[name][0] for name in brief.instruments}
    assert "sub_bass" in brief.instruments


def test_instruments_are_named_by_meaning_too():
    assert "acoustic_guitar" in embedding_match("lofi beat with acoustic strumming").instruments
    assert "acoustic_guitar" in parse_prompt("lofi beat with acoustic strumming").instruments


def test_instruments_come_ordered_by_role():
    for prompt in ("epic orchestral trailer with taiko and synth bass", "jazz trio with violin", "lofi"):
        ranks = [_role_rank(name) for name in parse_prompt(prompt).instruments]
        assert ranks == sorted(ranks)


# --- the lexical fallback ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "genre", "moods"),
    [
        ("lo-fi hip hop beats to study to", "lofi", set()),
        ("epic orchestral trailer", "cinematic", {"epic"}),
        ("smoky late night jazz club", "jazz", set()),
        ("spooky halloween night", "cinematic", {"dark"}),
        ("hard trap beat with 808s", "trap", set()),
        ("sunny morning commute", None, {"bright"}),
    ],
)
def test_the_lexical_matcher_maps_prompts_without_embeddings(prompt, genre, moods):
    meaning = lexical_match(prompt)
    if genre:
        assert meaning.genre == genre
    assert moods <= set(meaning.moods)
    assert 1 <= len(meaning.moods) <= 3


def test_the_matcher_in_use_is_named():
    assert matcher_name() == "embeddings"


# --- determinism, embeddings --------------------------------------------------------------------------


def test_the_same_prompt_gives_the_same_brief():
    prompt = "moody cinematic cue with piano and low strings"
    first = parse_prompt(prompt)
    embedding_match.cache_clear()
    again = parse_prompt(prompt)
    assert first == again
    assert "key" not in first.explicit  # the key was inferred, yet it is stable


def test_embed_returns_normalised_float32_rows():
    vectors = embed.embed(["calm piano", "aggressive metal"])
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embed.embed([]).shape == (0, 384)
    assert math.isclose(float(vectors[0] @ embed.embed(["calm piano"])[0]), 1.0, abs_tol=1e-5)


def test_importing_embed_does_not_load_the_model():
    code = (
        "import sys, common.embeddings as e; "
        "assert 'sentence_transformers' not in sys.modules; assert e.MODEL_NAME == 'all-MiniLM-L6-v2'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
