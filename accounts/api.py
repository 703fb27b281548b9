"""The accounts room's API: exchange an email and password for a token, and say who the caller is."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.errors import InvalidCredentials


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"}, write_only=True)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text="Send as `Authorization: Token <token>`.")


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField(read_only=True)
    is_creator = serializers.BooleanField(read_only=True)
    creator_slug = serializers.CharField(read_only=True, allow_null=True)
    is_reviewer = serializers.BooleanField(read_only=True)


_ErrorSerializer = inline_serializer(
    "AuthTokenError",
    fields={
        "email": serializers.ListField(child=serializers.CharField(), required=False),
        "password": serializers.ListField(child=serializers.CharField(), required=False),
        api_settings.NON_FIELD_ERRORS_KEY: serializers.ListField(
            child=serializers.CharField(), required=False
        ),
    },
)


class TokenObtainView(APIView):
    # No session authentication here: the request carries its own credentials, so CSRF does not apply.
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_token_create",
        summary="Get an API token",
        description="Exchange an account's email and password for its API token (the same token every time).",
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(
                _ErrorSerializer, description="A field is missing, or the credentials are wrong."
            ),
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            token = services.auth_token_issue(**serializer.validated_data, request=request._request)
        except InvalidCredentials as exc:
            raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [exc.message]}) from exc
        return Response(TokenSerializer({"token": token.key}).data)


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="me_retrieve", summary="Who am I", responses=MeSerializer, tags=["auth"])
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(selectors.account_summary(user=request.user)).data)
