"""The public preview: a 128 kbps MP3 whose tag can be heard every ten seconds."""

import io

import numpy as np
import pytest
import soundfile
from django.core.files.storage import default_storage
from mutagen.mp3 import MP3
from scipy import signal

from catalog.preview import make_preview, tag_times, watermark

SAMPLE_RATE = 44100
TAG_BAND_HZ = (2000, 2700)  # the bell's two notes, C7 and E7
FRAME_S = 0.05


def band_energy(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """Mean energy in the tag's band per 50 ms frame, of the first channel."""
    sos = signal.butter(6, TAG_BAND_HZ, btype="bandpass", fs=sample_rate, output="sos")
    filtered = signal.sosfilt(sos, audio[:, 0].astype(np.float64)) ** 2
    frame = int(FRAME_S * sample_rate)
    frames = len(filtered) // frame
    return filtered[: frames * frame].reshape(frames, frame).mean(axis=1)


def onsets(loud: np.ndarray) -> list[float]:
    """Start times (s) of each run of loud frames."""
    starts = np.flatnonzero(loud & ~np.concatenate(([False], loud[:-1])))
    return [round(float(s) * FRAME_S, 2) for s in starts]


def window(energy: np.ndarray, start_s: float, length_s: float = 0.4) -> float:
    first = int(start_s / FRAME_S)
    return float(energy[first : first + int(length_s / FRAME_S)].mean())


def test_the_preview_is_a_128_kbps_mp3_as_long_as_the_track(make_track):
    track = make_track("piano")

    with default_storage.open(track.preview.name) as fh:
        info = MP3(fh).info
    assert info.bitrate == 128_000
    assert info.length == pytest.approx(track.duration, abs=0.1)
    assert track.preview.name.endswith(".mp3")


@pytest.fixture(scope="module")
def long_master_and_preview(long_output):
    master, rate = soundfile.read(str(long_output / "mix.wav"), dtype="float32", always_2d=True)
    preview, preview_rate = soundfile.read(
        io.BytesIO(make_preview(long_output / "mix.wav")), dtype="float32", always_2d=True
    )
    assert rate == preview_rate == SAMPLE_RATE
    # The decoded MP3 runs a few milliseconds longer (encoder padding); compare frame for frame.
    master_energy, preview_energy = band_energy(master, rate), band_energy(preview, rate)
    frames = min(len(master_energy), len(preview_energy))
    return master_energy[:frames], preview_energy[:frames], len(master) / rate


def test_the_tag_is_heard_over_the_music_at_each_tag_time(long_master_and_preview):
    master, preview, duration = long_master_and_preview
    times = tag_times(duration)

    assert times == [3.0, 13.0, 23.0]
    for t in times:
        assert window(preview, t) > 3 * window(master, t), f"no tag at {t} s"
    for t in times[:-1]:
        # Halfway to the next tag the preview is the music alone (give or take the MP3 encoding).
        assert window(preview, t + 5, 1.0) == pytest.approx(window(master, t + 5, 1.0), rel=0.5)


def test_the_tag_repeats_every_ten_seconds_in_the_decoded_preview(long_master_and_preview):
    master, preview, duration = long_master_and_preview

    # Over 0.3 s the MP3's own coding noise averages out; only the tag triples the band's energy. In the
    # last half second the music has faded to near silence, where coding noise alone can triple it.
    smooth = np.ones(6) / 6
    louder = np.convolve(preview, smooth, "same") > 3 * np.convolve(master, smooth, "same")

    heard = [t for t in onsets(louder) if t < duration - 0.5]
    assert len(heard) == 3, heard
    assert heard[0] == pytest.approx(3.0, abs=0.15)
    assert np.diff(heard) == pytest.approx([10.0, 10.0], abs=0.1)


def test_the_watermark_alone_sounds_every_ten_seconds_and_never_clips():
    silence = np.zeros((35 * SAMPLE_RATE, 2), dtype=np.float32)
    tagged = watermark(silence, SAMPLE_RATE)

    assert onsets(band_energy(tagged, SAMPLE_RATE) > 1e-4) == pytest.approx([3.0, 13.0, 23.0, 33.0], abs=0.06)
    full_scale = np.ones((12 * SAMPLE_RATE, 2), dtype=np.float32)
    assert np.abs(watermark(full_scale, SAMPLE_RATE)).max() <= 1.0
