"""The upload analysis hears the tempo and key: of a metronome made here with numpy, and of short
engine renders whose brief is the answer."""

from __future__ import annotations

import numpy as np
import pytest

from catalog.uploads.analysis import key_and_mode, tempo_bpm

RATE = 44_100


def _click_track(bpm: float, seconds: float = 12.0) -> np.ndarray:
    """A click on every beat (a 1 kHz ping with a little noise), the first of each four louder."""
    rng = np.random.default_rng(int(bpm))
    audio = np.zeros(int(seconds * RATE), dtype=np.float32)
    t = np.arange(int(0.03 * RATE)) / RATE
    click = ((np.sin(2 * np.pi * 1000 * t) + rng.normal(0, 0.3, t.size)) * np.exp(-t / 0.005)).astype(
        np.float32
    )
    for beat, start in enumerate(np.arange(0.1, seconds - 0.05, 60.0 / bpm)):
        i = round(start * RATE)
        chunk = audio[i : i + click.size]
        chunk += (0.8 if beat % 4 == 0 else 0.5) * click[: chunk.size]
    return np.stack([audio, audio], axis=1)


@pytest.mark.parametrize("bpm", [70, 90, 128, 150, 174])
def test_it_hears_the_tempo_of_a_click_track(bpm):
    assert tempo_bpm(_click_track(bpm), RATE) == pytest.approx(bpm, rel=0.02)


def test_it_falls_back_to_120_bpm_on_silence():
    assert tempo_bpm(np.zeros((RATE * 6, 2), dtype=np.float32), RATE) == 120


@pytest.mark.parametrize(
    ("prompt", "bpm", "key"),
    [
        ("driving synthwave night drive with arpeggios", 112, "A minor"),
        ("rock track with guitars and drums", 124, "E major"),
    ],
)
def test_it_hears_the_tempo_and_key_of_an_engine_render(prompt, bpm, key, tmp_path):
    import soundfile

    from generation.engine import generate, parse_prompt

    result = generate(
        parse_prompt(prompt, duration=8, bpm=bpm, key=key, meter="4/4"), seed=3, out_dir=tmp_path / "cue"
    )
    audio, rate = soundfile.read(str(result.files["mix.wav"]), dtype="float32", always_2d=True)

    assert tempo_bpm(audio, rate) == pytest.approx(bpm, rel=0.04)
    assert " ".join(key_and_mode(audio, rate)) == key
