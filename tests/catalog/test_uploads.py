"""Uploads of tracks made with other tools: accepted files are analysed into a draft that keeps the
declaration as its provenance; the creator confirms the metadata and the track goes to review."""

from __future__ import annotations

import pytest

from catalog.models import DuplicateFinding, Track, TrackAsset
from tests.catalog.audio import encode, read, upload, zip_of

pytestmark = pytest.mark.django_db

URL = "/api/v1/uploads/"
DECLARATION = {
    "title": "Harbour Lights",
    "tool_name": "Suno",
    "tool_version": "v4.5",
    "tool_terms": "Pro plan: commercial use of songs made while subscribed",
    "prompt": "dark pulsing synth bass, tense and mysterious",
    "human_contribution": "Arranged the sections and mixed the stems",
    "disclosure_label": "ai_assisted",
}


@pytest.fixture
def mix(engine_outputs):
    return read(engine_outputs["heist"] / "mix.wav")


@pytest.fixture
def creator_api(api, creator):
    api.force_authenticate(creator.user)
    return api


def _post(api, file, **changes):
    return api.post(URL, {**DECLARATION, "file": file, **changes}, format="multipart")


def test_it_accepts_a_wav_and_prefills_what_the_analysis_heard(creator_api, mix, stored_files):
    audio, rate = mix
    response = _post(creator_api, upload(encode(audio, rate, "wav", subtype="PCM_24"), "harbour.wav"))

    assert response.status_code == 201, response.content
    body = response.json()
    track = Track.objects.get(slug=body["slug"])
    assert track.status == Track.Status.DRAFT and track.disclosure_label == "ai_assisted"
    assert body["prefill"]["bpm"] == 100 and (body["prefill"]["key"], body["prefill"]["mode"]) == (
        "D",
        "minor",
    )
    assert body["prefill"]["duration"] == pytest.approx(8.0, abs=0.01)
    assert body["analysis"]["bit_depth"] == 24 and body["analysis"]["loudness_lufs"] == pytest.approx(
        -14, abs=1
    )
    assert track.moods == ["dark", "tense", "mysterious"] and track.embedding is not None
    files = stored_files()
    assert f"private/tracks/{track.slug}/master.wav" in files
    assert {f"public/previews/{track.slug}.mp3", f"public/peaks/{track.slug}.json"} <= set(files)
    assert track.fingerprint.count > 100


def test_the_declaration_is_kept_as_write_once_provenance(creator_api, mix):
    audio, rate = mix
    body = _post(creator_api, upload(encode(audio, rate, "flac"), "harbour.flac")).json()

    provenance = Track.objects.get(slug=body["slug"]).provenance
    assert (provenance.engine, provenance.engine_version) == ("Suno", "v4.5")
    declaration = provenance.parameters["declaration"]
    assert (
        declaration["tool_terms"].startswith("Pro plan") and declaration["disclosure_label"] == "ai_assisted"
    )
    assert provenance.parameters["source"] == "upload"
    assert {c["name"] for c in provenance.parameters["checks"]} >= {"Format", "Duration", "Not clipped"}
    provenance.prompt = "edited"
    with pytest.raises(ValueError):
        provenance.save()


def test_it_accepts_an_mp3_at_a_good_bitrate(creator_api, mix):
    audio, rate = mix
    response = _post(creator_api, upload(encode(audio, rate, "mp3", kbps=256), "harbour.mp3"))
    assert response.status_code == 201, response.content
    assert response.json()["analysis"]["bitrate_kbps"] >= 240


def test_it_keeps_stems_of_the_same_length_and_rate(creator_api, engine_outputs, mix, stored_files):
    audio, rate = mix
    stems = {p.name: p.read_bytes() for p in sorted((engine_outputs["heist"] / "stems").glob("*.wav"))}
    response = _post(
        creator_api,
        upload(encode(audio, rate, "wav"), "harbour.wav"),
        stems=upload(zip_of(stems), "stems.zip"),
    )

    assert response.status_code == 201, response.content
    track = Track.objects.get(slug=response.json()["slug"])
    kept = TrackAsset.objects.filter(track=track, kind=TrackAsset.Kind.STEM)
    assert sorted(a.name for a in kept) == sorted(n.removesuffix(".wav") for n in stems)
    assert sum(f.startswith(f"private/tracks/{track.slug}/stems/") for f in stored_files()) == len(stems)


def test_uploading_a_copy_of_a_catalog_track_is_flagged(creator_api, make_track, mix):
    original = make_track("heist")
    audio, rate = mix
    body = _post(creator_api, upload(encode(audio, rate, "mp3", kbps=192), "copy.mp3")).json()

    assert body["duplicates"] == [
        {"slug": original.slug, "kind": "near", "score": pytest.approx(0.6, abs=0.4)}
    ]
    assert DuplicateFinding.objects.get(track__slug=body["slug"]).match == original


def test_the_creator_confirms_the_details_and_the_track_goes_to_review(client, creator, creator_api, mix):
    audio, rate = mix
    slug = _post(creator_api, upload(encode(audio, rate, "wav"), "harbour.wav")).json()["slug"]
    client.force_login(creator.user)
    url = f"/upload/{slug}/confirm/"
    assert 'value="100"' in client.get(url).content.decode()
    assert f'href="{url}"' in client.get(f"/studio/tracks/{slug}/").content.decode()

    fields = {"title": "Harbour Lights", "genre": "cinematic", "bpm": "101", "key": "D", "mode": "minor"}
    bad = client.post(url, {**fields, "energy": "loud"})
    assert bad.status_code == 400 and Track.objects.get(slug=slug).status == Track.Status.DRAFT

    response = client.post(url, {**fields, "energy": "high", "moods": ["tense"]})

    assert response.status_code == 302
    track = Track.objects.get(slug=slug)
    assert (track.status, track.bpm, track.energy, track.moods) == (
        Track.Status.IN_REVIEW,
        101,
        "high",
        ["tense"],
    )
    assert client.post(url, {**fields, "energy": "low"}).status_code == 400  # in review: no more edits


def test_the_upload_page_takes_a_file_and_shows_the_confirmation(client, creator, mix):
    audio, rate = mix
    client.force_login(creator.user)
    assert "Upload a track made elsewhere" in client.get("/upload/").content.decode()
    data = {**DECLARATION, "file": upload(encode(audio, rate, "wav"), "harbour.wav")}

    response = client.post("/upload/", data, follow=True)

    assert "Confirm the details" in response.content.decode()
    assert Track.objects.get().title == "Harbour Lights"


def test_a_buyer_without_a_creator_profile_cannot_upload(api, buyer, mix):
    api.force_authenticate(buyer)
    audio, rate = mix
    assert _post(api, upload(encode(audio, rate, "wav"), "x.wav")).status_code == 403
    assert not Track.objects.exists()


def test_an_api_client_confirms_its_upload(creator_api, mix):
    audio, rate = mix
    slug = _post(creator_api, upload(encode(audio, rate, "wav"), "harbour.wav")).json()["slug"]
    url = f"/api/v1/uploads/{slug}/confirm/"
    fields = {"title": "Harbour Lights", "genre": "cinematic", "bpm": 100, "key": "D", "mode": "minor"}

    bad = creator_api.post(url, {**fields, "energy": "high", "moods": ["sleepy"]}, format="json")
    assert bad.status_code == 400 and "moods" in bad.json()

    response = creator_api.post(url, {**fields, "energy": "high", "moods": ["dark"]}, format="json")

    assert response.status_code == 200 and response.json()["status"] == "in_review"
