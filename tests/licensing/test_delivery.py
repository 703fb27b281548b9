"""What a license delivers, and the stamped files built for it: master, FLAC, MP3, zips of stems,
cuts and custom edits, loop and MIDI, each carrying the license."""

from __future__ import annotations

import io
import zipfile

import mido
import numpy as np
import pytest
import soundfile

from catalog import services as catalog_services
from catalog.models import TrackAsset
from licensing import credentials, delivery
from licensing.stamping import container, read_tags


def master_samples(license):
    asset = license.track.assets.get(kind=TrackAsset.Kind.MASTER)
    with asset.file.open("rb") as fh:
        return soundfile.read(io.BytesIO(fh.read()), dtype="int32")[0]


def assert_stamped(path, license, fmt):
    tags = read_tags(path)
    assert tags["license_code"] == license.code
    assert tags["terms_sha256"] == license.terms_sha256
    assert tags["provenance_sha256"] == delivery.provenance_sha256(license.track)
    assert tags["verify_url"] == f"http://testserver/licenses/verify/{license.code}"
    report = credentials.read(path, credentials.MIME_TYPES[fmt])
    assert report.valid, report.errors
    assert report.license_code == license.code


@pytest.fixture(scope="module")
def long_output(tmp_path_factory):
    """A 16 s render: long enough for a 15 s cut."""
    from generation.engine import generate, parse_prompt

    out = tmp_path_factory.mktemp("engine-16s") / "long"
    generate(
        parse_prompt("calm melancholic solo piano, slow and reflective", duration=16), seed=7, out_dir=out
    )
    return out


def test_it_lists_the_formats_the_track_has(license):
    assert delivery.deliverable_formats(license) == [
        "wav",
        "flac",
        "mp3",
        "stems",
        "loop",
        "midi",
        "certificate",
    ]


def test_it_adds_the_custom_edits_the_licensee_asked_for_and_no_one_elses(
    license, buyer, stranger, engine_outputs
):
    catalog_services.track_edit_create_from_output(
        track=license.track,
        requested_by=stranger,
        out_dir=engine_outputs["heist"],
        source_key="edit-stranger",
    )
    assert "edits" not in delivery.deliverable_formats(license)
    catalog_services.track_edit_create_from_output(
        track=license.track, requested_by=buyer, out_dir=engine_outputs["heist"], source_key="edit-buyer"
    )
    assert delivery.deliverable_formats(license)[-2:] == ["edits", "certificate"]


def test_it_stamps_the_master_without_touching_its_samples(license):
    path = delivery.build_file(license, "wav")
    assert container(path) == "wav"
    assert_stamped(path, license, "wav")
    assert np.array_equal(soundfile.read(path, dtype="int32")[0], master_samples(license))


def test_it_makes_a_lossless_stamped_flac_of_the_master(license):
    path = delivery.build_file(license, "flac")
    assert container(path) == "flac"
    assert_stamped(path, license, "flac")
    assert soundfile.info(path).subtype == "PCM_24"
    assert np.array_equal(soundfile.read(path, dtype="int32")[0], master_samples(license))


def test_it_stamps_the_mp3(license):
    path = delivery.build_file(license, "mp3")
    assert_stamped(path, license, "mp3")


def test_it_zips_every_stem_stamped_and_uncompressed(license, tmp_path):
    path = delivery.build_file(license, "stems")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        slug = license.track.slug
        parts = ("bass", "harmony", "melody", "percussion", "texture")
        assert sorted(names) == sorted([f"{slug}-{p}.wav" for p in parts] + ["LICENSE.txt"])
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}
        assert license.code in archive.read("LICENSE.txt").decode()
        archive.extractall(tmp_path)
    for part in parts:
        assert_stamped(tmp_path / f"{slug}-{part}.wav", license, "wav")


def test_it_zips_stamped_cuts(make_track, issue, long_output, tmp_path):
    track = catalog_services.track_create_from_output(
        creator=make_track().creator, out_dir=long_output, title="Quiet Letters", publish=True
    )
    license = issue(track, "creator")
    assert "cuts" in delivery.deliverable_formats(license)
    with zipfile.ZipFile(delivery.build_file(license, "cuts")) as archive:
        assert f"{track.slug}-15s.wav" in archive.namelist()
        archive.extractall(tmp_path)
    assert_stamped(tmp_path / f"{track.slug}-15s.wav", license, "wav")


def test_it_zips_the_licensees_custom_edits_as_wav_and_mp3(license, buyer, engine_outputs, tmp_path):
    edit = catalog_services.track_edit_create_from_output(
        track=license.track, requested_by=buyer, out_dir=engine_outputs["heist"], source_key="edit-1"
    )
    with zipfile.ZipFile(delivery.build_file(license, "edits")) as archive:
        stem = f"{license.track.slug}-edit-{edit.duration:g}s-{edit.pk}"
        assert {f"{stem}.wav", f"{stem}.mp3"} <= set(archive.namelist())
        archive.extractall(tmp_path)
    assert_stamped(tmp_path / f"{stem}.wav", license, "wav")
    assert_stamped(tmp_path / f"{stem}.mp3", license, "mp3")


def test_it_stamps_the_loop(license):
    assert_stamped(delivery.build_file(license, "loop"), license, "wav")


def test_it_writes_the_license_into_the_midi_file(license):
    midi = mido.MidiFile(delivery.build_file(license, "midi"))
    texts = [msg for msg in midi.tracks[0] if msg.is_meta and msg.type in ("copyright", "text")]
    assert any(license.code in msg.text for msg in texts)
    assert any(msg.type == "copyright" and "Nadia Okafor" in msg.text for msg in texts)


def test_it_builds_each_file_once(license):
    first = delivery.build_file(license, "wav")
    stat = first.stat()
    again = delivery.build_file(license, "wav")
    assert again == first and again.stat().st_mtime_ns == stat.st_mtime_ns
    assert [p.name for p in first.parent.iterdir() if not p.name.startswith(".")] == ["wav.wav"]


def test_it_refuses_a_format_the_track_lacks(license):
    with pytest.raises(delivery.DownloadNotFound):
        delivery.build_file(license, "cuts")
    with pytest.raises(delivery.DownloadNotFound):
        delivery.build_file(license, "aiff")


def test_it_hashes_the_provenance_record_canonically(license):
    digest = delivery.provenance_sha256(license.track)
    assert len(digest) == 64 and digest == delivery.provenance_sha256(license.track)
    assert delivery.license_stamp(license).provenance_sha256 == digest
