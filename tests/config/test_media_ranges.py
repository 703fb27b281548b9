"""Public media served by the app: it follows MEDIA_ROOT and answers byte ranges so players can seek."""

from __future__ import annotations

from pathlib import Path

import pytest

BODY = bytes(range(256)) * 4


@pytest.fixture
def preview(settings) -> str:
    folder = Path(settings.MEDIA_ROOT) / "previews"
    folder.mkdir(parents=True)
    (folder / "cue.mp3").write_bytes(BODY)
    return "/media/previews/cue.mp3"


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_it_serves_the_whole_file_and_says_ranges_are_accepted(client, preview):
    response = client.get(preview)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert _body(response) == BODY


def test_it_answers_a_range_with_206_and_those_bytes(client, preview):
    response = client.get(preview, headers={"range": "bytes=100-199"})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{len(BODY)}"
    assert response["Content-Length"] == "100"
    assert response["Content-Type"] == "audio/mpeg"
    assert _body(response) == BODY[100:200]


def test_an_open_range_runs_to_the_end_and_a_suffix_counts_from_it(client, preview):
    assert _body(client.get(preview, headers={"range": "bytes=1000-"})) == BODY[1000:]
    assert _body(client.get(preview, headers={"range": "bytes=-24"})) == BODY[-24:]
    assert _body(client.get(preview, headers={"range": "bytes=1000-99999"})) == BODY[1000:]


def test_a_range_past_the_end_is_416(client, preview):
    response = client.get(preview, headers={"range": f"bytes={len(BODY)}-"})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(BODY)}"


def test_a_malformed_range_gets_the_whole_file(client, preview):
    response = client.get(preview, headers={"range": "bytes=0-1,5-9"})
    assert response.status_code == 200
    assert _body(response) == BODY


def test_nothing_outside_the_media_folder_is_reachable(client, preview, settings):
    secret = Path(settings.PRIVATE_MEDIA_ROOT) / "tracks" / "mix.wav"
    secret.parent.mkdir(parents=True)
    secret.write_bytes(b"master")
    for path in ("/media/../private/tracks/mix.wav", "/media/%2e%2e/private/tracks/mix.wav"):
        response = client.get(path, headers={"range": "bytes=0-5"})
        assert response.status_code in (400, 404)
        assert b"master" not in response.content
    assert client.get("/media/missing.mp3", headers={"range": "bytes=0-1"}).status_code == 404
