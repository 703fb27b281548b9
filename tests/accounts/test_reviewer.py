import pytest
from django.contrib.auth.models import Group

from accounts import selectors, services
from accounts.models import User

pytestmark = pytest.mark.django_db


def test_a_reviewer_holds_the_review_permission_through_the_group(reviewer):
    assert reviewer.has_perm("catalog.review_track")
    assert selectors.is_reviewer(reviewer)
    assert not reviewer.user_permissions.exists()
    assert list(reviewer.groups.values_list("name", flat=True)) == ["Reviewers"]


def test_buyers_and_creators_are_not_reviewers(buyer, creator):
    assert not selectors.is_reviewer(buyer)
    assert not selectors.is_reviewer(creator)


def test_the_group_is_made_once(db):
    first, second = services.reviewer_group(), services.reviewer_group()
    assert first == second
    assert Group.objects.filter(name="Reviewers").count() == 1
    assert list(first.permissions.values_list("codename", flat=True)) == ["review_track"]


def test_revoking_takes_the_role_away(reviewer):
    services.reviewer_revoke(user=reviewer)
    assert not selectors.is_reviewer(User.objects.get(pk=reviewer.pk))


def test_an_inactive_reviewer_reviews_nothing(reviewer):
    reviewer.is_active = False
    assert not selectors.is_reviewer(reviewer)
