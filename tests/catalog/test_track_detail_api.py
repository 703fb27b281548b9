"""GET /api/v1/tracks/{slug}/ and /similar/, and GET /api/v1/creators/{slug}/."""

import re

URL = "/api/v1/tracks/"
STEM_PARTS = {"percussion", "bass", "harmony", "melody", "texture"}


def test_the_detail_shows_provenance_and_deliverables(db, shelf, api):
    heist = shelf.tracks["heist"]

    response = api.get(f"{URL}{heist.slug}/")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Night Vault" and body["status"] == "published"
    assert body["provenance"]["engine"] == "procedural"
    assert body["provenance"]["seed"] == heist.provenance.seed
    assert body["provenance"]["prompt"].startswith("dark pulsing synth bass")
    assert body["provenance"]["file_hashes"] == heist.provenance.file_hashes
    kinds = sorted((d["kind"], d["name"]) for d in body["deliverables"])
    assert ("master", "") in kinds and ("midi", "") in kinds and ("loop", "") in kinds
    assert {name for kind, name in kinds if kind == "stem"} == STEM_PARTS
    assert all(d["size_bytes"] > 0 for d in body["deliverables"])


def test_the_detail_holds_no_url_of_a_private_file(db, shelf, api):
    heist = shelf.tracks["heist"]

    text = api.get(f"{URL}{heist.slug}/").content.decode()
    urls = set(re.findall(r"https?://[^\"\s]+", text))
    assert urls == {
        f"http://testserver/media/previews/{heist.slug}.mp3",
        f"http://testserver/media/peaks/{heist.slug}.json",
        f"http://testserver/media/covers/{heist.slug}.png",
    }
    assert f"tracks/{heist.slug}/" not in text  # where the private files are stored


def test_an_unknown_slug_is_not_found(db, api):
    assert api.get(f"{URL}no-such-track/").status_code == 404
    assert api.get(f"{URL}no-such-track/similar/").status_code == 404


def test_similar_tracks_exclude_the_track_itself_and_drafts(db, shelf, api, make_track):
    draft = make_track("heist", publish=False, title="Heist Draft")
    heist = shelf.tracks["heist"]

    response = api.get(f"{URL}{heist.slug}/similar/")
    assert response.status_code == 200
    slugs = [t["slug"] for t in response.json()]
    assert heist.slug not in slugs and draft.slug not in slugs
    assert set(slugs) == set(shelf.slugs("sunny", "piano", "epic"))
    scores = [t["score"] for t in response.json()]
    assert scores == sorted(scores, reverse=True)


def test_a_published_copy_is_the_most_similar_track(db, shelf, api, make_track):
    twin = make_track("heist", title="Night Vault")  # same words, same embedding

    first = api.get(f"{URL}{shelf.tracks['heist'].slug}/similar/").json()[0]
    assert first["slug"] == twin.slug
    assert first["score"] > 0.99


def test_a_creator_profile_counts_published_tracks(db, shelf, api, make_track, creator):
    make_track("piano", creator=creator)
    make_track("sunny", creator=creator, publish=False)

    body = api.get(f"/api/v1/creators/{creator.slug}/").json()
    assert (body["slug"], body["display_name"]) == ("nadia-okafor", "Nadia Okafor")
    assert body["published_count"] == 1
    assert body["tracks_url"].endswith(f"/api/v1/tracks/?creator={creator.slug}")
    assert api.get("/api/v1/creators/ines-park/").json()["published_count"] == 4


def test_an_unknown_creator_is_not_found(db, api):
    assert api.get("/api/v1/creators/nobody/").status_code == 404
