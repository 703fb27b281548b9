"""Signed provenance records: downloadable from the track page, checked with the published public key,
refused once tampered with."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from catalog import review, signing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_key(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.PROVENANCE_SIGNING_KEY = ""
    yield
    signing._key_for.cache_clear()


def _download(client, track) -> dict:
    response = client.get(f"/tracks/{track.slug}/provenance.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    return json.loads(response.content)


def test_the_record_verifies_with_the_published_key(client, make_track, reviewer, in_review):
    track = in_review("heist")
    review.review_decide(track=track, by=reviewer, decision="approve")

    document = _download(client, track)
    public_pem = client.get("/provenance/public-key.pem").content

    assert signing.verify_document(document, public_pem)
    record = document["record"]
    assert record["track"]["slug"] == track.slug and record["track"]["disclosure_label"] == "ai_generated"
    assert record["provenance"]["seed"] == track.provenance.seed
    assert record["provenance"]["file_hashes"] == track.provenance.file_hashes
    assert [d["decision"] for d in record["review"]] == ["approve"]
    assert document["key_id"] == signing.key_id(public_pem)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d: d["record"]["track"].update(disclosure_label="human_made"),
        lambda d: d["record"]["provenance"].update(prompt="something else"),
        lambda d: d.update(signature=d["signature"][:-4] + "AAAA"),
        lambda d: d.pop("signature"),
    ],
)
def test_a_tampered_record_fails(client, make_track, tamper):
    track = make_track("heist")
    document = _download(client, track)
    public_pem = client.get("/provenance/public-key.pem").content
    tamper(document)
    assert not signing.verify_document(document, public_pem)


def test_another_key_does_not_verify_it(client, make_track):
    document = _download(client, make_track("heist"))
    other = Ed25519PrivateKey.generate().public_key()
    assert not signing.verify_document(
        document, other.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    )


def test_the_local_key_is_made_once_and_kept(settings, tmp_path):
    first = signing.public_key_pem()
    signing._key_for.cache_clear()
    assert signing.public_key_pem() == first
    assert (tmp_path / "provenance" / "ed25519.pem").stat().st_mode & 0o077 == 0


def test_a_key_from_the_environment_signs(settings):
    key = Ed25519PrivateKey.generate()
    settings.PROVENANCE_SIGNING_KEY = key.private_bytes(
        Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
    ).decode()
    assert signing.public_key_pem() == key.public_key().public_bytes(
        Encoding.PEM, PublicFormat.SubjectPublicKeyInfo
    )


def test_a_draft_record_is_not_public(client, make_track):
    track = make_track("heist", publish=False)
    assert client.get(f"/tracks/{track.slug}/provenance.json").status_code == 404
