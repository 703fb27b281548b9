"""Writes of the review desk: reviewers' decisions, takedowns by staff, withdrawals by creators.

Each appends one immutable ReviewDecision (who, when, what, why, the label before and after) and moves
the track's status:

    draft --submit--> in review --approve--> published --take down--> taken down
                          |   \\--request changes--> draft (the creator edits and submits again)
                          \\--reject--> rejected (with the reason; a corrected track may be submitted again)
    published --withdraw (creator)--> withdrawn

Licenses already sold stay valid whatever happens to the track; verification says what became of it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.selectors import is_reviewer
from catalog.errors import NotAllowed, ReviewError
from catalog.models import ReviewDecision, Track
from catalog.services import search_index_touch

Decision = ReviewDecision.Decision
REASON_LIMIT = 2000
# What each reviewer decision does to a track in review.
_REVIEW_OUTCOMES = {
    Decision.APPROVE: Track.Status.PUBLISHED,
    Decision.REQUEST_CHANGES: Track.Status.DRAFT,
    Decision.REJECT: Track.Status.REJECTED,
}
TAKE_DOWN_FROM = (Track.Status.PUBLISHED, Track.Status.SOLD_EXCLUSIVE, Track.Status.WITHDRAWN)


def may_take_down(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active and (user.is_staff or is_reviewer(user)))


def _reason(reason: str | None, *, required: bool, what: str) -> str:
    if reason is not None and not isinstance(reason, str):
        raise ReviewError("The reason must be text.", field="reason")
    reason = (reason or "").strip()
    if required and not reason:
        raise ReviewError(f"Say why {what}: the creator reads it.", field="reason")
    if len(reason) > REASON_LIMIT:
        raise ReviewError(f"Keep the reason to {REASON_LIMIT} characters.", field="reason")
    return reason


def _record(*, track: Track, by: User, decision: str, reason: str, status: str, label: str) -> ReviewDecision:
    row = ReviewDecision.objects.create(
        track=track,
        by=by,
        decision=decision,
        reason=reason,
        status_before=track.status,
        status_after=status,
        label_before=track.disclosure_label,
        label_after=label,
    )
    track.status, track.disclosure_label = status, label
    fields = ["status", "disclosure_label", "updated_at"]
    if status == Track.Status.PUBLISHED and track.published_at is None:
        track.published_at = timezone.now()
        fields.append("published_at")
    track.save(update_fields=fields)
    search_index_touch()
    return row


@transaction.atomic
def review_decide(
    *, track: Track, by: User, decision: str, reason: str = "", disclosure_label: str | None = None
) -> ReviewDecision:
    """A reviewer's decision on a track in review: approve (publish it), request changes (back to the
    creator's drafts, with the reason they read) or reject (with the reason). The reviewer may correct
    the disclosure label at the same time. Raises NotAllowed without the reviewer permission, and
    ReviewError (naming the field) for anything else that cannot be done."""
    if not is_reviewer(by):
        raise NotAllowed("Only reviewers decide on tracks in review.", field="by")
    if decision not in _REVIEW_OUTCOMES:
        raise ReviewError("Choose approve, request_changes or reject.", field="decision")
    if disclosure_label in (None, ""):
        disclosure_label = None
    elif disclosure_label not in Track.Disclosure.values:
        raise ReviewError("Choose ai_generated, ai_assisted or human_made.", field="disclosure_label")
    reason = _reason(reason, required=decision != Decision.APPROVE, what="the track is not approved")
    track = Track.objects.select_for_update().select_related("creator").get(pk=track.pk)
    if track.creator.user_id == by.pk:
        raise NotAllowed("A reviewer does not decide on their own tracks.", field="by")
    if track.status != Track.Status.IN_REVIEW:
        raise ReviewError(
            f"This track is {track.get_status_display().lower()}, not in review.", field="status"
        )
    return _record(
        track=track,
        by=by,
        decision=decision,
        reason=reason,
        status=_REVIEW_OUTCOMES[decision],
        label=disclosure_label or track.disclosure_label,
    )


@transaction.atomic
def track_take_down(*, track: Track, by: User, reason: str) -> ReviewDecision:
    """Staff take a track out of the catalog (an infringement claim, a false label). Licenses already
    sold stay valid; verification says the track was taken down."""
    if not may_take_down(by):
        raise NotAllowed("Only staff take tracks down.", field="by")
    reason = _reason(reason, required=True, what="the track is taken down")
    track = Track.objects.select_for_update().get(pk=track.pk)
    if track.status not in TAKE_DOWN_FROM:
        raise ReviewError(f"This track is {track.get_status_display().lower()}, not on sale.", field="status")
    return _record(
        track=track,
        by=by,
        decision=Decision.TAKE_DOWN,
        reason=reason,
        status=Track.Status.TAKEN_DOWN,
        label=track.disclosure_label,
    )


@transaction.atomic
def track_withdraw(*, track: Track, by: User, reason: str = "") -> ReviewDecision:
    """The creator takes their published track off sale. Licenses already sold stay valid."""
    track = Track.objects.select_for_update().select_related("creator").get(pk=track.pk)
    if by is None or track.creator.user_id != by.pk:
        raise NotAllowed("Only the track's creator withdraws it.", field="by")
    if track.status != Track.Status.PUBLISHED:
        raise ReviewError("Only a published track can be withdrawn.", field="status")
    return _record(
        track=track,
        by=by,
        decision=Decision.WITHDRAW,
        reason=_reason(reason, required=False, what=""),
        status=Track.Status.WITHDRAWN,
        label=track.disclosure_label,
    )
