"""Reads of the licensing room, shaped for pages, the API and the rooms that sell licenses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from accounts.models import User
from catalog import selectors as catalog_selectors
from catalog.models import Track
from licensing import codes
from licensing.models import License, LicenseTier, TrackPrice
from licensing.rights import rights_in_words

# What verification says about a track that left the catalog after the license was sold.
TRACK_STATUS_NOTES = {
    Track.Status.WITHDRAWN: "The creator has since withdrawn this track from sale; licenses already sold "
    "stay valid.",
    Track.Status.TAKEN_DOWN: "This track has since been taken down from the catalog; licenses already sold "
    "stay valid.",
    Track.Status.SOLD_EXCLUSIVE: "This track has since been bought outright (exclusive buyout) and left the "
    "catalog; licenses already sold stay valid.",
}
STATUS_MESSAGES = {
    License.Status.ACTIVE: "This license is valid.",
    License.Status.REVOKED: "This license was revoked and is no longer valid (the purchase was refunded "
    "or cancelled).",
    License.Status.DISPUTED: "A payment dispute is open on this license: it is on hold until the dispute "
    "is settled.",
}


@dataclass(frozen=True)
class Offer:
    tier: LicenseTier
    price_cents: int
    currency: str


@dataclass(frozen=True)
class PriceLine:
    """One tier on a creator's price form: what the track sells it at now, and whether it is offered."""

    tier: LicenseTier
    price_cents: int
    enabled: bool
    custom: bool  # the creator set this price (else it is the tier's default)


@dataclass(frozen=True)
class Verification:
    """What anyone may learn about a license from its code. Never the licensee's email or project."""

    code: str
    status: str
    status_label: str
    status_message: str
    valid: bool
    exclusive: bool
    issued_at: datetime
    track_slug: str
    track_title: str
    track_on_sale: bool
    track_status: str
    track_status_note: str | None
    creator_name: str
    creator_slug: str
    tier_slug: str
    tier_name: str
    licensee: str
    rights_in_words: list[str]
    terms_sha256: str


def tiers_active() -> QuerySet[LicenseTier]:
    return LicenseTier.objects.filter(is_active=True)


def tier_get(*, slug: str) -> LicenseTier | None:
    """An active tier by slug, or None."""
    return tiers_active().filter(slug=slug).first()


def clamp_price(tier: LicenseTier, cents: int) -> int:
    """A stored price held to the tier's bounds as they are now (staff may have moved them since)."""
    return min(max(cents, tier.min_price_cents), tier.max_price_cents)


def track_price_rows(*, track: Track) -> dict[int, TrackPrice]:
    """The creator's price rows of a track, by tier id."""
    return {row.tier_id: row for row in TrackPrice.objects.filter(track=track)}


def has_near_duplicates(track: Track) -> bool:
    return catalog_selectors.track_has_near_duplicates(track=track)


def exclusive_sold(*, track: Track) -> bool:
    """Whether the track's exclusive buyout is held by someone (a license not revoked)."""
    return License.objects.filter(track=track, exclusive=True).exclude(status=License.Status.REVOKED).exists()


def track_offers(*, track: Track) -> list[Offer]:
    """The tiers a published track can be bought under now, at the creator's prices.

    A tier is on offer unless the creator switched it off; the exclusive buyout only where the creator
    switched it on, never once it is sold, and never while the catalog holds a near duplicate of the
    track (an exclusive right to audio that is also on sale elsewhere could not be honoured).
    """
    if track.status != Track.Status.PUBLISHED:
        return []
    rows = track_price_rows(track=track)
    offers = []
    for tier in tiers_active():
        row = rows.get(tier.id)
        if row is not None and not row.enabled:
            continue
        if tier.exclusive and (row is None or exclusive_sold(track=track) or has_near_duplicates(track)):
            continue
        price = clamp_price(tier, row.price_cents) if row else tier.default_price_cents
        offers.append(Offer(tier=tier, price_cents=price, currency=tier.currency))
    return offers


def prices_by_tier(track: Track) -> dict[str, int]:
    """{tier slug: cents} of the tiers on offer for `track`."""
    return {offer.tier.slug: offer.price_cents for offer in track_offers(track=track)}


def track_price_lines(*, track: Track) -> list[PriceLine]:
    """Every active tier with the track's price for it, for the creator's price form."""
    rows = track_price_rows(track=track)
    lines = []
    for tier in tiers_active():
        row = rows.get(tier.id)
        if row is None:
            lines.append(
                PriceLine(
                    tier=tier, price_cents=tier.default_price_cents, enabled=not tier.exclusive, custom=False
                )
            )
        else:
            lines.append(
                PriceLine(
                    tier=tier,
                    price_cents=clamp_price(tier, row.price_cents),
                    enabled=row.enabled,
                    custom=True,
                )
            )
    return lines


def _licenses() -> QuerySet[License]:
    return License.objects.select_related("track", "track__creator", "tier")


def license_get(*, code: str) -> License | None:
    """A license by its code as a person may type it, or None."""
    canonical = codes.normalize(code)
    if canonical is None:
        return None
    return _licenses().filter(code=canonical).first()


def licenses_of(*, user: User) -> QuerySet[License]:
    """The licenses `user` holds, newest first."""
    return _licenses().filter(licensee=user)


def licenses_by_source(*, source_keys: Iterable[str]) -> QuerySet[License]:
    """The licenses issued for these source keys (the order lines that sold them)."""
    return _licenses().filter(source_key__in=list(source_keys))


def _licensee(license: License) -> str:
    return license.licensee_organisation or license.licensee_name


def _words(terms: dict) -> list[str]:
    words = terms.get("rights_in_words")
    if isinstance(words, list):
        return [str(w) for w in words]
    try:
        return rights_in_words(terms["rights"])
    except (KeyError, TypeError):
        return []


def license_for_verification(code: str) -> Verification | None:
    """What the public verification page and API show for `code`, or None for no such license.

    The track, tier and rights are those frozen in the license's terms when it was sold.
    """
    license = license_get(code=code)
    if license is None:
        return None
    terms = license.terms if isinstance(license.terms, dict) else {}
    track, tier = license.track, license.tier
    frozen_track = terms.get("track") if isinstance(terms.get("track"), dict) else {}
    frozen_tier = terms.get("tier") if isinstance(terms.get("tier"), dict) else {}
    frozen_creator = terms.get("creator") if isinstance(terms.get("creator"), dict) else {}
    return Verification(
        code=license.code,
        status=license.status,
        status_label=license.get_status_display(),
        status_message=STATUS_MESSAGES[license.status],
        valid=license.status == License.Status.ACTIVE,
        exclusive=license.exclusive,
        issued_at=license.issued_at,
        track_slug=track.slug,
        track_title=frozen_track.get("title") or track.title,
        track_on_sale=track.status == Track.Status.PUBLISHED,
        track_status=track.status,
        track_status_note=TRACK_STATUS_NOTES.get(track.status),
        creator_name=frozen_creator.get("display_name") or track.creator.display_name,
        creator_slug=track.creator.slug,
        tier_slug=tier.slug,
        tier_name=frozen_tier.get("name") or tier.name,
        licensee=_licensee(license),
        rights_in_words=_words(terms),
        terms_sha256=license.terms_sha256,
    )
