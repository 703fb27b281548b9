"""Every write of the licensing room: quotes, issuing licenses, their status, prices and tiers.

Payments calls `price_quote` when a buyer adds a track to the cart or checks out, and `license_issue`
once per paid order line; refunds and disputes call `license_revoke`, `license_dispute` and
`license_reinstate`. Every call is safe to repeat.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import CreatorProfile, User
from catalog import services as catalog_services
from catalog.models import Track, TrackAsset
from licensing import codes, selectors
from licensing.defaults import seed_tiers
from licensing.errors import ExclusiveTaken, LicensingError, NotOnSale
from licensing.models import License, LicenseTier, TrackPrice
from licensing.money import format_money
from licensing.rights import canonical_json, rights_in_words, sha256_hex, validate_rights

# Bumped whenever the shape of the frozen terms document changes.
TERMS_VERSION = "1"
CODE_ATTEMPTS = 5

NOT_ON_SALE = {
    Track.Status.DRAFT: "This track is not published yet, so it cannot be licensed.",
    Track.Status.IN_REVIEW: "This track is still in review, so it cannot be licensed yet.",
    Track.Status.REJECTED: "This track is not on sale.",
    Track.Status.WITHDRAWN: "The creator has withdrawn this track from sale.",
    Track.Status.TAKEN_DOWN: "This track was taken down and is no longer on sale.",
    Track.Status.SOLD_EXCLUSIVE: "This track was bought outright (exclusive buyout) and is no longer on sale.",
}
EXCLUSIVE_TAKEN = "The exclusive buyout of this track has already been sold."
NEAR_DUPLICATE = "The exclusive buyout is not offered: the catalog holds a near duplicate of this track."


@dataclass(frozen=True)
class Quote:
    """What a track costs under a tier now, with the terms the buyer would agree to."""

    track: Track
    tier: LicenseTier
    price_cents: int
    currency: str
    terms: dict
    terms_sha256: str


def terms_document(*, track: Track, tier: LicenseTier, price_cents: int, currency: str) -> dict:
    """The terms a license freezes: tier and rights (with their words), track, creator, price."""
    return {
        "terms_version": TERMS_VERSION,
        "tier": {"slug": tier.slug, "name": tier.name, "exclusive": tier.exclusive},
        "rights": dict(tier.rights),
        "rights_in_words": rights_in_words(tier.rights),
        "track": {"slug": track.slug, "title": track.title},
        "creator": {"display_name": track.creator.display_name, "slug": track.creator.slug},
        "price_cents": price_cents,
        "currency": currency,
    }


def price_quote(*, track: Track, tier: LicenseTier) -> Quote:
    """The price and terms of `track` under `tier`, from the server's prices alone.

    Raises NotOnSale (field "track") when the track is not published, and (field "tier") when the
    tier is not on offer for it: switched off, inactive, or an exclusive buyout the creator does not
    offer or has already sold (ExclusiveTaken), or one of a track with near duplicates in the catalog.
    """
    if track.status != Track.Status.PUBLISHED:
        raise NotOnSale(NOT_ON_SALE.get(track.status, "This track is not on sale."), field="track")
    not_offered = f"The {tier.name} license is not offered for this track."
    if not tier.is_active:
        raise NotOnSale(not_offered, field="tier")
    row = TrackPrice.objects.filter(track=track, tier=tier).first()
    if (row is not None and not row.enabled) or (tier.exclusive and row is None):
        raise NotOnSale(not_offered, field="tier")
    if tier.exclusive and selectors.exclusive_sold(track=track):
        raise ExclusiveTaken(EXCLUSIVE_TAKEN)
    if tier.exclusive and selectors.has_near_duplicates(track):
        raise NotOnSale(NEAR_DUPLICATE, field="tier")
    validate_rights(tier.rights)
    price = selectors.clamp_price(tier, row.price_cents) if row else tier.default_price_cents
    terms = terms_document(track=track, tier=tier, price_cents=price, currency=tier.currency)
    return Quote(
        track=track,
        tier=tier,
        price_cents=price,
        currency=tier.currency,
        terms=terms,
        terms_sha256=sha256_hex(canonical_json(terms)),
    )


def _text(value: object, field: str, label: str, *, required: bool = False, limit: int = 120) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if value is not None and not isinstance(value, str):
        raise LicensingError(f"The {label} must be text.", field=field)
    if required and not text:
        raise LicensingError(f"Give the {label}.", field=field)
    if len(text) > limit:
        raise LicensingError(f"Keep the {label} to {limit} characters.", field=field)
    return text


def _master_sha256(track: Track) -> str:
    master = TrackAsset.objects.filter(track=track, kind=TrackAsset.Kind.MASTER).order_by("name").first()
    if master is None:
        raise LicensingError("This track has no master file to deliver.", field="track")
    return master.sha256


def _create_with_code(**fields) -> License:
    """Insert the license under a fresh random code, drawing again in the unlikely case it is taken."""
    for _ in range(CODE_ATTEMPTS):
        code = codes.new_code()
        try:
            with transaction.atomic():
                return License.objects.create(code=code, **fields)
        except IntegrityError:
            if not License.objects.filter(code=code).exists():
                raise  # another constraint: the caller sorts it out
    raise LicensingError("No free license code could be drawn; try again.")


def license_issue(
    *,
    source_key: str,
    quote: Quote | None = None,
    track: Track | None = None,
    tier: LicenseTier | None = None,
    licensee: User,
    licensee_name: str,
    licensee_organisation: str = "",
    licensee_email: str,
    project: str = "",
    price_cents: int | None = None,
    currency: str | None = None,
    terms: dict | None = None,
) -> License:
    """Issue the license that `source_key` (an order line) sold; the same key always gives one license.

    Track, tier, price, currency and terms come from `quote` unless given (payments passes what the
    buyer agreed to at checkout). The terms are frozen with the SHA-256 of their canonical JSON, beside
    the SHA-256 of the track's master. An exclusive buyout locks the track's row, is refused with
    ExclusiveTaken when another non-revoked one exists (a database constraint backs this), and takes
    the track out of the catalog. Non-exclusive licenses are issued whatever the track's status now:
    the buyer paid while it was on sale.
    """
    if quote is not None:
        track, tier = track or quote.track, tier or quote.tier
        price_cents = quote.price_cents if price_cents is None else price_cents
        currency = currency or quote.currency
        terms = quote.terms if terms is None else terms
    if not isinstance(source_key, str) or not 0 < len(source_key.strip()) <= 80:
        raise LicensingError("The source key must be 1 to 80 characters.", field="source_key")
    if existing := License.objects.filter(source_key=source_key).first():
        return existing
    if not isinstance(track, Track):
        raise LicensingError("Name the track to license.", field="track")
    if not isinstance(tier, LicenseTier):
        raise LicensingError("Name the license tier.", field="tier")
    if not isinstance(licensee, User):
        raise LicensingError("Name the account that holds the license.", field="licensee")
    name = _text(licensee_name, "licensee_name", "licensee's name", required=True)
    organisation = _text(licensee_organisation, "licensee_organisation", "organisation")
    project = _text(project, "project", "project name")
    email = _text(licensee_email, "licensee_email", "licensee's email", required=True, limit=254)
    try:
        validate_email(email)
    except ValidationError:
        raise LicensingError("Enter a valid email address.", field="licensee_email") from None
    if type(price_cents) is not int or price_cents < 0:
        raise LicensingError("The price must be a whole number of cents, 0 or more.", field="price_cents")
    if not isinstance(currency, str) or len(currency) != 3 or not currency.isalpha():
        raise LicensingError("The currency must be a three-letter code such as usd.", field="currency")
    if not isinstance(terms, dict) or not terms:
        raise LicensingError("The license needs its terms.", field="terms")
    try:
        terms_sha256 = sha256_hex(canonical_json(terms))
    except (TypeError, ValueError):
        raise LicensingError("The terms must be plain JSON.", field="terms") from None
    fields = {
        "source_key": source_key,
        "track": track,
        "tier": tier,
        "licensee": licensee,
        "licensee_name": name,
        "licensee_organisation": organisation,
        "licensee_email": email,
        "project": project,
        "price_cents": price_cents,
        "currency": currency.lower(),
        "terms": terms,
        "terms_sha256": terms_sha256,
        "master_sha256": _master_sha256(track),
        "exclusive": tier.exclusive,
    }
    try:
        with transaction.atomic():
            if not tier.exclusive:
                return _create_with_code(**fields)
            # One buyer at a time per track: the others wait here, then see the sale.
            locked = Track.objects.select_for_update().get(pk=track.pk)
            if existing := License.objects.filter(source_key=source_key).first():
                return existing
            if selectors.exclusive_sold(track=locked):
                raise ExclusiveTaken(EXCLUSIVE_TAKEN)
            license = _create_with_code(**fields)
            if locked.status != Track.Status.TAKEN_DOWN:  # a takedown outranks the sale
                catalog_services.track_sell_exclusive(track=locked)
            return license
    except IntegrityError:
        if existing := License.objects.filter(source_key=source_key).first():
            return existing  # the same line was fulfilled meanwhile
        if tier.exclusive and selectors.exclusive_sold(track=track):
            raise ExclusiveTaken(EXCLUSIVE_TAKEN) from None
        raise


def _status_change(*, license: License, to: str, reason: str, allowed_from: set[str]) -> License:
    reason = _text(reason, "reason", "reason", required=True, limit=240)
    try:
        with transaction.atomic():
            locked = License.objects.select_for_update().get(pk=license.pk)
            if locked.status != to and locked.status in allowed_from:
                locked.status, locked.status_reason = to, reason
                locked.status_changed_at = timezone.now()
                locked.save(update_fields=["status", "status_reason", "status_changed_at"])
    except IntegrityError:  # reinstating an exclusive buyout sold again since
        raise ExclusiveTaken(EXCLUSIVE_TAKEN) from None
    license.status, license.status_reason = locked.status, locked.status_reason
    license.status_changed_at = locked.status_changed_at
    return locked


def license_revoke(*, license: License, reason: str) -> License:
    """Revoke a license (a refund, a lost dispute). The row stays; revoking twice changes nothing."""
    return _status_change(
        license=license,
        to=License.Status.REVOKED,
        reason=reason,
        allowed_from={License.Status.ACTIVE, License.Status.DISPUTED},
    )


def license_dispute(*, license: License, reason: str) -> License:
    """Put an active license on hold while a payment dispute is open. A revoked license stays revoked,
    so a dispute notice that arrives after the refund changes nothing."""
    return _status_change(
        license=license, to=License.Status.DISPUTED, reason=reason, allowed_from={License.Status.ACTIVE}
    )


def license_reinstate(*, license: License, reason: str, undo_revoke: bool = False) -> License:
    """Make a disputed license active again (the dispute was won). A revoked one comes back only with
    `undo_revoke` (staff correcting a mistake), never from a late payment event."""
    allowed = {License.Status.DISPUTED} | ({License.Status.REVOKED} if undo_revoke else set())
    return _status_change(license=license, to=License.Status.ACTIVE, reason=reason, allowed_from=allowed)


@transaction.atomic
def track_price_set(
    *, track: Track, tier: LicenseTier, price_cents: int, enabled: bool = True, by: CreatorProfile
) -> TrackPrice:
    """The creator's price for one tier of their track, within the tier's bounds; `enabled` False takes
    the tier off sale for the track. The exclusive buyout is on offer only once a creator enables it."""
    if by is None or track.creator_id != by.pk:
        raise LicensingError("Only the track's creator sets its prices.", field="track")
    if track.status == Track.Status.SOLD_EXCLUSIVE:
        raise LicensingError("This track was sold exclusively; its prices are final.", field="track")
    if not tier.is_active:
        raise LicensingError(f"The {tier.name} license is not offered any more.", field="tier")
    if type(price_cents) is not int or not tier.min_price_cents <= price_cents <= tier.max_price_cents:
        low = format_money(tier.min_price_cents, tier.currency)
        high = format_money(tier.max_price_cents, tier.currency)
        raise LicensingError(f"Set a {tier.name} price between {low} and {high}.", field="price_cents")
    row, _ = TrackPrice.objects.update_or_create(
        track=track, tier=tier, defaults={"price_cents": price_cents, "enabled": bool(enabled)}
    )
    return row


@transaction.atomic
def tier_save(
    *,
    tier: LicenseTier | None = None,
    slug: str,
    name: str,
    summary: str,
    rights: dict,
    default_price_cents: int,
    min_price_cents: int,
    max_price_cents: int,
    currency: str = "usd",
    exclusive: bool = False,
    position: int = 0,
    is_active: bool = True,
) -> LicenseTier:
    """Create or edit a tier. Licenses already issued keep the terms they froze; only later sales see
    the change."""
    validate_rights(rights)
    tier = tier or LicenseTier()
    tier.slug, tier.name, tier.summary, tier.rights = slug, name, summary, rights
    tier.default_price_cents, tier.min_price_cents = default_price_cents, min_price_cents
    tier.max_price_cents, tier.currency = max_price_cents, (currency or "").lower()
    tier.exclusive, tier.position, tier.is_active = exclusive, position, is_active
    try:
        tier.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise LicensingError(" ".join(messages), field=None if field == NON_FIELD_ERRORS else field) from None
    tier.save()
    return tier


@transaction.atomic
def tiers_seed() -> list[LicenseTier]:
    """Create the default tiers that are missing (the data migration does this on install)."""
    return seed_tiers(LicenseTier)
