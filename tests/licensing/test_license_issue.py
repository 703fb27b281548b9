"""license_issue: one license per source key, frozen terms, the master's hash, and exclusive buyouts
sold once, even to buyers racing for them."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import IntegrityError, connection, transaction

from catalog.models import Track, TrackAsset
from licensing import services
from licensing.errors import ExclusiveTaken, LicensingError
from licensing.models import License
from licensing.rights import canonical_json, sha256_hex
from tests.licensing.conftest import LICENSEE

CODE = re.compile(r"LIC-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}")


def test_it_issues_a_license_with_frozen_terms_and_the_masters_hash(make_track, tiers, buyer):
    track = make_track("heist")
    quote = services.price_quote(track=track, tier=tiers["commercial"])

    license = services.license_issue(source_key="order-line:1", quote=quote, licensee=buyer, **LICENSEE)

    license.refresh_from_db()
    assert CODE.fullmatch(license.code)
    assert (license.track, license.tier, license.licensee) == (track, tiers["commercial"], buyer)
    assert (license.licensee_name, license.licensee_email) == ("Ada Park", "ada@northwind.example")
    assert license.project == "Harbour documentary"
    assert (license.price_cents, license.currency) == (9900, "usd")
    assert license.terms == quote.terms
    assert license.terms_sha256 == sha256_hex(canonical_json(license.terms)) == quote.terms_sha256
    master = TrackAsset.objects.get(track=track, kind="master")
    assert license.master_sha256 == master.sha256
    assert license.status == "active" and license.exclusive is False
    assert license.issued_at is not None and license.status_changed_at is None


def test_it_issues_one_license_per_source_key(make_track, tiers, buyer):
    track = make_track("heist")
    quote = services.price_quote(track=track, tier=tiers["creator"])

    first = services.license_issue(source_key="order-line:7", quote=quote, licensee=buyer, **LICENSEE)
    again = services.license_issue(source_key="order-line:7", quote=quote, licensee=buyer, **LICENSEE)

    assert again.pk == first.pk and again.code == first.code
    assert License.objects.count() == 1


def test_it_takes_what_was_sold_from_the_order_line_over_todays_prices(make_track, tiers, buyer, creator):
    track = make_track("heist")
    agreed = services.price_quote(track=track, tier=tiers["creator"])
    services.track_price_set(track=track, tier=tiers["creator"], price_cents=5900, by=creator)

    license = services.license_issue(
        source_key="order-line:2",
        track=track,
        tier=tiers["creator"],
        licensee=buyer,
        price_cents=agreed.price_cents,
        currency="USD",
        terms=agreed.terms,
        **LICENSEE,
    )

    assert (license.price_cents, license.currency) == (2900, "usd")
    assert license.terms["price_cents"] == 2900


def test_editing_a_tier_later_leaves_issued_terms_alone(make_track, tiers, issue):
    license = issue(make_track("heist"), "creator")
    before = (license.terms, license.terms_sha256)
    tier = tiers["creator"]
    services.tier_save(
        tier=tier,
        **{
            **{
                f: getattr(tier, f)
                for f in ("slug", "summary", "rights", "currency", "exclusive", "position")
            },
            "name": "Creator Plus",
            "default_price_cents": 3900,
            "min_price_cents": 1500,
            "max_price_cents": 9900,
            "rights": {**tier.rights, "audience_cap": 50_000},
        },
    )

    license.refresh_from_db()
    assert (license.terms, license.terms_sha256) == before
    assert license.terms["tier"]["name"] == "Creator"


def test_it_issues_a_license_paid_for_while_the_track_was_on_sale(make_track, tiers, buyer):
    track = make_track("heist")
    quote = services.price_quote(track=track, tier=tiers["creator"])
    Track.objects.filter(pk=track.pk).update(status=Track.Status.WITHDRAWN)

    license = services.license_issue(source_key="order-line:3", quote=quote, licensee=buyer, **LICENSEE)

    assert license.status == "active"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"licensee_name": "  "}, "licensee_name"),
        ({"licensee_name": "x" * 121}, "licensee_name"),
        ({"licensee_organisation": "x" * 121}, "licensee_organisation"),
        ({"licensee_email": "ada at northwind"}, "licensee_email"),
        ({"licensee_email": ""}, "licensee_email"),
        ({"project": "x" * 121}, "project"),
        ({"price_cents": -1}, "price_cents"),
        ({"price_cents": 29.5}, "price_cents"),
        ({"price_cents": "2900"}, "price_cents"),
        ({"currency": "dollars"}, "currency"),
        ({"terms": {}}, "terms"),
        ({"terms": {"when": {1, 2}}}, "terms"),
        ({"terms": {"price": float("inf")}}, "terms"),
        ({"source_key": ""}, "source_key"),
        ({"source_key": "k" * 81}, "source_key"),
        ({"track": None}, "track"),
        ({"tier": "creator"}, "tier"),
        ({"licensee": None}, "licensee"),
    ],
)
def test_it_refuses_bad_input_naming_the_field_and_writes_nothing(make_track, tiers, buyer, change, field):
    track = make_track("heist")
    quote = services.price_quote(track=track, tier=tiers["creator"])
    arguments = {
        "source_key": "order-line:9",
        "track": track,
        "tier": tiers["creator"],
        "licensee": buyer,
        "price_cents": quote.price_cents,
        "currency": quote.currency,
        "terms": quote.terms,
        **LICENSEE,
        **change,
    }

    with pytest.raises(LicensingError) as caught:
        services.license_issue(**arguments)

    assert caught.value.field == field
    assert License.objects.count() == 0


def test_it_refuses_a_track_without_a_master(make_track, tiers, buyer):
    track = make_track("heist")
    quote = services.price_quote(track=track, tier=tiers["creator"])
    TrackAsset.objects.filter(track=track, kind="master").delete()

    with pytest.raises(LicensingError) as caught:
        services.license_issue(source_key="order-line:4", quote=quote, licensee=buyer, **LICENSEE)
    assert caught.value.field == "track"
    assert License.objects.count() == 0


def test_an_exclusive_buyout_takes_the_track_out_and_earlier_licenses_stay(
    make_track, tiers, offer_exclusive, issue, stranger
):
    track = offer_exclusive(make_track("heist"))
    earlier = issue(track, "creator", licensee=stranger)

    buyout = issue(track, "exclusive")

    track.refresh_from_db()
    assert track.status == Track.Status.SOLD_EXCLUSIVE
    assert buyout.exclusive is True and buyout.terms["rights"]["exclusive"] is True
    earlier.refresh_from_db()
    assert earlier.status == "active"


def test_a_second_exclusive_buyout_is_refused(make_track, tiers, offer_exclusive, buyer, stranger):
    track = offer_exclusive(make_track("heist"))
    quote = services.price_quote(track=track, tier=tiers["exclusive"])
    services.license_issue(source_key="order-line:1", quote=quote, licensee=buyer, **LICENSEE)

    with pytest.raises(ExclusiveTaken) as caught:
        services.license_issue(source_key="order-line:2", quote=quote, licensee=stranger, **LICENSEE)

    assert caught.value.field == "tier"
    assert License.objects.filter(exclusive=True).count() == 1
    # The same line fulfilled again still gets its license back.
    again = services.license_issue(source_key="order-line:1", quote=quote, licensee=buyer, **LICENSEE)
    assert again.licensee == buyer


def test_a_taken_down_track_stays_taken_down_after_an_exclusive_buyout(
    make_track, tiers, offer_exclusive, buyer
):
    track = offer_exclusive(make_track("heist"))
    quote = services.price_quote(track=track, tier=tiers["exclusive"])
    Track.objects.filter(pk=track.pk).update(status=Track.Status.TAKEN_DOWN)

    services.license_issue(source_key="order-line:1", quote=quote, licensee=buyer, **LICENSEE)

    track.refresh_from_db()
    assert track.status == Track.Status.TAKEN_DOWN


def test_a_refunded_buyout_lets_the_buyout_be_sold_again(make_track, tiers, offer_exclusive, issue, stranger):
    track = offer_exclusive(make_track("heist"))
    first = issue(track, "exclusive")
    services.license_revoke(license=first, reason="Refunded")

    second = issue(track, "exclusive", licensee=stranger)

    assert second.exclusive and second.status == "active"


def test_the_database_refuses_a_second_live_exclusive_license(make_track, tiers, offer_exclusive, issue):
    track = offer_exclusive(make_track("heist"))
    sold = issue(track, "exclusive")
    twin = License.objects.get(pk=sold.pk)
    twin.pk, twin.code, twin.source_key = None, "LIC-2222-3333-4444", "forged"

    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


# --- concurrency (PostgreSQL: SQLite has no row locks and serialises writers anyway) ------------------

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (DATABASE_URL=postgres://...)"
)


def _race(count: int, work) -> list:
    """Run work(i) in `count` threads released at once, each on its own connection; their results."""
    from django.db import connections

    start = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        try:
            start.wait()
            results[i] = work(i)
        except Exception as exc:  # the outcome is what the test inspects
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_buyers_racing_for_the_buyout_get_one_license(make_track, tiers, offer_exclusive):
    from accounts.models import User

    track = offer_exclusive(make_track("heist"))
    quote = services.price_quote(track=track, tier=tiers["exclusive"])
    buyers = [User.objects.create_user(f"racer{i}@example.com", "pass-for-tests-1") for i in range(20)]

    results = _race(
        20,
        lambda i: services.license_issue(
            source_key=f"order-line:{i}", quote=quote, licensee=buyers[i], **LICENSEE
        ),
    )

    issued = [r for r in results if isinstance(r, License)]
    assert len(issued) == 1, results
    assert all(isinstance(r, ExclusiveTaken) for r in results if not isinstance(r, License)), results
    assert License.objects.filter(track=track).count() == 1
    track.refresh_from_db()
    assert track.status == Track.Status.SOLD_EXCLUSIVE


@needs_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("tier", ["creator", "exclusive"])
def test_one_order_line_fulfilled_ten_times_at_once_gets_one_license(
    make_track, tiers, offer_exclusive, buyer, tier
):
    track = offer_exclusive(make_track("heist"))
    quote = services.price_quote(track=track, tier=tiers[tier])

    results = _race(
        10,
        lambda i: services.license_issue(source_key="order-line:1", quote=quote, licensee=buyer, **LICENSEE),
    )

    assert all(isinstance(r, License) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert License.objects.count() == 1
