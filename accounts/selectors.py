"""Reads of the accounts room: who a user is and which roles they hold."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from accounts.models import CreatorProfile, User


def is_reviewer(user: User | AnonymousUser) -> bool:
    """Reviewers hold the catalog's review permission, normally through the "Reviewers" group."""
    return bool(user.is_authenticated and user.is_active and user.has_perm("catalog.review_track"))


def is_creator(user: User | AnonymousUser) -> bool:
    return creator_profile_for(user=user) is not None


def creator_profile_for(*, user: User | AnonymousUser) -> CreatorProfile | None:
    if not user.is_authenticated:
        return None
    try:
        return user.creator_profile
    except CreatorProfile.DoesNotExist:
        return None


@dataclass(frozen=True)
class AccountSummary:
    email: str
    is_creator: bool
    creator_slug: str | None
    is_reviewer: bool


def account_summary(*, user: User) -> AccountSummary:
    """What a client needs to know about the signed-in user to decide what to offer them."""
    profile = creator_profile_for(user=user)
    return AccountSummary(
        email=user.email,
        is_creator=profile is not None,
        creator_slug=profile.slug if profile else None,
        is_reviewer=is_reviewer(user),
    )
