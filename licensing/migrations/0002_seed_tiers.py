"""Seed the four default tiers (Creator, Commercial, Broadcast, Exclusive buyout)."""

from django.db import migrations

from licensing.defaults import seed_tiers


def seed(apps, schema_editor):
    seed_tiers(apps.get_model("licensing", "LicenseTier"))


class Migration(migrations.Migration):
    dependencies = [
        ("licensing", "0001_initial"),
    ]

    # Going back leaves the tiers: licenses may point at them.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
