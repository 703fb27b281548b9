"""Downloads: short-lived signed links, checked again when followed: only the licensee, only while the
license is active, only while the link is fresh."""

from __future__ import annotations

import pytest

from licensing import delivery, services


@pytest.fixture
def links(license):
    return delivery.download_links(license=license)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_it_gives_the_licensee_the_stamped_master(client, buyer, license, links):
    client.force_login(buyer)
    response = client.get(links["wav"])
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/wav"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{license.track.slug}_{license.code}-master.wav"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert body(response) == delivery.build_file(license, "wav").read_bytes()


def test_it_gives_the_licensee_the_certificate(client, buyer, license, links):
    client.force_login(buyer)
    response = client.get(links["certificate"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert body(response).startswith(b"%PDF-")


def test_it_answers_404_to_another_user(client, stranger, links):
    client.force_login(stranger)
    assert client.get(links["wav"]).status_code == 404
    assert client.get(links["certificate"]).status_code == 404


def test_it_sends_a_visitor_to_log_in(client, links):
    response = client.get(links["wav"])
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_refuses_a_revoked_license_with_a_clear_page(client, buyer, license, links):
    services.license_revoke(license=license, reason="Refunded")
    client.force_login(buyer)
    response = client.get(links["wav"])
    assert response.status_code == 403
    assert b"This license was revoked" in response.content
    assert delivery.download_links(license=license) == {}


def test_it_pauses_downloads_while_a_dispute_is_open(client, buyer, license, links):
    services.license_dispute(license=license, reason="Chargeback")
    client.force_login(buyer)
    response = client.get(links["mp3"])
    assert response.status_code == 403
    assert b"dispute" in response.content


def test_it_answers_410_with_a_way_back_to_an_expired_link(client, buyer, license, links, settings):
    settings.DOWNLOAD_URL_MAX_AGE = -1  # every link is older than that
    client.force_login(buyer)
    response = client.get(links["wav"])
    assert response.status_code == 410
    assert b"expired" in response.content
    assert f'href="/licenses/{license.code}/"'.encode() in response.content


def test_it_answers_404_to_a_forged_or_altered_link(client, buyer, license):
    client.force_login(buyer)
    token = delivery.download_token(license=license, fmt="wav")
    payload, stamp, signature = token.split(":")
    forged = delivery.download_token(license=license, fmt="stems").split(":")[0]
    for bad in (f"{forged}:{stamp}:{signature}", "nonsense", f"{payload}:{stamp}:{'A' * len(signature)}"):
        assert client.get(f"/licenses/download/{bad}/").status_code == 404


def test_it_answers_404_for_a_format_the_track_lacks(client, buyer, license):
    client.force_login(buyer)
    token = delivery.download_token(license=license, fmt="cuts")
    assert client.get(f"/licenses/download/{token}/").status_code == 404


def test_it_signs_links_for_every_format_the_license_delivers(license, links):
    assert list(links) == delivery.deliverable_formats(license)
    assert all(url.startswith("/licenses/download/") for url in links.values())
