"""Stamping a licensed file: tags and Content Credentials go in, the audio stays bit for bit the same."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import soundfile
from mutagen.flac import FLAC
from mutagen.id3 import TXXX
from mutagen.mp3 import MP3
from mutagen.wave import WAVE

from licensing import credentials
from licensing.stamping import LicenseStamp, StampError, flac_from_wav, read_tags, stamp_file

STAMP = LicenseStamp(
    code="LIC-7K2M-9QXD-4HTV",
    licensee="Northwind Films",
    tier="Commercial",
    terms_sha256="a" * 64,
    disclosure="ai_generated",
    disclosure_label="AI-generated",
    provenance_sha256="b" * 64,
    verify_url="http://testserver/licenses/verify/LIC-7K2M-9QXD-4HTV",
    copyright="© 2026 Nadia Okafor. Licensed to Northwind Films under LIC-7K2M-9QXD-4HTV.",
    title="Night Vault",
    creator="Nadia Okafor",
    engine="procedural",
    engine_version="0.1.0",
)


def mp3_audio(path) -> bytes:
    """The MP3's bytes after its ID3v2 tag (and without an ID3v1 tag): its audio frames."""
    data = path.read_bytes()
    if data[:3] == b"ID3":
        size = sum(b << (7 * (3 - i)) for i, b in enumerate(data[6:10])) + 10
        size += 10 if data[5] & 0x10 else 0
        data = data[size:]
    return data[:-128] if data[-128:-125] == b"TAG" else data


@pytest.fixture
def sources(engine_outputs, tmp_path):
    """The heist render's master WAV and MP3, and a FLAC made from the WAV."""
    out = engine_outputs["heist"]
    return {
        "wav": out / "mix.wav",
        "mp3": out / "preview.mp3",
        "flac": flac_from_wav(out / "mix.wav", tmp_path / "mix.flac"),
    }


@pytest.fixture
def stamped(sources, tmp_path):
    def make(fmt):
        return stamp_file(sources[fmt], tmp_path / f"stamped.{fmt}", STAMP, fmt)

    return make


@pytest.mark.parametrize("fmt", ["wav", "flac"])
def test_it_keeps_the_samples_of_wav_and_flac_identical(sources, stamped, fmt):
    before, rate = soundfile.read(sources["wav"], dtype="int32")
    after, rate_after = soundfile.read(stamped(fmt), dtype="int32")
    assert rate_after == rate
    assert soundfile.info(stamped(fmt)).subtype == soundfile.info(sources["wav"]).subtype
    assert np.array_equal(before, after)


def test_it_keeps_the_mp3_audio_frames_identical(sources, stamped):
    assert mp3_audio(stamped("mp3")) == mp3_audio(sources["mp3"])
    assert MP3(stamped("mp3")).info.length == pytest.approx(MP3(sources["mp3"]).info.length)


@pytest.mark.parametrize("fmt", ["wav", "mp3", "flac"])
def test_it_writes_tags_that_read_back(stamped, fmt):
    tags = read_tags(stamped(fmt))
    assert tags == {
        "license_code": "LIC-7K2M-9QXD-4HTV",
        "licensee": "Northwind Films",
        "license_tier": "Commercial",
        "terms_sha256": "a" * 64,
        "ai_disclosure": "AI-generated",
        "provenance_sha256": "b" * 64,
        "copyright": STAMP.copyright,
        "verify_url": STAMP.verify_url,
        "title": "Night Vault",
        "artist": "Nadia Okafor",
    }


def test_it_writes_id3v24_frames_into_mp3_and_the_wav_id3_chunk(stamped):
    for audio in (MP3(stamped("mp3")), WAVE(stamped("wav"))):
        assert audio.tags.version[:2] == (2, 4)
        assert str(audio.tags["TCOP"].text[0]) == STAMP.copyright
        assert audio.tags.getall("WCOP")[0].url == STAMP.verify_url
        assert str(audio.tags["TXXX:LICENSE_CODE"].text[0]) == STAMP.code


@pytest.mark.parametrize("fmt", ["wav", "mp3", "flac"])
def test_it_signs_content_credentials_that_hold(stamped, fmt):
    report = credentials.read(stamped(fmt), credentials.MIME_TYPES[fmt])
    assert report.present and report.intact and report.trusted and report.valid, report.errors
    assert report.license_code == "LIC-7K2M-9QXD-4HTV"
    assert report.creator == "Nadia Okafor"
    assert report.ai_generation["software_agent"] == {"name": "procedural", "version": "0.1.0"}
    assert report.ai_generation["digital_source_type"].endswith("/trainedAlgorithmicMedia")
    assert report.license["terms_sha256"] == "a" * 64


@pytest.mark.parametrize("fmt", ["wav", "mp3", "flac"])
def test_it_breaks_the_credentials_when_a_tag_is_edited_after_signing(stamped, fmt):
    path = stamped(fmt)
    if fmt == "flac":
        audio = FLAC(path)
        audio["LICENSEE"] = ["Someone Else"]
        audio.save()
    else:
        audio = MP3(path) if fmt == "mp3" else WAVE(path)
        audio.tags.setall("TXXX:LICENSEE", [TXXX(encoding=3, desc="LICENSEE", text="Someone Else")])
        audio.save(v2_version=4)
    report = credentials.read(path, credentials.MIME_TYPES[fmt])
    assert report.present
    assert not report.intact and not report.valid
    assert any("mismatch" in error for error in report.errors)


def test_it_refuses_a_file_that_is_not_the_format_it_claims_and_leaves_nothing(sources, tmp_path):
    dst = tmp_path / "out" / "stamped.mp3"
    with pytest.raises(StampError):
        stamp_file(sources["wav"], dst, STAMP, "mp3")
    assert list((tmp_path / "out").iterdir()) == []


def test_it_refuses_to_make_a_flac_of_float_samples(tmp_path):
    source = tmp_path / "float.wav"
    soundfile.write(source, np.zeros((4410, 2), dtype="float32"), 44100, subtype="FLOAT")
    with pytest.raises(StampError, match="lossless"):
        flac_from_wav(source, tmp_path / "out.flac")
    assert not (tmp_path / "out.flac").exists()


def test_it_stamps_from_an_open_file_as_from_a_path(sources, tmp_path):
    with open(sources["wav"], "rb") as fh:
        stamp_file(fh, tmp_path / "from-handle.wav", STAMP, "wav")
    shutil.copy(tmp_path / "from-handle.wav", tmp_path / "copy.wav")
    assert read_tags(tmp_path / "copy.wav")["license_code"] == STAMP.code
    assert credentials.read(tmp_path / "copy.wav").valid


def riff_chunks(path) -> list[tuple[bytes, int]]:
    """A WAV's top-level chunks as (id, offset), walked by their headers."""
    data = path.read_bytes()
    assert data[:4] == b"RIFF" and int.from_bytes(data[4:8], "little") + 8 == len(data)
    chunks, position = [], 12
    while position < len(data):
        size = int.from_bytes(data[position + 4 : position + 8], "little")
        chunks.append((data[position : position + 4], position))
        position += 8 + size + size % 2
    assert position == len(data)
    return chunks


def test_it_signs_a_wav_by_appending_its_credentials_after_the_untouched_audio(sources, stamped):
    source = sources["wav"].read_bytes()
    path = stamped("wav")
    chunks = riff_chunks(path)

    assert [cid for cid, _ in chunks].count(b"C2PA") == 1
    assert chunks[-1][0] == b"C2PA"
    data_at = dict(chunks)[b"data"]
    size = int.from_bytes(source[data_at + 4 : data_at + 8], "little")
    assert path.read_bytes()[data_at : data_at + 8 + size] == source[data_at : data_at + 8 + size]


def test_it_restamps_a_wav_that_already_carries_credentials(stamped, tmp_path):
    first = stamped("wav")
    again = LicenseStamp(**{**STAMP.__dict__, "code": "LIC-AAAA-BBBB-CCCC", "licensee": "Second Unit"})

    path = stamp_file(first, tmp_path / "again.wav", again, "wav")

    report = credentials.read(path, "audio/wav")
    assert report.valid, report.errors
    assert report.license_code == "LIC-AAAA-BBBB-CCCC"
    assert read_tags(path)["licensee"] == "Second Unit"
    assert [cid for cid, _ in riff_chunks(path)].count(b"C2PA") == 1


def test_it_signs_a_wav_whose_header_understates_its_length(sources, tmp_path):
    """A RIFF size that disagrees with the file is left to the c2pa library's own signing."""
    odd = tmp_path / "odd.wav"
    odd.write_bytes(sources["wav"].read_bytes() + b"\0\0")

    path = stamp_file(odd, tmp_path / "odd-stamped.wav", STAMP, "wav")

    report = credentials.read(path, "audio/wav")
    assert report.valid, report.errors
