"""Verify a file: anyone uploads audio and learns whether it carries a valid license of this platform and
whether its Content Credentials are intact. Not audio, too large, or no file: a clear error on `file`."""

from __future__ import annotations

import os
import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from mutagen.id3 import TXXX
from mutagen.wave import WAVE

from licensing import delivery, services
from licensing.stamping import LicenseStamp, stamp_file

URL = "/api/v1/licenses/verify-file/"


@pytest.fixture
def stamped_wav(license, tmp_path):
    path = tmp_path / "delivered.wav"
    shutil.copy(delivery.build_file(license, "wav"), path)
    return path


def upload(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="application/octet-stream")


def check(api, path, **kwargs):
    return api.post(URL, {"file": upload(path, **kwargs)}, format="multipart")


def test_it_recognises_a_delivered_file(api, license, stamped_wav):
    response = check(api, stamped_wav)
    assert response.status_code == 200, response.content
    result = response.json()
    assert result["format"] == "wav"
    assert result["license_code"] == license.code
    assert result["license_found"] and result["license_status"] == "active"
    assert result["tags_match"] is True
    assert result["credentials"]["present"] and result["credentials"]["valid"]
    assert result["credentials"]["errors"] == []
    assert result["licensed"] is True
    assert result["verdict"].startswith(f"Licensed: this file carries license {license.code}")
    assert result["license"]["verify_url"] == f"http://testserver/licenses/verify/{license.code}"


@pytest.mark.parametrize("fmt", ["mp3", "flac"])
def test_it_recognises_delivered_mp3_and_flac(api, license, fmt, tmp_path):
    path = tmp_path / f"delivered.{fmt}"
    shutil.copy(delivery.build_file(license, fmt), path)
    result = check(api, path).json()
    assert result["format"] == fmt and result["licensed"] is True


def test_it_says_the_credentials_are_broken_when_a_tag_was_edited(api, stamped_wav):
    audio = WAVE(stamped_wav)
    audio.tags.setall("TXXX:LICENSEE", [TXXX(encoding=3, desc="LICENSEE", text="Someone Else")])
    audio.save(v2_version=4)
    result = check(api, stamped_wav).json()
    assert result["credentials"]["present"] and not result["credentials"]["intact"]
    assert not result["credentials"]["valid"] and result["credentials"]["errors"]
    assert result["licensed"] is False
    assert "altered" in result["verdict"]
    assert any("broken" in line for line in result["details"])


def test_it_says_the_tags_no_longer_match_the_license(api, stamped_wav):
    audio = WAVE(stamped_wav)
    audio.tags.setall("TXXX:TERMS_SHA256", [TXXX(encoding=3, desc="TERMS_SHA256", text="0" * 64)])
    audio.save(v2_version=4)
    result = check(api, stamped_wav).json()
    assert result["tags_match"] is False and result["mismatches"] == ["terms_sha256"]
    assert result["licensed"] is False


def test_it_says_a_revoked_license_grants_nothing(api, license, stamped_wav):
    services.license_revoke(license=license, reason="Refunded")
    result = check(api, stamped_wav).json()
    assert result["license_status"] == "revoked" and result["licensed"] is False
    assert "revoked" in result["verdict"]


def test_it_finds_no_license_in_an_unstamped_file(api, engine_outputs):
    result = check(api, engine_outputs["heist"] / "mix.wav").json()
    assert result["license_code"] is None and not result["license_found"]
    assert result["credentials"]["present"] is False
    assert result["verdict"] == "This file carries no license from this platform."


def test_it_says_when_the_named_license_was_never_issued(api, engine_outputs, tmp_path, db):
    stamp = LicenseStamp(
        code="LIC-2222-3333-4444",
        licensee="Nobody",
        tier="Commercial",
        terms_sha256="0" * 64,
        disclosure="ai_generated",
        disclosure_label="AI-generated",
        provenance_sha256="",
        verify_url="http://testserver/licenses/verify/LIC-2222-3333-4444",
        copyright="©",
        title="Fake",
        creator="Nobody",
        engine="procedural",
        engine_version="0.1.0",
    )
    path = stamp_file(engine_outputs["heist"] / "mix.wav", tmp_path / "fake.wav", stamp, "wav")
    result = check(api, path).json()
    assert result["license_code"] == "LIC-2222-3333-4444" and not result["license_found"]
    assert "never issued" in result["verdict"]


def test_it_refuses_random_bytes_naming_the_file_field(api, tmp_path, db):
    path = tmp_path / "noise.mp3"
    path.write_bytes(os.urandom(50_000))
    response = check(api, path)
    assert response.status_code == 400
    assert response.json() == {"file": ["Upload an MP3, WAV or FLAC audio file."]}


def test_it_refuses_a_text_file_named_like_audio(api, tmp_path, db):
    path = tmp_path / "song.wav"
    path.write_text("RIFF is not enough to make a WAVE file\n" * 100)
    assert check(api, path).status_code == 400


def test_it_refuses_a_file_larger_than_the_limit(api, stamped_wav, settings):
    settings.VERIFY_FILE_MAX_BYTES = 64 * 1024
    response = check(api, stamped_wav)
    assert response.status_code == 400
    assert response.json() == {"file": ["The file is larger than 64 KB."]}


def test_it_asks_for_a_file(api, db):
    response = api.post(URL, {}, format="multipart")
    assert response.status_code == 400
    assert list(response.json()) == ["file"]


def test_it_leaves_no_temporary_file_behind(api, stamped_wav, settings, tmp_path):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(uploads)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # Django spools the upload to a file as well
    assert check(api, stamped_wav).status_code == 200
    noise = tmp_path / "noise.bin"
    noise.write_bytes(os.urandom(10_000))
    assert check(api, noise).status_code == 400
    assert list(uploads.iterdir()) == []


def test_the_page_shows_the_verdict(client, license, stamped_wav):
    response = client.post("/licenses/verify/file/", {"file": upload(stamped_wav)})
    assert response.status_code == 200
    assert b"Licensed: this file carries license" in response.content
    assert license.code.encode() in response.content


def test_the_page_names_the_field_for_bad_input(client, tmp_path, db):
    path = tmp_path / "noise.flac"
    path.write_bytes(os.urandom(5_000))
    response = client.post("/licenses/verify/file/", {"file": upload(path)})
    assert response.status_code == 400
    assert b"Upload an MP3, WAV or FLAC audio file." in response.content
    assert b'aria-invalid="true"' in response.content


def test_the_public_verification_page_offers_the_file_check(client, license):
    response = client.get(f"/licenses/verify/{license.code}")
    assert response.status_code == 200
    assert b'action="/licenses/verify/file/"' in response.content
    assert b'enctype="multipart/form-data"' in response.content


def test_the_page_refuses_a_file_larger_than_the_limit(client, stamped_wav, settings):
    settings.VERIFY_FILE_MAX_BYTES = 64 * 1024
    response = client.post("/licenses/verify/file/", {"file": upload(stamped_wav)})
    assert response.status_code == 400
    assert b"The file is larger than 64 KB." in response.content
