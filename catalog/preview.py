"""The public preview: a lower-bitrate MP3 with a soft audible tag every ten seconds.

The tag is a short two-note bell (C7 then E7, around 2.1-2.6 kHz, where the ear is keen and most mixes
leave room) over the music dipped by a few dB for 0.7 s: soft, but plain to the ear, so a preview cannot
stand in for a licensed file. Licensed downloads are the untouched masters.
"""

from __future__ import annotations

from pathlib import Path

import lameenc
import numpy as np
import soundfile

PREVIEW_KBPS = 128
TAG_EVERY_S = 10.0
TAG_FIRST_S = 3.0
TAG_PEAK = 0.22  # about -13 dBFS, on a mix dipped by DUCK_DB while it sounds: clear, never harsh
DUCK_DB = 4.0
TAG_LENGTH_S = 0.7


def tag_times(duration_s: float) -> list[float]:
    """Where the tag sounds in a preview of `duration_s` seconds."""
    times, t = [], TAG_FIRST_S
    while t + 0.5 < duration_s:
        times.append(round(t, 3))
        t += TAG_EVERY_S
    return times


def _bell(t: np.ndarray, frequency: float) -> np.ndarray:
    # A soft bell: the fundamental with a quieter octave, fast attack, exponential decay.
    envelope = np.exp(-t * 6.0) * np.minimum(1.0, t * 300)
    return (np.sin(2 * np.pi * frequency * t) + 0.3 * np.sin(4 * np.pi * frequency * t)) * envelope


def _chime(sample_rate: int) -> np.ndarray:
    t = np.arange(int(TAG_LENGTH_S * sample_rate)) / sample_rate
    offset = int(0.14 * sample_rate)
    chime = 0.6 * _bell(t, 2093.0)
    chime[offset:] += 0.5 * _bell(t[: len(t) - offset], 2637.0)
    return chime / np.abs(chime).max() * TAG_PEAK


def _duck(length: int, sample_rate: int) -> np.ndarray:
    # Gain curve for the music under the tag: down DUCK_DB with 50 ms ramps either side.
    depth = 10 ** (-DUCK_DB / 20)
    ramp = int(0.05 * sample_rate)
    curve = np.full(length, depth)
    curve[:ramp] = np.linspace(1.0, depth, ramp)
    curve[-ramp:] = np.linspace(depth, 1.0, ramp)
    return curve


def watermark(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """`audio` (frames, channels) with the tag mixed in; the result never exceeds full scale."""
    out = np.array(audio, dtype=np.float32, copy=True)
    chime = _chime(sample_rate).astype(np.float32)
    duck = _duck(len(chime), sample_rate).astype(np.float32)
    for start_s in tag_times(len(out) / sample_rate):
        start = int(start_s * sample_rate)
        end = min(len(out), start + len(chime))
        out[start:end] *= duck[: end - start, None]
        out[start:end] += chime[: end - start, None]
    np.clip(out, -1.0, 1.0, out=out)
    return out


def make_preview(master: Path) -> bytes:
    """The watermarked preview MP3 of a master WAV, as bytes."""
    audio, sample_rate = soundfile.read(str(master), dtype="float32", always_2d=True)
    return preview_mp3(audio, sample_rate)


def preview_mp3(audio: np.ndarray, sample_rate: int) -> bytes:
    """The watermarked preview MP3 of decoded `audio` (frames, channels), as bytes."""
    audio = watermark(audio, sample_rate)
    channels = min(2, audio.shape[1])
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(PREVIEW_KBPS)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_channels(channels)
    encoder.set_quality(7)
    # Ten seconds at a time: the encoder streams, and a long upload's samples are not copied whole
    # into 16-bit PCM and again into bytes.
    out = bytearray()
    step = 10 * sample_rate
    for start in range(0, len(audio), step):
        pcm = (audio[start : start + step, :channels] * 32767.0).astype("<i2")
        out += encoder.encode(pcm.tobytes())
    out += encoder.flush()
    return bytes(out)
