"""The review desk's API: the queue and decisions, for reviewers only, errors naming the field."""

from __future__ import annotations

import pytest

from catalog.models import ReviewDecision, Track

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/review/queue/"


def _decision_url(track: Track) -> str:
    return f"/api/v1/review/tracks/{track.slug}/decision/"


def test_it_lists_the_queue_oldest_first_with_provenance_checks_and_duplicates(api, reviewer, in_review):
    first, twin = in_review("heist"), in_review("heist", title="Night Vault Again")
    api.force_authenticate(reviewer)

    body = api.get(QUEUE).json()

    assert [t["slug"] for t in body["results"]] == [first.slug, twin.slug]
    item = body["results"][1]
    assert item["provenance"]["source"] == "engine" and item["provenance"]["seed"] is not None
    assert item["duplicates"][0]["match"]["slug"] == first.slug and item["duplicates"][0]["kind"] == "exact"
    checks = {c["name"]: c["ok"] for c in item["checks"]}
    assert checks == {"Files match the record": True, "Label fits the engine": True, "Duplicates": False}
    assert item["submitted_at"] and item["disclosure_label"] == "ai_generated"


def test_the_queue_is_refused_to_anyone_but_reviewers(api, buyer, creator):
    assert api.get(QUEUE).status_code in (401, 403)
    for user in (buyer, creator.user):
        api.force_authenticate(user)
        assert api.get(QUEUE).status_code == 403


def test_a_reviewer_approves_through_the_api(api, reviewer, in_review):
    track = in_review("heist")
    api.force_authenticate(reviewer)

    response = api.post(_decision_url(track), {"decision": "approve", "disclosure_label": "ai_generated"})

    assert response.status_code == 201, response.content
    assert response.json()["status_after"] == "published"
    track.refresh_from_db()
    assert track.status == Track.Status.PUBLISHED


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "decision"),
        ({"decision": "publish"}, "decision"),
        ({"decision": "reject"}, "reason"),
        ({"decision": "reject", "reason": "x" * 2001}, "reason"),
        ({"decision": "approve", "disclosure_label": "robot"}, "disclosure_label"),
    ],
)
def test_bad_input_gets_400_naming_the_field(api, reviewer, in_review, payload, field):
    track = in_review("heist")
    api.force_authenticate(reviewer)

    response = api.post(_decision_url(track), payload, format="json")

    assert response.status_code == 400 and field in response.json()
    assert not ReviewDecision.objects.exists()


def test_a_decision_without_the_permission_gets_403(api, creator, stranger, in_review):
    track = in_review("heist")
    api.force_authenticate(stranger)
    assert api.post(_decision_url(track), {"decision": "approve"}).status_code == 403
    track.refresh_from_db()
    assert track.status == Track.Status.IN_REVIEW


def test_a_decision_on_a_published_track_names_the_status(api, reviewer, make_track):
    api.force_authenticate(reviewer)
    response = api.post(_decision_url(make_track("heist")), {"decision": "approve"})
    assert response.status_code == 400 and "status" in response.json()


def test_an_unknown_track_is_404(api, reviewer):
    api.force_authenticate(reviewer)
    response = api.post("/api/v1/review/tracks/no-such-track/decision/", {"decision": "approve"})
    assert response.status_code == 404


def test_staff_take_a_track_down_through_the_api(api, reviewer, buyer, make_track):
    track = make_track("heist")
    url = f"/api/v1/review/tracks/{track.slug}/take-down/"
    api.force_authenticate(buyer)
    assert api.post(url, {"reason": "x"}).status_code == 403
    api.force_authenticate(reviewer)
    missing = api.post(url, {})
    assert missing.status_code == 400 and "reason" in missing.json()

    response = api.post(url, {"reason": "Rights claim"})

    assert response.status_code == 201 and response.json()["status_after"] == "taken_down"


def test_the_creator_withdraws_through_the_api(api, creator, stranger, make_track):
    track = make_track("heist")
    url = f"/api/v1/tracks/{track.slug}/withdraw/"
    api.force_authenticate(stranger)
    assert api.post(url).status_code == 403
    api.force_authenticate(creator.user)
    assert api.post(url).json()["status_after"] == "withdrawn"
    again = api.post(url)
    assert again.status_code == 400 and "status" in again.json()
