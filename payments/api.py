"""The payments API: place an order for licenses, read it, and (in the sandbox) pay it.

Errors name the field at fault with a flat key, as in `{"lines[0].tier": ["..."]}`. Prices are never
read from a request: any price a client sends is ignored.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from licensing import selectors as licensing_selectors
from payments import selectors, services
from payments.errors import EventRejected, PaymentsError, ProviderError
from payments.models import Order
from payments.providers import sandbox


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class ProviderUnavailable(APIException):
    status_code = status.HTTP_502_BAD_GATEWAY
    default_code = "provider_unavailable"


class OrderLineRequestSerializer(serializers.Serializer):
    track = serializers.SlugField(max_length=80, help_text="the track's slug")
    tier = serializers.SlugField(max_length=40, help_text="the license tier's slug")


class OrderRequestSerializer(serializers.Serializer):
    lines = OrderLineRequestSerializer(many=True, allow_empty=False, max_length=50)
    licensee_name = serializers.CharField(max_length=120)
    licensee_organisation = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default=""
    )
    licensee_email = serializers.EmailField(max_length=254)
    project = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class OrderLineSerializer(serializers.Serializer):
    track = serializers.SlugField(source="track.slug")
    track_title = serializers.CharField(source="track.title")
    tier = serializers.SlugField(source="tier.slug")
    price_cents = serializers.IntegerField()
    currency = serializers.CharField()
    terms_sha256 = serializers.CharField()
    exclusive = serializers.BooleanField()
    license = serializers.CharField(
        source="license_code", allow_blank=True, help_text="the license code once paid"
    )
    refunded = serializers.BooleanField()


class OrderSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=Order.Status.choices)
    provider = serializers.CharField()
    lines = OrderLineSerializer(many=True)
    total_cents = serializers.IntegerField()
    refunded_cents = serializers.IntegerField()
    currency = serializers.CharField()
    licensee_name = serializers.CharField()
    licensee_organisation = serializers.CharField()
    licensee_email = serializers.EmailField()
    project = serializers.CharField()
    checkout_url = serializers.SerializerMethodField()
    licenses = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)
    failure_reason = serializers.CharField()

    def get_checkout_url(self, order: Order) -> str | None:
        """Where to pay, while the order awaits payment."""
        if order.status != Order.Status.PENDING or not order.checkout_url:
            return None
        request = self.context.get("request")
        url = order.checkout_url
        return request.build_absolute_uri(url) if request is not None and url.startswith("/") else url

    def get_licenses(self, order: Order) -> list[str]:
        """The codes of the licenses the order issued."""
        return [line.license_code for line in order.lines.all() if line.license_code]


def _flatten(errors, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested errors as flat keys: {"lines": [{}, {"tier": [...]}]} -> {"lines[1].tier": [...]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            if isinstance(key, int):
                name = f"{prefix}[{key}]"
            elif key == api_settings.NON_FIELD_ERRORS_KEY and prefix:
                name = prefix
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            flat |= _flatten(value, name)
    elif isinstance(errors, list) and errors and all(isinstance(e, str) for e in errors):
        flat[prefix] = [str(e) for e in errors]
    elif isinstance(errors, list):
        for i, value in enumerate(errors):
            flat |= _flatten(value, f"{prefix}[{i}]")
    elif errors:
        flat[prefix] = [str(errors)]
    return flat


def _refuse(exc: PaymentsError):
    raise ValidationError({exc.field or "non_field_errors": [exc.message]})


class OrderViewSet(viewsets.GenericViewSet):
    """Orders of licenses: POST to place one and get where to pay, GET to follow it."""

    serializer_class = OrderSerializer
    permission_classes = [permissions.IsAuthenticated]
    queryset = Order.objects.none()  # for the schema; reads go through a selector

    def get_object(self) -> Order:
        order = selectors.order_get(pk=self.kwargs["pk"], user=self.request.user)
        if order is None:
            raise NotFound("No such order.")
        return order

    def _respond(self, order: Order, code: int = status.HTTP_200_OK) -> Response:
        order = selectors.order_get(pk=order.pk, user=self.request.user)
        return Response(OrderSerializer(order, context={"request": self.request}).data, status=code)

    @extend_schema(
        request=OrderRequestSerializer,
        responses={
            201: OrderSerializer,
            400: OpenApiResponse(description="a field is wrong; the key names it"),
        },
    )
    def create(self, request: Request) -> Response:
        """Place an order at today's prices; pay it at `checkout_url`."""
        data = OrderRequestSerializer(data=request.data)
        if not data.is_valid():
            raise ValidationError(_flatten(data.errors))
        values = dict(data.validated_data)
        lines = []
        for i, line in enumerate(values.pop("lines")):
            track = selectors.track_for_order(slug=line["track"], user=request.user)
            if track is None:
                raise ValidationError({f"lines[{i}].track": ["No track with this slug."]})
            tier = licensing_selectors.tier_get(slug=line["tier"])
            if tier is None:
                raise ValidationError({f"lines[{i}].tier": ["No license tier with this slug."]})
            lines.append((track, tier))
        try:
            order = services.order_create(buyer=request.user, lines=lines, **values)
            order = services.order_checkout_begin(
                order=order,
                success_url=request.build_absolute_uri(reverse("payments:order", args=[order.pk]))
                + "?checkout=done",
                cancel_url=request.build_absolute_uri(reverse("payments:cart")),
            )
        except ProviderError as exc:
            raise ProviderUnavailable(exc.message) from None
        except PaymentsError as exc:
            _refuse(exc)
        return self._respond(order, status.HTTP_201_CREATED)

    def list(self, request: Request) -> Response:
        """The caller's orders, newest first."""
        page = self.paginate_queryset(selectors.orders_of(user=request.user))
        return self.get_paginated_response(
            OrderSerializer(page, many=True, context={"request": request}).data
        )

    def retrieve(self, request: Request, pk: str) -> Response:
        """One order, for its buyer or staff."""
        return self._respond(self.get_object())

    @extend_schema(
        request=None,
        responses={
            200: OrderSerializer,
            404: OpenApiResponse(description="not a sandbox order of yours"),
            409: OpenApiResponse(description="not awaiting payment"),
        },
    )
    @action(detail=True, methods=["post"], url_path="sandbox-pay")
    def sandbox_pay(self, request: Request, pk: str) -> Response:
        """Pay a sandbox order (no money moves), through the same signed-event path as the checkout page."""
        order = self.get_object()
        if order.buyer_id != request.user.pk:
            raise NotFound("No such order.")
        if order.provider != Order.Provider.SANDBOX or settings.PAYMENTS_PROVIDER != "sandbox":
            raise NotFound("This order is not paid through the sandbox.")
        if order.status != Order.Status.PENDING:
            raise Conflict(f"The order is {order.get_status_display().lower()}, not awaiting payment.")
        body, signature = sandbox.event_build(order=order)
        try:
            sandbox.event_receive(body=body, signature=signature)
        except EventRejected as exc:  # pragma: no cover - signed a moment ago
            raise Conflict(exc.message) from None
        return self._respond(order)
