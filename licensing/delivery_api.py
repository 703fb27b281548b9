"""The licensee's side of the API: their licenses with signed download links, and verifying a file."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from licensing import delivery, library
from licensing.errors import LicensingError
from licensing.models import License
from licensing.verify_file import file_check, size_label


class LibraryLicenseSerializer(serializers.Serializer):
    """One of the user's licenses. `downloads` holds signed links (valid DOWNLOAD_URL_MAX_AGE seconds)
    by format, only while the license is active."""

    code = serializers.CharField()
    status = serializers.ChoiceField(choices=License.Status.choices)
    issued_at = serializers.DateTimeField()
    track = inline_serializer(
        "LicenseTrack", {"slug": serializers.CharField(), "title": serializers.CharField()}
    )
    tier = inline_serializer(
        "LicenseTier", {"slug": serializers.CharField(), "name": serializers.CharField()}
    )
    formats = serializers.ListField(child=serializers.ChoiceField(choices=delivery.FORMATS))
    downloads = serializers.DictField(child=serializers.URLField())
    verify_url = serializers.URLField()
    page_url = serializers.URLField()

    def to_representation(self, license: License) -> dict:
        request = self.context.get("request")
        entry = library.entry(license, request)
        page = reverse("licensing:license", args=[license.code])
        return {
            "code": license.code,
            "status": license.status,
            "issued_at": serializers.DateTimeField().to_representation(license.issued_at),
            "track": {"slug": license.track.slug, "title": license.track.title},
            "tier": {"slug": license.tier.slug, "name": license.tier.name},
            "formats": entry.formats,
            "downloads": {link.fmt: link.url for link in entry.downloads},
            "verify_url": entry.verify_url,
            "page_url": request.build_absolute_uri(page) if request is not None else page,
        }


class LicenseList(generics.ListAPIView):
    """The licenses the authenticated user holds, newest first, with download links."""

    serializer_class = LibraryLicenseSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return library.licenses_for_library(user=self.request.user)


class VerifyFile(APIView):
    """Public: upload an audio file (multipart field `file`) to learn whether it carries a valid license
    of this platform and whether its Content Credentials are intact."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request=inline_serializer("VerifyFileRequest", {"file": serializers.FileField()}),
        responses={
            200: OpenApiResponse(description="What the file carries, and the verdict."),
            400: OpenApiResponse(description="No file, not audio, or too large (the error names `file`)."),
        },
    )
    def post(self, request: Request) -> Response:
        # Refuse an announced oversize body before reading it (the check after reading still holds).
        announced = request.META.get("CONTENT_LENGTH") or "0"
        if announced.isdigit() and int(announced) > settings.VERIFY_FILE_MAX_BYTES + 64 * 1024:
            raise ValidationError(
                {"file": [f"The file is larger than {size_label(settings.VERIFY_FILE_MAX_BYTES)}."]}
            )
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": ["Upload an audio file in the multipart field “file”."]})
        try:
            check = file_check(upload=upload, size=upload.size)
        except LicensingError as exc:
            raise ValidationError({exc.field or "file": [exc.message]}) from None
        return Response(check.as_dict())
