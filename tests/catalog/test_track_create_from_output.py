"""A track made from an engine output carries the manifest's attributes, its files and its provenance."""

import hashlib
import json

import pytest
from django.core.files.storage import default_storage

from catalog import services
from catalog.models import Provenance, TrackAsset
from catalog.storage import private_storage

STEM_PARTS = {"percussion", "bass", "harmony", "melody", "texture"}


def manifest_of(out_dir) -> dict:
    return json.loads((out_dir / "manifest.json").read_text())


def sha256_of(storage, name: str) -> str:
    with storage.open(name, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def test_it_takes_every_attribute_from_the_manifest(make_track, engine_outputs, creator):
    track = make_track("heist", publish=False)
    brief = manifest_of(engine_outputs["heist"])["brief"]

    assert track.status == "draft" and track.published_at is None
    assert track.creator == creator
    assert track.title == "Night Vault"
    assert (track.genre, track.key, track.mode, track.energy) == (
        brief["genre"],
        brief["key"],
        brief["mode"],
        brief["energy"],
    )
    assert track.bpm == round(brief["bpm"]) == 100
    assert track.key_name == "D minor"
    assert track.moods == brief["moods"] and track.instruments == brief["instruments"]
    assert track.duration == pytest.approx(8.0, abs=0.01)
    assert track.disclosure_label == "ai_generated"
    assert track.embedding is not None and len(track.embedding) == 384 * 4


def test_it_titles_an_untitled_track_from_its_prompt(make_track):
    track = make_track("piano", title="")

    assert track.title == "Calm Melancholic Solo Piano Slow"


def test_full_quality_files_land_in_private_storage_without_a_url(make_track, engine_outputs):
    track = make_track("heist")
    manifest = manifest_of(engine_outputs["heist"])
    assets = list(track.assets.all())

    assert {a.kind for a in assets} == {"master", "mp3", "stem", "loop", "midi", "manifest"}
    assert {a.name for a in assets if a.kind == "stem"} == STEM_PARTS
    storage = private_storage()
    for asset in assets:
        assert asset.file.storage.__class__ is storage.__class__
        assert storage.exists(asset.file.name), asset
        assert not default_storage.exists(asset.file.name)
        with pytest.raises(ValueError, match="no public URL"):
            asset.file.url  # noqa: B018
    master = next(a for a in assets if a.kind == "master")
    assert master.size_bytes == manifest["files"]["mix.wav"]["bytes"]
    assert master.duration == pytest.approx(8.0)


def test_cuts_are_kept_and_named_for_their_length(db, creator, long_output):
    track = services.track_create_from_output(creator=creator, out_dir=long_output, title="Long Road")

    cuts = track.assets.filter(kind=TrackAsset.Kind.CUT)
    assert [(c.name, round(c.duration)) for c in cuts] == [("15s", 15)]
    assert private_storage().exists(cuts[0].file.name)


def test_preview_peaks_and_cover_are_public(make_track, engine_outputs):
    track = make_track("sunny")

    for field in (track.preview, track.peaks, track.cover):
        assert default_storage.exists(field.name)
        assert field.url.startswith("/media/")
        assert not private_storage().exists(field.name)
    with default_storage.open(track.peaks.name) as fh:
        assert json.load(fh) == json.loads((engine_outputs["sunny"] / "peaks.json").read_text())


def test_provenance_records_how_the_audio_was_made(make_track, engine_outputs):
    track = make_track("epic")
    manifest = manifest_of(engine_outputs["epic"])
    provenance = Provenance.objects.get(track=track)

    assert provenance.engine == manifest["engine"]["name"] == "procedural"
    assert provenance.engine_version == manifest["engine"]["version"]
    assert provenance.prompt == manifest["prompt"]
    assert provenance.seed == manifest["seed"]
    assert provenance.parameters["brief"] == manifest["brief"]
    assert provenance.parameters["tempo"] == manifest["tempo"]
    assert set(provenance.file_hashes) == set(manifest["files"])


def test_provenance_hashes_are_those_of_the_stored_files(make_track):
    track = make_track("heist")
    hashes = track.provenance.file_hashes

    for asset in track.assets.exclude(kind=TrackAsset.Kind.MANIFEST):
        rel = asset.file.name.split(f"tracks/{track.slug}/", 1)[1]
        assert sha256_of(private_storage(), asset.file.name) == hashes[rel] == asset.sha256
    assert sha256_of(default_storage, track.peaks.name) == hashes["peaks.json"]
    manifest = track.assets.get(kind=TrackAsset.Kind.MANIFEST)
    assert sha256_of(private_storage(), manifest.file.name) == manifest.sha256


def test_provenance_cannot_be_edited(make_track):
    track = make_track("heist")
    provenance = track.provenance
    provenance.prompt = "something else"

    with pytest.raises(ValueError, match="never edited"):
        provenance.save()
    assert Provenance.objects.get(pk=provenance.pk).prompt != "something else"
