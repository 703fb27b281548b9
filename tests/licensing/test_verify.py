"""Public verification of a license by its code: the page at /licenses/verify/<code> and
GET /api/v1/licenses/{code}/verify/. They say valid or not, never the licensee's email."""

from __future__ import annotations

import pytest

from catalog.models import Track
from licensing import services

API = "/api/v1/licenses/{}/verify/"


@pytest.fixture
def license(make_track, issue):
    return issue(make_track("heist"), "commercial")


def page(client, code: str):
    return client.get(f"/licenses/verify/{code}")


# --- the page ---------------------------------------------------------------------------------------


def test_it_shows_a_valid_license_to_anyone(client, license):
    response = page(client, license.code)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Valid license" in html and "verdict-active" in html
    assert "Night Vault" in html and "Nadia Okafor" in html and "Commercial" in html
    assert "Ada Park" in html
    assert license.terms_sha256 in html
    assert "Paid advertising is allowed." in html
    assert "ada@northwind.example" not in html and "Harbour documentary" not in html


def test_it_names_the_organisation_rather_than_the_person(client, make_track, issue):
    license = issue(make_track("heist"), licensee_organisation="Northwind Films")

    html = page(client, license.code).content.decode()

    assert "Northwind Films" in html and "Ada Park" not in html


@pytest.mark.parametrize(
    ("change", "verdict", "says"),
    [
        (services.license_revoke, "verdict-revoked", "Revoked: not valid"),
        (services.license_dispute, "verdict-disputed", "On hold: payment disputed"),
    ],
)
def test_it_shows_a_license_that_is_not_valid_in_red(client, license, change, verdict, says):
    change(license=license, reason="Refunded: order 12 (internal)")

    html = page(client, license.code).content.decode()

    assert verdict in html and says in html
    assert "order 12 (internal)" not in html


@pytest.mark.parametrize(
    ("status", "says"),
    [
        (Track.Status.WITHDRAWN, "withdrawn this track from sale; licenses already sold stay valid"),
        (Track.Status.TAKEN_DOWN, "taken down from the catalog; licenses already sold stay valid"),
        (Track.Status.SOLD_EXCLUSIVE, "bought outright (exclusive buyout) and left the catalog"),
    ],
)
def test_it_says_the_license_stays_valid_when_the_track_left_the_catalog(client, license, status, says):
    Track.objects.filter(pk=license.track_id).update(status=status)

    html = page(client, license.code).content.decode()

    assert "Valid license" in html and says in html
    assert f'href="/tracks/{license.track.slug}/"' not in html  # no link to a page that is gone


def test_an_unknown_code_is_not_found(client, tiers):
    response = page(client, "LIC-2222-3333-4444")

    assert response.status_code == 404
    assert "No license has this code" in response.content.decode()


def test_a_code_typed_loosely_goes_to_its_canonical_address(client, license):
    response = page(client, license.code.lower().replace("-", ""))

    assert response.status_code == 302
    assert response["Location"] == f"/licenses/verify/{license.code}"
    assert client.get(f"/licenses/verify/{license.code}/").status_code == 200


def test_what_cannot_be_a_code_is_refused_naming_the_field(client, tiers):
    response = page(client, "LIC-0000-OOOO-IIII")

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_code_error"' in html and "This is not a license code" in html


def test_the_lookup_form_takes_a_typed_code(client, license):
    assert client.get("/licenses/verify/").status_code == 200
    response = client.get("/licenses/verify/", {"code": f" {license.code.lower()} "})
    assert response.status_code == 302 and response["Location"] == f"/licenses/verify/{license.code}"


@pytest.mark.parametrize("typed", ["", "hello"])
def test_the_lookup_form_refuses_what_is_not_a_code(client, tiers, typed):
    response = client.get("/licenses/verify/", {"code": typed})

    assert response.status_code == 400
    assert 'id="id_code_error"' in response.content.decode()


def test_the_page_has_room_for_checking_a_file(client, license):
    from django.template.loader import get_template

    assert get_template("licensing/_verify_file_form.html")
    assert page(client, license.code).status_code == 200


# --- the API ----------------------------------------------------------------------------------------


def test_the_api_verifies_a_license_for_anyone(api, license):
    response = api.get(API.format(license.code))

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == license.code
    assert (body["status"], body["valid"]) == ("active", True)
    assert body["track"] == {"slug": license.track.slug, "title": "Night Vault"}
    assert body["creator"] == {"slug": "nadia-okafor", "display_name": "Nadia Okafor"}
    assert body["tier"] == {"slug": "commercial", "name": "Commercial"}
    assert body["licensee"] == "Ada Park"
    assert body["terms_sha256"] == license.terms_sha256
    assert body["track_status"] == "published" and body["track_status_note"] is None
    assert body["issued_at"] and body["rights_in_words"] == license.terms["rights_in_words"]
    text = response.content.decode()
    assert "ada@northwind.example" not in text and "Harbour documentary" not in text
    assert set(body) == {
        "code",
        "status",
        "valid",
        "status_message",
        "exclusive",
        "issued_at",
        "licensee",
        "track",
        "creator",
        "tier",
        "track_status",
        "track_status_note",
        "rights_in_words",
        "terms_sha256",
    }  # nothing about the price, the project or how to reach the licensee


def test_the_api_says_a_revoked_license_is_not_valid(api, license):
    services.license_revoke(license=license, reason="Refunded")

    body = api.get(API.format(license.code)).json()

    assert (body["status"], body["valid"]) == ("revoked", False)


def test_the_api_notes_a_track_sold_exclusively_since(api, make_track, offer_exclusive, issue, stranger):
    track = offer_exclusive(make_track("heist"))
    earlier = issue(track, "creator", licensee=stranger)
    issue(track, "exclusive")

    body = api.get(API.format(earlier.code)).json()

    assert body["valid"] is True and body["track_status"] == "sold_exclusive"
    assert "licenses already sold stay valid" in body["track_status_note"]


def test_the_api_reads_a_loosely_typed_code(api, license):
    body = api.get(API.format(license.code.lower())).json()

    assert body["code"] == license.code


def test_the_api_answers_404_for_an_unknown_code(api, tiers):
    response = api.get(API.format("LIC-2222-3333-4444"))

    assert response.status_code == 404
    assert response.json() == {"detail": "No license has this code."}


def test_the_api_answers_400_naming_the_code_for_a_malformed_one(api, tiers):
    response = api.get(API.format("not-a-code"))

    assert response.status_code == 400
    assert list(response.json()) == ["code"]
