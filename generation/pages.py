"""How the studio lays out jobs, drafts and custom edits on its pages, and the state its script polls.

Presentation over data the selectors loaded, plus the custom-edit panel the track page shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.timesince import timesince

from accounts.models import User
from catalog.models import Track, TrackEdit
from generation import selectors
from generation.engine import ENGINE_NAME
from generation.forms import EditForm
from generation.models import GenerationJob, JobVariation

# Prompts a creator can start from: each fills the prompt box.
EXAMPLE_PROMPTS = (
    "Tense night-time heist, pulsing synth bass and ticking percussion, 100 bpm in D minor",
    "Sunny travel vlog with acoustic guitar, claps and a whistled melody",
    "Calm, reflective solo piano under an interview",
    "Epic trailer build with brass and taiko drums, ending on a big hit",
    "Lo-fi study beat with dusty electric piano, 80 bpm",
    "Bright, hopeful corporate background for a product demo",
)

RECENT_JOBS = 20
# Library tabs always shown; the other statuses get a tab once a track has them.
LIBRARY_TABS = (Track.Status.DRAFT, Track.Status.IN_REVIEW, Track.Status.PUBLISHED, Track.Status.REJECTED)


@dataclass(frozen=True)
class EditPreview:
    """A custom edit as the audition player reads a track: a title, a length, a preview and peaks."""

    title: str
    duration: float
    preview: FieldFile
    peaks: FieldFile
    hits: list[float]


def edit_preview(edit: TrackEdit, parent_title: str) -> EditPreview:
    minutes, seconds = divmod(round(edit.duration), 60)
    return EditPreview(
        title=f"{parent_title}, {minutes}:{seconds:02d} edit",
        duration=edit.duration,
        preview=edit.preview,
        peaks=edit.peaks,
        hits=list(edit.hits or []),
    )


def is_engine_made(track: Track) -> bool:
    provenance = getattr(track, "provenance", None)
    return provenance is not None and provenance.engine == ENGINE_NAME


def variation_state(job: GenerationJob, variation: JobVariation) -> str:
    """The words under a variation's progress bar."""
    if variation.status == JobVariation.Status.PENDING:
        if not job.is_active:
            return "Not made"
        return "Waiting for a worker" if job.status == GenerationJob.Status.QUEUED else "Up next"
    if variation.status == JobVariation.Status.RUNNING:
        return variation.stage_label
    return variation.get_status_display()


def age_text(when: datetime) -> str:
    """How long ago, the way the studio says it: "just now", "5 minutes ago"."""
    if timezone.now() - when < timedelta(minutes=1):
        return "just now"
    return f"{timesince(when).split(',')[0]} ago"


def job_context(job: GenerationJob) -> dict:
    job.age = age_text(job.created_at)
    variations = list(job.variation_set.all())
    for variation in variations:
        variation.state_label = variation_state(job, variation)
        variation.percent = round(variation.progress * 100)
        variation.preview = (
            edit_preview(variation.edit, job.parent_track.title if job.parent_track else "Edit")
            if variation.edit_id
            else None
        )
    return {"job": job, "variations": variations}


def render_job(request: HttpRequest, job: GenerationJob) -> str:
    return render_to_string("generation/_job.html", job_context(job), request=request)


def job_state(request: HttpRequest, job: GenerationJob) -> dict:
    """What the studio's script needs to move a job's bars, and the markup of what changed state."""
    context = job_context(job)
    head = render_to_string("generation/_job_head.html", context, request=request)
    variations = []
    for variation in context["variations"]:
        item = {
            "index": variation.index,
            "status": variation.status,
            "stage": variation.stage,
            "label": variation.state_label,
            "progress": variation.progress,
        }
        if variation.status not in (JobVariation.Status.PENDING, JobVariation.Status.RUNNING):
            item["html"] = render_to_string(
                "generation/_variation.html", {"job": job, "variation": variation}, request=request
            )
        variations.append(item)
    return {
        "id": str(job.pk),
        "status": job.status,
        "active": job.is_active,
        "stage": job.stage,
        "stage_label": job.stage_label,
        "progress": job.progress,
        "error_code": job.error_code,
        "error_message": job.error_message,
        "head": head,
        "variations": variations,
    }


def quota_usage(user: User) -> dict:
    return {
        "active": selectors.active_job_count(user=user),
        "active_limit": settings.GENERATION_MAX_ACTIVE_JOBS,
        "seconds": round(selectors.audio_seconds_today(user=user)),
        "seconds_limit": settings.GENERATION_DAILY_AUDIO_SECONDS,
    }


def library_tabs(counts: dict[str, int], current: str) -> list[dict]:
    labels = dict(Track.Status.choices)
    shown = [s for s in Track.Status.values if s in LIBRARY_TABS or counts.get(s)]
    tabs = [
        {
            "status": status,
            "label": labels[status],
            "count": counts.get(status, 0),
            "current": status == current,
            "url": f"{reverse('generation:library')}?status={status}",
        }
        for status in shown
    ]
    tabs.append(
        {
            "status": "all",
            "label": "All",
            "count": sum(counts.values()),
            "current": current == "all",
            "url": f"{reverse('generation:library')}?status=all",
        }
    )
    return tabs


def edit_panel(request: HttpRequest, track: Track) -> dict | None:
    """The custom-edit panel of a track page: for published tracks the engine made."""
    if track.status != Track.Status.PUBLISHED or not is_engine_made(track):
        return None
    context: dict = {"track": track, "action": reverse("generation:edit", args=[track.slug])}
    if not request.user.is_authenticated:
        back = reverse("catalog:track", args=[track.slug])
        context["login_url"] = f"{reverse('accounts:login')}?{urlencode({'next': back})}"
        return context
    jobs = selectors.jobs_of(user=request.user).filter(kind=GenerationJob.Kind.EDIT, parent_track=track)[:10]
    context["form"] = EditForm(initial={"duration": round(track.duration)})
    context["jobs"] = [job_context(job) for job in jobs]
    return context
