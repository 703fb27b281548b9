"""License tiers, the prices creators set for them, and the licenses buyers hold."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from licensing.errors import LicensingError
from licensing.money import format_money
from licensing.rights import validate_rights


class LicenseTier(models.Model):
    """A kind of license on offer. `rights` is a rights document (licensing/rights.py holds its schema),
    validated on every save; issued licenses keep a frozen copy, so editing a tier changes only sales
    made afterwards."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=60)
    summary = models.CharField(max_length=240)
    rights = models.JSONField()
    default_price_cents = models.PositiveIntegerField()
    min_price_cents = models.PositiveIntegerField()
    max_price_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3, default="usd")
    exclusive = models.BooleanField(default=False, help_text="the buyer takes the track out of the catalog")
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ("position", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_price_cents__lte=models.F("default_price_cents"))
                & Q(default_price_cents__lte=models.F("max_price_cents")),
                name="tier_default_price_within_bounds",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        try:
            validate_rights(self.rights)
        except LicensingError as exc:
            errors["rights"] = exc.message
        else:
            if self.rights["exclusive"] != self.exclusive:
                errors["exclusive"] = "Tick exclusive exactly when the rights say exclusive is true."
        prices = (self.min_price_cents, self.default_price_cents, self.max_price_cents)
        if None not in prices and not prices[0] <= prices[1] <= prices[2]:
            errors["default_price_cents"] = "The default price must lie between the minimum and the maximum."
        if errors:
            raise ValidationError(errors)


class TrackPrice(models.Model):
    """A creator's price for one tier of one track, within the tier's bounds. Without a row a track sells
    at the tier's default price, except the exclusive tier, which needs a row with `enabled`."""

    track = models.ForeignKey("catalog.Track", on_delete=models.CASCADE, related_name="prices")
    tier = models.ForeignKey(LicenseTier, on_delete=models.CASCADE, related_name="track_prices")
    price_cents = models.PositiveIntegerField()
    enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["track", "tier"], name="track_price_unique")]

    def __str__(self) -> str:
        return f"{self.track_id} {self.tier_id}: {self.price_cents}"

    def clean(self) -> None:
        tier = self.tier if self.tier_id else None
        if tier is None or self.price_cents is None:
            return
        if not tier.min_price_cents <= self.price_cents <= tier.max_price_cents:
            low = format_money(tier.min_price_cents, tier.currency)
            high = format_money(tier.max_price_cents, tier.currency)
            raise ValidationError({"price_cents": f"{tier.name} prices lie between {low} and {high}."})


class License(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        REVOKED = "revoked", "Revoked"
        DISPUTED = "disputed", "Disputed"

    code = models.CharField(max_length=24, unique=True)  # LIC-7K2M-9QXD-4HTV
    # Whatever sold the license names it once (an order line), so fulfilling twice issues one license.
    source_key = models.CharField(max_length=80, unique=True)
    track = models.ForeignKey("catalog.Track", on_delete=models.PROTECT, related_name="licenses")
    tier = models.ForeignKey(LicenseTier, on_delete=models.PROTECT, related_name="licenses")
    licensee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="licenses")
    licensee_name = models.CharField(max_length=120)
    licensee_organisation = models.CharField(max_length=120, blank=True)
    licensee_email = models.EmailField()
    project = models.CharField(max_length=120, blank=True)
    price_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    # The terms as sold: tier name and rights, track, creator, price. Canonical JSON and its SHA-256.
    terms = models.JSONField()
    terms_sha256 = models.CharField(max_length=64)
    master_sha256 = models.CharField(max_length=64)
    exclusive = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.CharField(max_length=240, blank=True)
    issued_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-issued_at", "-id")
        constraints = [
            # An exclusive buyout is sold once: a second one cannot even be written.
            models.UniqueConstraint(
                fields=["track"],
                condition=Q(exclusive=True) & ~Q(status="revoked"),
                name="one_exclusive_license_per_track",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class ContentIdChannel(models.Model):
    """A channel where the licensee uses the track, so Content ID claims there can be cleared."""

    class Platform(models.TextChoices):
        YOUTUBE = "youtube", "YouTube"
        FACEBOOK = "facebook", "Facebook / Instagram"
        TIKTOK = "tiktok", "TikTok"
        TWITCH = "twitch", "Twitch"
        OTHER = "other", "Other"

    license = models.ForeignKey(License, on_delete=models.CASCADE, related_name="channels")
    platform = models.CharField(max_length=10, choices=Platform.choices)
    channel_id = models.CharField(max_length=120)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("added_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["license", "platform", "channel_id"], name="content_id_channel_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.channel_id}"
