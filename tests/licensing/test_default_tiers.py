"""A database always sells something: the default tiers come back into an emptied tier table."""

from __future__ import annotations

from django.core.management import call_command

from licensing.models import LicenseTier


def test_it_seeds_the_default_tiers_after_a_flush(transactional_db):
    call_command("flush", "--noinput", verbosity=0)

    assert set(LicenseTier.objects.values_list("slug", flat=True)) == {
        "creator",
        "commercial",
        "broadcast",
        "exclusive",
    }


def test_it_leaves_the_tiers_staff_kept_as_they_are(transactional_db):
    LicenseTier.objects.filter(slug="broadcast").delete()

    call_command("migrate", "--noinput", verbosity=0)

    assert not LicenseTier.objects.filter(slug="broadcast").exists()
