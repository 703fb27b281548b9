"""license_revoke, license_dispute, license_reinstate: status changes with a reason, never a deletion,
safe to repeat and to receive out of order."""

from __future__ import annotations

import pytest

from licensing import services
from licensing.errors import ExclusiveTaken, LicensingError
from licensing.models import License


@pytest.fixture
def license(make_track, issue):
    return issue(make_track("heist"), "creator")


def test_it_revokes_with_a_reason_and_keeps_the_row(license):
    revoked = services.license_revoke(license=license, reason="Refunded: changed my mind")

    assert revoked.status == license.status == "revoked"
    row = License.objects.get(pk=license.pk)
    assert (row.status, row.status_reason) == ("revoked", "Refunded: changed my mind")
    assert row.status_changed_at is not None
    assert row.terms_sha256 == license.terms_sha256


def test_revoking_twice_changes_nothing_more(license):
    first = services.license_revoke(license=license, reason="Refunded")
    again = services.license_revoke(license=license, reason="Refunded again")

    assert (again.status_reason, again.status_changed_at) == ("Refunded", first.status_changed_at)


def test_a_dispute_puts_an_active_license_on_hold(license):
    services.license_dispute(license=license, reason="Disputed: fraudulent")

    license.refresh_from_db()
    assert (license.status, license.status_reason) == ("disputed", "Disputed: fraudulent")


def test_a_dispute_arriving_after_the_refund_leaves_the_license_revoked(license):
    services.license_revoke(license=license, reason="Refunded")
    services.license_dispute(license=license, reason="Disputed late")

    license.refresh_from_db()
    assert (license.status, license.status_reason) == ("revoked", "Refunded")


def test_a_won_dispute_reinstates_the_license(license):
    services.license_dispute(license=license, reason="Disputed")
    services.license_reinstate(license=license, reason="Dispute won")

    license.refresh_from_db()
    assert (license.status, license.status_reason) == ("active", "Dispute won")


def test_a_late_dispute_win_does_not_undo_a_refund(license):
    services.license_revoke(license=license, reason="Refunded")
    services.license_reinstate(license=license, reason="Dispute won")

    license.refresh_from_db()
    assert license.status == "revoked"


def test_staff_can_undo_a_revocation_on_purpose(license):
    services.license_revoke(license=license, reason="Refunded by mistake")
    services.license_reinstate(license=license, reason="Refund was a mistake", undo_revoke=True)

    license.refresh_from_db()
    assert (license.status, license.status_reason) == ("active", "Refund was a mistake")


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_status_change_needs_a_reason(license, reason):
    with pytest.raises(LicensingError) as caught:
        services.license_revoke(license=license, reason=reason)

    assert caught.value.field == "reason"
    license.refresh_from_db()
    assert license.status == "active"


def test_a_revoked_buyout_cannot_come_back_once_sold_again(make_track, offer_exclusive, issue, stranger):
    track = offer_exclusive(make_track("heist"))
    first = issue(track, "exclusive")
    services.license_revoke(license=first, reason="Refunded")
    issue(track, "exclusive", licensee=stranger)

    with pytest.raises(ExclusiveTaken):
        services.license_reinstate(license=first, reason="Undo", undo_revoke=True)

    first.refresh_from_db()
    assert first.status == "revoked"
