"""The composer: form and timing, hit points, key, determinism, variety, cuts and loops.

Every test composes real Scores from Briefs built here and checks the notes and timings they hold.
"""

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from generation.engine.brief import GENRES, Brief
from generation.engine.compose import compose, compose_cut, compose_loop
from generation.engine.score import Score

ROOT = Path(__file__).resolve().parents[2]
SUBPROCESS_COMPOSE = """
import json, sys
from generation.engine.brief import Brief
from generation.engine.compose import compose
data = {k: tuple(v) if isinstance(v, list) else v for k, v in json.loads(sys.argv[1]).items()}
score = compose(Brief(**data), 11)
print(json.dumps([[p.name, [[n.start, n.duration, n.pitch, n.velocity] for n in p.notes]] for p in score.parts]))
"""
GENRE_INSTRUMENTS = {
    "cinematic": ("timpani", "strings", "brass", "piano", "french_horn", "choir"),
    "ambient": ("synth_pad", "piano", "drone"),
    "lofi": ("acoustic_drums", "electric_bass", "electric_piano", "noise_texture"),
    "corporate": ("acoustic_drums", "electric_bass", "piano", "acoustic_guitar", "pluck_synth"),
    "house": ("electronic_drums", "synth_bass", "piano", "synth_pad"),
    "synthwave": ("electronic_drums", "synth_bass", "arp_synth", "synth_lead", "synth_pad"),
    "rock": ("acoustic_drums", "electric_bass", "distorted_guitar", "electric_guitar"),
    "folk": ("hand_percussion", "acoustic_bass", "acoustic_guitar", "banjo", "violin"),
    "jazz": ("brush_drums", "acoustic_bass", "piano", "saxophone"),
    "trap": ("trap_drums", "sub_bass", "synth_pad", "glockenspiel"),
    "piano": ("piano",),
    "world": ("hand_percussion", "taiko", "acoustic_bass", "kalimba", "pan_flute"),
}
GENRE_BPM = {"ambient": 72, "lofi": 80, "trap": 140, "house": 124, "piano": 76, "rock": 128, "jazz": 120}
UNPITCHED = {"drums", "impacts"}
GM_DRUM_KEYS = set(range(35, 82))
KK_MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
KK_MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])


def make_brief(genre="corporate", **fields) -> Brief:
    values = {
        "prompt": f"{genre} test cue",
        "genre": genre,
        "moods": ("happy",),
        "bpm": float(GENRE_BPM.get(genre, 100)),
        "key": "D",
        "mode": "major",
        "meter": "4/4",
        "duration_s": 30.0,
        "instruments": GENRE_INSTRUMENTS[genre],
        "energy": "medium",
    }
    values.update(fields)
    return Brief(**values)


def bar_seconds(score: Score) -> float:
    return {"4/4": 4, "3/4": 3, "6/8": 6}[score.meter] * 60.0 / score.bpm


def pitch_histogram(score: Score) -> np.ndarray:
    hist = np.zeros(12)
    for part in score.parts:
        if part.name in UNPITCHED or part.instrument in ("hand_percussion", "noise_texture"):
            continue
        for note in part.notes:
            hist[note.pitch % 12] += note.duration
    return hist


def estimated_key(hist: np.ndarray) -> tuple[int, str]:
    best = max(
        (
            (np.corrcoef(np.roll(profile, tonic), hist)[0, 1], tonic, mode)
            for mode, profile in (("major", KK_MAJOR), ("minor", KK_MINOR))
            for tonic in range(12)
        ),
    )
    return best[1], best[2]


def melody_beats(score: Score, section_name: str | None = None) -> list[tuple[float, int]]:
    """(beat, pitch) of the melody, optionally inside the first section of that name."""
    melody = score.part("melody")
    section = next((s for s in score.sections if s.name == section_name), None) if section_name else None
    notes = [
        n for n in melody.notes if section is None or section.start - 0.05 <= n.start < section.end - 0.05
    ]
    return [(round(score.time_to_beat(n.start) * 4) / 4, n.pitch) for n in notes]


@pytest.mark.parametrize(
    ("meter", "bpm", "seconds"), [("4/4", 120.0, 30.0), ("3/4", 90.0, 40.0), ("6/8", 132.0, 25.0)]
)
def test_it_times_sections_contiguously_in_whole_bars_with_a_ringing_end(meter, bpm, seconds):
    score = compose(make_brief(meter=meter, bpm=bpm, duration_s=seconds), seed=3)
    beats_per_bar = {"4/4": 4, "3/4": 3, "6/8": 6}[meter]
    assert score.length_s == seconds
    assert [(t.start, t.bpm) for t in score.tempo] == [(0.0, bpm)]  # nominal tempo, no hits
    assert score.sections[0].start == 0.0 and score.sections[-1].end == seconds
    for before, after in zip(score.sections, score.sections[1:], strict=False):
        assert after.start == pytest.approx(before.end, abs=1e-9)
    for section in score.sections:
        assert section.start_beat % beats_per_bar == 0 and section.bars >= 1
        assert section.start == pytest.approx(section.start_beat * 60.0 / bpm, abs=1e-9)
    ending = score.sections[-1]
    assert ending.name == "ending"
    assert 1.5 <= ending.end - ending.start <= 4.0
    final = [n for p in score.parts for n in p.notes if n.start >= ending.start - 1e-9]
    assert {"harmony", "bass", "melody", "drums"} <= {p.name for p in score.parts if p.notes[-1] in final}
    # struck on the final downbeat and released early enough for the tail to die away by the end
    assert all(
        n.start == ending.start and 0.5 <= n.duration <= 0.5 * (seconds - ending.start) + 0.5 for n in final
    )
    assert {36, 49} <= {n.pitch for n in score.part("drums").notes if n.start == ending.start}


def test_it_scales_the_form_with_the_duration():
    short = compose(make_brief(duration_s=15.0, bpm=120.0), seed=1)
    full = compose(make_brief(duration_s=120.0, bpm=120.0), seed=1)
    short_names = [s.name for s in short.sections]
    full_names = [s.name for s in full.sections]
    assert short_names == ["intro", "a", "ending"]
    assert len(full_names) >= 7
    assert {"intro", "a", "b", "build", "climax", "ending"} <= set(full_names)
    climax = next(s for s in full.sections if s.name == "climax")
    intro = full.sections[0]
    assert climax.energy > intro.energy
    assert sum(len(p.notes) for p in full.parts) < 4000  # rendering time stays bounded


def test_it_lands_hit_points_on_section_boundaries_with_an_accent():
    hits = (10.0, 23.5, 41.2)
    score = compose(make_brief(genre="rock", bpm=128.0, duration_s=60.0, hits=hits), seed=4)
    starts = [s.start for s in score.sections]
    impacts = score.part("impacts")
    crashes = [n.start for n in score.part("drums").notes if n.pitch == 49]
    for hit in hits:
        assert min(abs(s - hit) for s in starts) < 1e-6
        assert min(abs(n.start - hit) for n in impacts.notes) <= 0.02
        assert {49, 35} <= {n.pitch for n in impacts.notes if abs(n.start - hit) < 1e-6}
        assert min(abs(c - hit) for c in crashes) <= 0.02
    for segment in score.tempo:
        assert abs(segment.bpm / 128.0 - 1) <= 0.03 + 1e-9
    assert score.length_s == 60.0 and score.hits == hits


def test_it_keeps_the_tempo_when_whole_beats_cannot_reach_a_hit():
    score = compose(make_brief(genre="cinematic", bpm=100.0, duration_s=20.0, hits=(1.33,)), seed=2)
    assert [t.bpm for t in score.tempo] == [100.0, 100.0]  # 2.2 beats away: no whole beat within 3 %
    assert any(n.start == 1.33 for n in score.part("impacts").notes)
    assert any(abs(s.start - 1.33) < 1e-9 for s in score.sections)


def test_it_is_deterministic_for_a_seed_even_across_processes():
    brief = make_brief(genre="lofi", mode="minor", hits=(12.0,))
    assert compose(brief, 11) == compose(brief, 11)
    assert compose_loop(brief, 11) == compose_loop(brief, 11)
    expected = [
        [p.name, [[n.start, n.duration, n.pitch, n.velocity] for n in p.notes]]
        for p in compose(brief, 11).parts
    ]
    for hash_seed in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c", SUBPROCESS_COMPOSE, json.dumps(brief.to_dict())],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        )
        assert json.loads(out.stdout) == expected


def test_it_writes_clearly_different_music_for_different_seeds():
    brief = make_brief(genre="corporate", duration_s=40.0)
    melodies = []
    for seed in (1, 2, 3, 4):
        notes = melody_beats(compose(brief, seed), "a")[:10]
        intervals = tuple(b[1] - a[1] for a, b in itertools.pairwise(notes))
        onsets = tuple(round(b[0] - notes[0][0], 2) for b in notes)
        melodies.append((intervals, onsets))
    intervals = {m[0] for m in melodies}
    onsets = {m[1] for m in melodies}
    assert len(intervals) == 4  # not the same tune transposed
    assert len(onsets) >= 3  # and not the same rhythm
    progressions = {tuple(c.symbol for c in compose(brief, seed).chords[:8]) for seed in range(1, 9)}
    assert len(progressions) >= 3


@pytest.mark.parametrize(
    ("key", "mode", "genre"),
    [
        ("D", "major", "corporate"),
        ("A", "minor", "cinematic"),
        ("F#", "minor", "synthwave"),
        ("A#", "major", "folk"),
        ("E", "minor", "lofi"),
        ("C", "minor", "rock"),
    ],
)
def test_it_establishes_the_briefs_key_and_mode(key, mode, genre):
    brief = make_brief(genre=genre, key=key, mode=mode, duration_s=45.0)
    tonic = brief.tonic
    for seed in (1, 2, 3):
        score = compose(brief, seed)
        hist = pitch_histogram(score)
        third = (tonic + (4 if mode == "major" else 3)) % 12
        assert int(np.argmax(hist)) in {tonic, third, (tonic + 7) % 12}
        assert estimated_key(hist) == (tonic, mode)
        assert score.chords[0].root == tonic and score.chords[-1].root == tonic
        held: dict[int, float] = {}
        for chord in score.chords:
            held[chord.root] = held.get(chord.root, 0.0) + chord.end - chord.start
        assert max(held, key=held.get) == tonic


@pytest.mark.parametrize("genre", GENRES)
def test_it_composes_every_genre(genre):
    for seed, (mode, seconds, energy) in enumerate([("minor", 15.0, "low"), ("major", 30.0, "high")]):
        brief = make_brief(genre=genre, mode=mode, duration_s=seconds, energy=energy)
        score = compose(brief, seed)
        assert (
            score.length_s == seconds and score.bpm == brief.bpm and score.key == "D" and score.mode == mode
        )
        assert score.parts and score.chords and score.sections
        names = [p.name for p in score.parts]
        assert len(names) == len(set(names))
        for part in score.parts:
            assert part.notes, part.name
            for note in part.notes:
                assert 0.0 <= note.start < seconds and note.start + note.duration <= seconds + 1e-6
                assert note.duration > 0 and 1 <= note.velocity <= 127 and 0 <= note.pitch <= 127
            if part.instrument.endswith("drums") or part.instrument == "hand_percussion":
                assert {n.pitch for n in part.notes} <= GM_DRUM_KEYS


@pytest.mark.parametrize("meter", ["3/4", "6/8"])
def test_it_writes_in_triple_and_compound_meters(meter):
    score = compose(make_brief(genre="folk", meter=meter, bpm=100.0, duration_s=30.0), seed=5)
    bar = bar_seconds(score)
    for section in score.sections[:-1]:
        assert section.start / bar == pytest.approx(round(section.start / bar), abs=1e-9)
    # 6/8 bars at 100 bpm last 3.6 s: the final chord takes the half bar that leaves a 1.5-4 s ring
    ending = score.sections[-1]
    assert 2 * ending.start / bar == pytest.approx(round(2 * ending.start / bar), abs=1e-9)
    assert 1.5 <= score.length_s - ending.start <= 4.0
    bar_lines = np.arange(0.0, score.sections[-1].start + 1e-9, bar)
    bass_starts = np.array([n.start for n in score.part("bass").notes])
    on_bar = [np.min(np.abs(bass_starts - t)) < 0.02 for t in bar_lines]
    assert sum(on_bar) >= 0.75 * len(bar_lines)  # the bass marks the downbeats of the meter
    chords_per_bar = [
        c for c in score.chords[:-1] if c.start / bar != pytest.approx(round(c.start / bar), abs=1e-6)
    ]
    assert not chords_per_bar  # harmony changes on bar lines


def opening_of_a(score: Score) -> tuple[list[str], list[int]]:
    """The first two chords and the melody's pitches in the first two bars of the first A section."""
    section = next(s for s in score.sections if s.name == "a")
    two_bars = section.start + 2 * bar_seconds(score) - 0.05
    chords = [c.symbol for c in score.chords if section.start - 1e-6 <= c.start < section.end][:2]
    melody = [n.pitch for n in score.part("melody").notes if section.start - 0.05 <= n.start < two_bars]
    return chords, melody


def test_cuts_share_the_material_and_end_on_their_own():
    brief = make_brief(genre="synthwave", mode="minor", key="A", bpm=100.0, duration_s=90.0, hits=(30.0,))
    full = compose(brief, 9)
    for seconds in (15.0, 30.0, 60.0):
        cut = compose_cut(brief, 9, seconds)
        assert cut.length_s == seconds and cut.hits == () and cut.part("impacts") is None
        assert [t.bpm for t in cut.tempo] == [100.0]
        assert {p.name: p.instrument for p in cut.parts} == {
            p.name: p.instrument for p in full.parts if p.name != "impacts"
        }
        assert opening_of_a(cut) == opening_of_a(full)
        ending = cut.sections[-1]
        assert ending.name == "ending" and 1.5 <= seconds - ending.start <= 4.0
        assert cut.chords[-1].root == brief.tonic and cut.chords[-2].end == pytest.approx(ending.start)


@pytest.mark.parametrize(("bpm", "meter"), [(120.0, "4/4"), (70.0, "4/4"), (180.0, "3/4"), (140.0, "6/8")])
def test_it_loops_a_whole_number_of_bars(bpm, meter):
    brief = make_brief(genre="house", bpm=bpm, meter=meter)
    loop = compose_loop(brief, 2)
    bars = loop.sections[0].bars
    assert loop.loop and bars in (4, 8, 16) and len(loop.sections) == 1
    assert loop.length_s == pytest.approx(bars * bar_seconds(loop), abs=1e-9)
    assert 8.0 <= loop.length_s <= 20.0 or bars in (4, 16)
    assert {s.name for s in loop.sections}.isdisjoint({"intro", "ending", "outro"})
    assert len(loop.tempo) == 1 and loop.tempo[0].bpm == bpm
    main_chords = [c.symbol for c in compose(brief, 2).chords if c.start >= 0][:2]
    assert loop.chords[0].symbol == main_chords[0]


def test_high_energy_is_denser_than_low():
    for genre in ("rock", "cinematic", "house"):
        low = compose(make_brief(genre=genre, energy="low", duration_s=40.0), 6)
        high = compose(make_brief(genre=genre, energy="high", duration_s=40.0), 6)
        assert sum(len(p.notes) for p in high.parts) > 1.2 * sum(len(p.notes) for p in low.parts)
        assert np.mean([n.velocity for p in high.parts for n in p.notes]) > np.mean(
            [n.velocity for p in low.parts for n in p.notes]
        )


def test_it_gives_each_part_the_first_instrument_that_can_play_it():
    solo = compose(make_brief(genre="piano", instruments=("piano",)), 1)
    assert {p.name: p.instrument for p in solo.parts} == {"harmony": "piano", "melody": "piano"}
    band = compose(make_brief(genre="cinematic", instruments=("strings", "piano", "choir", "taiko")), 1)
    assert {p.name: p.instrument for p in band.parts} == {
        "percussion": "taiko",
        "harmony": "strings",
        "melody": "piano",
        "texture": "choir",
    }
    house = compose(make_brief(genre="house", mode="minor"), 1)
    assert house.part("bass").sidechain >= 0.5 and house.part("harmony").reverb < 0.3


def test_it_humanises_played_genres_and_keeps_electronic_ones_on_the_grid():
    def off_grid(score: Score) -> float:
        drums = score.part("drums").notes
        return max(
            abs(score.time_to_beat(n.start) * 8 - round(score.time_to_beat(n.start) * 8)) / 8 for n in drums
        )

    assert off_grid(compose(make_brief(genre="house"), 3)) < 1e-5
    assert off_grid(compose(make_brief(genre="lofi"), 3)) > 0.002


def test_trap_hats_roll_in_thirty_seconds_and_lofi_swings():
    trap = compose(make_brief(genre="trap", mode="minor", energy="high", duration_s=40.0), 8)
    hats = sorted(trap.time_to_beat(n.start) for n in trap.part("drums").notes if n.pitch == 42)
    assert any(abs(b - a - 0.125) < 1e-6 for a, b in itertools.pairwise(hats))
    lofi = compose(make_brief(genre="lofi", mode="minor"), 8)
    phases = [lofi.time_to_beat(n.start) % 0.5 for p in lofi.parts for n in p.notes]
    assert sum(0.27 < h < 0.33 for h in phases) >= 10  # off sixteenths land late
    assert not any(abs(h - 0.25) < 0.004 for h in phases)  # and none straight
