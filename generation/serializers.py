"""How generation jobs look in the API, and the shape of what a client may send.

The serializers here check only the shape of a request (types, required fields, names). What the values
mean (a tempo in range, a key that exists, hit points inside the cue) is checked by the services, which
name the field at fault; the view turns that into the same 400 body.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.vocabulary import ENERGIES, INSTRUMENTS
from generation.models import STAGE_LABELS, GenerationJob, JobVariation
from generation.services import DEFAULT_DURATION_S, EDIT_MAX_S, EDIT_MIN_S, MAX_VARIATIONS


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, so a misspelt parameter ("bmp") is a 400 rather than a track
    rendered without it."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                known = ", ".join(self.fields)
                raise serializers.ValidationError(
                    {name: [f"Unknown field; the fields are {known}."] for name in unknown}
                )
        return super().to_internal_value(data)


class JobCreateSerializer(StrictSerializer):
    prompt = serializers.CharField(
        help_text="What the music is for and how it sounds (up to 500 characters)."
    )
    duration = serializers.FloatField(
        required=False,
        allow_null=True,
        help_text=f"Length in seconds, 5 to 600 (default {DEFAULT_DURATION_S:g}).",
    )
    bpm = serializers.FloatField(required=False, allow_null=True, help_text="Tempo, 40 to 220.")
    key = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text='Tonic, optionally with mode: "D", "F#", "Bb minor".',
    )
    mode = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, help_text='"major" or "minor".'
    )
    energy = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, help_text=f"One of {', '.join(ENERGIES)}."
    )
    hits = serializers.ListField(
        child=serializers.FloatField(),
        required=False,
        allow_null=True,
        help_text="Seconds from the start where the music should land an accent, at least 1 s inside the cue.",
    )
    instruments = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        allow_null=True,
        help_text=f"Instruments to use instead of the genre's own; any of {', '.join(INSTRUMENTS)}.",
    )
    variations = serializers.IntegerField(
        min_value=1, max_value=MAX_VARIATIONS, default=1, help_text="How many takes, each with its own seed."
    )
    seed = serializers.IntegerField(
        min_value=0,
        max_value=2**32 - 1,
        required=False,
        allow_null=True,
        help_text="Variation n uses seed + n; the same seed and parameters make the same audio.",
    )
    title = serializers.CharField(
        max_length=120, required=False, allow_blank=True, help_text="Title for the new tracks."
    )

    PARAMETERS = ("duration", "bpm", "key", "mode", "energy", "hits", "instruments")

    def job_arguments(self) -> dict:
        """The keyword arguments of services.job_submit, less the owner and creator."""
        data = self.validated_data
        return {
            "prompt": data["prompt"],
            "params": {name: data[name] for name in self.PARAMETERS if data.get(name) not in (None, "", [])},
            "variations": data["variations"],
            "seed": data.get("seed"),
            "title": data.get("title", ""),
        }


class EditCreateSerializer(StrictSerializer):
    duration = serializers.FloatField(
        help_text=f"Length of the edit in seconds, {EDIT_MIN_S:g} to {EDIT_MAX_S:g}."
    )
    hits = serializers.ListField(
        child=serializers.FloatField(),
        required=False,
        allow_null=True,
        help_text="Seconds from the start where the edit should land an accent (cuts in the picture).",
    )


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None else url


def _file_url(request, field) -> str | None:
    return _absolute(request, field.url) if field else None


class JobTrackSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    url = serializers.URLField(help_text="The track's page (a draft shows only to its creator).")
    preview_url = serializers.URLField(allow_null=True)
    status = serializers.CharField()


class VariationSerializer(serializers.ModelSerializer):
    stage_label = serializers.CharField(read_only=True)
    track = serializers.SerializerMethodField()

    class Meta:
        model = JobVariation
        fields = ("index", "seed", "status", "stage", "stage_label", "progress", "track")

    @extend_schema_field(JobTrackSerializer(allow_null=True))
    def get_track(self, variation: JobVariation) -> dict | None:
        track = variation.track
        if track is None:
            return None
        request = self.context.get("request")
        return {
            "slug": track.slug,
            "title": track.title,
            "url": _absolute(request, reverse("catalog:track", kwargs={"slug": track.slug})),
            "preview_url": _file_url(request, track.preview),
            "status": track.status,
        }


class JobErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class TimingsSerializer(serializers.Serializer):
    queued_s = serializers.FloatField(
        help_text="Seconds from submitting to a worker taking the job (so far)."
    )
    run_s = serializers.FloatField(
        allow_null=True, help_text="Seconds from a worker taking the job to its end (so far)."
    )


def _seconds(start, end) -> float:
    return round(max((end - start).total_seconds(), 0.0), 3)


class JobSerializer(serializers.ModelSerializer):
    stage_label = serializers.SerializerMethodField()
    variations = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()
    timings = serializers.SerializerMethodField()
    parent_track = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    duration = serializers.SerializerMethodField()
    hits = serializers.SerializerMethodField()
    preview_url = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = GenerationJob
        fields = (
            "id",
            "url",
            "kind",
            "status",
            "stage",
            "stage_label",
            "progress",
            "prompt",
            "title",
            "parameters",
            "seed",
            "variations",
            "audio_seconds",
            "engine",
            "engine_version",
            "attempts",
            "error",
            "created_at",
            "started_at",
            "finished_at",
            "timings",
            "parent_track",
            "duration",
            "hits",
            "preview_url",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=list(STAGE_LABELS.values())))
    def get_stage_label(self, job: GenerationJob) -> str:
        return job.stage_label

    @extend_schema_field(VariationSerializer(many=True))
    def get_variations(self, job: GenerationJob) -> list[dict]:
        return VariationSerializer(job.variation_set.all(), many=True, context=self.context).data

    @extend_schema_field(JobErrorSerializer(allow_null=True))
    def get_error(self, job: GenerationJob) -> dict | None:
        if not (job.error_code or job.error_message):
            return None
        return {"code": job.error_code, "message": job.error_message}

    @extend_schema_field(TimingsSerializer)
    def get_timings(self, job: GenerationJob) -> dict:
        now = timezone.now()
        waited_until = job.started_at or job.finished_at or now
        run_s = _seconds(job.started_at, job.finished_at or now) if job.started_at else None
        return {"queued_s": _seconds(job.created_at, waited_until), "run_s": run_s}

    @extend_schema_field(serializers.FloatField(help_text="Length of each variation in seconds."))
    def get_duration(self, job: GenerationJob) -> float | None:
        return job.parameters.get("duration")

    @extend_schema_field(serializers.ListField(child=serializers.FloatField()))
    def get_hits(self, job: GenerationJob) -> list[float]:
        return list(job.parameters.get("hits") or [])

    @extend_schema_field(
        serializers.URLField(
            allow_null=True, help_text="A custom edit's watermarked preview, once the job has succeeded."
        )
    )
    def get_preview_url(self, job: GenerationJob) -> str | None:
        if job.kind != GenerationJob.Kind.EDIT:
            return None
        for variation in job.variation_set.all():
            if variation.edit is not None:
                return _file_url(self.context.get("request"), variation.edit.preview)
        return None

    @extend_schema_field(serializers.URLField())
    def get_url(self, job: GenerationJob) -> str:
        return _absolute(self.context.get("request"), reverse("generation-job-detail", kwargs={"pk": job.pk}))


class JobStateErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    field = serializers.CharField()
