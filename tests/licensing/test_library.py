"""The licensee's library: their licenses and downloads (pages and API), one license's page with its
Content ID channels, and the staff export of those channels."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from licensing import services
from licensing.models import ContentIdChannel

YOUTUBE_ID = "UCabcdefghijklmnopqrstuv"


@pytest.fixture
def staff(db):
    from accounts.models import User

    return User.objects.create_user("staff@example.com", "pass-for-tests-1", is_staff=True)


# --- the library page ---------------------------------------------------------------------------------


def test_it_lists_the_buyers_licenses_with_downloads(client, buyer, license):
    client.force_login(buyer)
    response = client.get("/licenses/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Night Vault" in page and license.code in page
    for label in ("Master WAV", "FLAC", "MP3", "Stems (zip)", "Loop", "MIDI", "Certificate (PDF)"):
        assert label in page
    assert f'href="/licenses/{license.code}/"' in page


def test_it_shows_an_empty_library_to_someone_without_licenses(client, stranger, license):
    client.force_login(stranger)
    page = client.get("/licenses/").content.decode()
    assert "You have no licenses yet" in page and license.code not in page


def test_it_sends_visitors_to_log_in(client, db):
    assert client.get("/licenses/")["Location"].startswith("/accounts/login/")


def test_it_shows_no_downloads_for_a_revoked_license(client, buyer, license):
    services.license_revoke(license=license, reason="Refunded")
    client.force_login(buyer)
    page = client.get("/licenses/").content.decode()
    assert "Revoked" in page and "/licenses/download/" not in page


def test_the_header_links_to_the_library(client, buyer, db):
    client.force_login(buyer)
    assert b'href="/licenses/" aria-current="page">Licenses</a>' in client.get("/licenses/").content


# --- one license ----------------------------------------------------------------------------------------


def test_it_shows_the_license_to_its_holder(client, buyer, license):
    client.force_login(buyer)
    response = client.get(f"/licenses/{license.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Paid advertising is allowed." in page
    assert "Download the certificate" in page
    assert license.terms_sha256 in page and license.master_sha256 in page
    assert "Content ID channels" in page


def test_it_hides_the_license_from_everyone_else(client, stranger, staff, license):
    for user in (stranger, staff):
        client.force_login(user)
        assert client.get(f"/licenses/{license.code}/").status_code == 404


def test_it_redirects_a_code_typed_in_lower_case(client, buyer, license):
    client.force_login(buyer)
    response = client.get(f"/licenses/{license.code.lower()}/")
    assert response.status_code == 302 and response["Location"] == f"/licenses/{license.code}/"


def test_the_licensee_adds_and_removes_a_youtube_channel(client, buyer, license):
    client.force_login(buyer)
    url = f"/licenses/{license.code}/channels/"
    response = client.post(
        url, {"platform": "youtube", "channel_id": f"https://www.youtube.com/channel/{YOUTUBE_ID}"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#channels")
    channel = ContentIdChannel.objects.get(license=license)
    assert (channel.platform, channel.channel_id) == ("youtube", YOUTUBE_ID)
    client.post(url, {"platform": "youtube", "channel_id": YOUTUBE_ID})
    assert ContentIdChannel.objects.filter(license=license).count() == 1
    assert YOUTUBE_ID in client.get(f"/licenses/{license.code}/").content.decode()
    client.post(f"/licenses/{license.code}/channels/{channel.pk}/remove/")
    assert not ContentIdChannel.objects.filter(license=license).exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"platform": "youtube", "channel_id": "not a channel"},
            "channel_id",
            "A YouTube channel id starts with UC",
        ),
        ({"platform": "tiktok", "channel_id": "has spaces in it"}, "channel_id", "without spaces"),
        ({"platform": "myspace", "channel_id": "@someone"}, "platform", "Select a valid choice"),
        ({"platform": "youtube", "channel_id": ""}, "channel_id", "This field is required"),
    ],
)
def test_it_refuses_a_bad_channel_naming_the_field(client, buyer, license, data, field, message):
    client.force_login(buyer)
    response = client.post(f"/licenses/{license.code}/channels/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'id="id_{field}_error"' in page
    assert not ContentIdChannel.objects.exists()


def test_no_one_else_adds_channels_to_a_license(client, stranger, license):
    client.force_login(stranger)
    response = client.post(f"/licenses/{license.code}/channels/", {"platform": "tiktok", "channel_id": "@me"})
    assert response.status_code == 404
    assert not ContentIdChannel.objects.exists()


def test_channels_are_added_only_while_the_license_is_active(client, buyer, license):
    services.license_revoke(license=license, reason="Refunded")
    client.force_login(buyer)
    response = client.post(f"/licenses/{license.code}/channels/", {"platform": "tiktok", "channel_id": "@me"})
    assert response.status_code == 400
    assert "only while the license is active" in response.content.decode()


# --- the staff export -----------------------------------------------------------------------------------


def test_staff_export_every_channel_as_csv(client, staff, buyer, license):
    client.force_login(buyer)
    client.post(f"/licenses/{license.code}/channels/", {"platform": "youtube", "channel_id": YOUTUBE_ID})
    client.post(f"/licenses/{license.code}/channels/", {"platform": "tiktok", "channel_id": "=cmd|calc"})
    client.force_login(staff)
    response = client.get("/licenses/channels.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["platform"], r["channel_id"]) for r in rows] == [
        ("tiktok", "'=cmd|calc"),
        ("youtube", YOUTUBE_ID),
    ]
    assert rows[1]["license_code"] == license.code
    assert rows[1]["licensee_email"] == "ada@northwind.example"
    assert rows[1]["track_slug"] == license.track.slug


def test_only_staff_export_channels(client, buyer, db):
    assert client.get("/licenses/channels.csv")["Location"].startswith("/accounts/login/")
    client.force_login(buyer)
    assert client.get("/licenses/channels.csv").status_code == 404


# --- the API --------------------------------------------------------------------------------------------


def test_the_api_lists_the_users_licenses_with_download_links(api, buyer, license):
    api.force_authenticate(buyer)
    response = api.get("/api/v1/licenses/")
    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item["code"] == license.code
    assert item["track"] == {"slug": license.track.slug, "title": "Night Vault"}
    assert item["tier"]["slug"] == "commercial"
    assert item["status"] == "active"
    assert set(item["downloads"]) == {"wav", "flac", "mp3", "stems", "loop", "midi", "certificate"}
    assert all(url.startswith("http://testserver/licenses/download/") for url in item["downloads"].values())
    assert item["verify_url"] == f"http://testserver/licenses/verify/{license.code}"


def test_an_api_client_follows_the_download_links_with_its_token(api, buyer, stranger, license):
    from rest_framework.authtoken.models import Token

    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=buyer).key}")
    [item] = api.get("/api/v1/licenses/").json()["results"]
    response = api.get(item["downloads"]["certificate"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=stranger).key}")
    assert api.get(item["downloads"]["certificate"]).status_code == 404


def test_the_api_lists_a_revoked_license_without_links(api, buyer, license):
    services.license_revoke(license=license, reason="Refunded")
    api.force_authenticate(buyer)
    [item] = api.get("/api/v1/licenses/").json()["results"]
    assert item["status"] == "revoked" and item["downloads"] == {}


def test_the_api_shows_no_one_else_the_licenses(api, stranger, license):
    assert api.get("/api/v1/licenses/").status_code == 401
    api.force_authenticate(stranger)
    assert api.get("/api/v1/licenses/").json()["results"] == []


def test_the_api_reads_a_fixed_number_of_queries(api, buyer, license, issue, make_track):
    api.force_authenticate(buyer)
    with CaptureQueriesContext(connection) as one:
        api.get("/api/v1/licenses/")
    issue(make_track("piano"))
    issue(make_track("sunny"))
    with CaptureQueriesContext(connection) as three:
        response = api.get("/api/v1/licenses/")
    assert response.json()["count"] == 3
    assert len(three) == len(one)
