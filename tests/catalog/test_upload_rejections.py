"""A corpus of malformed and hostile uploads, made in the test: every one gets a 4xx naming the field
with a clear reason, and leaves no row, no stored file and no scratch folder behind."""

from __future__ import annotations

import os
import struct
import tempfile
import zipfile

import numpy as np
import pytest

from catalog.models import Provenance, Track, TrackAsset
from tests.catalog.audio import encode, upload, zip_of

pytestmark = pytest.mark.django_db

URL = "/api/v1/uploads/"
DECLARATION = {
    "title": "Harbour Lights",
    "tool_name": "Udio",
    "tool_version": "1.5",
    "tool_terms": "Standard plan, commercial use allowed",
    "prompt": "calm piano",
    "human_contribution": "Edited the ending",
    "disclosure_label": "ai_generated",
}
RATE = 44_100


def tone(seconds: float = 8.0, rate: int = RATE, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    wave = amplitude * np.sin(2 * np.pi * 220 * t) * (1 + 0.3 * np.sin(2 * np.pi * 2 * t)) / 1.3
    return np.stack([wave, wave], axis=1).astype(np.float32)


def wav_header(
    *, channels: int = 2, rate: int = RATE, bits: int = 16, data_bytes: int, riff_bytes=None
) -> bytes:
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * block, block, bits)
    riff = riff_bytes if riff_bytes is not None else 36 + data_bytes
    return (
        b"RIFF"
        + struct.pack("<I", riff)
        + b"WAVEfmt "
        + struct.pack("<I", 16)
        + fmt
        + b"data"
        + struct.pack("<I", data_bytes)
    )


def _random(n: int, seed: int) -> bytes:
    return np.random.default_rng(seed).integers(0, 256, n, dtype=np.uint8).tobytes()


@pytest.fixture(scope="module")
def good_wav() -> bytes:
    return encode(tone(), RATE, "wav")


@pytest.fixture(scope="module")
def good_flac() -> bytes:
    return encode(tone(), RATE, "flac")


def _clipped() -> np.ndarray:
    return np.clip(tone(amplitude=2.0), -1.0, 1.0)


def _padded_mp3() -> bytes:
    """A 128 kbps MP3 carrying 400 KB of cover art: its size alone would pass for a higher bitrate."""
    from mutagen.id3 import APIC, ID3

    data = encode(tone(), RATE, "mp3", kbps=128)
    with tempfile.NamedTemporaryFile(suffix=".mp3") as fh:
        fh.write(data)
        fh.flush()
        tags = ID3()
        tags.add(APIC(encoding=3, mime="image/png", type=3, desc="cover", data=bytes(400_000)))
        tags.save(fh.name)
        return open(fh.name, "rb").read()


FILE_CASES = {
    "random bytes named .wav": (lambda w, f: _random(40_000, 1), "take.wav", "not audio that can be decoded"),
    "random bytes named .mp3": (lambda w, f: _random(40_000, 2), "take.mp3", ""),
    "random bytes named .flac": (
        lambda w, f: _random(40_000, 3),
        "take.flac",
        "not audio that can be decoded",
    ),
    "truncated WAV": (lambda w, f: w[: len(w) * 3 // 4], "take.wav", "truncated"),
    "truncated FLAC": (lambda w, f: f[: len(f) * 3 // 4], "take.flac", "damaged"),
    "WAV named .mp3": (lambda w, f: w, "take.mp3", "named .mp3 but holds WAV audio"),
    "FLAC named .wav": (lambda w, f: f, "take.wav", "named .wav but holds FLAC audio"),
    "not an audio name": (lambda w, f: w, "take.ogg", "Upload a WAV, FLAC or MP3 file."),
    "header claims 4 GB of data": (
        lambda w, f: wav_header(data_bytes=0xFFFFFF00) + w[44:],
        "take.wav",
        "truncated",
    ),
    "header claims 300 channels": (
        lambda w, f: wav_header(channels=300, data_bytes=len(w) - 44) + w[44:],
        "take.wav",
        "",
    ),
    "header claims 1 Hz": (lambda w, f: wav_header(rate=1, data_bytes=len(w) - 44) + w[44:], "take.wav", ""),
    "header only": (lambda w, f: wav_header(data_bytes=0), "take.wav", ""),
    "silent": (lambda w, f: encode(np.zeros((RATE * 8, 2), np.float32), RATE, "wav"), "take.wav", "silent"),
    "clipped": (lambda w, f: encode(_clipped(), RATE, "wav"), "take.wav", "clipped"),
    "too short": (lambda w, f: encode(tone(2.0), RATE, "wav"), "take.wav", "lasts 2.0 s"),
    "low sample rate": (lambda w, f: encode(tone(8.0, 22_050), 22_050, "wav"), "take.wav", "22050 Hz"),
    "8-bit": (lambda w, f: encode(tone(), RATE, "wav", subtype="PCM_U8"), "take.wav", "16-bit"),
    "low-bitrate MP3": (lambda w, f: encode(tone(), RATE, "mp3", kbps=128), "take.mp3", "at least 192 kbps"),
    "low-bitrate MP3 padded with cover art": (lambda w, f: _padded_mp3(), "take.mp3", "The MP3 is 128 kbps"),
}


@pytest.fixture(autouse=True)
def scratch(monkeypatch, tmp_path):
    """Upload scratch folders go here, so the test sees that none is left behind."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def creator_api(api, creator):
    api.force_authenticate(creator.user)
    return api


def _assert_nothing_kept(stored_files, scratch) -> None:
    assert not Track.objects.exists() and not TrackAsset.objects.exists() and not Provenance.objects.exists()
    assert stored_files() == []
    assert os.listdir(scratch) == []


@pytest.mark.parametrize("case", list(FILE_CASES))
def test_a_hostile_or_unusable_file_is_refused_cleanly(
    creator_api, good_wav, good_flac, stored_files, scratch, case
):
    make, name, says = FILE_CASES[case]

    response = creator_api.post(URL, {**DECLARATION, "file": upload(make(good_wav, good_flac), name)})

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["file"]
    assert says in response.json()["file"][0]
    _assert_nothing_kept(stored_files, scratch)


def test_an_empty_file_is_refused(creator_api, stored_files, scratch):
    response = creator_api.post(URL, {**DECLARATION, "file": upload(b"", "take.wav")})
    assert response.status_code == 400 and "file" in response.json()
    _assert_nothing_kept(stored_files, scratch)


def test_a_file_over_the_size_limit_is_refused_before_decoding(
    creator_api, good_wav, settings, stored_files, scratch
):
    settings.UPLOAD_MAX_BYTES = 64 * 1024
    response = creator_api.post(URL, {**DECLARATION, "file": upload(good_wav, "take.wav")})
    assert response.status_code == 400 and "larger than 0.0625 MB" in response.json()["file"][0]
    _assert_nothing_kept(stored_files, scratch)


def _bomb() -> bytes:
    # 20 MB of silence deflates to about 20 KB: a ratio no recording reaches.
    return zip_of({"bass.wav": wav_header(data_bytes=20_000_000) + bytes(20_000_000)})


STEM_CASES = {
    "a zip bomb": (lambda: _bomb(), "compressed implausibly far"),
    "not a zip": (lambda: _random(5000, 4), "not a readable zip"),
    "an empty zip": (lambda: zip_of({}), "holds no audio"),
    "a stem of another length": (
        lambda: zip_of({"bass.wav": encode(tone(6.0), RATE, "wav")}),
        "lasts 6.00 s",
    ),
    "a stem at another rate": (
        lambda: zip_of({"bass.wav": encode(tone(8.0, 48_000), 48_000, "wav")}),
        "48000 Hz",
    ),
    "a stem that is not audio": (lambda: zip_of({"notes.txt": b"hello"}), "not a WAV, FLAC or MP3 stem"),
    "a silent stem": (
        lambda: zip_of(
            {"pad.wav": encode(np.zeros((RATE * 8, 2), np.float32), RATE, "wav")},
            compression=zipfile.ZIP_STORED,
        ),
        "Stem pad.wav: The audio is silent.",
    ),
    "too many stems": (lambda: zip_of({f"s{i}.wav": b"x" for i in range(17)}), "at most 16 stems"),
    "a stored zip that lies": (
        lambda: zip_of({"bass.wav": _random(3000, 5)}, compression=zipfile.ZIP_STORED),
        "Stem bass.wav",
    ),
}


@pytest.mark.parametrize("case", list(STEM_CASES))
def test_bad_stems_are_refused_cleanly(creator_api, good_wav, stored_files, scratch, case):
    make, says = STEM_CASES[case]

    response = creator_api.post(
        URL, {**DECLARATION, "file": upload(good_wav, "take.wav"), "stems": upload(make(), "stems.zip")}
    )

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["stems"] and says in response.json()["stems"][0]
    _assert_nothing_kept(stored_files, scratch)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"tool_terms": ""}, "tool_terms"),
        ({"tool_name": "x" * 41}, "tool_name"),
        ({"disclosure_label": "robot"}, "disclosure_label"),
        ({"human_contribution": ""}, "human_contribution"),
        ({"title": ""}, "title"),
    ],
)
def test_an_incomplete_declaration_is_refused_naming_the_field(
    creator_api, good_wav, stored_files, scratch, changes, field
):
    response = creator_api.post(URL, {**DECLARATION, **changes, "file": upload(good_wav, "take.wav")})
    assert response.status_code == 400 and field in response.json()
    _assert_nothing_kept(stored_files, scratch)


def test_the_prompt_is_needed_unless_the_music_is_human_made(creator, good_wav):
    from catalog import upload as upload_service
    from catalog.errors import UploadRejected

    fields = {**DECLARATION, "prompt": "", "file": upload(good_wav, "take.wav")}
    with pytest.raises(UploadRejected) as refused:
        upload_service.track_create_from_upload(creator=creator, **fields)
    assert refused.value.field == "prompt"
    fields |= {"disclosure_label": "human_made", "file": upload(good_wav, "take.wav")}
    assert upload_service.track_create_from_upload(creator=creator, **fields).disclosure_label == "human_made"


def test_a_decoder_that_runs_out_of_memory_only_fails_the_upload(
    creator_api, good_wav, settings, stored_files, scratch
):
    settings.UPLOAD_PROBE_MEMORY_MB = 256  # less than the decoder's libraries need to load
    response = creator_api.post(URL, {**DECLARATION, "file": upload(good_wav, "take.wav")})
    assert response.status_code == 400
    assert response.json()["file"][0] in (
        "The file could not be decoded within the limits an upload may use.",
        "The file needs more memory to decode than an upload may use.",
    )
    _assert_nothing_kept(stored_files, scratch)


def test_a_decoder_that_takes_too_long_is_stopped(creator_api, good_wav, settings, stored_files, scratch):
    settings.UPLOAD_PROBE_TIMEOUT_SECONDS = 1  # less than loading the analysis takes
    settings.UPLOAD_PROBE_CPU_SECONDS = 1
    response = creator_api.post(URL, {**DECLARATION, "file": upload(good_wav, "take.wav")})
    assert response.status_code == 400
    assert response.json()["file"][0] in (
        "The file took too long to decode.",
        "The file could not be decoded within the limits an upload may use.",
    )
    _assert_nothing_kept(stored_files, scratch)


def test_a_request_announcing_more_than_an_upload_may_hold_is_refused_unread(
    creator_api, good_wav, settings, stored_files, scratch
):
    settings.UPLOAD_MAX_BYTES = settings.UPLOAD_STEMS_MAX_BYTES = 1024
    response = creator_api.post(URL, {**DECLARATION, "file": upload(good_wav, "take.wav")})
    assert response.status_code == 413 and "larger than" in response.json()["file"][0]
    _assert_nothing_kept(stored_files, scratch)


def test_the_upload_page_refuses_an_oversized_request_with_its_reason(client, creator, good_wav, settings):
    settings.UPLOAD_MAX_BYTES = settings.UPLOAD_STEMS_MAX_BYTES = 1024
    client.force_login(creator.user)
    response = client.post("/upload/", {**DECLARATION, "file": upload(good_wav, "take.wav")})
    assert response.status_code == 413 and "larger than" in response.content.decode()
    assert not Track.objects.exists()
