"""Every write of the accounts room: sign-up, creator profiles, the reviewer role and API tokens."""

from __future__ import annotations

import logging
import secrets
from functools import partial

from django.contrib.auth import authenticate
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email, validate_slug
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.text import slugify
from rest_framework.authtoken.models import Token

from accounts.avatars import avatar_extension, avatar_render
from accounts.errors import (
    AccountsError,
    EmailTaken,
    InvalidCredentials,
    SlugTaken,
    WeakPassword,
)
from accounts.models import CreatorProfile, User

logger = logging.getLogger(__name__)

REVIEWERS_GROUP = "Reviewers"
# Named by string: the permission belongs to the catalog room, which sits above this one.
REVIEW_PERMISSION = ("catalog", "track", "review_track", "Can review tracks and their disclosure labels")


@transaction.atomic
def user_signup(*, email: str, password: str) -> User:
    """Create a buyer account. Every user can buy; becoming a creator or reviewer comes later."""
    email = User.objects.canonical_email(email)
    try:
        validate_email(email)
    except ValidationError as exc:
        raise AccountsError("Enter a valid email address.", field="email") from exc
    if User.objects.filter(email__iexact=email).exists():
        raise EmailTaken("An account with this email already exists. Log in or reset your password.")
    try:
        validate_password(password, user=User(email=email))
    except ValidationError as exc:
        raise WeakPassword(list(exc.messages)) from exc
    try:
        # A savepoint, so a concurrent sign-up with the same email leaves the caller's transaction usable.
        with transaction.atomic():
            return User.objects.create_user(email, password)
    except IntegrityError as exc:
        raise EmailTaken("An account with this email already exists. Log in or reset your password.") from exc


def creator_profile_save(
    *,
    user: User,
    display_name: str,
    slug: str,
    bio: str,
    avatar: UploadedFile | None = None,
    remove_avatar: bool = False,
) -> CreatorProfile:
    """Create the user's creator profile, or update it.

    An empty slug keeps the current one, or for a new profile is derived from the display name with a
    numeric suffix when taken. A new avatar is made square (256x256) before anything is written; the old
    file is deleted only once the row pointing at the new one has committed, and a failure leaves no new
    file behind.
    """
    display_name = display_name.strip()
    if not display_name:
        raise AccountsError("Enter the name buyers will see.", field="display_name")
    slug = slug.strip().lower()
    if slug:
        try:
            validate_slug(slug)
        except ValidationError as exc:
            raise AccountsError("Use only letters, numbers, hyphens and underscores.", field="slug") from exc
    # Decode and re-encode first: a bad image fails here, before any row or file is touched.
    rendered = avatar_render(avatar, size=avatar.size) if avatar is not None else None

    storage = _avatar_storage()
    new_name = ""
    try:
        with transaction.atomic():
            profile = CreatorProfile.objects.select_for_update().filter(user=user).first()
            if profile is None:
                profile = CreatorProfile(user=user)
            old_name = profile.avatar.name or ""
            slug = slug or profile.slug or _slug_from(display_name)
            if CreatorProfile.objects.filter(slug=slug).exclude(user=user).exists():
                raise SlugTaken("This address is taken. Try another.")
            profile.display_name = display_name
            profile.slug = slug
            profile.bio = bio.strip()
            if rendered is not None:
                new_name = storage.save(
                    f"avatars/{secrets.token_hex(8)}.{avatar_extension()}", ContentFile(rendered)
                )
                profile.avatar.name = new_name
            elif remove_avatar:
                profile.avatar.name = ""
            profile.save()
            if old_name and old_name != profile.avatar.name:
                transaction.on_commit(partial(_delete_quietly, storage, old_name))
    except IntegrityError as exc:
        _delete_quietly(storage, new_name)
        # Lost a race: someone took the slug (or the same user saved twice) between the check and the write.
        if CreatorProfile.objects.filter(slug=slug).exclude(user=user).exists():
            raise SlugTaken("This address is taken. Try another.") from exc
        raise AccountsError("Your profile changed while saving. Please try again.") from exc
    except BaseException:
        _delete_quietly(storage, new_name)
        raise
    return profile


def _slug_from(display_name: str) -> str:
    base = slugify(display_name)[:50].strip("-_") or "creator"
    taken = set(CreatorProfile.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    for n in range(2, 100):
        if f"{base}-{n}" not in taken:
            return f"{base}-{n}"
    return f"{base}-{secrets.token_hex(4)}"


def _avatar_storage() -> Storage:
    return CreatorProfile._meta.get_field("avatar").storage


def _delete_quietly(storage: Storage, name: str) -> None:
    if not name:
        return
    try:
        storage.delete(name)
    except OSError:
        # A file left behind costs some disk; failing the request over it would cost the user their edit.
        logger.warning("could not delete avatar file %s", name, exc_info=True)


@transaction.atomic
def reviewer_group() -> Group:
    """The "Reviewers" group, holding the permission to review tracks; created if missing."""
    app_label, model, codename, name = REVIEW_PERMISSION
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    group, _ = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    group.permissions.add(permission)
    return group


@transaction.atomic
def reviewer_grant(*, user: User) -> None:
    """Make the user a reviewer, through the group so the role can be audited and revoked in one place."""
    user.groups.add(reviewer_group())


@transaction.atomic
def reviewer_revoke(*, user: User) -> None:
    """Take the reviewer role away (a permission granted to the user directly is left for staff to see)."""
    user.groups.remove(reviewer_group())


@transaction.atomic
def auth_token_issue(*, email: str, password: str, request: HttpRequest | None = None) -> Token:
    """The user's API token, created on first use, for an email and password that sign in."""
    user = authenticate(request, username=User.objects.canonical_email(email), password=password)
    if user is None:
        raise InvalidCredentials("Unable to log in with the email and password given.")
    token, _ = Token.objects.get_or_create(user=user)
    return token
