"""Reads of generation jobs, shaped for the studio and the API."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone

from accounts.models import User
from generation.models import GenerationJob, JobVariation


def _with_variations(qs: QuerySet[GenerationJob]) -> QuerySet[GenerationJob]:
    variations = JobVariation.objects.select_related("track", "track__creator", "edit").order_by("index")
    return qs.select_related("parent_track").prefetch_related(Prefetch("variation_set", queryset=variations))


def jobs_of(*, user: User, active_only: bool = False) -> QuerySet[GenerationJob]:
    """The user's jobs, newest first, with their variations and what they made."""
    qs = GenerationJob.objects.filter(owner=user)
    if active_only:
        qs = qs.filter(status__in=GenerationJob.ACTIVE)
    return _with_variations(qs)


def job_get(*, pk: object, user: User) -> GenerationJob | None:
    """One job for its owner or staff; None for anyone else (they must not learn that it exists)."""
    try:
        job_id = uuid.UUID(str(pk))
    except ValueError:
        return None
    qs = GenerationJob.objects.filter(pk=job_id)
    if not user.is_staff:
        qs = qs.filter(owner=user)
    return _with_variations(qs).first()


def active_job_count(*, user: User) -> int:
    return GenerationJob.objects.filter(owner=user, status__in=GenerationJob.ACTIVE).count()


def audio_seconds_today(*, user: User) -> float:
    """Seconds of audio the user asked for in the last 24 hours (failed and cancelled jobs don't count)."""
    since = timezone.now() - timedelta(hours=24)
    total = (
        GenerationJob.objects.filter(owner=user, created_at__gte=since)
        .exclude(status__in=(GenerationJob.Status.FAILED, GenerationJob.Status.CANCELLED))
        .aggregate(total=Sum("audio_seconds"))["total"]
    )
    return float(total or 0.0)
