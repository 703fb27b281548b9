"""Krumhansl–Schmuckler key estimation from audio, for the engine benchmark.

The chroma of the whole piece (constant-Q chroma summed over time) is correlated with the 24 rotations of
the Krumhansl–Kessler probe-tone profiles (12 major, 12 minor); the best Pearson correlation names the key.
It is a classic, simple estimator: good on tonal music with a clear tonic, prone to confusing a key with
its relative or dominant key, so the benchmark reports both exact and relative-tolerant agreement.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PITCH_CLASSES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")

# Krumhansl & Kessler (1982) probe-tone ratings, tonic first.
KK_MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
KK_MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])

ANALYSIS_RATE = 22050


@dataclass(frozen=True)
class KeyEstimate:
    """The best-matching key, its correlation, and the runner-up's, so callers can judge confidence."""

    tonic: str
    mode: str
    correlation: float
    runner_up: str

    @property
    def name(self) -> str:
        return f"{self.tonic} {self.mode}"


def key_profiles() -> tuple[list[tuple[str, str]], np.ndarray]:
    """The 24 candidate keys and their profiles as a (24, 12) array, rows matching the key list."""
    keys: list[tuple[str, str]] = []
    rows = []
    for mode, profile in (("major", KK_MAJOR), ("minor", KK_MINOR)):
        for tonic in range(12):
            keys.append((PITCH_CLASSES[tonic], mode))
            rows.append(np.roll(profile, tonic))
    return keys, np.array(rows)


def estimate_key_from_chroma(chroma: np.ndarray) -> KeyEstimate:
    """Key from a 12-bin pitch-class distribution (C first) or a (12, frames) chromagram."""
    vector = np.asarray(chroma, dtype=np.float64)
    if vector.ndim == 2:
        vector = vector.sum(axis=1)
    if vector.shape != (12,):
        raise ValueError(f"chroma must have 12 pitch classes, got shape {np.shape(chroma)}")
    keys, profiles = key_profiles()
    centred = profiles - profiles.mean(axis=1, keepdims=True)
    v = vector - vector.mean()
    denom = np.linalg.norm(centred, axis=1) * np.linalg.norm(v)
    scores = centred @ v / np.where(denom > 0, denom, 1.0)
    order = np.argsort(-scores, kind="stable")
    best, second = keys[order[0]], keys[order[1]]
    return KeyEstimate(best[0], best[1], float(scores[order[0]]), f"{second[0]} {second[1]}")


def estimate_key(audio: np.ndarray, sample_rate: int) -> KeyEstimate:
    """Key of mono or (channels, samples) audio, via constant-Q chroma at 22.05 kHz."""
    import librosa

    mono = np.asarray(audio, dtype=np.float32)
    if mono.ndim == 2:
        mono = mono.mean(axis=0)
    if sample_rate != ANALYSIS_RATE:
        mono = librosa.resample(mono, orig_sr=sample_rate, target_sr=ANALYSIS_RATE)
    chroma = librosa.feature.chroma_cqt(y=mono, sr=ANALYSIS_RATE)
    return estimate_key_from_chroma(chroma)


def relative_key(tonic: str, mode: str) -> tuple[str, str]:
    """The relative minor of a major key, or the relative major of a minor key."""
    index = PITCH_CLASSES.index(tonic)
    if mode == "major":
        return PITCH_CLASSES[(index + 9) % 12], "minor"
    return PITCH_CLASSES[(index + 3) % 12], "major"


def same_key_up_to_relative(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """True when two (tonic, mode) keys are equal or relative major/minor of each other."""
    return a == b or relative_key(*a) == b
