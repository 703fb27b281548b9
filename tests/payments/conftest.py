"""Payments fixtures: the seeded license tiers, tracks on sale (one with its exclusive buyout offered),
orders made through the real services, and paying them through the sandbox's signed events."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

LICENSEE = {
    "licensee_name": "Ada Park",
    "licensee_organisation": "Northwind Films",
    "licensee_email": "ada@northwind.example",
    "project": "Harbour documentary",
}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _sandbox(settings):
    settings.PAYMENTS_PROVIDER = "sandbox"
    settings.PAYMENTS_CURRENCY = "usd"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def tiers(db) -> dict:
    """The tiers a fresh install sells, by slug: creator, commercial, broadcast, exclusive (seeded again
    where a transactional test emptied the tables)."""
    from licensing import services

    return {tier.slug: tier for tier in services.tiers_seed()}


@pytest.fixture
def track(make_track):
    return make_track("heist")


@pytest.fixture
def other_track(make_track):
    return make_track("piano")


@pytest.fixture
def offer_exclusive(creator, tiers):
    """offer_exclusive(track, price_cents=None): the creator puts the exclusive buyout on sale."""
    from licensing import services

    def offer(track, price_cents: int | None = None):
        tier = tiers["exclusive"]
        price = tier.default_price_cents if price_cents is None else price_cents
        services.track_price_set(track=track, tier=tier, price_cents=price, enabled=True, by=creator)
        return track

    return offer


@pytest.fixture
def exclusive_track(track, offer_exclusive):
    return offer_exclusive(track)


@pytest.fixture
def make_order(buyer):
    """make_order([(track, tier), ...], buyer=buyer, **licensee) -> a pending Order, checkout begun."""
    from payments import services

    def make(lines, *, buyer=buyer, **licensee):
        order = services.order_create(buyer=buyer, lines=lines, **(LICENSEE | licensee))
        return services.order_checkout_begin(
            order=order, success_url="http://testserver/done", cancel_url="http://testserver/cart"
        )

    return make


@pytest.fixture
def sandbox_pay():
    """sandbox_pay(order) -> the order after its signed sandbox payment went through fulfilment."""
    from payments.providers import sandbox

    def pay(order):
        body, signature = sandbox.event_build(order=order)
        sandbox.event_receive(body=body, signature=signature)
        order.refresh_from_db()
        return order

    return pay


@pytest.fixture
def connected(creator):
    """connected(creator=creator, enabled=True) -> the creator's sandbox payout account, onboarded."""
    from payments import payouts

    def connect(profile=creator, *, enabled: bool = True):
        payouts.connect_onboarding_link(
            creator=profile, refresh_url="http://testserver/r", return_url="http://testserver/b"
        )
        if enabled:
            return payouts.connect_sandbox_complete(creator=profile)
        return profile.connect_account

    return connect


@pytest.fixture
def run_payouts():
    """run_payouts(**kwargs) -> the PayoutRun of a run that ignores the hold (earnings count at once)."""
    from payments import payouts

    def run(**kwargs):
        kwargs.setdefault("trigger", "staff")
        kwargs.setdefault("hold_days", 0)
        return payouts.payouts_run(**kwargs)

    return run
