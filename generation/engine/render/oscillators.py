"""Band-limited oscillators, filters and envelopes, vectorised over whole notes.

Oscillators return float32 arrays. Saw and square use PolyBLEP corrections at their discontinuities,
which removes most of the aliasing a naive waveform would fold back below Nyquist.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import signal


def midi_hz(pitch: float) -> float:
    """Frequency of a MIDI note number in Hz (A4 = 69 = 440 Hz)."""
    return 440.0 * 2.0 ** ((pitch - 69.0) / 12.0)


def phase_cycles(
    freq: float, length: int, sample_rate: int, vibrato: tuple[float, float, float] | None = None
) -> np.ndarray:
    """Unwrapped phase in cycles (float64, so long notes stay in tune) of an oscillator at `freq`,
    with a vibrato (depth_cents, rate_hz, delay_s) that fades in after its delay, or none. Scale it
    by a ratio for a detuned or octave-shifted copy of the same oscillator."""
    if vibrato is None:
        return np.arange(length, dtype=np.float64) * (freq / sample_rate)
    depth_cents, rate_hz, delay_s = vibrato
    t = np.arange(length, dtype=np.float64) / sample_rate
    ramp = np.clip((t - delay_s) / max(delay_s, 1e-3), 0.0, 1.0)
    inst = freq * 2.0 ** (depth_cents / 1200.0 * ramp * np.sin(2 * np.pi * rate_hz * t))
    return np.cumsum(inst / sample_rate)


def _blep_fix(out: np.ndarray, ph: np.ndarray, dt: float | np.ndarray, scale: float) -> None:
    """Subtract the PolyBLEP residual around each wrap of `ph` (in place, only where it is non-zero)."""
    dtv = np.broadcast_to(np.asarray(dt, dtype=np.float64), ph.shape)
    lo = np.nonzero(ph < dtv)[0]
    x = ph[lo] / dtv[lo]
    out[lo] -= scale * (x + x - x * x - 1.0)
    hi = np.nonzero(ph > 1.0 - dtv)[0]
    x = (ph[hi] - 1.0) / dtv[hi]
    out[hi] -= scale * (x * x + x + x + 1.0)


def saw(ph: np.ndarray, dt: float | np.ndarray) -> np.ndarray:
    """Band-limited rising saw from a phase in cycles; `dt` is the phase increment per sample."""
    out = (2.0 * ph - 1.0).astype(np.float32)
    _blep_fix(out, ph, dt, 1.0)
    return out


def square(ph: np.ndarray, dt: float | np.ndarray) -> np.ndarray:
    """Band-limited square (difference of two saws half a cycle apart)."""
    shifted = np.mod(ph + 0.5, 1.0)
    out = (2.0 * ph - 2.0 * shifted).astype(np.float32)
    _blep_fix(out, ph, dt, 1.0)
    _blep_fix(out, shifted, dt, -1.0)
    return out


def triangle(ph: np.ndarray) -> np.ndarray:
    """Triangle from a phase; its harmonics fall at 12 dB/octave, so aliasing stays low unfiltered."""
    return (4.0 * np.abs(ph - 0.5) - 1.0).astype(np.float32)


def sine(ph: np.ndarray) -> np.ndarray:
    """Sine from a phase in cycles."""
    return np.sin(2.0 * np.pi * ph).astype(np.float32)


WAVES = {"saw": saw, "square": square}


def oscillator(wave: str, cycles: np.ndarray, ratio: float, dt: float, phase0: float = 0.0) -> np.ndarray:
    """One oscillator from an unwrapped phase (`phase_cycles`) times `ratio`; `dt` is its phase step
    per sample (for the band-limiting). `wave` is saw, square, triangle or sine."""
    ph = cycles * ratio
    ph += phase0
    ph -= np.floor(ph)
    if wave in WAVES:
        return WAVES[wave](ph, dt)
    if wave == "triangle":
        return triangle(ph)
    return sine(ph)


@lru_cache(maxsize=256)
def _butter(kind: str, cutoff: float | tuple[float, float], sample_rate: int, order: int) -> np.ndarray:
    nyq = 0.5 * sample_rate
    if isinstance(cutoff, tuple):
        wn: float | list[float] = [min(max(c / nyq, 1e-4), 0.95) for c in cutoff]
    else:
        wn = min(max(cutoff / nyq, 1e-4), 0.95)
    return signal.butter(order, wn, btype=kind, output="sos")


def lowpass(x: np.ndarray, cutoff: float, sample_rate: int, order: int = 2) -> np.ndarray:
    """Butterworth lowpass along the last axis (float32 in, float32 out)."""
    if cutoff >= 0.45 * sample_rate:
        return x
    return signal.sosfilt(_butter("lowpass", round(cutoff, 1), sample_rate, order), x, axis=-1).astype(
        np.float32, copy=False
    )


def highpass(x: np.ndarray, cutoff: float, sample_rate: int, order: int = 2) -> np.ndarray:
    """Butterworth highpass along the last axis."""
    return signal.sosfilt(_butter("highpass", round(cutoff, 1), sample_rate, order), x, axis=-1).astype(
        np.float32, copy=False
    )


def bandpass(x: np.ndarray, low: float, high: float, sample_rate: int, order: int = 2) -> np.ndarray:
    """Butterworth bandpass along the last axis."""
    sos = _butter("bandpass", (round(low, 1), round(high, 1)), sample_rate, order)
    return signal.sosfilt(sos, x, axis=-1).astype(np.float32, copy=False)


def adsr(
    held: int,
    total: int,
    sample_rate: int,
    attack: float,
    decay: float,
    sustain: float,
    release: float,
) -> np.ndarray:
    """Amplitude envelope of one note: `held` samples until note-off, `total` with the release tail.

    Decay and release are exponential (`decay` is a time constant, `release` the time to -60 dB); the
    last samples ramp to exactly zero so a note never ends in a click.
    """
    t = np.arange(total, dtype=np.float32) / np.float32(sample_rate)
    att = max(attack, 1e-4)
    env = np.empty(total, dtype=np.float32)
    on = t[:held]
    rise = np.minimum(on / att, 1.0)
    fall = sustain + (1.0 - sustain) * np.exp(-np.maximum(on - att, 0.0) / max(decay, 1e-4))
    env[:held] = rise * fall
    level = float(env[held - 1]) if held > 0 else 0.0
    if total > held:
        tail = t[held:] - t[held]
        env[held:] = level * np.exp(-tail * (6.9 / max(release, 1e-3)))
    ramp = min(64, total)
    env[total - ramp :] *= np.linspace(1.0, 0.0, ramp, dtype=np.float32)
    return env
