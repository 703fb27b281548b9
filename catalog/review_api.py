"""The review desk's API: the queue and decisions for reviewers, uploads for creators."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import creator_profile_for, is_reviewer
from catalog import pages, review, selectors, upload
from catalog.api_pagination import PageNumberPagination
from catalog.errors import CatalogError, NotAllowed
from catalog.models import ReviewDecision, Track
from catalog.serializers import TrackSerializer


def _raise(exc: CatalogError):
    if isinstance(exc, NotAllowed):
        raise PermissionDenied(exc.message)
    raise ValidationError({exc.field or "non_field_errors": [exc.message]})


class FindingSerializer(serializers.Serializer):
    kind = serializers.CharField()
    score = serializers.FloatField()
    offset_s = serializers.FloatField()
    match = serializers.SerializerMethodField()

    def get_match(self, finding) -> dict:
        return {"slug": finding.match.slug, "title": finding.match.title, "status": finding.match.status}


class DecisionRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewDecision
        fields = (
            "decision",
            "reason",
            "label_before",
            "label_after",
            "status_before",
            "status_after",
            "created_at",
        )


class QueueItemSerializer(TrackSerializer):
    submitted_at = serializers.DateTimeField()
    provenance = serializers.SerializerMethodField()
    duplicates = serializers.SerializerMethodField()
    checks = serializers.SerializerMethodField()
    history = DecisionRecordSerializer(source="review_decisions", many=True, read_only=True)

    class Meta(TrackSerializer.Meta):
        fields = (
            *TrackSerializer.Meta.fields,
            "submitted_at",
            "provenance",
            "duplicates",
            "checks",
            "history",
        )

    def get_provenance(self, track: Track) -> dict | None:
        p = getattr(track, "provenance", None)
        if p is None:
            return None
        source = "upload" if pages.is_upload(track) else "engine"
        out = {"source": source, "engine": p.engine, "engine_version": p.engine_version, "prompt": p.prompt}
        if source == "upload":
            out["declaration"] = p.parameters.get("declaration", {})
        else:
            out["seed"] = p.seed
        return out

    def get_duplicates(self, track: Track) -> list[dict]:
        return FindingSerializer(track.duplicate_findings.all(), many=True).data

    def get_checks(self, track: Track) -> list[dict]:
        return pages.review_checks(track, track.duplicate_findings.all())


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "request_changes", "reject"])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    disclosure_label = serializers.ChoiceField(
        choices=Track.Disclosure.choices, required=False, allow_blank=True
    )


class ReviewQueueView(APIView):
    """Tracks in review, the longest waiting first (reviewers only)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=QueueItemSerializer(many=True))
    def get(self, request: Request) -> Response:
        if not is_reviewer(request.user):
            raise PermissionDenied("Only reviewers see the review queue.")
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.review_queue(), request, view=self)
        data = QueueItemSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)


class _TrackDecisionView(APIView):
    """One recorded decision about a track: who may ask, what they send, and the review function that
    makes it. 403 for those it is not for, 404 for a track they cannot see, 400 naming the field."""

    permission_classes = [permissions.IsAuthenticated]
    input_class: type[serializers.Serializer]
    decide = None  # staticmethod(review.<function>(*, track, by, **fields) -> ReviewDecision)
    refused = ""  # the 403 message for those who may not ask

    def allowed(self, user) -> bool:
        return True

    def post(self, request: Request, slug: str) -> Response:
        if not self.allowed(request.user):
            raise PermissionDenied(self.refused)
        track = selectors.track_get(slug=slug, user=request.user)
        if track is None:
            raise NotFound("No track with this slug.")
        serializer = self.input_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            decision = self.decide(track=track, by=request.user, **serializer.validated_data)
        except CatalogError as exc:
            _raise(exc)
        return Response(DecisionRecordSerializer(decision).data, status=status.HTTP_201_CREATED)


@extend_schema_view(post=extend_schema(request=DecisionSerializer, responses={201: DecisionRecordSerializer}))
class ReviewDecisionView(_TrackDecisionView):
    """Approve, request changes on or reject a track in review; the reviewer may correct its label."""

    input_class = DecisionSerializer
    decide = staticmethod(review.review_decide)
    refused = "Only reviewers decide on tracks in review."

    def allowed(self, user) -> bool:
        return is_reviewer(user)


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="WAV, FLAC or MP3: 5 s to 15 min")
    stems = serializers.FileField(required=False, help_text="A zip of stems as long as the mix")
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    tool_name = serializers.CharField(max_length=40)
    tool_version = serializers.CharField(max_length=40)
    tool_terms = serializers.CharField(max_length=1000)
    prompt = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    human_contribution = serializers.CharField(max_length=2000)
    disclosure_label = serializers.ChoiceField(choices=Track.Disclosure.choices)


class UploadView(APIView):
    """Upload a track made with another tool; answers the new draft's slug and the analysed metadata
    to confirm. A refused file gets 400 naming the field (`file`, `stems`, or a declaration field)."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": UploadSerializer}, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        creator = creator_profile_for(user=request.user)
        if creator is None:
            raise PermissionDenied("Only creators upload tracks; set up a creator profile first.")
        if upload.request_too_large(request.META.get("CONTENT_LENGTH")):
            # Refused before the body is read: no disk fills with a file that could never be kept.
            return Response({"file": [upload.TOO_LARGE]}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        serializer = UploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            track = upload.track_create_from_upload(
                creator=creator, file=data.pop("file"), stems_zip=data.pop("stems", None), **data
            )
        except CatalogError as exc:
            _raise(exc)
        analysis = track.provenance.parameters["analysis"]
        body = {
            "slug": track.slug,
            "status": track.status,
            "prefill": {
                k: getattr(track, k) for k in ("genre", "moods", "bpm", "key", "mode", "energy", "duration")
            },
            "analysis": analysis,
            "duplicates": [
                {"slug": f.match.slug, "kind": f.kind, "score": f.score}
                for f in selectors.duplicate_findings(track=track)
                if f.track_id == track.pk
            ],
        }
        return Response(body, status=status.HTTP_201_CREATED)


class ConfirmSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    genre = serializers.CharField()
    moods = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    bpm = serializers.IntegerField()
    key = serializers.CharField()
    mode = serializers.CharField()
    energy = serializers.CharField()


class UploadConfirmView(APIView):
    """The creator confirms (or corrects) the analysed metadata of their uploaded draft, which then goes
    to review. 400 names the field at fault."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ConfirmSerializer, responses={200: TrackSerializer})
    def post(self, request: Request, slug: str) -> Response:
        track = selectors.track_get(slug=slug, user=request.user)
        if track is None or track.creator.user_id != request.user.id or not pages.is_upload(track):
            raise NotFound("No upload of yours with this slug.")
        serializer = ConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            track = upload.track_upload_confirm(track=track, by=request.user, **serializer.validated_data)
        except CatalogError as exc:
            _raise(exc)
        return Response(TrackSerializer(track, context={"request": request}).data)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


@extend_schema_view(post=extend_schema(request=ReasonSerializer, responses={201: DecisionRecordSerializer}))
class TakeDownView(_TrackDecisionView):
    """Staff take a track off sale, with a reason. Licenses already sold stay valid."""

    input_class = ReasonSerializer
    decide = staticmethod(review.track_take_down)
    refused = "Only staff take tracks down."

    def allowed(self, user) -> bool:
        return review.may_take_down(user)


@extend_schema_view(post=extend_schema(request=ReasonSerializer, responses={201: DecisionRecordSerializer}))
class WithdrawView(_TrackDecisionView):
    """The creator takes their published track off sale. Licenses already sold stay valid."""

    input_class = ReasonSerializer
    decide = staticmethod(review.track_withdraw)
