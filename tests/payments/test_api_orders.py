"""The orders API: its contract, errors that name the field, who may read and pay an order."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from catalog.models import Track
from licensing.models import License
from payments.models import Order
from tests.payments.conftest import LICENSEE

ORDERS = "/api/v1/orders/"


def _order_url(pk, action: str = "") -> str:
    return f"{ORDERS}{pk}/{action}"


@pytest.fixture
def body(track, other_track):
    return {
        "lines": [{"track": track.slug, "tier": "creator"}, {"track": other_track.slug, "tier": "commercial"}]
    } | LICENSEE


def test_it_places_an_order_and_says_where_to_pay(api, buyer, body, track):
    api.force_authenticate(buyer)
    response = api.post(ORDERS, body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    order = Order.objects.get()
    assert data["id"] == str(order.pk) and data["status"] == "pending" and data["provider"] == "sandbox"
    assert data["checkout_url"] == f"http://testserver/payments/sandbox/{order.pk}/"
    assert data["total_cents"] == 2900 + 9900 and data["currency"] == "usd" and data["licenses"] == []
    first = data["lines"][0]
    assert {k: first[k] for k in ("track", "tier", "price_cents", "currency", "license")} == {
        "track": track.slug,
        "tier": "creator",
        "price_cents": 2900,
        "currency": "usd",
        "license": "",
    }
    assert first["terms_sha256"] == order.lines.order_by("id")[0].terms_sha256
    assert data["licensee_organisation"] == "Northwind Films"


def test_a_price_sent_by_the_client_is_ignored(api, buyer, body):
    api.force_authenticate(buyer)
    body["lines"][0]["price_cents"] = 1
    body["total_cents"] = 2
    data = api.post(ORDERS, body, format="json").json()
    assert data["lines"][0]["price_cents"] == 2900 and data["total_cents"] == 2900 + 9900


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lines": []}, "lines"),
        ({"lines": "creator"}, "lines"),
        ({"lines": [{"track": "x"}]}, "lines[0].tier"),
        ({"lines": [{"track": "no-such-track", "tier": "creator"}]}, "lines[0].track"),
        ({"lines": [{"track": "TRACK", "tier": "platinum"}]}, "lines[0].tier"),
        ({"lines": [{"track": "TRACK", "tier": "exclusive"}]}, "lines[0].tier"),
        ({"licensee_email": "nope"}, "licensee_email"),
        ({"licensee_name": ""}, "licensee_name"),
        ({"project": "p" * 200}, "project"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, buyer, body, track, change, field):
    api.force_authenticate(buyer)
    for line in change.get("lines", []) if isinstance(change.get("lines"), list) else []:
        if line.get("track") == "TRACK":
            line["track"] = track.slug
    response = api.post(ORDERS, body | change, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("status", "words"),
    [("withdrawn", "withdrawn"), ("taken_down", "taken down"), ("sold_exclusive", "exclusively")],
)
def test_a_track_that_left_the_catalog_is_refused_with_the_reason(api, buyer, body, track, status, words):
    Track.objects.filter(pk=track.pk).update(status=status)
    api.force_authenticate(buyer)
    response = api.post(ORDERS, body, format="json")
    assert response.status_code == 400
    assert words in response.json()["lines[0].track"][0]


def test_a_held_exclusive_is_refused_with_a_clear_message(
    api, buyer, stranger, exclusive_track, make_order, tiers
):
    make_order([(exclusive_track, tiers["exclusive"])], buyer=stranger)
    api.force_authenticate(buyer)
    response = api.post(
        ORDERS, {"lines": [{"track": exclusive_track.slug, "tier": "exclusive"}]} | LICENSEE, format="json"
    )
    assert response.status_code == 400
    assert "checking out this track exclusively" in response.json()["lines[0].track"][0]


def test_a_visitor_is_refused(api, body):
    assert api.post(ORDERS, body, format="json").status_code in (401, 403)
    assert api.get(ORDERS).status_code in (401, 403)
    assert not Order.objects.exists()


def test_the_buyer_and_staff_read_an_order_and_a_stranger_does_not(
    api, buyer, stranger, track, tiers, make_order
):
    order = make_order([(track, tiers["creator"])])
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=buyer).key}")
    assert api.get(_order_url(order.pk)).json()["id"] == str(order.pk)
    assert [o["id"] for o in api.get(ORDERS).json()["results"]] == [str(order.pk)]
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=stranger).key}")
    assert api.get(_order_url(order.pk)).status_code == 404
    assert api.get(ORDERS).json()["results"] == []
    stranger.is_staff = True
    stranger.save()
    assert api.get(_order_url(order.pk)).status_code == 200
    assert api.get(_order_url("not-a-uuid")).status_code == 404


def test_sandbox_pay_pays_and_returns_the_licenses(api, buyer, track, tiers, make_order):
    order = make_order([(track, tiers["creator"])])
    api.force_authenticate(buyer)
    response = api.post(_order_url(order.pk, "sandbox-pay/"))
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "paid" and data["checkout_url"] is None
    assert data["licenses"] == [License.objects.get().code] == [data["lines"][0]["license"]]
    again = api.post(_order_url(order.pk, "sandbox-pay/"))
    assert again.status_code == 409 and "paid" in again.json()["detail"]
    assert License.objects.count() == 1


def test_sandbox_pay_is_for_the_buyer_and_the_sandbox_only(
    api, buyer, stranger, settings, track, tiers, make_order
):
    order = make_order([(track, tiers["creator"])])
    stranger.is_staff = True
    stranger.save()
    api.force_authenticate(stranger)
    assert api.post(_order_url(order.pk, "sandbox-pay/")).status_code == 404
    api.force_authenticate(buyer)
    settings.PAYMENTS_PROVIDER = "stripe"
    response = api.post(_order_url(order.pk, "sandbox-pay/"))
    assert response.status_code == 404 and "sandbox" in response.json()["detail"]
    assert Order.objects.get(pk=order.pk).status == "pending"


def test_the_schema_documents_the_orders_endpoints(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    assert {"/api/v1/orders/", "/api/v1/orders/{id}/", "/api/v1/orders/{id}/sandbox-pay/"} <= set(
        schema["paths"]
    )
