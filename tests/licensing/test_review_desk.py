"""What the review desk means for licenses: a takedown leaves them valid and verification says so; the
exclusive buyout is not offered for a track with near duplicates in the catalog."""

from __future__ import annotations

import pytest

from accounts import services as accounts_services
from accounts.models import User
from catalog import review
from catalog import services as catalog_services
from licensing import selectors, services
from licensing.errors import NotOnSale

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db) -> User:
    user = User.objects.create_user("staff@example.com", "pass-for-tests-1")
    accounts_services.reviewer_grant(user=user)
    return user


def test_a_takedown_keeps_sold_licenses_valid_and_verification_says_so(client, api, license, staff):
    review.track_take_down(track=license.track, by=staff, reason="Rights claim")

    html = client.get(f"/licenses/verify/{license.code}").content.decode()
    body = api.get(f"/api/v1/licenses/{license.code}/verify/").json()

    assert "Valid license" in html and "taken down from the catalog; licenses already sold stay valid" in html
    assert body["valid"] is True and body["track_status"] == "taken_down"


def test_a_withdrawal_keeps_sold_licenses_valid(api, license, creator):
    review.track_withdraw(track=license.track, by=creator.user)
    body = api.get(f"/api/v1/licenses/{license.code}/verify/").json()
    assert body["valid"] is True and body["track_status"] == "withdrawn"


def test_the_exclusive_buyout_is_not_offered_for_a_track_with_a_near_duplicate(
    make_track, offer_exclusive, tiers
):
    original = offer_exclusive(make_track("heist"))
    assert "exclusive" in selectors.prices_by_tier(original)

    copy = make_track("heist", publish=False, title="Night Vault (copy)")
    catalog_services.track_submit(track=copy)  # the fingerprint check finds the original

    assert "exclusive" not in selectors.prices_by_tier(original)
    with pytest.raises(NotOnSale) as refused:
        services.price_quote(track=original, tier=tiers["exclusive"])
    assert refused.value.field == "tier" and "near duplicate" in str(refused.value)
    assert "commercial" in selectors.prices_by_tier(original)  # the other tiers stay on sale
