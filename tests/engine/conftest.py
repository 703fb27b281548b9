from pathlib import Path

import numpy as np
import pytest
import soundfile
from scipy.signal import resample_poly


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    """One 20-second cue with every deliverable, made once for the tests that read its files."""
    from generation.engine import generate, parse_prompt

    brief = parse_prompt(
        "dark cinematic tension, low strings and pulsing synth bass, D minor, 92 bpm", duration=20
    )
    out = tmp_path_factory.mktemp("cue") / "out"
    return generate(brief, seed=7, out_dir=out)


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """(channels, samples) float64 audio and its sample rate."""
    data, rate = soundfile.read(str(path), dtype="float64", always_2d=True)
    return data.T, rate


def true_peak_db(audio: np.ndarray) -> float:
    """4x oversampled peak (ITU-R BS.1770 Annex 2), computed here independently of the engine's master."""
    up = resample_poly(audio, 4, 1, axis=1)
    return 20 * np.log10(max(np.abs(up).max(), 1e-12))
