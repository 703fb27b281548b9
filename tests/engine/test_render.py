"""The renderer: Score -> one stereo stem per part, from the SoundFont or from synthesised voices."""

import hashlib
import re
import subprocess
import sys

import numpy as np
import pytest

from generation.engine.brief import INSTRUMENT_ROLES, INSTRUMENTS, SAMPLE_RATE
from generation.engine.render import find_soundfont, render_stems, renderer_info
from generation.engine.score import Note, Part, Score, Section, TempoSegment

SR = SAMPLE_RATE


def score(
    parts: list[Part], length_s: float = 2.0, *, loop: bool = False, bpm: float = 120.0, key: str = "C"
) -> Score:
    spb = 60.0 / bpm
    return Score(
        length_s=length_s,
        bpm=bpm,
        key=key,
        mode="major",
        meter="4/4",
        tempo=[TempoSegment(0.0, 0.0, spb)],
        sections=[Section("a", 0.0, length_s, 0.0, max(int(length_s / (4 * spb)), 1), 0.6)],
        chords=[],
        parts=parts,
        loop=loop,
    )


def notes_for(instrument: str, length_s: float = 1.5) -> list[Note]:
    """A few notes an instrument can play: GM drum keys for kits, a little tune otherwise."""
    if "drums" in INSTRUMENT_ROLES[instrument] or instrument == "hand_percussion":
        keys = (
            [36, 42, 38, 42, 36, 46, 39, 49] if instrument != "hand_percussion" else [60, 61, 62, 63, 54, 70]
        )
        step = length_s / (len(keys) + 1)
        return [Note(i * step, 0.1, k, 100) for i, k in enumerate(keys)]
    pitches = [36, 43, 48] if "bass" in instrument else [60, 64, 67, 72]
    step = length_s / (len(pitches) + 1)
    return [Note(i * step, step * 1.5, p, 90) for i, p in enumerate(pitches)]


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


def band(x: np.ndarray, start_s: float, end_s: float) -> np.ndarray:
    return x[:, int(start_s * SR) : int(end_s * SR)]


def test_it_renders_one_float32_stem_per_part_with_the_exact_length():
    parts = [Part("drums", "electronic_drums", notes_for("electronic_drums")), Part("pad", "synth_pad")]
    parts[1].notes = [Note(0.0, 1.0, 60, 90)]
    stems = render_stems(score(parts, 2.3456))
    assert list(stems) == ["drums", "pad"]
    for stem in stems.values():
        assert stem.dtype == np.float32
        assert stem.shape == (2, round(2.3456 * SR))


def test_every_instrument_sounds_through_the_soundfont_and_the_synth_voices():
    parts = [Part(name, name, notes_for(name), reverb=0.2) for name in INSTRUMENTS]
    for use_soundfont in (True, False):
        stems = render_stems(score(parts, 2.0), use_soundfont=use_soundfont)
        for name in INSTRUMENTS:
            stem = stems[name]
            assert np.isfinite(stem).all(), name
            assert rms(stem) > 1e-3, f"{name} is silent (soundfont={use_soundfont})"


def test_it_plays_gm_instruments_from_the_soundfont_and_synth_ones_from_voices():
    s = score([Part("keys", "piano", notes_for("piano")), Part("pad", "synth_pad", notes_for("synth_pad"))])
    info = renderer_info(score=s)
    assert info["soundfont"]["file"].endswith(".sf2")
    assert re.fullmatch(r"[0-9a-f]{64}", info["soundfont"]["sha256"])
    assert info["parts"] == {"keys": "gm:0:0", "pad": "synth:synth_pad"}
    assert renderer_info(use_soundfont=False, score=s)["parts"]["keys"] == "synth:keys"
    from_font = render_stems(s)["keys"]
    synthesised = render_stems(s, use_soundfont=False)["keys"]
    assert not np.allclose(from_font, synthesised)


def test_it_finds_the_configured_soundfont_first_and_falls_back_to_a_bundled_one(tmp_path):
    bundled = find_soundfont(None)
    assert bundled is not None and bundled.is_file()
    configured = tmp_path / "mine.sf2"
    configured.write_bytes(bundled.read_bytes())
    assert find_soundfont(str(configured)) == configured
    assert find_soundfont(str(tmp_path / "missing.sf2")) == bundled


def test_it_renders_bit_identical_audio_twice():
    parts = [
        Part("drums", "trap_drums", notes_for("trap_drums")),
        Part("texture", "noise_texture", [Note(0.0, 1.5, 48, 80), Note(0.5, 1.0, 72, 80)], reverb=0.4),
        Part("keys", "piano", notes_for("piano"), reverb=0.3, sidechain=0.6),
        Part("lead", "synth_lead", notes_for("synth_lead"), pan=0.4),
    ]
    for use_soundfont in (True, False):
        first = render_stems(score(parts), use_soundfont=use_soundfont)
        second = render_stems(score(parts), use_soundfont=use_soundfont)
        for name in first:
            assert np.array_equal(first[name], second[name]), name


def _digest_of_a_fresh_process() -> str:
    code = (
        "import hashlib, sys; sys.path.insert(0, 'tests/engine');"
        "from test_render import history_score; from generation.engine.render import render_stems;"
        "stems = render_stems(history_score());"
        "print(hashlib.sha256(b''.join(s.tobytes() for s in stems.values())).hexdigest())"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()


def history_score() -> Score:
    parts = [
        Part("keys", "piano", [Note(0.1 * i, 0.3, 50 + 3 * i, 41 + 6 * i) for i in range(8)]),
        Part("bass", "electric_bass", [Note(0.25 * i, 0.2, 33 + i, 77) for i in range(6)]),
        Part("air", "noise_texture", [Note(0.0, 1.0, 50, 70)]),
    ]
    return score(parts, 1.5)


def test_a_render_does_not_depend_on_what_the_process_rendered_before():
    render_stems(score([Part("keys", "piano", notes_for("piano")), Part("b", "cello", notes_for("cello"))]))
    stems = render_stems(history_score())
    here = hashlib.sha256(b"".join(s.tobytes() for s in stems.values())).hexdigest()
    assert here == _digest_of_a_fresh_process()


def test_a_one_shot_cuts_its_tails_and_ends_on_zero():
    part = Part("pad", "synth_pad", [Note(0.5, 1.5, 60, 100)], reverb=0.6)
    stem = render_stems(score([part], 2.0))["pad"]
    assert np.all(stem[:, -1] == 0.0)
    assert rms(band(stem, 0.0, 0.4)) < 1e-6  # nothing before the first note (but FFT round-off)
    assert rms(band(stem, 1.9, 1.98)) > rms(band(stem, 1.98, 2.0))  # the fade


def test_a_loop_folds_its_tails_onto_the_start_and_joins_seamlessly():
    parts = [
        Part("pad", "synth_pad", [Note(0.5, 1.4, 60, 100), Note(0.5, 1.4, 67, 100)], reverb=0.6),
        Part("keys", "piano", [Note(1.2, 0.75, 72, 100)], reverb=0.4),
    ]
    one_shot = render_stems(score(parts, 2.0))
    looped = render_stems(score(parts, 2.0, loop=True))
    for name, stem in looped.items():
        assert rms(band(one_shot[name], 0.0, 0.4)) < 1e-6
        assert rms(band(stem, 0.0, 0.4)) > 1e-3, f"{name}: the tail did not come round"
        seam = np.abs(stem[:, 0] - stem[:, -1]).max()
        assert seam <= np.percentile(np.abs(np.diff(stem, axis=1)), 99.9), name


def test_a_loop_shorter_than_its_tails_folds_them_more_than_once():
    part = Part("pad", "drone", [Note(0.0, 0.4, 48, 100)], reverb=0.8)
    stem = render_stems(score([part], 0.5, loop=True))["pad"]
    assert stem.shape == (2, round(0.5 * SR))
    assert np.isfinite(stem).all()
    assert np.abs(stem[:, 0] - stem[:, -1]).max() <= np.percentile(np.abs(np.diff(stem, axis=1)), 99.9)


def test_it_levels_pans_and_ducks_each_stem():
    notes = [Note(t, 0.4, 60, 100) for t in (0.0, 0.5, 1.0, 1.5)]
    loud = Part("a", "organ", notes, reverb=0.0)
    quiet = Part("b", "organ", notes, reverb=0.0, gain_db=-6.0)
    left = Part("c", "organ", notes, reverb=0.0, pan=-1.0)
    stems = render_stems(score([loud, quiet, left], 2.0))
    assert rms(stems["b"]) / rms(stems["a"]) == pytest.approx(0.5, rel=0.01)
    assert rms(stems["c"][1]) < 1e-6 < rms(stems["c"][0])

    kicks = Part("drums", "electronic_drums", [Note(t, 0.1, 36, 110) for t in (0.5, 1.0, 1.5)])
    pad = Part("pad", "organ", [Note(0.0, 2.0, 60, 100)], reverb=0.0, sidechain=0.8)
    ducked = render_stems(score([kicks, pad], 2.0))["pad"]
    assert rms(band(ducked, 1.01, 1.06)) < 0.5 * rms(band(ducked, 0.9, 0.99))


def test_a_closed_hi_hat_chokes_a_ringing_open_one():
    for use_soundfont in (True, False):
        open_only = Part("drums", "acoustic_drums", [Note(0.0, 0.1, 46, 110)], reverb=0.0)
        choked = Part(
            "drums", "acoustic_drums", [Note(0.0, 0.1, 46, 110), Note(0.3, 0.1, 42, 60)], reverb=0.0
        )
        ringing = render_stems(score([open_only], 1.5), use_soundfont=use_soundfont)["drums"]
        stopped = render_stems(score([choked], 1.5), use_soundfont=use_soundfont)["drums"]
        assert rms(band(stopped, 0.6, 1.0)) < 0.1 * rms(band(ringing, 0.6, 1.0)), use_soundfont


def test_silence_and_empty_parts_render_as_zeros():
    parts = [Part("empty", "piano"), Part("ghost", "synth_pad", [Note(0.2, 0.5, 60, 1)])]
    stems = render_stems(score(parts, 1.0))
    assert not np.any(stems["empty"])
    assert np.isfinite(stems["ghost"]).all()
    assert render_stems(score([Part("x", "piano", notes_for("piano"))], 0.0))["x"].shape == (2, 0)
    assert render_stems(score([], 1.0)) == {}


def lowest_partial_hz(x: np.ndarray) -> float:
    """Frequency of the strongest spectral peak between 30 and 100 Hz (a kick's body)."""
    mono = x.astype(np.float64).sum(axis=0)
    spectrum = np.abs(np.fft.rfft(mono * np.hanning(mono.size), n=1 << 20))
    freqs = np.fft.rfftfreq(1 << 20, 1.0 / SR)
    low = (freqs > 30.0) & (freqs < 100.0)
    return float(freqs[low][np.argmax(spectrum[low])])


def test_synthesised_kicks_and_the_808_are_tuned_to_the_tonic():
    # the kick octave runs from D# (38.9 Hz) up to D (73.4 Hz)
    expected = {"A": 55.0, "C": 65.41, "G": 49.0, "D#": 38.89, "D": 73.42}
    for kit, key in (("electronic_drums", 36), ("trap_drums", 36), ("trap_drums", 35)):
        for tonic, hz in expected.items():
            part = Part("drums", kit, [Note(0.0, 0.1, key, 110)], reverb=0.0)
            stem = render_stems(score([part], 1.0, key=tonic))["drums"]
            assert lowest_partial_hz(band(stem, 0.15, 0.6)) == pytest.approx(hz, rel=0.02), (kit, key, tonic)


def test_a_kit_is_levelled_under_a_pitched_part_at_the_same_gain():
    beats = [Note(0.25 * i, 0.1, (36, 42, 38, 42)[i % 4], 100) for i in range(8)]
    chords = [Note(0.0, 2.0, p, 90) for p in (60, 64, 67)]
    parts = [Part("drums", "electronic_drums", beats, reverb=0.0), Part("keys", "organ", chords, reverb=0.0)]
    stems = render_stems(score(parts, 2.0))
    assert 20 * np.log10(rms(stems["drums"]) / rms(stems["keys"])) == pytest.approx(-3.0, abs=1.0)


def test_a_score_of_synth_voices_never_loads_the_soundfont():
    code = (
        "import sys; sys.path.insert(0, 'tests/engine');"
        "from test_render import score, notes_for; from generation.engine.score import Part;"
        "from generation.engine.render import render_stems, soundfont;"
        "render_stems(score([Part('pad', 'synth_pad', notes_for('synth_pad'))]));"
        "print(soundfont._load.cache_info().currsize)"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "0"


def test_renders_of_one_cue_keep_reusing_the_snippets_a_full_cache_holds(monkeypatch):
    from generation.engine.render import soundfont

    strings = [Note(0.05 * i, 0.1 + 0.01 * i, 48 + i % 24, 100) for i in range(30)]
    s = score([Part("strings", "strings", strings, reverb=0.0)], 2.0)
    monkeypatch.setattr(soundfont, "_snippets", type(soundfont._snippets)())
    monkeypatch.setattr(soundfont, "_snippet_bytes", 0)
    first = render_stems(s)["strings"]
    everything = soundfont._snippet_bytes
    monkeypatch.setattr(soundfont, "_snippets", type(soundfont._snippets)())
    monkeypatch.setattr(soundfont, "_snippet_bytes", 0)
    monkeypatch.setattr(soundfont, "CACHE_BYTES", everything // 2)  # half of what one render asks for
    assert np.array_equal(render_stems(s)["strings"], first)
    kept = {key: entry[0] for key, entry in soundfont._snippets.items()}
    assert kept and soundfont._snippet_bytes <= everything // 2
    assert np.array_equal(render_stems(s)["strings"], first)
    assert all(soundfont._snippets[key][0] is snip for key, snip in kept.items())  # none rendered again
