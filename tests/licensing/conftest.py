"""Licensing fixtures: the seeded tiers, an API client, and licenses issued through the real services."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

LICENSEE = {
    "licensee_name": "Ada Park",
    "licensee_organisation": "",
    "licensee_email": "ada@northwind.example",
    "project": "Harbour documentary",
}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def tiers(db) -> dict:
    """The default tiers by slug (seeded again where a transactional test emptied the tables)."""
    from licensing import services

    return {tier.slug: tier for tier in services.tiers_seed()}


@pytest.fixture
def offer_exclusive(creator, tiers):
    """offer_exclusive(track): the creator puts the exclusive buyout of `track` on sale."""
    from licensing import services

    def offer(track, price_cents: int | None = None):
        tier = tiers["exclusive"]
        price = tier.default_price_cents if price_cents is None else price_cents
        services.track_price_set(track=track, tier=tier, price_cents=price, enabled=True, by=track.creator)
        return track

    return offer


@pytest.fixture
def issue(buyer, tiers):
    """issue(track, tier="creator", source_key=None, licensee=buyer, **fields) -> License, quoted and
    issued through the services as fulfilment does."""
    from licensing import services

    counter = iter(range(1, 10_000))

    def make(track, tier: str = "creator", *, source_key: str | None = None, licensee=None, **fields):
        quote = services.price_quote(track=track, tier=tiers[tier])
        return services.license_issue(
            source_key=source_key or f"test-line:{next(counter)}",
            quote=quote,
            licensee=licensee or buyer,
            **{**LICENSEE, **fields},
        )

    return make


# --- delivery: stamped files, certificates, downloads -------------------------------------------------


@pytest.fixture(scope="session")
def c2pa_var_dir(tmp_path_factory):
    """One VAR_DIR for the session: the local signing CA is made once under it, not in the repo's var/."""
    return tmp_path_factory.mktemp("var")


@pytest.fixture(autouse=True)
def _delivery_dirs(settings, c2pa_var_dir, tmp_path_factory):
    settings.VAR_DIR = c2pa_var_dir
    settings.LICENSE_FILES_ROOT = tmp_path_factory.mktemp("licensed")
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def license(make_track, issue):
    """The buyer's Commercial license of "Night Vault" (8 s, by the creator persona)."""
    return issue(make_track("heist"), "commercial", licensee_organisation="Northwind Films")
