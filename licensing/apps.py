from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _seed_default_tiers(sender, using: str = "default", **kwargs) -> None:
    """An empty tier table gets the default tiers after `migrate` or `flush` (the data migration seeds a
    fresh install; a flushed database, as in transactional tests, would otherwise sell nothing)."""
    from django.db import connections

    from licensing.defaults import seed_tiers
    from licensing.models import LicenseTier

    if LicenseTier._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated backwards, or not this far yet
    if not LicenseTier.objects.using(using).exists():
        seed_tiers(LicenseTier)


class LicensingConfig(AppConfig):
    name = "licensing"

    def ready(self) -> None:
        from catalog import extensions
        from licensing import selectors

        post_migrate.connect(_seed_default_tiers, sender=self, dispatch_uid="licensing-default-tiers")
        # GET /api/v1/tracks/{slug}/ carries {"prices": {tier slug: cents}} for the tiers on offer.
        extensions.track_field("prices", lambda track, request: selectors.prices_by_tier(track))
