"""The review desk's pages: the queue for reviewers, decisions from it, what the creator and the
track page show afterwards, takedowns and withdrawals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog import review
from catalog.models import Track

pytestmark = pytest.mark.django_db

QUEUE = "/review/"


def test_the_queue_shows_everything_a_decision_needs(client, reviewer, in_review):
    first = in_review("heist")
    twin = in_review("heist", title="Vault Copy")
    client.force_login(reviewer)

    html = client.get(QUEUE).content.decode()

    assert html.index(first.title) < html.index("Vault Copy")  # oldest first
    assert "Provenance" in html and "Automated checks" in html and "Files match the record" in html
    assert f'href="/tracks/{first.slug}/"' in html and "Exact duplicate" in html
    assert "dark pulsing synth bass" in html  # the prompt on the provenance card
    assert twin.preview.url in html  # the player
    assert f'name="t{twin.pk}-decision"' in html


def test_the_queue_is_for_reviewers_only(client, buyer, reviewer):
    assert reverse("accounts:login") in client.get(QUEUE).url
    client.force_login(buyer)
    assert client.get(QUEUE).status_code == 403
    assert 'href="/review/"' not in client.get("/").content.decode()
    client.force_login(reviewer)
    assert 'href="/review/"' in client.get("/").content.decode()


def test_a_reviewer_approves_from_the_queue(client, reviewer, in_review):
    track = in_review("heist")
    client.force_login(reviewer)

    response = client.post(
        reverse("catalog:review_decide", args=[track.slug]),
        {f"t{track.pk}-decision": "approve", f"t{track.pk}-disclosure_label": "ai_generated"},
        follow=True,
    )

    track.refresh_from_db()
    assert track.status == Track.Status.PUBLISHED
    assert "Approved: “Night Vault”." in response.content.decode()


def test_a_request_for_changes_without_a_message_is_shown_on_the_form(client, reviewer, in_review):
    track = in_review("heist")
    client.force_login(reviewer)

    response = client.post(
        reverse("catalog:review_decide", args=[track.slug]), {f"t{track.pk}-decision": "request_changes"}
    )

    assert response.status_code == 400
    assert "Say why the track is not approved" in response.content.decode()
    track.refresh_from_db()
    assert track.status == Track.Status.IN_REVIEW


def test_the_creator_reads_the_reviewers_message_on_their_draft(client, reviewer, creator, in_review):
    track = in_review("heist")
    review.review_decide(track=track, by=reviewer, decision="request_changes", reason="Add a description.")
    client.force_login(creator.user)

    html = client.get(reverse("generation:draft", args=[track.slug])).content.decode()

    assert "Changes requested by the review team" in html and "Add a description." in html
    assert "Submit for review" in html


def test_the_track_page_shows_the_review_status(client, creator, in_review):
    track = in_review("heist")
    client.force_login(creator.user)
    html = client.get(reverse("catalog:track", args=[track.slug])).content.decode()
    assert "<dt>Review status</dt><dd>In review</dd>" in html


def test_staff_take_a_track_down_from_its_page(client, reviewer, buyer, make_track):
    track = make_track("heist")
    client.force_login(buyer)
    assert "Take down" not in client.get(reverse("catalog:track", args=[track.slug])).content.decode()
    assert client.post(reverse("catalog:take_down", args=[track.slug]), {"reason": "x"}).status_code == 403

    client.force_login(reviewer)
    assert "Take down" in client.get(reverse("catalog:track", args=[track.slug])).content.decode()
    response = client.post(
        reverse("catalog:take_down", args=[track.slug]), {"reason": "Rights claim"}, follow=True
    )

    track.refresh_from_db()
    assert track.status == Track.Status.TAKEN_DOWN
    assert "Taken down. Licenses already sold stay valid." in response.content.decode()


def test_a_takedown_without_a_reason_is_refused(client, reviewer, make_track):
    track = make_track("heist")
    client.force_login(reviewer)
    response = client.post(reverse("catalog:take_down", args=[track.slug]), {"reason": ""}, follow=True)
    assert "Say why the track is taken down" in response.content.decode()
    track.refresh_from_db()
    assert track.status == Track.Status.PUBLISHED


def test_the_creator_withdraws_from_their_draft_page(client, creator, make_track):
    track = make_track("heist")
    client.force_login(creator.user)
    draft_url = reverse("generation:draft", args=[track.slug])
    assert "Withdraw from sale" in client.get(draft_url).content.decode()

    response = client.post(reverse("catalog:withdraw", args=[track.slug]), {"next": draft_url}, follow=True)

    track.refresh_from_db()
    assert track.status == Track.Status.WITHDRAWN
    assert "Withdrawn from sale" in response.content.decode()


def test_another_user_cannot_withdraw_a_track(client, stranger, make_track):
    track = make_track("heist")
    client.force_login(stranger)
    assert client.post(reverse("catalog:withdraw", args=[track.slug])).status_code == 403


def test_the_queue_costs_the_same_queries_however_long_it_is(client, reviewer, in_review):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    in_review("heist")
    client.force_login(reviewer)
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as one:
        client.get(QUEUE)
    in_review("piano")
    in_review("heist", title="Vault Copy")
    with CaptureQueriesContext(connection) as three:
        html = client.get(QUEUE).content.decode()
    assert html.count('class="card review-item"') == 3
    assert len(three) == len(one)


def test_staff_read_the_review_history_in_the_admin(client, reviewer, in_review):
    from accounts.models import User

    track = in_review("heist")
    review.review_decide(track=track, by=reviewer, decision="reject", reason="Wrong label")
    admin = User.objects.create_superuser("admin@example.com", "pass-for-tests-1")
    client.force_login(admin)
    html = client.get(reverse("admin:catalog_track_change", args=[track.pk])).content.decode()
    assert "Wrong label" in html


def test_the_creator_reads_why_their_track_was_taken_down(client, reviewer, creator, make_track):
    track = make_track("heist")
    client.force_login(creator.user)
    assert "review-note" not in client.get(reverse("catalog:track", args=[track.slug])).content.decode()
    review.track_take_down(track=track, by=reviewer, reason="Rights claim from a label")

    html = client.get(reverse("catalog:track", args=[track.slug])).content.decode()

    assert "Taken down by the review team" in html and "Rights claim from a label" in html
