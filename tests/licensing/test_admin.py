"""Staff pages: tiers whose rights are checked on save, licenses that are read-only and change status
only through actions with a reason, never deleted."""

from __future__ import annotations

import json

import pytest

from licensing.models import License, LicenseTier


def tier_form(tier: LicenseTier, **changes) -> dict:
    data = {
        "slug": tier.slug,
        "name": tier.name,
        "summary": tier.summary,
        "rights": json.dumps(tier.rights),
        "default_price_cents": tier.default_price_cents,
        "min_price_cents": tier.min_price_cents,
        "max_price_cents": tier.max_price_cents,
        "currency": tier.currency,
        "position": tier.position,
        "is_active": "on",
    }
    if tier.exclusive:
        data["exclusive"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def change_url(tier) -> str:
    return f"/admin/licensing/licensetier/{tier.pk}/change/"


def test_staff_edit_a_tier_and_its_rights(admin_client, tiers):
    tier = tiers["creator"]
    rights = {**tier.rights, "audience_cap": 250_000}

    response = admin_client.post(
        change_url(tier), tier_form(tier, name="Creator Pro", rights=json.dumps(rights))
    )

    assert response.status_code == 302
    tier.refresh_from_db()
    assert tier.name == "Creator Pro" and tier.rights["audience_cap"] == 250_000


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"rights": '{"media": ["podcast"]}'}, "is a required property"),
        ({"rights": "{not json"}, "Enter a valid JSON"),
        ({"exclusive": "on"}, "Tick exclusive exactly when the rights say exclusive is true."),
        ({"default_price_cents": 100}, "The default price must lie between the minimum and the maximum."),
    ],
)
def test_staff_cannot_save_a_tier_with_bad_rights_or_prices(admin_client, tiers, changes, says):
    tier = tiers["creator"]
    before = (tier.rights, tier.default_price_cents, tier.exclusive)

    response = admin_client.post(change_url(tier), tier_form(tier, **changes))

    assert response.status_code == 200
    assert says in response.content.decode()
    tier.refresh_from_db()
    assert (tier.rights, tier.default_price_cents, tier.exclusive) == before


def test_the_tier_page_shows_the_rights_in_words(admin_client, tiers):
    html = admin_client.get(change_url(tiers["broadcast"])).content.decode()

    assert "Cinema and theatrical release is allowed." in html


@pytest.fixture
def license(make_track, issue):
    return issue(make_track("heist"), "creator")


def action(admin_client, license, name: str, reason: str):
    return admin_client.post(
        "/admin/licensing/license/",
        {"action": name, "_selected_action": [license.pk], "reason": reason, "index": 0},
        follow=True,
    )


def test_staff_revoke_dispute_and_reinstate_with_a_reason(admin_client, license):
    action(admin_client, license, "mark_disputed", "Bank dispute opened")
    license.refresh_from_db()
    assert (license.status, license.status_reason) == ("disputed", "Bank dispute opened")

    action(admin_client, license, "revoke", "Chargeback lost")
    license.refresh_from_db()
    assert (license.status, license.status_reason) == ("revoked", "Chargeback lost")

    response = action(admin_client, license, "reinstate", "Chargeback reversed")
    license.refresh_from_db()
    assert (license.status, license.status_reason) == ("active", "Chargeback reversed")
    assert "1 changed" in response.content.decode()


def test_a_status_action_without_a_reason_changes_nothing(admin_client, license):
    response = action(admin_client, license, "revoke", "  ")

    assert "Give a reason to revoke licenses." in response.content.decode()
    license.refresh_from_db()
    assert license.status == "active"


def test_licenses_are_read_only_and_never_deleted(admin_client, license):
    page = admin_client.get(f"/admin/licensing/license/{license.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert license.terms_sha256 in html and 'name="licensee_email"' not in html

    assert admin_client.get("/admin/licensing/license/add/").status_code == 403
    assert (
        admin_client.post(f"/admin/licensing/license/{license.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert License.objects.filter(pk=license.pk).exists()


def test_staff_see_content_id_channels_and_track_prices(admin_client, license):
    assert admin_client.get("/admin/licensing/contentidchannel/").status_code == 200
    assert admin_client.get("/admin/licensing/trackprice/").status_code == 200
