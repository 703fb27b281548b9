"""The master: loudness on target, true peak under the ceiling, stems that null against the mix."""

import numpy as np
import pyloudnorm
import pytest
from scipy.signal import resample_poly

from generation.engine.brief import SAMPLE_RATE
from generation.engine.master import (
    LOUDNESS_FLOOR,
    integrated_loudness,
    master,
    null_residual_db,
    true_peak_dbtp,
)
from generation.engine.render import render_stems
from generation.engine.score import Note, Part, Score, Section, TempoSegment

SR = SAMPLE_RATE


def band_score(length_s: float = 4.0, *, loop: bool = False) -> Score:
    """Drums, bass, pad and a lead: a little four-part band, 120 bpm."""
    beats = int(length_s * 2)
    drums = [Note(b * 0.5, 0.1, 36 if b % 2 == 0 else 38, 110) for b in range(beats)]
    drums += [Note(b * 0.5 + 0.25, 0.05, 42, 80) for b in range(beats)]
    bass = [Note(b * 0.5, 0.45, 36 + (7 if b % 4 == 2 else 0), 100) for b in range(beats)]
    pad = [Note(bar * 2.0, 2.0, p, 80) for bar in range(int(length_s / 2)) for p in (60, 64, 67)]
    lead = [Note(b * 0.5, 0.4, 72 + (b * 5) % 12, 95) for b in range(beats)]
    parts = [
        Part("drums", "electronic_drums", drums, reverb=0.1),
        Part("bass", "synth_bass", bass, gain_db=-2.0, reverb=0.0),
        Part("pad", "synth_pad", pad, gain_db=-6.0, reverb=0.4, sidechain=0.5),
        Part("lead", "synth_lead", lead, gain_db=-3.0, pan=0.2, reverb=0.3),
    ]
    return Score(
        length_s=length_s,
        bpm=120.0,
        key="C",
        mode="major",
        meter="4/4",
        tempo=[TempoSegment(0.0, 0.0, 0.5)],
        sections=[Section("a", 0.0, length_s, 0.0, int(length_s / 2), 0.7)],
        chords=[],
        parts=parts,
        loop=loop,
    )


@pytest.fixture(scope="module")
def stems() -> dict[str, np.ndarray]:
    return render_stems(band_score(), use_soundfont=False)


@pytest.fixture(scope="module")
def loop_stems() -> dict[str, np.ndarray]:
    return render_stems(band_score(4.0, loop=True), use_soundfont=False)


def scaled(stems: dict[str, np.ndarray], db: float) -> dict[str, np.ndarray]:
    return {k: v * np.float32(10 ** (db / 20)) for k, v in stems.items()}


def peaky(stems: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Add short, loud clicks (every 0.75 s, 12 dB over the band's peak): barely louder, far peakier,
    so the target can only be met with the limiter working."""
    n = next(iter(stems.values())).shape[-1]
    top = max(float(np.abs(v).max()) for v in stems.values()) * 4.0
    t = np.arange(int(0.02 * SR)) / SR
    click = (top * np.sin(2 * np.pi * 1500 * t) * np.exp(-t / 0.003)).astype(np.float32)
    hits = np.zeros((2, n), dtype=np.float32)
    for start in range(int(0.3 * SR), n - click.size, int(0.75 * SR)):
        hits[:, start : start + click.size] += click
    return {**stems, "hits": hits}


def peak_8x_db(x: np.ndarray) -> float:
    """An independent true-peak reading: 8x polyphase resampling by scipy."""
    return float(20 * np.log10(np.abs(resample_poly(x.astype(np.float64), 8, 1, axis=1)).max()))


def test_it_lands_on_the_loudness_target_measured_by_pyloudnorm(stems):
    out = master(stems)
    measured = pyloudnorm.Meter(SR).integrated_loudness(out.mix.T.astype(np.float64))
    assert measured == pytest.approx(-14.0, abs=1.0)
    assert out.loudness_lufs == pytest.approx(measured, abs=0.1)
    assert integrated_loudness(out.mix, SR) == pytest.approx(measured, abs=1e-9)


def test_its_true_peak_stays_under_the_ceiling(stems):
    out = master(peaky(stems))
    assert out.max_gain_reduction_db > 3.0
    assert true_peak_dbtp(out.mix, SR) <= -1.0
    assert out.true_peak_dbtp == pytest.approx(true_peak_dbtp(out.mix, SR), abs=1e-6)
    assert peak_8x_db(out.mix) <= -1.0
    lower = master(stems, ceiling_dbtp=-3.0)
    assert peak_8x_db(lower.mix) <= -3.0


def test_the_stems_null_against_the_mix(stems):
    out = master(stems)
    assert list(out.stems) == list(stems)
    assert null_residual_db(out.mix, out.stems) <= -35.0

    def to_24_bit(x: np.ndarray) -> np.ndarray:
        return np.round(x.astype(np.float64) * 2**23) / 2**23

    quantised = {k: to_24_bit(v) for k, v in out.stems.items()}
    assert null_residual_db(to_24_bit(out.mix), quantised) <= -80.0


def test_every_stem_gets_the_same_gain_curve_and_no_distortion(stems):
    hot = peaky(stems)
    out = master(hot)
    assert out.max_gain_reduction_db > 3.0
    live = np.abs(hot["pad"]) > 1e-3
    curve = np.zeros(hot["pad"].shape, dtype=np.float64)
    curve[live] = out.stems["pad"][live] / hot["pad"][live]
    assert curve[live].max() / curve[live].min() > 1.4  # the limiter moved the gain
    for name in ("drums", "lead", "hits"):
        both = live & (np.abs(hot[name]) > 1e-3)
        assert np.allclose(out.stems[name][both], hot[name][both] * curve[both], rtol=1e-4, atol=1e-7), name


def test_in_place_mastering_scales_the_given_arrays_to_the_same_result(stems):
    copies = {k: v.copy() for k, v in stems.items()}
    expected = master(stems)
    out = master(copies, in_place=True)
    assert all(out.stems[k] is copies[k] for k in stems)
    assert all(np.array_equal(out.stems[k], expected.stems[k]) for k in stems)
    assert np.array_equal(out.mix, expected.mix)


def test_quiet_and_hot_inputs_both_land_on_target(stems):
    for db in (-30.0, +18.0):
        out = master(scaled(peaky(stems), db))
        assert integrated_loudness(out.mix, SR) == pytest.approx(-14.0, abs=1.0), db
        assert peak_8x_db(out.mix) <= -1.0, db


def test_a_mastered_loop_still_joins_seamlessly(loop_stems):
    out = master(peaky(loop_stems), loop=True)
    assert out.max_gain_reduction_db > 3.0
    for x in (out.mix, *out.stems.values()):
        seam = np.abs(x[:, 0] - x[:, -1]).max()
        assert seam <= np.percentile(np.abs(np.diff(x, axis=1)), 99.9)


def test_silence_and_near_silence_come_out_clean():
    n = SR * 2
    silent = master({"a": np.zeros((2, n), np.float32), "b": np.zeros((2, n), np.float32)})
    assert not np.any(silent.mix)
    assert silent.loudness_lufs == LOUDNESS_FLOOR
    assert np.isfinite([silent.true_peak_dbtp, silent.gain_db, silent.max_gain_reduction_db]).all()

    hiss = np.random.default_rng(1).standard_normal((2, n)).astype(np.float32) * 1e-7
    faint = master({"a": hiss})
    assert np.isfinite(faint.mix).all()
    assert faint.gain_db <= 40.0
    assert master({}).mix.shape == (2, 0)


def test_it_is_deterministic(stems):
    first, second = master(stems), master(stems)
    assert np.array_equal(first.mix, second.mix)
    assert all(np.array_equal(first.stems[k], second.stems[k]) for k in stems)


def test_the_meters_read_known_signals():
    t = np.arange(SR * 2) / SR
    sine = np.stack([0.1 * np.sin(2 * np.pi * 997 * t)] * 2).astype(np.float32)
    assert integrated_loudness(sine, SR) == pytest.approx(-20.0, abs=0.2)
    assert true_peak_dbtp(sine, SR) == pytest.approx(-20.0, abs=0.05)
    # a quarter-sample-rate sine sampled 45 degrees off its crests: samples read 3 dB low
    offset = np.stack([0.5 * np.sin(2 * np.pi * (SR / 4) * t + np.pi / 4)] * 2).astype(np.float32)
    assert 20 * np.log10(np.abs(offset).max()) == pytest.approx(-9.03, abs=0.05)
    assert true_peak_dbtp(offset, SR) == pytest.approx(-6.02, abs=0.3)


def cancelling_stems(length_s: float = 6.0) -> dict[str, np.ndarray]:
    """A loud kick-like stem and its near-inverse (they cancel to a tenth in the mix), and a quiet
    steady tone that sets the loudness: the kick stems peak far above the mix."""
    n = int(length_s * SR)
    t = np.arange(n) / SR
    beat = np.mod(t, 0.5)
    kick = 0.9 * np.sin(2 * np.pi * 55 * beat) * np.exp(-beat / 0.08)
    tone = 0.15 * np.sin(2 * np.pi * 330 * t)
    stereo = lambda x: np.stack([x, x]).astype(np.float32)  # noqa: E731
    return {"kick": stereo(kick), "anti": stereo(-0.9 * kick), "tone": stereo(tone)}


def test_no_stem_peaks_over_its_limit_even_where_stems_cancel_in_the_mix():
    stems = cancelling_stems()
    for loop in (False, True):
        out = master(stems, loop=loop)
        for name, stem in out.stems.items():
            assert 20 * np.log10(np.abs(stem).max()) <= -0.29, (name, loop)
        assert np.array_equal(out.mix, out.stems["kick"] + out.stems["anti"] + out.stems["tone"])
        assert integrated_loudness(out.mix, SR) == pytest.approx(-14.0, abs=1.0), loop
        assert peak_8x_db(out.mix) <= -1.0

        def to_24_bit(x: np.ndarray) -> np.ndarray:
            return np.clip(np.round(x.astype(np.float64) * 2**23), -(2**23), 2**23 - 1) / 2**23

        quantised = {k: to_24_bit(v) for k, v in out.stems.items()}
        assert null_residual_db(to_24_bit(out.mix), quantised) <= -100.0, loop


def test_stems_that_cancel_to_silence_still_come_out_unclipped():
    loud = np.full((2, SR), 1.5, dtype=np.float32)
    out = master({"a": loud, "b": -loud})
    assert not np.any(out.mix)
    assert all(20 * np.log10(np.abs(s).max()) <= -0.29 for s in out.stems.values())
