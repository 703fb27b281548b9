"""The licensing API: the tiers on offer, and public verification of a license by its code."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from licensing import codes, selectors
from licensing.forms import CODE_EXAMPLE
from licensing.models import LicenseTier
from licensing.rights import rights_in_words


class TierSerializer(serializers.ModelSerializer):
    rights_in_words = serializers.SerializerMethodField()

    class Meta:
        model = LicenseTier
        fields = (
            "slug",
            "name",
            "summary",
            "rights",
            "rights_in_words",
            "default_price_cents",
            "min_price_cents",
            "max_price_cents",
            "currency",
            "exclusive",
        )

    def get_rights_in_words(self, tier: LicenseTier) -> list[str]:
        return rights_in_words(tier.rights)


class _Named(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class _Creator(serializers.Serializer):
    slug = serializers.CharField()
    display_name = serializers.CharField()


class _Track(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()


class VerificationSerializer(serializers.Serializer):
    """A license as anyone may see it. Never the licensee's email, the project or the price."""

    code = serializers.CharField()
    status = serializers.ChoiceField(choices=["active", "revoked", "disputed"])
    valid = serializers.BooleanField()
    status_message = serializers.CharField()
    exclusive = serializers.BooleanField()
    issued_at = serializers.DateTimeField()
    licensee = serializers.CharField(help_text="The organisation when one was given, else the name.")
    track = _Track()
    creator = _Creator()
    tier = _Named()
    track_status = serializers.CharField()
    track_status_note = serializers.CharField(allow_null=True)
    rights_in_words = serializers.ListField(child=serializers.CharField())
    terms_sha256 = serializers.CharField()

    def to_representation(self, v: selectors.Verification) -> dict:
        return {
            "code": v.code,
            "status": v.status,
            "valid": v.valid,
            "status_message": v.status_message,
            "exclusive": v.exclusive,
            "issued_at": serializers.DateTimeField().to_representation(v.issued_at),
            "licensee": v.licensee,
            "track": {"slug": v.track_slug, "title": v.track_title},
            "creator": {"slug": v.creator_slug, "display_name": v.creator_name},
            "tier": {"slug": v.tier_slug, "name": v.tier_name},
            "track_status": v.track_status,
            "track_status_note": v.track_status_note,
            "rights_in_words": v.rights_in_words,
            "terms_sha256": v.terms_sha256,
        }


class TierList(generics.ListAPIView):
    """The license tiers on offer, with their rights as data and in words, and their price bounds."""

    serializer_class = TierSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    pagination_class = None

    def get_queryset(self):
        return selectors.tiers_active()


class LicenseVerify(APIView):
    """Public: whether a license code is genuine, and what it covers."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(
        responses={
            200: VerificationSerializer,
            400: OpenApiResponse(description="The code is not a license code."),
            404: OpenApiResponse(description="No license has this code."),
        }
    )
    def get(self, request: Request, code: str) -> Response:
        if codes.normalize(code) is None:
            raise ValidationError({"code": [f"This is not a license code. Codes look like {CODE_EXAMPLE}."]})
        verification = selectors.license_for_verification(code)
        if verification is None:
            raise NotFound("No license has this code.")
        return Response(VerificationSerializer(verification).data)
