"""Synthesised instruments: subtractive, FM and additive voices rendered note by note.

Each voice renders one "bed" per distinct pitch (the oscillators, filters and any time-varying tone,
as long as the longest note on that pitch), then every note is that bed times its own amplitude
envelope, added into the part buffer. Voices with a filter envelope keep a bright and a dark bed and
cross-fade between them, which sounds like a sweeping filter at a fraction of its cost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .events import NoteEvents, StemBuffer, stable_seed
from .oscillators import adsr, lowpass, midi_hz, oscillator, phase_cycles


@dataclass(frozen=True)
class Osc:
    """One oscillator of a subtractive voice."""

    wave: str  # saw, square, triangle, sine
    gain: float = 1.0
    cents: float = 0.0  # detune of the left channel; the right channel gets the opposite
    octave: int = 0


@dataclass(frozen=True)
class Voice:
    """A synthesised instrument: oscillators (or a `custom` bed), filters, envelopes."""

    oscs: tuple[Osc, ...] = ()
    stereo: bool = False  # detune mirrored left/right (wide) instead of one mono bed
    bright_hz: float = 8000.0
    dark_hz: float | None = None  # a second, darker bed for a filter envelope
    key_track: float = 0.0  # cutoff += key_track * f0
    bright_tau: float = 0.2  # brightness falls from 1 towards bright_sustain with this time constant
    bright_sustain: float = 0.0
    attack: float = 0.005
    decay: float = 0.3
    sustain: float = 0.8
    release: float = 0.3  # seconds to -60 dB after note-off
    vibrato: tuple[float, float, float] | None = None  # (cents, rate Hz, delay s)
    noise: float = 0.0  # a short noise burst at the onset (pluck, breath)
    noise_tau: float = 0.01
    drive: float = 0.0  # tanh saturation of the bed
    pitch_decay: bool = False  # percussive voices: higher notes ring shorter
    custom: Callable[[float, int, int], np.ndarray] | None = field(default=None, compare=False)


def _stack(
    voice: Voice, f0: float, length: int, sr: int, rng: np.random.Generator, sign: float
) -> np.ndarray:
    out = np.zeros(length, dtype=np.float32)
    cycles = phase_cycles(f0, length, sr, voice.vibrato)
    for osc in voice.oscs:
        ratio = 2.0**osc.octave * 2.0 ** (sign * osc.cents / 1200.0)
        ratio = min(ratio, 0.45 * sr / f0)
        out += osc.gain * oscillator(osc.wave, cycles, ratio, ratio * f0 / sr, float(rng.random()))
    return out


def _fm_keys(f0: float, length: int, sr: int) -> np.ndarray:
    """Electric-piano tone: a sine phase-modulated by its own frequency, index decaying after the hit."""
    t = np.arange(length, dtype=np.float64) / sr
    index = 1.6 * np.exp(-t / 0.35) + 0.25
    body = np.sin(2 * np.pi * f0 * t + index * np.sin(2 * np.pi * f0 * t))
    tine = 0.18 * np.exp(-t / 0.03) * np.sin(2 * np.pi * min(f0 * 14.0, 0.4 * sr) * t)
    return (body + tine).astype(np.float32)


def _partials(
    ratios: tuple[float, ...], amps: tuple[float, ...], taus: tuple[float, ...]
) -> Callable[[float, int, int], np.ndarray]:
    def bed(f0: float, length: int, sr: int) -> np.ndarray:
        t = np.arange(length, dtype=np.float64) / sr
        out = np.zeros(length, dtype=np.float64)
        for ratio, amp, tau in zip(ratios, amps, taus, strict=True):
            if f0 * ratio < 0.45 * sr:
                decay = np.exp(-t / tau) if tau > 0 else 1.0
                out += amp * decay * np.sin(2 * np.pi * f0 * ratio * t)
        return out.astype(np.float32)

    return bed


def _big_drum(f0: float, length: int, sr: int) -> np.ndarray:
    """Taiko/timpani stand-in: a sine that drops slightly in pitch, an overtone and a thud of noise."""
    t = np.arange(length, dtype=np.float64) / sr
    ph = f0 * (t + 0.4 * 0.04 * (1.0 - np.exp(-t / 0.04)))
    body = np.sin(2 * np.pi * ph) * np.exp(-t / 0.9) + 0.4 * np.sin(2 * np.pi * 1.5 * ph) * np.exp(-t / 0.3)
    rng = np.random.default_rng(stable_seed("big_drum", int(f0 * 100)))
    thud = lowpass(rng.standard_normal(length).astype(np.float32), 400.0, sr) * np.exp(-t / 0.05)
    return (body + 0.8 * thud).astype(np.float32)


def _sub808(f0: float, length: int, sr: int) -> np.ndarray:
    """808 sub: a sine gliding down an octave into the note, softly saturated."""
    t = np.arange(length, dtype=np.float64) / sr
    tau = 0.03
    ph = f0 * (t + 1.0 * tau * (1.0 - np.exp(-t / tau)))
    x = np.sin(2 * np.pi * ph)
    return (np.tanh(1.8 * x) / np.tanh(1.8)).astype(np.float32)


VOICES: dict[str, Voice] = {
    "synth_pad": Voice(
        oscs=(Osc("saw", 0.5, -9), Osc("saw", 0.5, 4), Osc("saw", 0.4, 13, -1)),
        stereo=True,
        bright_hz=1800.0,
        key_track=2.0,
        attack=0.6,
        decay=1.5,
        sustain=0.85,
        release=1.6,
    ),
    "ensemble": Voice(
        oscs=(Osc("saw", 0.5, -7), Osc("saw", 0.5, 6), Osc("triangle", 0.4, 0, 1)),
        stereo=True,
        bright_hz=2600.0,
        key_track=2.0,
        attack=0.18,
        decay=1.0,
        sustain=0.9,
        release=0.7,
        vibrato=(12.0, 5.2, 0.35),
    ),
    "drone": Voice(
        oscs=(Osc("saw", 0.5, -5), Osc("saw", 0.5, 5), Osc("sine", 0.8, 0, -1)),
        stereo=True,
        bright_hz=500.0,
        key_track=1.5,
        attack=2.0,
        decay=3.0,
        sustain=0.9,
        release=3.0,
    ),
    "synth_lead": Voice(
        oscs=(Osc("saw", 0.6, -4), Osc("square", 0.4, 5)),
        bright_hz=3200.0,
        dark_hz=1500.0,
        key_track=2.0,
        bright_tau=0.25,
        bright_sustain=0.4,
        attack=0.008,
        decay=0.4,
        sustain=0.75,
        release=0.2,
        vibrato=(18.0, 5.5, 0.25),
    ),
    "brass": Voice(
        oscs=(Osc("saw", 0.7, -3), Osc("saw", 0.5, 4)),
        bright_hz=3000.0,
        dark_hz=700.0,
        key_track=1.5,
        bright_tau=0.35,
        bright_sustain=0.5,
        attack=0.04,
        decay=0.5,
        sustain=0.8,
        release=0.25,
        vibrato=(10.0, 5.0, 0.4),
    ),
    "woodwind": Voice(
        oscs=(Osc("triangle", 0.8), Osc("sine", 0.5, 0, 1)),
        bright_hz=4000.0,
        attack=0.05,
        decay=0.5,
        sustain=0.85,
        release=0.18,
        vibrato=(14.0, 5.0, 0.3),
        noise=0.15,
        noise_tau=0.08,
    ),
    "arp_synth": Voice(
        oscs=(Osc("square", 0.5, -6), Osc("saw", 0.5, 6)),
        stereo=True,
        bright_hz=5000.0,
        dark_hz=600.0,
        key_track=1.0,
        bright_tau=0.09,
        attack=0.003,
        decay=0.25,
        sustain=0.35,
        release=0.15,
    ),
    "pluck_synth": Voice(
        oscs=(Osc("saw", 0.7), Osc("square", 0.3, 3)),
        bright_hz=6000.0,
        dark_hz=500.0,
        key_track=1.0,
        bright_tau=0.06,
        attack=0.002,
        decay=0.45,
        sustain=0.0,
        release=0.12,
        noise=0.3,
        noise_tau=0.004,
        pitch_decay=True,
    ),
    "synth_bass": Voice(
        oscs=(Osc("saw", 0.6), Osc("square", 0.4, 4), Osc("sine", 0.7, 0, -1)),
        bright_hz=2200.0,
        dark_hz=260.0,
        bright_tau=0.12,
        bright_sustain=0.1,
        attack=0.003,
        decay=0.5,
        sustain=0.75,
        release=0.08,
        drive=1.2,
    ),
    "round_bass": Voice(
        oscs=(Osc("triangle", 0.8), Osc("sine", 0.6), Osc("saw", 0.15)),
        bright_hz=900.0,
        dark_hz=300.0,
        bright_tau=0.08,
        bright_sustain=0.2,
        attack=0.004,
        decay=0.6,
        sustain=0.3,
        release=0.1,
        noise=0.2,
        noise_tau=0.006,
    ),
    "sub_bass": Voice(custom=_sub808, attack=0.002, decay=1.4, sustain=0.3, release=0.09),
    "keys": Voice(
        custom=_fm_keys, attack=0.002, decay=1.2, sustain=0.0, release=0.3, pitch_decay=True, bright_hz=9000.0
    ),
    "mallet": Voice(
        custom=_partials((1.0, 3.93, 9.54), (1.0, 0.35, 0.12), (1.4, 0.35, 0.08)),
        attack=0.001,
        decay=10.0,
        sustain=1.0,
        release=0.25,
    ),
    "organ": Voice(
        custom=_partials((0.5, 1.0, 2.0, 3.0, 4.0), (0.5, 1.0, 0.5, 0.25, 0.2), (0, 0, 0, 0, 0)),
        attack=0.01,
        decay=1.0,
        sustain=1.0,
        release=0.08,
    ),
    "big_drum": Voice(custom=_big_drum, attack=0.001, decay=10.0, sustain=1.0, release=0.4),
}


def voice_tail(name: str) -> float:
    """Seconds a note of this voice rings after its note-off."""
    return VOICES[name].release


def _beds(voice: Voice, name: str, pitch: int, length: int, sr: int) -> tuple[np.ndarray, np.ndarray | None]:
    """(dark-or-only bed, bright-minus-dark bed or None): (2, length) float32 for stereo voices,
    (1, length) for mono ones (they broadcast into both channels, at half the work)."""
    f0 = midi_hz(pitch)
    rng = np.random.default_rng(stable_seed("voice", name, pitch))
    if voice.custom is not None:
        return voice.custom(f0, length, sr)[None, :], None
    raw = _stack(voice, f0, length, sr, rng, 1.0)[None, :]
    if voice.stereo:
        raw = np.concatenate([raw, _stack(voice, f0, length, sr, rng, -1.0)[None, :]])
    if voice.noise > 0:
        m = min(length, int(voice.noise_tau * 12 * sr) + 1)
        t = np.arange(m, dtype=np.float32) / sr
        burst = rng.standard_normal((raw.shape[0], m), dtype=np.float32) * np.exp(-t / voice.noise_tau)
        raw[:, :m] += voice.noise * burst
    if voice.drive > 0:
        raw = np.tanh(voice.drive * raw) / np.tanh(voice.drive)
    bright = lowpass(raw, voice.bright_hz + voice.key_track * f0, sr)
    if voice.dark_hz is None:
        return bright, None
    dark = lowpass(raw, voice.dark_hz + voice.key_track * f0, sr)
    return dark, bright - dark


def render_voice(name: str, events: NoteEvents, out: StemBuffer, sample_rate: int) -> None:
    """Add every note of `events` played by voice `name` into `out`.

    A note is its pitch's bed times its envelope; notes that share pitch and length share that
    product (music repeats), so each is then one scaled copy.
    """
    voice = VOICES[name]
    tail = int(voice.release * sample_rate)
    for pitch in np.unique(events.pitch):
        idx = np.nonzero(events.pitch == pitch)[0]
        bed_len = int(events.length[idx].max()) + tail
        base, diff = _beds(voice, name, int(pitch), bed_len, sample_rate)
        scale = (261.6 / midi_hz(int(pitch))) ** 0.5 if voice.pitch_decay else 1.0
        # one scratch buffer reused note after note: fresh large temporaries cost a page fault storm
        scratch = np.empty((base.shape[0], bed_len), dtype=np.float32)
        units: dict[int, np.ndarray] = {}
        for i in idx:
            held = int(events.length[i])
            total = held + tail
            unit = units.get(held)
            if unit is None:
                amp, bright = _envelopes(voice, held, total, sample_rate, scale)
                unit = base[:, :total] * amp
                if diff is not None and bright is not None:
                    unit += diff[:, :total] * bright
                units[held] = unit
            gain = np.float32((events.velocity[i] / 127.0) ** 1.6)
            out.add(int(events.start[i]), np.multiply(unit, gain, out=scratch[:, :total]))


def _envelopes(
    voice: Voice, held: int, total: int, sr: int, decay_scale: float
) -> tuple[np.ndarray, np.ndarray | None]:
    amp = adsr(
        held,
        total,
        sr,
        voice.attack,
        voice.decay * min(max(decay_scale, 0.3), 2.5),
        voice.sustain,
        voice.release,
    )
    if voice.dark_hz is None:
        return amp, None
    t = np.arange(total, dtype=np.float32) / np.float32(sr)
    brightness = voice.bright_sustain + (1.0 - voice.bright_sustain) * np.exp(-t / voice.bright_tau)
    return amp, amp * brightness
