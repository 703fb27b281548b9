"""noise_texture: wind for notes below middle C, vinyl crackle from middle C up.

Each note is a stretch of texture: its pitch sets the colour (the wind's band, the crackle's hiss),
its velocity the level. All noise comes from a Generator seeded by the part and the note's index.
"""

from __future__ import annotations

import numpy as np

from .events import NoteEvents, StemBuffer
from .oscillators import adsr, bandpass, highpass, lowpass, midi_hz

TEXTURE_RELEASE = 0.6


def _smooth_curve(rng: np.random.Generator, length: int, sr: int, rate_hz: float) -> np.ndarray:
    """A slow random curve in 0..1: random control points every 1/rate_hz seconds, cosine-interpolated."""
    step = max(int(sr / rate_hz), 1)
    points = rng.random(length // step + 3)
    pos = np.arange(length, dtype=np.float64) / step
    i = pos.astype(np.int64)
    frac = 0.5 - 0.5 * np.cos(np.pi * (pos - i))
    return (points[i] * (1.0 - frac) + points[i + 1] * frac).astype(np.float32)


def _wind(rng: np.random.Generator, length: int, sr: int, centre: float) -> np.ndarray:
    noise = rng.standard_normal((2, length), dtype=np.float32)
    low = bandpass(noise, centre * 0.5, centre * 1.2, sr)
    high = bandpass(noise, centre * 1.2, centre * 3.5, sr)
    gust = _smooth_curve(rng, length, sr, 0.35)
    swirl = _smooth_curve(rng, length, sr, 0.2)
    return (low * (1.0 - swirl) + high * swirl) * (0.35 + 0.65 * gust) * 2.0


def _crackle(rng: np.random.Generator, length: int, sr: int, colour: float) -> np.ndarray:
    hiss = lowpass(highpass(rng.standard_normal((2, length), dtype=np.float32), 800.0, sr), colour, sr)
    out = 0.08 * hiss
    count = int(length / sr * 25) + 1
    pos = rng.integers(0, length, size=(2, count))
    amp = (rng.pareto(2.5, size=(2, count)) * 0.15 + 0.05) * rng.choice([-1.0, 1.0], size=(2, count))
    clicks = np.zeros((2, length), dtype=np.float32)
    for ch in range(2):
        np.add.at(clicks[ch], pos[ch], amp[ch])
    # each click rings for a few samples through a short resonance, like dust in a groove
    clicks = bandpass(clicks, 1500.0, min(colour * 1.5, 0.4 * sr), sr)
    return out + 3.0 * clicks


def render_texture(events: NoteEvents, out: StemBuffer, sample_rate: int, seed: list[int]) -> None:
    """Add each texture note of `events` into `out`."""
    tail = int(TEXTURE_RELEASE * sample_rate)
    for i in range(len(events)):
        held = int(events.length[i])
        total = held + tail
        rng = np.random.default_rng([*seed, i])
        pitch = int(events.pitch[i])
        if pitch < 60:
            wave = _wind(rng, total, sample_rate, float(np.clip(midi_hz(pitch) * 8.0, 150.0, 2500.0)))
            env = adsr(held, total, sample_rate, 1.5, 1.0, 1.0, TEXTURE_RELEASE)
        else:
            wave = _crackle(rng, total, sample_rate, float(np.clip(midi_hz(pitch) * 12.0, 2000.0, 12000.0)))
            env = adsr(held, total, sample_rate, 0.3, 1.0, 1.0, TEXTURE_RELEASE)
        gain = (events.velocity[i] / 127.0) ** 1.6
        out.add(int(events.start[i]), wave * (env * gain))
