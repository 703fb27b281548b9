"""The payouts API: a creator's balance and payouts; staff start a payout run."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from payments import payouts, selectors
from payments.models import Payout, PayoutRun


class BalanceSerializer(serializers.Serializer):
    available_cents = serializers.IntegerField(
        help_text="can be paid out now; negative after refunds of paid sales"
    )
    pending_cents = serializers.IntegerField(help_text="recent earnings, held through the refund window")
    currency = serializers.CharField()
    next_payout_at = serializers.DateTimeField()
    threshold_cents = serializers.IntegerField(help_text="the least balance that is paid out")


class PayoutSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    amount_cents = serializers.IntegerField()
    currency = serializers.CharField()
    status = serializers.ChoiceField(choices=Payout.Status.choices)
    transfer_id = serializers.CharField()
    reversed_cents = serializers.IntegerField()
    failure_message = serializers.CharField()
    attempts = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)


class PayoutRunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    trigger = serializers.CharField()
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    paid_count = serializers.IntegerField()
    failed_count = serializers.IntegerField()
    paid_cents = serializers.IntegerField()
    notes = serializers.CharField()


class PayoutViewSet(viewsets.GenericViewSet):
    """A creator's payouts and balance; a payout run for staff."""

    serializer_class = PayoutSerializer
    permission_classes = [permissions.IsAuthenticated]
    queryset = Payout.objects.none()  # for the schema; reads go through a selector

    def _creator(self, request: Request):
        creator = getattr(request.user, "creator_profile", None)
        if creator is None:
            raise PermissionDenied("Only creators have earnings and payouts.")
        return creator

    @extend_schema(
        responses={200: PayoutSerializer(many=True), 403: OpenApiResponse(description="not a creator")}
    )
    def list(self, request: Request) -> Response:
        """The caller's payouts, newest first."""
        page = self.paginate_queryset(selectors.creator_payouts(creator=self._creator(request)))
        return self.get_paginated_response(PayoutSerializer(page, many=True).data)

    @extend_schema(responses={200: BalanceSerializer, 403: OpenApiResponse(description="not a creator")})
    @action(detail=False, methods=["get"])
    def balance(self, request: Request) -> Response:
        """The caller's balance in the store's currency."""
        balance = selectors.creator_balance(
            creator=self._creator(request), currency=settings.PAYMENTS_CURRENCY
        )
        data = {
            "available_cents": balance.available_cents,
            "pending_cents": balance.pending_cents,
            "currency": balance.currency,
            "next_payout_at": selectors.next_payout_at(),
            "threshold_cents": settings.PAYOUT_THRESHOLD_CENTS,
        }
        return Response(BalanceSerializer(data).data)

    @extend_schema(
        request=None,
        responses={201: PayoutRunSerializer, 403: OpenApiResponse(description="staff only")},
    )
    @action(detail=False, methods=["post"])
    def run(self, request: Request) -> Response:
        """Staff: run payouts now, for every creator who is owed."""
        if not request.user.is_staff:
            raise PermissionDenied("Only staff can run payouts.")
        run = payouts.payouts_run(trigger=PayoutRun.Trigger.STAFF, by=request.user)
        return Response(PayoutRunSerializer(run).data, status=status.HTTP_201_CREATED)
