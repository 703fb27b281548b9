"""The public preview: a lower-bitrate MP3 with a soft audible tag every ten seconds.

The tag is a short two-note chime, quiet next to the music but plain to the ear, so a preview cannot
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
TAG_PEAK = 0.12  # about -18 dBFS: under a mastered mix at -14 LUFS, yet audible in quiet passages


def tag_times(duration_s: float) -> list[float]:
    """Where the tag sounds in a preview of `duration_s` seconds."""
    times, t = [], TAG_FIRST_S
    while t + 0.5 < duration_s:
        times.append(round(t, 3))
        t += TAG_EVERY_S
    return times


def _chime(sample_rate: int) -> np.ndarray:
    t = np.arange(int(0.6 * sample_rate)) / sample_rate
    envelope = np.exp(-t * 7.0) * np.minimum(1.0, t * 200)
    first = np.sin(2 * np.pi * 1318.5 * t) * envelope
    second = np.zeros_like(t)
    offset = int(0.12 * sample_rate)
    second[offset:] = np.sin(2 * np.pi * 1760.0 * t[: len(t) - offset]) * envelope[: len(t) - offset]
    return (first * 0.6 + second * 0.4) * TAG_PEAK


def watermark(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """`audio` (frames, channels) with the tag mixed in; the result never exceeds full scale."""
    out = np.array(audio, dtype=np.float32, copy=True)
    chime = _chime(sample_rate).astype(np.float32)
    for start_s in tag_times(len(out) / sample_rate):
        start = int(start_s * sample_rate)
        end = min(len(out), start + len(chime))
        out[start:end] += chime[: end - start, None]
    np.clip(out, -1.0, 1.0, out=out)
    return out


def make_preview(master: Path) -> bytes:
    """The watermarked preview MP3 of a master WAV, as bytes."""
    audio, sample_rate = soundfile.read(str(master), dtype="float32", always_2d=True)
    audio = watermark(audio, sample_rate)
    channels = min(2, audio.shape[1])
    pcm = (audio[:, :channels] * 32767.0).astype("<i2")
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(PREVIEW_KBPS)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_channels(channels)
    encoder.set_quality(7)
    return bytes(encoder.encode(pcm.tobytes()) + encoder.flush())
