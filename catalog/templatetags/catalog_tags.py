"""Template filters for catalog pages: cue lengths, vocabulary labels, disclosure explanations."""

from __future__ import annotations

from django import template
from django.contrib.auth.models import Permission
from django.db.models import Q

from catalog import pages, selectors
from catalog.taxonomy import label

register = template.Library()


@register.filter
def mmss(seconds: float | None) -> str:
    return pages.duration_text(seconds)


@register.filter
def vocab(value: str) -> str:
    return label(value) if value else ""


@register.filter
def vocab_list(values: list[str] | None) -> str:
    return ", ".join(label(v) for v in values or ())


@register.filter
def disclosure_help(value: str) -> str:
    return pages.DISCLOSURE_HELP.get(value, "")


@register.simple_tag
def review_note_for(track):
    """The latest review decision the track's creator should read (see selectors.review_note)."""
    return selectors.review_note(track=track)


@register.simple_tag(takes_context=True)
def shows_review_desk(context) -> bool:
    """Whether the header links the review desk for this user: one query, where Django's permission
    check (`perms`) would load every permission of the user and of their groups in two."""
    user = context.get("user")
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return Permission.objects.filter(
        Q(group__user=user) | Q(user=user), codename="review_track", content_type__app_label="catalog"
    ).exists()
