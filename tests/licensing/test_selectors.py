"""licensing/selectors.py: what is on offer for a track, and licenses found by code, holder or source."""

from __future__ import annotations

from catalog.models import Track
from licensing import selectors, services


def test_a_published_track_offers_every_tier_but_the_buyout(make_track, tiers):
    offers = selectors.track_offers(track=make_track("heist"))

    assert [(o.tier.slug, o.price_cents, o.currency) for o in offers] == [
        ("creator", 2900, "usd"),
        ("commercial", 9900, "usd"),
        ("broadcast", 49900, "usd"),
    ]


def test_the_buyout_is_offered_until_it_is_sold(make_track, tiers, offer_exclusive, issue):
    track = offer_exclusive(make_track("heist"), price_cents=120000)
    assert selectors.prices_by_tier(track)["exclusive"] == 120000

    issue(track, "exclusive")
    Track.objects.filter(pk=track.pk).update(status=Track.Status.PUBLISHED)  # even if it were back on sale
    track.refresh_from_db()

    assert "exclusive" not in selectors.prices_by_tier(track)
    assert selectors.exclusive_sold(track=track)


def test_a_track_off_sale_offers_nothing(make_track, tiers):
    assert selectors.track_offers(track=make_track("heist", publish=False)) == []


def test_licenses_are_found_by_code_holder_and_source(make_track, issue, buyer, stranger):
    track = make_track("heist")
    mine = issue(track, source_key="order-line:1")
    theirs = issue(track, source_key="order-line:2", licensee=stranger)

    assert selectors.license_get(code=mine.code.lower()) == mine
    assert selectors.license_get(code="LIC-2222-3333-4444") is None
    assert selectors.license_get(code="nonsense") is None
    assert list(selectors.licenses_of(user=buyer)) == [mine]
    assert set(selectors.licenses_by_source(source_keys=["order-line:2", "order-line:9"])) == {theirs}


def test_verification_reads_the_terms_as_sold(make_track, issue, tiers):
    license = issue(make_track("heist"), "creator")
    services.tier_save(
        tier=tiers["creator"],
        **{
            f: getattr(tiers["creator"], f)
            for f in (
                "slug",
                "summary",
                "rights",
                "default_price_cents",
                "min_price_cents",
                "max_price_cents",
                "currency",
                "exclusive",
                "position",
            )
        },
        name="Renamed later",
    )

    verification = selectors.license_for_verification(license.code)

    assert verification.tier_name == "Creator"
    assert verification.rights_in_words == license.terms["rights_in_words"]
    assert verification.licensee == "Ada Park" and verification.valid
