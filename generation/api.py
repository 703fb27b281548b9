"""The generation API: creators queue, watch, cancel and retry jobs; anyone signed in asks for custom edits.

Every job is seen only by its owner and staff; to anyone else it does not exist (404). A refusal names
the field at fault: 400 for a bad value, 409 for a job in the wrong state, 429 over the quota (and then
nothing is queued).
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from accounts import selectors as accounts_selectors
from catalog import selectors as catalog_selectors
from catalog.models import Track
from generation import selectors, services
from generation.errors import GenerationError, JobStateError, QuotaExceeded
from generation.models import GenerationJob
from generation.serializers import (
    EditCreateSerializer,
    JobCreateSerializer,
    JobSerializer,
    JobStateErrorSerializer,
)

NOT_A_CREATOR = "Only creators can generate tracks: set up a creator profile first."


class QuotaRefused(APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "quota"


class StateConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _refuse(exc: GenerationError):
    """Raise the API's answer to a service's refusal."""
    if isinstance(exc, QuotaExceeded):
        raise QuotaRefused({"detail": exc.message, "field": "quota"}) from exc
    if isinstance(exc, JobStateError):
        raise StateConflict({"detail": exc.message, "field": exc.field or "status"}) from exc
    raise ValidationError({exc.field or api_settings.NON_FIELD_ERRORS_KEY: [exc.message]}) from exc


REFUSALS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="A value is wrong; the body names its field."),
    401: OpenApiResponse(description="Not signed in."),
    429: OpenApiResponse(JobStateErrorSerializer, description="Over the quota; nothing was queued."),
}
NOT_FOUND = {404: OpenApiResponse(description="No such job, or not yours.")}


@extend_schema(tags=["generation"])
class JobViewSet(viewsets.GenericViewSet):
    """Generation jobs of the caller: library jobs (new draft tracks) and custom edits."""

    serializer_class = JobSerializer
    permission_classes = [IsAuthenticated]
    queryset = GenerationJob.objects.none()  # for the schema; every action goes through a selector
    lookup_value_regex = "[^/]+"  # a malformed id is a 404 from the selector, not an unmatched route

    def get_object(self) -> GenerationJob:
        job = selectors.job_get(pk=self.kwargs["pk"], user=self.request.user)
        if job is None:
            raise NotFound("No such job.")
        return job

    def _job(self, job: GenerationJob, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(job).data, status=code)

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=GenerationJob.Status.values),
            OpenApiParameter("kind", str, enum=GenerationJob.Kind.values),
        ]
    )
    def list(self, request: Request) -> Response:
        """The caller's jobs, newest first."""
        jobs = selectors.jobs_of(user=request.user)
        for name, choices in (("status", GenerationJob.Status), ("kind", GenerationJob.Kind)):
            value = request.query_params.get(name)
            if value:
                if value not in choices.values:
                    raise ValidationError({name: [f"Choose one of {', '.join(choices.values)}."]})
                jobs = jobs.filter(**{name: value})
        page = self.paginate_queryset(jobs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=JobCreateSerializer,
        responses={
            201: JobSerializer,
            **REFUSALS,
            403: OpenApiResponse(description="The caller is not a creator."),
        },
    )
    def create(self, request: Request) -> Response:
        """Queue a job that renders `variations` takes of a prompt into the caller's library as drafts."""
        creator = accounts_selectors.creator_profile_for(user=request.user)
        if creator is None:
            raise PermissionDenied(NOT_A_CREATOR)
        serializer = JobCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            job = services.job_submit(owner=request.user, creator=creator, **serializer.job_arguments())
        except GenerationError as exc:
            _refuse(exc)
        return self._job(job, status.HTTP_201_CREATED)

    @extend_schema(responses={200: JobSerializer, **NOT_FOUND})
    def retrieve(self, request: Request, pk: str) -> Response:
        """A job's status, stage and progress, each variation and what it made, and any error."""
        return self._job(self.get_object())

    @extend_schema(
        request=None,
        responses={200: JobSerializer, 409: JobStateErrorSerializer, **NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        """Stop a queued or running job; variations already made stay in the library."""
        try:
            job = services.job_cancel(job=self.get_object())
        except GenerationError as exc:
            _refuse(exc)
        return self._job(selectors.job_get(pk=job.pk, user=request.user))

    @extend_schema(
        request=None,
        responses={
            200: JobSerializer,
            409: JobStateErrorSerializer,
            429: REFUSALS[429],
            **NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk: str) -> Response:
        """Queue a failed or cancelled job again; variations already made are kept."""
        try:
            job = services.job_retry(job=self.get_object())
        except GenerationError as exc:
            _refuse(exc)
        return self._job(selectors.job_get(pk=job.pk, user=request.user))


class TrackEditView(APIView):
    """Ask for a custom edit of a published, engine-made track: the same music at another length, with
    accents on the given hit points. The answer is the edit's job; its `preview_url` appears once the job
    has succeeded, and the edit is delivered with any license of the track."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="tracks_edits_create",
        tags=["generation"],
        request=EditCreateSerializer,
        responses={
            201: JobSerializer,
            **REFUSALS,
            404: OpenApiResponse(description="No published track with this slug."),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        track = catalog_selectors.track_get(slug=slug, user=request.user)
        if track is None or track.status != Track.Status.PUBLISHED:
            raise NotFound("No published track with this slug.")
        serializer = EditCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            job = services.edit_submit(
                owner=request.user,
                track=track,
                duration=serializer.validated_data["duration"],
                hits=serializer.validated_data.get("hits") or [],
            )
        except GenerationError as exc:
            _refuse(exc)
        context = {"request": request}
        return Response(
            JobSerializer(selectors.job_get(pk=job.pk, user=request.user), context=context).data,
            status=status.HTTP_201_CREATED,
        )
