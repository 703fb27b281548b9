"""Synthesised drum kits: each General MIDI percussion key becomes one short sample, made once.

Kicks are sines with a falling pitch envelope, snares and claps are noise plus tone, hats and cymbals
are high-passed noise with a metallic cluster of square waves. Every noise comes from a Generator
seeded by (kit, key), so a kit sounds the same in every render.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .events import NoteEvents, StemBuffer, choke, choke_limits, stable_seed
from .oscillators import bandpass, highpass, lowpass, midi_hz, square


def _t(seconds: float, sr: int) -> np.ndarray:
    return np.arange(int(seconds * sr), dtype=np.float64) / sr


def _kick(sr: int, rng, f_hi: float, f_lo: float, tau_f: float, tau_a: float, length: float, drive: float):
    t = _t(length, sr)
    ph = f_lo * t + (f_hi - f_lo) * tau_f * (1.0 - np.exp(-t / tau_f))
    body = np.sin(2 * np.pi * ph) * np.exp(-t / tau_a)
    click = np.zeros_like(t)
    m = int(0.004 * sr)
    click[:m] = rng.standard_normal(m) * np.exp(-t[:m] / 0.0008)
    x = body + 0.3 * highpass(click.astype(np.float32), 1500.0, sr)
    return np.tanh(drive * x) / np.tanh(drive)


def _snare(
    sr: int, rng, tone: float, tau_tone: float, tau_noise: float, band: tuple[float, float], mix: float
):
    t = _t(tau_noise * 7, sr)
    body = np.sin(2 * np.pi * tone * t) + 0.5 * np.sin(2 * np.pi * tone * 1.7 * t)
    body *= np.exp(-t / tau_tone)
    noise = bandpass(rng.standard_normal(t.size).astype(np.float32), *band, sr) * np.exp(-t / tau_noise)
    return (1.0 - mix) * body + mix * 2.5 * noise


def _clap(sr: int, rng, tau: float):
    t = _t(tau * 7 + 0.03, sr)
    env = np.exp(-t / tau)
    for delay in (0.0, 0.011, 0.022):
        start = int(delay * sr)
        burst = np.exp(-(t - delay) / 0.004) * (t >= delay)
        env[start:] = np.maximum(env[start:], burst[start:])
    noise = bandpass(rng.standard_normal(t.size).astype(np.float32), 900.0, 3500.0, sr)
    return 2.5 * noise * env


def _metal(sr: int, rng, tau: float, cutoff: float, metal: float):
    t = _t(min(tau * 7, 3.0), sr)
    noise = rng.standard_normal(t.size)
    cluster = np.zeros(t.size, dtype=np.float32)
    for f in (205.3, 304.4, 369.6, 522.7, 540.0, 800.0):
        ph = np.mod(f * 1.7 * t, 1.0)
        cluster += square(ph, f * 1.7 / sr)
    x = (1.0 - metal) * noise + metal * 0.4 * cluster
    return highpass(x.astype(np.float32), cutoff, sr, order=4) * np.exp(-t / tau)


def _tom(sr: int, rng, freq: float, tau: float):
    t = _t(tau * 6, sr)
    ph = freq * (t + 0.5 * 0.05 * (1.0 - np.exp(-t / 0.05)))
    body = np.sin(2 * np.pi * ph) * np.exp(-t / tau)
    skin = lowpass(rng.standard_normal(t.size).astype(np.float32), 2500.0, sr) * np.exp(-t / 0.01)
    return body + 0.3 * skin


def _block(sr: int, rng, freq: float, tau: float):
    t = _t(tau * 6, sr)
    tone = np.sin(2 * np.pi * freq * t) + 0.4 * np.sin(2 * np.pi * freq * 2.3 * t)
    return tone * np.exp(-t / tau)


def _shaker(sr: int, rng, tau: float, cutoff: float):
    t = _t(tau * 6 + 0.02, sr)
    env = np.minimum(t / 0.01, 1.0) * np.exp(-t / tau)
    return highpass(rng.standard_normal(t.size).astype(np.float32), cutoff, sr) * env


# per kit: the kick, snare, clap and hat settings that give it its character
KITS: dict[str, dict[str, tuple]] = {
    "acoustic": {
        "kick": (110.0, 55.0, 0.03, 0.25, 0.6, 1.5),
        "boom": (100.0, 50.0, 0.04, 0.4, 1.0, 1.2),
        "snare": (185.0, 0.05, 0.14, (900.0, 7000.0), 0.65),
        "clap": (0.07,),
        "hat": (0.03, 0.09, 0.22),
    },
    "electronic": {
        "kick": (150.0, 48.0, 0.035, 0.4, 0.9, 2.0),
        "boom": (150.0, 48.0, 0.035, 0.4, 0.9, 2.0),
        "snare": (200.0, 0.06, 0.12, (1200.0, 9000.0), 0.6),
        "clap": (0.09,),
        "hat": (0.025, 0.06, 0.3),
    },
    "trap": {
        "kick": (130.0, 52.0, 0.025, 0.22, 0.6, 2.5),
        "boom": (70.0, 42.0, 0.08, 1.1, 2.5, 2.2),
        "snare": (210.0, 0.04, 0.1, (1800.0, 10000.0), 0.75),
        "clap": (0.1,),
        "hat": (0.018, 0.05, 0.2),
    },
}

# kits whose kicks (and 808 boom) are tuned to the score's tonic: a fixed pitch in the loudest stem
# would pull the ear, and any key estimator, towards that pitch's key
TUNED_KITS = ("electronic", "trap")
KICK_KEYS = (35, 36)  # GM bass drum 2 (a kit's "boom", the trap 808) and bass drum 1
KICK_LOWEST_HZ = 38.0  # tuned kicks fall in the octave from here: D# (38.9 Hz) to D (73.4 Hz)


def kick_hz(tonic: int) -> float:
    """The frequency of pitch class `tonic` (0 = C) in the kick octave starting at KICK_LOWEST_HZ."""
    hz = midi_hz(24 + tonic % 12)  # C1 = 32.7 Hz
    return hz * 2.0 if hz < KICK_LOWEST_HZ else hz


# (sound, level, pan) of the GM keys a kit knows; other keys play a woodblock tuned by key
_TOMS = {41: 82.0, 43: 98.0, 45: 116.0, 47: 138.0, 48: 164.0, 50: 196.0}
_HAND = {60: 420.0, 61: 330.0, 62: 300.0, 63: 240.0, 64: 190.0}


def _sound(kit: str, key: int, sr: int, tonic: int | None) -> tuple[np.ndarray, float, float]:
    spec = KITS[kit]
    rng = np.random.default_rng(stable_seed("kit", kit, key))
    if key in KICK_KEYS:
        f_hi, f_lo, tau_f, tau_a, length, drive = spec["kick" if key == 36 else "boom"]
        if tonic is not None and kit in TUNED_KITS:
            ratio = kick_hz(tonic) / f_lo  # the whole sweep moves, so the kick keeps its shape
            f_hi, f_lo = f_hi * ratio, f_lo * ratio
        return _kick(sr, rng, f_hi, f_lo, tau_f, tau_a, length, drive), 1.0, 0.0
    if key in (38, 40):
        return _snare(sr, rng, *spec["snare"]), 0.55, 0.0
    if key == 39:
        return _clap(sr, rng, *spec["clap"]), 0.45, 0.05
    if key == 37:
        return _block(sr, rng, 1700.0, 0.012), 0.3, 0.0
    closed, pedal, open_ = spec["hat"]
    if key in (42, 44, 46):
        tau = {42: closed, 44: pedal, 46: open_}[key]
        return _metal(sr, rng, tau, 7000.0, 0.3), 0.3, 0.25
    if key in (49, 52, 55, 57):
        return _metal(sr, rng, 0.9, 4000.0, 0.4), 0.3, -0.3
    if key in (51, 53, 59):
        return _metal(sr, rng, 0.5, 5000.0, 0.6), 0.22, 0.3
    if key in _TOMS:
        return _tom(sr, rng, _TOMS[key], 0.22), 0.6, (key - 45.5) / 12.0
    if key in _HAND:
        return _tom(sr, rng, _HAND[key], 0.09), 0.45, (key - 62) / 6.0
    if key in (54, 69, 70, 82):
        return _shaker(sr, rng, 0.05 if key != 54 else 0.09, 6000.0), 0.25, 0.35
    if key == 56:
        return _block(sr, rng, 560.0, 0.08), 0.3, 0.1
    if key == 75:
        return _block(sr, rng, 2500.0, 0.02), 0.35, -0.2
    return _block(sr, rng, 500.0 + 25.0 * (key % 40), 0.03), 0.3, 0.0


@lru_cache(maxsize=256)
def drum_sample(kit: str, key: int, sample_rate: int, tonic: int | None = None) -> np.ndarray:
    """The stereo (2, m) float32 sample a kit plays for a GM percussion key (read-only, cached); the
    kicks of TUNED_KITS are tuned to pitch class `tonic` (0 = C) when one is given."""
    mono, level, pan = _sound(kit, key, sample_rate, tonic)
    ramp = min(64, mono.size)
    mono = np.asarray(mono, dtype=np.float32) * np.float32(level)
    mono[mono.size - ramp :] *= np.linspace(1.0, 0.0, ramp, dtype=np.float32)
    angle = (np.clip(pan, -1.0, 1.0) + 1.0) * np.pi / 4.0
    stereo = np.stack(
        [mono * np.float32(np.sqrt(2) * np.cos(angle)), mono * np.float32(np.sqrt(2) * np.sin(angle))]
    )
    stereo.setflags(write=False)
    return stereo


def kit_tail(kit: str) -> float:
    """Longest a hit of this kit rings, in seconds (cymbals, the trap 808)."""
    return 3.1


def render_kit(
    kit: str, events: NoteEvents, out: StemBuffer, sample_rate: int, tonic: int | None = None
) -> None:
    """Add every hit of `events` (GM percussion keys) played on `kit` into `out`, its kicks tuned to
    pitch class `tonic` where the kit is tuned (see drum_sample)."""
    tune = tonic if kit in TUNED_KITS else None
    samples = {
        key: drum_sample(kit, int(key), sample_rate, tune if key in KICK_KEYS else None)
        for key in np.unique(events.pitch)
    }
    scratch = np.empty((2, max(s.shape[-1] for s in samples.values())), dtype=np.float32)
    limits = choke_limits(events)
    for i in range(len(events)):
        sample = samples[events.pitch[i]]
        gain = np.float32((events.velocity[i] / 127.0) ** 1.3)
        hit = np.multiply(sample, gain, out=scratch[:, : sample.shape[-1]])
        out.add(int(events.start[i]), choke(hit, int(limits[i]), sample_rate))
