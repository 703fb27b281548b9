"""Every write of the generation room: submitting, cancelling and retrying jobs, and running them.

A job is rendered by `job_run`, which the Celery task calls with the job's id. Each variation is rendered
into a temporary folder and handed to the catalog only when complete, under a key of its own, so a job
delivered twice, or re-run after its worker died, makes its tracks exactly once.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import tempfile
import threading
import uuid
from dataclasses import dataclass, field, replace
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from accounts.models import CreatorProfile, User
from catalog import selectors as catalog_selectors
from catalog import services as catalog_services
from catalog.errors import CatalogError
from catalog.models import Track
from generation import selectors
from generation.engine import (
    ENGINE_NAME,
    ENGINE_VERSION,
    Brief,
    BriefError,
    EngineError,
    generate,
    parse_prompt,
)
from generation.engine.prompt import DEFAULT_DURATION_S
from generation.engine.prompt.values import HIT_MARGIN_S
from generation.errors import GenerationError, JobCancelled, JobStateError, QuotaExceeded
from generation.models import GenerationJob, JobVariation

log = logging.getLogger(__name__)

# The explicit parameters a job may carry, passed to the prompt parser as overrides.
PARAMETERS = ("duration", "bpm", "key", "mode", "energy", "hits", "instruments")
MAX_VARIATIONS = 8
EDIT_MIN_S, EDIT_MAX_S = 5.0, 600.0
# Engine stages -> the stages a creator sees.
STAGES = {
    "compose": "compose",
    "render": "render",
    "master": "master",
    "cuts": "export",
    "loop": "export",
    "files": "export",
    "done": "export",
}


def _lease() -> timedelta:
    """How long a job stays with a worker that stopped renewing its claim (GENERATION_LEASE_SECONDS);
    the worker renews it at a third of that."""
    return timedelta(seconds=settings.GENERATION_LEASE_SECONDS)


@dataclass(frozen=True)
class JobRequest:
    """One job to submit: a prompt, its explicit parameters, how many variations, an optional seed."""

    prompt: str
    params: dict = field(default_factory=dict)
    variations: int = 1
    seed: int | None = None
    title: str = ""


@dataclass(frozen=True)
class RunOutcome:
    """What `job_run` did: the job's status afterwards, and when to try again if another worker holds it."""

    status: str
    retry_in: float | None = None


# --- submitting ------------------------------------------------------------------------------------


def resolve_brief(prompt: str, params: dict) -> Brief:
    """The Brief a prompt and its parameters make; GenerationError names the field that is wrong."""
    try:
        return parse_prompt(prompt, **{name: params.get(name) for name in PARAMETERS})
    except BriefError as exc:
        raise GenerationError(exc.message[:1].upper() + exc.message[1:], field=exc.field) from None


def _clean_params(params: dict) -> dict:
    unknown = sorted(set(params) - set(PARAMETERS))
    if unknown:
        raise GenerationError(f"Unknown parameter {unknown[0]!r}.", field=unknown[0])
    return {name: value for name, value in params.items() if value not in (None, "", [])}


def _check_variations(variations: object) -> int:
    if type(variations) is not int or not 1 <= variations <= MAX_VARIATIONS:
        raise GenerationError(f"Ask for 1 to {MAX_VARIATIONS} variations.", field="variations")
    return variations


def _check_seed(seed: object) -> int:
    if seed is None:
        return secrets.randbelow(2**32)
    if type(seed) is not int or not 0 <= seed < 2**32:
        raise GenerationError(f"The seed is a whole number from 0 to {2**32 - 1}.", field="seed")
    return seed


def _check_quota(owner: User, seconds: float, jobs: int) -> None:
    active = selectors.active_job_count(user=owner)
    limit = settings.GENERATION_MAX_ACTIVE_JOBS
    if active + jobs > limit:
        room = max(limit - active, 0)
        raise QuotaExceeded(
            f"You have {active} jobs queued or running and may have {limit} at once; "
            f"{'wait for one to finish or cancel one' if room == 0 else f'there is room for {room} more'}.",
            field="quota",
        )
    used = selectors.audio_seconds_today(user=owner)
    allowed = settings.GENERATION_DAILY_AUDIO_SECONDS
    if used + seconds > allowed:
        left = max(allowed - used, 0)
        raise QuotaExceeded(
            f"This asks for {seconds:.0f} s of audio, but {left:.0f} s of your {allowed} s "
            "for the last 24 hours are left. Ask for fewer or shorter variations, or wait.",
            field="quota",
        )


def _lock_owner(owner: User) -> None:
    """Serialise one owner's submissions, so two at once cannot both slip under the quota."""
    User.objects.select_for_update().filter(pk=owner.pk).first()


def _enqueue(job_id: uuid.UUID) -> None:
    from generation.tasks import run_job

    try:
        run_job.delay(str(job_id))
    except Exception as exc:  # the broker is down: say so on the job rather than leave it queued forever
        log.exception("could not queue generation job %s", job_id)
        GenerationJob.objects.filter(pk=job_id, status=GenerationJob.Status.QUEUED).update(
            status=GenerationJob.Status.FAILED,
            error_code="queue_unavailable",
            error_message=f"The job could not be queued ({exc.__class__.__name__}). Retry it in a moment.",
            finished_at=timezone.now(),
        )


def _create(
    *, owner: User, creator: CreatorProfile | None, request: JobRequest, kind: str, parent: Track | None
) -> GenerationJob:
    job = GenerationJob.objects.create(
        kind=kind,
        owner=owner,
        creator=creator,
        parent_track=parent,
        prompt=request.prompt,
        parameters=request.params,
        seed=request.seed,
        variations=request.variations,
        audio_seconds=request.params["duration"] * request.variations,
        engine=ENGINE_NAME,
        engine_version=ENGINE_VERSION,
        title=request.title[:120],
    )
    JobVariation.objects.bulk_create(
        JobVariation(job=job, index=i, seed=(request.seed + i) % 2**32) for i in range(request.variations)
    )
    return job


def jobs_submit(
    *,
    owner: User,
    creator: CreatorProfile,
    requests: list[JobRequest],
    enqueue: bool = True,
    check_quota: bool = True,
) -> list[GenerationJob]:
    """Queue one job per request for `creator`'s library, all or none: every request is checked (prompt,
    parameters, variations, seed) and the quota covers them all before any is queued.

    Each job is handed to a worker after the transaction commits. Operators (generate_catalog) pass
    check_quota=False.
    """
    if creator.user_id != owner.pk:
        raise GenerationError("Only the creator themselves can make tracks for their library.")
    if not requests:
        raise GenerationError("Give at least one prompt.", field="prompt")
    checked = []
    for request in requests:
        params = _clean_params(dict(request.params))
        brief = resolve_brief(request.prompt, params)
        params["duration"] = brief.duration_s
        checked.append(
            replace(
                request,
                prompt=brief.prompt,
                params=params,
                variations=_check_variations(request.variations),
                seed=_check_seed(request.seed),
            )
        )
    seconds = sum(r.params["duration"] * r.variations for r in checked)
    with transaction.atomic():
        _lock_owner(owner)
        if check_quota:
            _check_quota(owner, seconds, len(checked))
        jobs = [
            _create(owner=owner, creator=creator, request=r, kind=GenerationJob.Kind.LIBRARY, parent=None)
            for r in checked
        ]
        if enqueue:
            for job in jobs:
                transaction.on_commit(partial(_enqueue, job.pk))
    return jobs


def job_submit(
    *,
    owner: User,
    creator: CreatorProfile,
    prompt: str,
    params: dict | None = None,
    variations: int = 1,
    seed: int | None = None,
    title: str = "",
    enqueue: bool = True,
) -> GenerationJob:
    """Queue one job of `variations` renderings of `prompt` (seeds seed, seed + 1, ...) for the library."""
    request = JobRequest(prompt=prompt, params=params or {}, variations=variations, seed=seed, title=title)
    return jobs_submit(owner=owner, creator=creator, requests=[request], enqueue=enqueue)[0]


def _draft_of(track: Track, owner: User) -> tuple[CreatorProfile, dict]:
    provenance = getattr(track, "provenance", None)
    if track.creator.user_id != owner.pk:
        raise GenerationError("Only the track's creator can make more of it.", field="track")
    if provenance is None or provenance.engine != ENGINE_NAME or not provenance.prompt:
        raise GenerationError("Only a track made by the engine can be re-generated.", field="track")
    brief = provenance.parameters.get("brief") or {}
    params = {
        "duration": brief.get("duration_s") or track.duration,
        "bpm": brief.get("bpm") or track.bpm,
        "key": brief.get("key") or track.key,
        "mode": brief.get("mode") or track.mode,
        "energy": brief.get("energy") or track.energy,
        "instruments": brief.get("instruments") or None,
    }
    return track.creator, params


def draft_more_like_this(*, track: Track, owner: User, variations: int = 4) -> GenerationJob:
    """New variations of a track: the same prompt and parameters, other seeds."""
    creator, params = _draft_of(track, owner)
    return job_submit(
        owner=owner, creator=creator, prompt=track.provenance.prompt, params=params, variations=variations
    )


def draft_regenerate(*, track: Track, owner: User) -> GenerationJob:
    """Render a track's prompt and parameters once more with a new seed."""
    creator, params = _draft_of(track, owner)
    return job_submit(
        owner=owner, creator=creator, prompt=track.provenance.prompt, params=params, title=track.title
    )


def _edit_brief(track: Track, duration: float, hits: list[float]) -> dict:
    provenance = getattr(track, "provenance", None)
    brief = (provenance.parameters.get("brief") if provenance else None) or None
    if provenance is None or provenance.engine != ENGINE_NAME or provenance.seed is None or brief is None:
        raise GenerationError("Custom edits are made only of tracks the engine made.", field="track")
    return {**brief, "duration_s": duration, "hits": hits}


def _check_edit(duration: object, hits: object) -> tuple[float, list[float]]:
    if isinstance(duration, bool) or not isinstance(duration, int | float):
        raise GenerationError("Give the length in seconds.", field="duration")
    if not EDIT_MIN_S <= duration <= EDIT_MAX_S:
        raise GenerationError(f"An edit is {EDIT_MIN_S:g} to {EDIT_MAX_S:g} seconds long.", field="duration")
    hits = hits or []
    if not isinstance(hits, list) or any(isinstance(h, bool) or not isinstance(h, int | float) for h in hits):
        raise GenerationError("Hit points are a list of seconds.", field="hits")
    if len(hits) > 32:
        raise GenerationError("Ask for at most 32 hit points.", field="hits")
    for hit in hits:
        if not HIT_MARGIN_S <= hit <= duration - HIT_MARGIN_S:
            raise GenerationError(
                f"Hit points lie between {HIT_MARGIN_S:g} s and {duration - HIT_MARGIN_S:g} s "
                f"of a {duration:g} s edit; {hit:g} s does not.",
                field="hits",
            )
    return round(float(duration), 3), sorted({round(float(h), 3) for h in hits})


def edit_submit(
    *, owner: User, track: Track, duration: float, hits: list[float] | None = None, enqueue: bool = True
) -> GenerationJob:
    """Queue a custom edit of a published engine-made track: the same brief and seed at another length,
    with hit points. Any logged-in user may ask; the edit is theirs alone."""
    if track.status != Track.Status.PUBLISHED:
        raise GenerationError("Custom edits are made only of tracks on sale.", field="track")
    duration, hits = _check_edit(duration, hits)
    brief = _edit_brief(track, duration, hits)
    request = JobRequest(
        prompt=track.provenance.prompt or track.title,
        params={"duration": duration, "hits": hits, "brief": brief},
        seed=track.provenance.seed,
    )
    with transaction.atomic():
        _lock_owner(owner)
        _check_quota(owner, duration, 1)
        job = _create(owner=owner, creator=None, request=request, kind=GenerationJob.Kind.EDIT, parent=track)
        if enqueue:
            transaction.on_commit(partial(_enqueue, job.pk))
    return job


# --- cancelling and retrying -----------------------------------------------------------------------


@transaction.atomic
def job_cancel(*, job: GenerationJob) -> GenerationJob:
    """Stop a queued or running job. A running render stops at its next stage (and clears its own
    temporary folder); variations already in the library stay there. A job no live worker holds may
    have been left mid-render by a worker that died: its temporary folders go once the cancel commits."""
    job = GenerationJob.objects.select_for_update().get(pk=job.pk)
    if not job.is_active:
        raise JobStateError(
            f"The job has {job.get_status_display().lower()}; only a queued or running job can be cancelled.",
            field="status",
        )
    if not job.is_held():
        transaction.on_commit(partial(_sweep_work_dir, job.pk))
    job.status = GenerationJob.Status.CANCELLED
    job.finished_at = timezone.now()
    job.lease_token = ""
    job.save()
    job.variation_set.filter(status__in=(JobVariation.Status.PENDING, JobVariation.Status.RUNNING)).update(
        status=JobVariation.Status.CANCELLED
    )
    return job


def job_retry(*, job: GenerationJob, enqueue: bool = True) -> GenerationJob:
    """Queue a failed or cancelled job again. Variations already made are kept, not rendered twice."""
    with transaction.atomic():
        _lock_owner(job.owner)
        job = GenerationJob.objects.select_for_update().get(pk=job.pk)
        if job.status not in (GenerationJob.Status.FAILED, GenerationJob.Status.CANCELLED):
            raise JobStateError("Only a failed or cancelled job can be retried.", field="status")
        _check_quota(job.owner, job.audio_seconds, 1)
        job.status = GenerationJob.Status.QUEUED
        job.stage = ""
        job.error_code = job.error_message = ""
        job.finished_at = None
        job.save()
        job.variation_set.exclude(status=JobVariation.Status.DONE).update(
            status=JobVariation.Status.PENDING, stage="", progress=0.0
        )
        if enqueue:
            transaction.on_commit(partial(_enqueue, job.pk))
    return job


# --- running ---------------------------------------------------------------------------------------


class _LeaseLost(Exception):
    """Another worker took the job over (this one was presumed dead): stop without writing more."""


class _Heartbeat(threading.Thread):
    """Renews a job's lease while its worker renders, from a thread of its own (renders are long)."""

    def __init__(self, job_id: uuid.UUID, token: str) -> None:
        super().__init__(daemon=True, name=f"lease-{job_id}")
        self.job_id, self.token = job_id, token
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(_lease().total_seconds() / 3):
                try:
                    GenerationJob.objects.filter(pk=self.job_id, lease_token=self.token).update(
                        lease_expires_at=timezone.now() + _lease()
                    )
                except Exception:  # a busy database: the next beat tries again
                    log.warning("could not renew the lease of job %s", self.job_id, exc_info=True)
        finally:
            connection.close()

    def __enter__(self) -> _Heartbeat:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stopped.set()
        self.join()


def _claim(job_id: object, token: str) -> tuple[GenerationJob | None, RunOutcome | None]:
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return None, RunOutcome("missing")
        if not job.is_active:  # finished, failed or cancelled: a late or second delivery
            return None, RunOutcome(job.status)
        now = timezone.now()
        if job.is_held(now):
            wait = (job.lease_expires_at - now).total_seconds() + 1.0
            return None, RunOutcome("busy", retry_in=round(wait, 1))
        job.status = GenerationJob.Status.RUNNING
        job.started_at = job.started_at or now
        job.attempts += 1
        job.stage = "prompt"
        job.lease_token = token
        job.lease_expires_at = now + _lease()
        job.save()
    return job, None


def _report(job: GenerationJob, variation: JobVariation, token: str, done: int):
    """The engine's progress callback: records stage and progress, and stops the render when the job
    was cancelled or taken over."""

    def progress(stage: str, fraction: float) -> None:
        status, holder = GenerationJob.objects.filter(pk=job.pk).values_list("status", "lease_token").get()
        if status == GenerationJob.Status.CANCELLED:
            raise JobCancelled()
        if holder != token:
            raise _LeaseLost()
        shown = STAGES.get(stage, "render")
        own = round(0.05 + 0.9 * max(0.0, min(fraction, 1.0)), 3)
        JobVariation.objects.filter(pk=variation.pk).update(stage=shown, progress=own)
        GenerationJob.objects.filter(pk=job.pk, lease_token=token).update(
            stage=shown, progress=round((done + own) / job.variations, 3)
        )

    return progress


def _brief_for(job: GenerationJob) -> Brief:
    if job.kind == GenerationJob.Kind.EDIT:
        data = dict(job.parameters["brief"])
        for name in ("moods", "instruments", "hits", "explicit"):
            data[name] = tuple(data.get(name) or ())
        return Brief(**data)
    return resolve_brief(job.prompt, {k: v for k, v in job.parameters.items() if k in PARAMETERS})


def _title(job: GenerationJob, index: int) -> str:
    base = job.title or catalog_services.default_title(job.prompt)
    return f"{base} (take {index + 1})" if job.variations > 1 else base


def _render(job: GenerationJob, variation: JobVariation, brief: Brief, token: str, done: int) -> None:
    key = variation.source_key
    is_edit = job.kind == GenerationJob.Kind.EDIT
    made = (
        catalog_selectors.edit_by_source_key(key) if is_edit else catalog_selectors.track_by_source_key(key)
    )
    started = timezone.now()
    if made is None:
        JobVariation.objects.filter(pk=variation.pk).update(
            status=JobVariation.Status.RUNNING, stage="compose"
        )
        progress = _report(job, variation, token, done)
        settings.GENERATION_WORK_DIR.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=settings.GENERATION_WORK_DIR, prefix=f"job-{job.pk}-") as tmp:
            out_dir = Path(tmp) / "out"
            generate(
                brief,
                seed=variation.seed,
                out_dir=out_dir,
                progress=progress,
                backend=settings.ENGINE_BACKEND,
                soundfont=settings.ENGINE_SOUNDFONT or None,
            )
            progress("done", 1.0)  # the last look at the job before its output is stored
            if is_edit:
                if job.parent_track is None:
                    raise GenerationError("The track this edit was made of is gone.", field="track")
                made = catalog_services.track_edit_create_from_output(
                    track=job.parent_track, requested_by=job.owner, out_dir=out_dir, source_key=key
                )
            else:
                made = catalog_services.track_create_from_output(
                    creator=job.creator, out_dir=out_dir, title=_title(job, variation.index), source_key=key
                )
    JobVariation.objects.filter(pk=variation.pk).update(
        status=JobVariation.Status.DONE,
        stage="done",
        progress=1.0,
        seconds=round((timezone.now() - started).total_seconds(), 2),
        **({"edit": made} if is_edit else {"track": made}),
    )
    GenerationJob.objects.filter(pk=job.pk, lease_token=token).update(
        progress=round((done + 1) / job.variations, 3)
    )


def _finish(job: GenerationJob, token: str, status: str, code: str = "", message: str = "") -> None:
    held = GenerationJob.objects.filter(
        pk=job.pk, lease_token=token, status=GenerationJob.Status.RUNNING
    ).update(
        status=status,
        stage="done" if status == GenerationJob.Status.SUCCEEDED else "",
        progress=1.0 if status == GenerationJob.Status.SUCCEEDED else job.progress,
        error_code=code,
        error_message=message[:500],
        finished_at=timezone.now(),
        lease_token="",
        lease_expires_at=None,
    )
    if held and status == GenerationJob.Status.FAILED:  # a worker that lost the job leaves it be
        job.variation_set.exclude(status=JobVariation.Status.DONE).update(status=JobVariation.Status.FAILED)


def _sweep_work_dir(job_id: uuid.UUID) -> None:
    """Remove the temporary folders earlier attempts of this job left behind: a worker killed
    mid-render never cleans up after itself. The caller holds the job's lease, so an earlier attempt
    that is somehow still rendering has lost the job and would store nothing anyway."""
    for stale in settings.GENERATION_WORK_DIR.glob(f"job-{job_id}-*"):
        shutil.rmtree(stale, ignore_errors=True)


def job_run(*, job_id: object) -> RunOutcome:
    """Render every variation of a job not yet made and put each in the catalog, then mark the job.

    Safe to call any number of times, at once or after a worker died: a finished or cancelled job is
    left alone, a job another live worker holds is answered with `retry_in`, and each variation is
    stored under its own key, so it lands once.
    """
    token = uuid.uuid4().hex
    job, outcome = _claim(job_id, token)
    if outcome is not None:
        return outcome
    _sweep_work_dir(job.pk)
    done = 0
    with _Heartbeat(job.pk, token):
        try:
            brief = _brief_for(job)
            for variation in job.variation_set.order_by("index"):
                if variation.status != JobVariation.Status.DONE:
                    _render(job, variation, brief, token, done)
                done += 1
        except JobCancelled:
            return RunOutcome(GenerationJob.Status.CANCELLED)
        except _LeaseLost:
            return RunOutcome("taken_over")
        except GenerationError as exc:
            _finish(job, token, GenerationJob.Status.FAILED, "bad_parameters", exc.message)
            return RunOutcome(GenerationJob.Status.FAILED)
        except (EngineError, CatalogError, OSError) as exc:
            code = "engine_error" if isinstance(exc, EngineError) else "storage_error"
            log.warning("generation job %s failed: %s", job.pk, exc)
            _finish(job, token, GenerationJob.Status.FAILED, code, str(exc))
            return RunOutcome(GenerationJob.Status.FAILED)
        except Exception:
            log.exception("generation job %s failed unexpectedly", job.pk)
            close_old_connections()
            _finish(
                job,
                token,
                GenerationJob.Status.FAILED,
                "internal_error",
                "Something went wrong while rendering. Retry the job; if it fails again, tell us.",
            )
            return RunOutcome(GenerationJob.Status.FAILED)
    _finish(job, token, GenerationJob.Status.SUCCEEDED)
    return RunOutcome(GenerationJob.Status.SUCCEEDED)


__all__ = [
    "DEFAULT_DURATION_S",
    "JobRequest",
    "RunOutcome",
    "draft_more_like_this",
    "draft_regenerate",
    "edit_submit",
    "job_cancel",
    "job_retry",
    "job_run",
    "job_submit",
    "jobs_submit",
    "resolve_brief",
]
