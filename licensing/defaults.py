"""The tiers a fresh install sells. The data migration seeds them; staff edit them in the admin after.

`seed_tiers` takes the model class so the migration can pass its historical model.
"""

from __future__ import annotations

_BASE = {
    "paid_advertising": False,
    "broadcast": False,
    "theatrical": False,
    "audience_cap": None,
    "term": "perpetual",
    "territory": "worldwide",
    "exclusive": False,
    "content_id_clearance": True,
    "attribution": "appreciated",
    "modification": "edit_for_sync",
    "sublicensing": False,
    "ai_training_prohibited": True,
}
_CREATOR_MEDIA = ["personal", "online_video", "social_media", "podcast"]
_COMMERCIAL_MEDIA = [*_CREATOR_MEDIA, "client_work", "paid_online_ads", "apps_games"]
_BROADCAST_MEDIA = [*_COMMERCIAL_MEDIA, "tv", "radio", "cinema", "paid_media_unlimited"]

DEFAULT_TIERS: list[dict] = [
    {
        "slug": "creator",
        "name": "Creator",
        "summary": "For your own videos, social posts and podcasts, monetised ones included. No paid ads.",
        "rights": {**_BASE, "media": _CREATOR_MEDIA},
        "default_price_cents": 2900,
        "min_price_cents": 1500,
        "max_price_cents": 9900,
        "exclusive": False,
        "position": 10,
    },
    {
        "slug": "commercial",
        "name": "Commercial",
        "summary": "Adds paid online advertising, work for clients, apps and games.",
        "rights": {**_BASE, "media": _COMMERCIAL_MEDIA, "paid_advertising": True},
        "default_price_cents": 9900,
        "min_price_cents": 4900,
        "max_price_cents": 29900,
        "exclusive": False,
        "position": 20,
    },
    {
        "slug": "broadcast",
        "name": "Broadcast",
        "summary": "Adds TV, radio and cinema, and paid media of every kind without limit.",
        "rights": {
            **_BASE,
            "media": _BROADCAST_MEDIA,
            "paid_advertising": True,
            "broadcast": True,
            "theatrical": True,
        },
        "default_price_cents": 49900,
        "min_price_cents": 19900,
        "max_price_cents": 199900,
        "exclusive": False,
        "position": 30,
    },
    {
        "slug": "exclusive",
        "name": "Exclusive buyout",
        "summary": "Broadcast rights, yours alone: the track leaves the catalog. Licenses sold before stay valid.",
        "rights": {
            **_BASE,
            "media": _BROADCAST_MEDIA,
            "paid_advertising": True,
            "broadcast": True,
            "theatrical": True,
            "exclusive": True,
            "modification": "full",
            "sublicensing": True,
        },
        "default_price_cents": 299900,
        "min_price_cents": 99900,
        "max_price_cents": 2000000,
        "exclusive": True,
        "position": 40,
    },
]


def seed_tiers(tier_model) -> list:
    """Create each default tier that does not exist yet (by slug); existing tiers are left as staff set them.

    Only the fields the given model has are set, so an old migration still runs after fields are added.
    """
    known = {f.name for f in tier_model._meta.get_fields()}
    tiers = []
    for spec in DEFAULT_TIERS:
        fields = {k: v for k, v in spec.items() if k != "slug" and k in known}
        fields["rights"] = {**fields["rights"], "media": list(fields["rights"]["media"])}
        tier, _ = tier_model.objects.get_or_create(slug=spec["slug"], defaults=fields)
        tiers.append(tier)
    return tiers
