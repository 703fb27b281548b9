"""The review desk's decisions: who may make them, what each does to the track, and the record kept."""

from __future__ import annotations

import pytest

from catalog import review, selectors, services
from catalog.errors import CatalogError, NotAllowed, ReviewError
from catalog.models import ReviewDecision, Track

pytestmark = pytest.mark.django_db


def test_it_puts_a_submitted_draft_in_the_queue_oldest_first(in_review):
    first, second = in_review("heist"), in_review("piano")
    assert first.status == Track.Status.IN_REVIEW
    assert list(selectors.review_queue()) == [first, second]


def test_it_publishes_an_approved_track_and_records_who_when_what(in_review, reviewer):
    track = in_review("heist")

    decision = review.review_decide(track=track, by=reviewer, decision="approve")

    track.refresh_from_db()
    assert track.status == Track.Status.PUBLISHED and track.published_at
    assert (decision.by, decision.decision, decision.status_before, decision.status_after) == (
        reviewer,
        "approve",
        "in_review",
        "published",
    )
    assert decision.created_at and list(selectors.review_queue()) == []


def test_it_sends_a_track_back_with_the_message_the_creator_reads(in_review, reviewer):
    track = in_review("heist")

    review.review_decide(
        track=track, by=reviewer, decision="request_changes", reason="Trim the silent intro."
    )

    track.refresh_from_db()
    assert track.status == Track.Status.DRAFT
    note = selectors.review_note(track=track)
    assert note.reason == "Trim the silent intro." and note.decision == "request_changes"
    services.track_submit(track=track)  # the creator submits again
    track.refresh_from_db()
    assert track.status == Track.Status.IN_REVIEW and selectors.review_note(track=track) is None


def test_it_rejects_with_a_reason_and_corrects_the_label(in_review, reviewer):
    track = in_review("heist", disclosure_label="human_made")

    decision = review.review_decide(
        track=track,
        by=reviewer,
        decision="reject",
        reason="Engine-made audio.",
        disclosure_label="ai_generated",
    )

    track.refresh_from_db()
    assert track.status == Track.Status.REJECTED and track.disclosure_label == "ai_generated"
    assert (decision.label_before, decision.label_after) == ("human_made", "ai_generated")


def test_an_approval_may_correct_the_label_too(in_review, reviewer):
    track = in_review("heist", disclosure_label="ai_assisted")
    review.review_decide(track=track, by=reviewer, decision="approve", disclosure_label="ai_generated")
    track.refresh_from_db()
    assert (track.status, track.disclosure_label) == ("published", "ai_generated")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"decision": "publish"}, "decision"),
        ({"decision": "reject", "reason": "  "}, "reason"),
        ({"decision": "request_changes"}, "reason"),
        ({"decision": "approve", "disclosure_label": "robot"}, "disclosure_label"),
        ({"decision": "approve", "reason": "x" * 2001}, "reason"),
        ({"decision": "approve", "reason": 12}, "reason"),
    ],
)
def test_it_refuses_bad_input_naming_the_field_and_changes_nothing(in_review, reviewer, changes, field):
    track = in_review("heist")

    with pytest.raises(ReviewError) as refused:
        review.review_decide(track=track, by=reviewer, **changes)

    assert refused.value.field == field
    track.refresh_from_db()
    assert track.status == Track.Status.IN_REVIEW and not ReviewDecision.objects.exists()


def test_only_reviewers_decide_and_never_on_their_own_tracks(in_review, stranger, creator):
    from accounts import services as accounts_services

    track = in_review("heist")
    with pytest.raises(NotAllowed):
        review.review_decide(track=track, by=stranger, decision="approve")
    accounts_services.reviewer_grant(user=creator.user)
    with pytest.raises(NotAllowed):
        review.review_decide(track=track, by=creator.user, decision="approve")
    track.refresh_from_db()
    assert track.status == Track.Status.IN_REVIEW


def test_a_track_not_in_review_cannot_be_decided_on(make_track, reviewer):
    with pytest.raises(ReviewError) as refused:
        review.review_decide(track=make_track("heist", publish=False), by=reviewer, decision="approve")
    assert refused.value.field == "status"


def test_a_decision_is_never_edited_or_deleted(in_review, reviewer):
    decision = review.review_decide(track=in_review("heist"), by=reviewer, decision="approve")
    decision.reason = "changed"
    with pytest.raises(ValueError):
        decision.save()
    with pytest.raises(ValueError):
        decision.delete()
    assert ReviewDecision.objects.get().reason == ""


def test_staff_take_a_track_down_with_a_reason(make_track, reviewer):
    track = make_track("heist")
    with pytest.raises(ReviewError) as refused:
        review.track_take_down(track=track, by=reviewer, reason="")
    assert refused.value.field == "reason"

    decision = review.track_take_down(track=track, by=reviewer, reason="Infringement claim")

    track.refresh_from_db()
    assert track.status == Track.Status.TAKEN_DOWN and decision.decision == "take_down"
    assert selectors.track_get(slug=track.slug, user=reviewer) is not None


def test_a_buyer_cannot_take_a_track_down(make_track, buyer):
    track = make_track("heist")
    with pytest.raises(NotAllowed):
        review.track_take_down(track=track, by=buyer, reason="I do not like it")
    track.refresh_from_db()
    assert track.status == Track.Status.PUBLISHED


def test_the_creator_withdraws_their_published_track_and_no_one_else_can(make_track, creator, stranger):
    track = make_track("heist")
    with pytest.raises(NotAllowed):
        review.track_withdraw(track=track, by=stranger)

    review.track_withdraw(track=track, by=creator.user)

    track.refresh_from_db()
    assert track.status == Track.Status.WITHDRAWN
    with pytest.raises(CatalogError):
        review.track_withdraw(track=track, by=creator.user)
