"""An engine output that cannot become a track leaves nothing behind: no row, no file in either storage."""

import json
import re
import shutil

import pytest
from django.core.files.base import ContentFile

from catalog import services
from catalog.errors import TrackFilesError
from catalog.models import Provenance, SearchIndexState, Track, TrackAsset
from catalog.storage import PrivateFileSystemStorage


@pytest.fixture
def out_dir(engine_outputs, tmp_path):
    """A copy of one session render that a test may spoil."""
    copy = tmp_path / "out"
    shutil.copytree(engine_outputs["heist"], copy)
    return copy


def edit_manifest(out_dir, change) -> None:
    path = out_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))


def assert_nothing_left(stored_files) -> None:
    assert not Track.objects.exists()
    assert not TrackAsset.objects.exists()
    assert not Provenance.objects.exists()
    assert not SearchIndexState.objects.exists()
    assert stored_files() == []


def create(creator, out_dir, **kwargs):
    return services.track_create_from_output(creator=creator, out_dir=out_dir, **kwargs)


def test_a_missing_manifest_is_refused(creator, out_dir, stored_files):
    (out_dir / "manifest.json").unlink()

    with pytest.raises(TrackFilesError, match="manifest") as caught:
        create(creator, out_dir)
    assert caught.value.field == "out_dir"
    assert_nothing_left(stored_files)


def test_a_manifest_naming_a_missing_file_is_refused(creator, out_dir, stored_files):
    (out_dir / "stems" / "bass.wav").unlink()

    with pytest.raises(TrackFilesError, match=re.escape("stems/bass.wav")) as caught:
        create(creator, out_dir)
    assert caught.value.field == "out_dir"
    assert_nothing_left(stored_files)


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("genre", lambda m: m["brief"].update(genre="polka")),
        ("moods", lambda m: m["brief"].update(moods=["tense", "grumpy"])),
        ("instruments", lambda m: m["brief"].update(instruments="piano")),
        ("key", lambda m: m["brief"].update(key="H")),
        ("bpm", lambda m: m["brief"].update(bpm=900)),
        ("bpm", lambda m: m["brief"].pop("bpm")),
        ("seed", lambda m: m.update(seed="seven")),
        ("engine", lambda m: m.pop("engine")),
    ],
)
def test_a_manifest_with_a_bad_attribute_is_refused_naming_it(creator, out_dir, stored_files, field, change):
    edit_manifest(out_dir, change)

    with pytest.raises(TrackFilesError) as caught:
        create(creator, out_dir)
    assert caught.value.field == field
    assert_nothing_left(stored_files)


def test_a_file_outside_the_output_folder_is_refused(creator, out_dir, stored_files, engine_outputs):
    outside = engine_outputs["piano"] / "mix.wav"
    edit_manifest(out_dir, lambda m: m["files"].update({"../elsewhere.wav": m["files"]["mix.wav"]}))
    (out_dir.parent / "elsewhere.wav").write_bytes(outside.read_bytes())

    with pytest.raises(TrackFilesError, match="outside") as caught:
        create(creator, out_dir)
    assert caught.value.field == "out_dir"
    assert_nothing_left(stored_files)


def test_an_unreadable_master_is_refused(creator, out_dir, stored_files):
    (out_dir / "mix.wav").write_bytes(b"RIFF but not really a wave file" * 10)

    with pytest.raises(TrackFilesError, match=re.escape("mix.wav")) as caught:
        create(creator, out_dir)
    assert caught.value.field == "out_dir"
    assert_nothing_left(stored_files)


def test_unreadable_peaks_are_refused(creator, out_dir, stored_files):
    (out_dir / "peaks.json").write_text('{"peaks": "flat"}')

    with pytest.raises(TrackFilesError, match=re.escape("peaks.json")) as caught:
        create(creator, out_dir)
    assert caught.value.field == "out_dir"
    assert_nothing_left(stored_files)


def test_a_file_that_differs_from_its_manifest_fails_midway_and_leaves_nothing(
    creator, out_dir, stored_files
):
    # The loop is listed last: by the time it is read, the public files, the master and the stems are
    # already in storage and must be removed again.
    assert list(json.loads((out_dir / "manifest.json").read_text())["files"])[-1] == "loop.wav"
    loop = bytearray((out_dir / "loop.wav").read_bytes())
    loop[-1] ^= 0xFF
    (out_dir / "loop.wav").write_bytes(bytes(loop))

    with pytest.raises(TrackFilesError, match=re.escape("loop.wav")) as caught:
        create(creator, out_dir)
    assert caught.value.field == "out_dir"
    assert_nothing_left(stored_files)


class FullDiskStorage(PrivateFileSystemStorage):
    """Private storage that fills up after a few files, as a disk or a bucket quota would."""

    saves_left = 3

    def _save(self, name, content):
        if FullDiskStorage.saves_left == 0:
            raise OSError(28, "No space left on device")
        FullDiskStorage.saves_left -= 1
        return super()._save(name, content)


def test_a_storage_failure_midway_leaves_nothing(creator, engine_outputs, settings, stored_files):
    settings.STORAGES = {**settings.STORAGES, "private": {"BACKEND": f"{__name__}.FullDiskStorage"}}
    FullDiskStorage.saves_left = 3

    with pytest.raises(OSError, match="No space left"):
        create(creator, engine_outputs["heist"])
    assert FullDiskStorage.saves_left == 0  # three private files were written before the failure
    assert_nothing_left(stored_files)


def test_an_unknown_disclosure_label_is_refused(creator, out_dir, stored_files):
    with pytest.raises(TrackFilesError) as caught:
        create(creator, out_dir, disclosure_label="robot_made")
    assert caught.value.field == "disclosure_label"
    assert_nothing_left(stored_files)


def test_a_cover_that_is_not_an_image_is_refused(creator, out_dir, stored_files):
    with pytest.raises(TrackFilesError) as caught:
        create(creator, out_dir, cover=ContentFile(b"<svg/>", name="cover.svg"))
    assert caught.value.field == "cover"
    assert_nothing_left(stored_files)
