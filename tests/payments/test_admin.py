"""Staff refund orders from the admin; payment events are read-only there."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import User
from licensing.models import License
from payments.models import Order, PaymentEvent, Refund

CHANGELIST = reverse("admin:payments_order_changelist")


@pytest.fixture
def staff(db):
    return User.objects.create_superuser("staff@example.com", "pass-for-tests-1")


def test_the_refund_action_refunds_and_revokes(client, staff, track, tiers, make_order, sandbox_pay):
    order = sandbox_pay(make_order([(track, tiers["creator"])]))
    client.force_login(staff)
    response = client.post(CHANGELIST, {"action": "refund", "_selected_action": [str(order.pk)]}, follow=True)
    assert response.status_code == 200 and "Refunded 1 order" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    assert License.objects.get().status == "revoked"
    assert Refund.objects.get(order=order).by == staff


def test_the_refund_action_explains_what_it_cannot_refund(client, staff, track, tiers, make_order):
    order = make_order([(track, tiers["creator"])])
    client.force_login(staff)
    response = client.post(CHANGELIST, {"action": "refund", "_selected_action": [str(order.pk)]}, follow=True)
    assert "Only a paid order can be refunded" in response.content.decode()
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING


def test_staff_without_the_permission_cannot_refund(client, buyer, track, tiers, make_order, sandbox_pay):
    order = sandbox_pay(make_order([(track, tiers["creator"])]))
    clerk = User.objects.create_user("clerk@example.com", "pass-for-tests-1", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_order"))
    client.force_login(clerk)
    assert client.get(reverse("admin:payments_order_change", args=[order.pk])).status_code == 200
    client.post(CHANGELIST, {"action": "refund", "_selected_action": [str(order.pk)]})
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID


def test_payment_events_are_read_only(client, staff, track, tiers, make_order, sandbox_pay):
    sandbox_pay(make_order([(track, tiers["creator"])]))
    event = PaymentEvent.objects.get()
    client.force_login(staff)
    page = client.get(reverse("admin:payments_paymentevent_change", args=[event.pk]))
    assert page.status_code == 200 and "Save" not in page.content.decode().split("submit-row")[-1][:400]
    assert client.get(reverse("admin:payments_paymentevent_add")).status_code == 403
