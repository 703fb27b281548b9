"""tier_save and LicenseTier.clean(): a tier's rights are checked wherever it is saved; tiers_seed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from licensing import services
from licensing.defaults import DEFAULT_TIERS
from licensing.errors import LicensingError
from licensing.models import LicenseTier

SPEC = {
    "slug": "podcast-only",
    "name": "Podcast only",
    "summary": "Podcasts and nothing else.",
    "rights": {**DEFAULT_TIERS[0]["rights"], "media": ["podcast"]},
    "default_price_cents": 900,
    "min_price_cents": 500,
    "max_price_cents": 1900,
}


def test_it_creates_a_tier(db):
    tier = services.tier_save(**SPEC, position=5)

    assert LicenseTier.objects.get(slug="podcast-only") == tier
    assert (tier.currency, tier.exclusive, tier.is_active) == ("usd", False, True)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"rights": {"media": ["podcast"]}}, "rights"),
        ({"rights": {**SPEC["rights"], "ai_training_prohibited": False}}, "rights"),
        ({"exclusive": True}, "exclusive"),
        ({"default_price_cents": 100}, "default_price_cents"),
        ({"slug": "creator"}, "slug"),
        ({"slug": "not a slug"}, "slug"),
        ({"name": ""}, "name"),
    ],
)
def test_it_refuses_a_bad_tier_naming_the_field_and_writes_nothing(tiers, changes, field):
    with pytest.raises(LicensingError) as caught:
        services.tier_save(**{**SPEC, **changes})

    assert caught.value.field == field
    assert not LicenseTier.objects.filter(name="Podcast only").exists()


def test_the_model_checks_the_rights_too(db):
    tier = LicenseTier(**{**SPEC, "rights": {"media": []}})

    with pytest.raises(ValidationError) as caught:
        tier.full_clean()
    assert "rights" in caught.value.message_dict


def test_seeding_again_keeps_what_staff_changed(tiers):
    tiers["creator"].name = "Creator (renamed)"
    tiers["creator"].save()

    seeded = services.tiers_seed()

    assert [t.slug for t in seeded] == ["creator", "commercial", "broadcast", "exclusive"]
    assert LicenseTier.objects.count() == 4
    assert LicenseTier.objects.get(slug="creator").name == "Creator (renamed)"
