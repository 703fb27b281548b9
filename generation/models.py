"""Generation jobs: a prompt and its parameters, rendered in the background into draft tracks or edits."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

STAGE_LABELS = {
    "": "Waiting for a worker",
    "prompt": "Understanding the prompt",
    "compose": "Composing",
    "render": "Rendering",
    "master": "Mastering",
    "export": "Exporting",
    "done": "Done",
}


class GenerationJob(models.Model):
    class Kind(models.TextChoices):
        LIBRARY = "library", "New tracks"  # variations that become the creator's draft tracks
        EDIT = "edit", "Custom edit"  # a published track re-rendered at another length for a buyer

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.LIBRARY)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="generation_jobs"
    )
    # The profile new tracks belong to (library jobs); None for a buyer's custom edit.
    creator = models.ForeignKey(
        "accounts.CreatorProfile", on_delete=models.CASCADE, null=True, blank=True, related_name="jobs"
    )
    # The track an edit re-renders, or the draft that "more like this" and "regenerate" start from.
    parent_track = models.ForeignKey(
        "catalog.Track", on_delete=models.SET_NULL, null=True, blank=True, related_name="generation_jobs"
    )
    prompt = models.TextField(max_length=500)
    # The explicit parameters as given (duration, bpm, key, mode, energy, hits, instruments), and for an
    # edit the parent's resolved brief.
    parameters = models.JSONField(default=dict, blank=True)
    seed = models.BigIntegerField(help_text="variation n uses seed + n")
    variations = models.PositiveSmallIntegerField(default=1)
    audio_seconds = models.FloatField(help_text="what the job counts against the daily quota")
    engine = models.CharField(max_length=40)
    engine_version = models.CharField(max_length=40)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=20, blank=True)
    progress = models.FloatField(default=0.0)
    error_code = models.CharField(max_length=40, blank=True)
    error_message = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=120, blank=True, help_text="title for the tracks (batch packs)")

    # The worker running the job holds a lease it renews while it works. A second delivery of the job
    # waits for the lease to lapse, so a live worker is never doubled and a dead one is taken over.
    lease_token = models.CharField(max_length=32, blank=True, editable=False)
    lease_expires_at = models.DateTimeField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at",)
        indexes = [
            models.Index(fields=["owner", "status"], name="job_owner_status"),
            models.Index(fields=["owner", "-created_at"], name="job_owner_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(variations__gte=1, variations__lte=8), name="job_variations_1_8"
            ),
            models.CheckConstraint(condition=Q(progress__gte=0, progress__lte=1), name="job_progress_0_1"),
            models.CheckConstraint(
                condition=Q(kind="edit") | Q(creator__isnull=False), name="job_library_has_creator"
            ),
            models.CheckConstraint(
                condition=Q(kind="library") | Q(parent_track__isnull=False), name="job_edit_has_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.id} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    def is_held(self, now=None) -> bool:
        """Running under a worker's lease that has not lapsed (a worker that died stops renewing it)."""
        now = now or timezone.now()
        return (
            self.status == self.Status.RUNNING
            and self.lease_expires_at is not None
            and self.lease_expires_at > now
        )

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS.get(self.stage, self.stage)


class JobVariation(models.Model):
    """One rendering of a job (its seed), with the stage it has reached and what it made."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    job = models.ForeignKey(GenerationJob, on_delete=models.CASCADE, related_name="variation_set")
    index = models.PositiveSmallIntegerField()
    seed = models.BigIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    stage = models.CharField(max_length=20, blank=True)
    progress = models.FloatField(default=0.0)
    track = models.OneToOneField(
        "catalog.Track", on_delete=models.SET_NULL, null=True, blank=True, related_name="generated_by"
    )
    edit = models.OneToOneField(
        "catalog.TrackEdit", on_delete=models.SET_NULL, null=True, blank=True, related_name="generated_by"
    )
    seconds = models.FloatField(null=True, blank=True, help_text="wall time of the render")

    class Meta:
        ordering = ("job", "index")
        constraints = [
            models.UniqueConstraint(fields=["job", "index"], name="variation_unique_index"),
        ]

    def __str__(self) -> str:
        return f"{self.job_id} #{self.index}"

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS.get(self.stage, self.stage)

    @property
    def source_key(self) -> str:
        """The key the catalog stores this variation's output under: a re-run finds it there."""
        return f"job:{self.job_id}:{self.index}"
