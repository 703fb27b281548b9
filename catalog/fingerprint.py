"""Audio fingerprints: landmark pairs of spectral peaks, in numpy, with no Django import.

The audio is folded to mono and resampled to 8 kHz, so another sample rate, bitrate or codec gives the
same spectrogram up to noise. The strongest local maxima of its log spectrogram are the landmarks; each
is paired with a few that follow it, and a pair hashes to (its low frequency, the frequency step, the
time step). Such pairs survive lossy re-encoding (the peaks stay peaks) and trimming (a pair's hash does
not depend on where the file starts); a copy is recognised when many hashes agree on one time offset.

No maintained fingerprinting package works offline without a system binary (chromaprint needs
`fpcalc`), hence this compact implementation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage, signal

RATE = 8000
N_FFT = 1024
HOP = 256  # 32 ms frames
PEAKS_PER_SECOND = 24
FAN_OUT = 6
MAX_DT = 63  # frames (2 s) between the two peaks of a pair
MAX_DF = 127  # bins between them
# The share of hashes indexed for lookup: those whose value is 0 modulo this.
INDEX_EVERY = 8
NEAR_SCORE = 0.12  # share of a track's hashes that agree with a match at one offset
MIN_MATCHES = 12
EXACT_SCORE = 0.85


@dataclass(frozen=True)
class Match:
    score: float  # share of the query's hashes found in the other at one offset
    offset_s: float  # where the query starts inside the other
    matched: int


def _mono_8k(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    mono = audio.mean(axis=1) if audio.ndim == 2 else audio
    mono = np.asarray(mono, dtype=np.float32)
    if sample_rate != RATE:
        g = np.gcd(int(sample_rate), RATE)
        mono = signal.resample_poly(mono, RATE // g, int(sample_rate) // g)
    return mono


def landmarks(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """(frame, bin) of the spectral peaks of `audio` ((frames,) or (frames, channels)), by time."""
    mono = _mono_8k(audio, sample_rate)
    if mono.size < N_FFT:
        return np.zeros((0, 2), dtype=np.int64)
    _, _, spec = signal.stft(mono, fs=RATE, nperseg=N_FFT, noverlap=N_FFT - HOP, boundary=None, padded=False)
    mag = np.log(np.abs(spec[1:-1]) + 1e-6)  # drop DC and Nyquist
    local_max = ndimage.maximum_filter(mag, size=(31, 9), mode="constant", cval=-np.inf) == mag
    floor = np.median(mag) + 2.0
    bins, frames = np.nonzero(local_max & (mag > floor))
    if bins.size == 0:
        return np.zeros((0, 2), dtype=np.int64)
    strength = mag[bins, frames]
    # Keep the strongest few per second, so loud passages do not crowd out quiet ones.
    budget = max(1, int(PEAKS_PER_SECOND * HOP / RATE * mag.shape[1]))
    if bins.size > budget:
        per_block = int(PEAKS_PER_SECOND)
        block = frames // int(RATE / HOP)
        order = np.lexsort((-strength, block))
        rank = np.empty_like(order)
        starts = np.searchsorted(block[order], block[order], side="left")
        rank[order] = np.arange(order.size) - starts
        keep = rank < per_block
        bins, frames = bins[keep], frames[keep]
    order = np.lexsort((bins, frames))
    return np.stack([frames[order], bins[order]], axis=1).astype(np.int64)


def fingerprint(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """The (hash, frame) pairs of `audio`, as an (n, 2) uint32 array sorted by frame."""
    peaks = landmarks(audio, sample_rate)
    pairs = []
    n = len(peaks)
    for i in range(n):
        t1, f1 = peaks[i]
        j, made = i + 1, 0
        while j < n and made < FAN_OUT:
            t2, f2 = peaks[j]
            dt = t2 - t1
            if dt > MAX_DT:
                break
            df = f2 - f1
            if dt > 0 and abs(df) <= MAX_DF:
                value = (int(f1) << 14) | ((int(df) + MAX_DF) << 6) | int(dt)
                pairs.append((value, int(t1)))
                made += 1
            j += 1
    if not pairs:
        return np.zeros((0, 2), dtype=np.uint32)
    return np.asarray(pairs, dtype=np.uint32)


def to_bytes(prints: np.ndarray) -> bytes:
    return np.ascontiguousarray(prints, dtype="<u4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<u4").reshape(-1, 2)


def index_sample(prints: np.ndarray) -> list[int]:
    """The distinct hashes of `prints` that are indexed for lookup (the same sample for every copy)."""
    values = np.unique(prints[:, 0]) if len(prints) else np.zeros(0, dtype=np.uint32)
    return [int(v) for v in values[values % INDEX_EVERY == 0]]


def compare(query: np.ndarray, other: np.ndarray) -> Match:
    """How much of `query` is found in `other` at one consistent time offset."""
    if len(query) == 0 or len(other) == 0:
        return Match(0.0, 0.0, 0)
    order = np.argsort(other[:, 0], kind="stable")
    keys, times = other[order, 0], other[order, 1].astype(np.int64)
    lo = np.searchsorted(keys, query[:, 0], side="left")
    hi = np.searchsorted(keys, query[:, 0], side="right")
    counts = hi - lo
    if counts.sum() == 0:
        return Match(0.0, 0.0, 0)
    # Every pairing of equal hashes votes for the offset between them.
    q_idx = np.repeat(np.arange(len(query)), counts)
    starts = np.repeat(lo, counts)
    within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    offsets = times[starts + within] - query[q_idx, 1].astype(np.int64)
    # A frame of jitter either way (a trim that is not a whole number of frames) counts as the same offset.
    votes = np.bincount(offsets - offsets.min())
    padded = np.convolve(votes, np.ones(3, dtype=np.int64), mode="same")
    best = int(np.argmax(padded))
    window = votes[max(0, best - 1) : best + 2]
    centre = max(0, best - 1) + int(np.argmax(window))
    matched = int(padded[best])
    best_offset = centre + int(offsets.min())
    score = min(1.0, matched / len(query))
    return Match(score=round(score, 4), offset_s=round(best_offset * HOP / RATE, 3), matched=matched)


def is_near(match: Match) -> bool:
    return match.matched >= MIN_MATCHES and match.score >= NEAR_SCORE
