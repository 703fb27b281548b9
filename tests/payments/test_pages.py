"""The payments pages: the track page's license panel, the cart and checkout, orders."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from catalog.models import Track
from licensing.models import License
from payments import services
from payments.models import CartItem, Order

CART = reverse("payments:cart")
ADD = reverse("payments:cart_add")
CHECKOUT = reverse("payments:checkout")
LICENSEE_FORM = {"licensee_name": "Ada Park", "licensee_email": "ada@example.com", "project": "Vlog"}


def _track_page(client, track) -> str:
    return client.get(reverse("catalog:track", args=[track.slug])).content.decode()


def test_the_track_page_offers_the_tiers_with_prices(client, buyer, track):
    client.force_login(buyer)
    html = _track_page(client, track)
    assert 'action="/payments/cart/add/"' in html
    assert re.search(r'type="radio" name="tier" value="creator"', html)
    assert "$29.00" in html and "$99.00" in html and "Add to cart" in html
    assert 'href="/licenses/tiers/"' in html
    assert 'value="exclusive"' not in html  # not offered by the creator


def test_a_visitor_is_asked_to_log_in_to_buy(client, track):
    html = _track_page(client, track)
    assert "Log in to buy" in html and "$29.00" in html


def test_the_track_page_says_why_a_track_is_not_for_sale(client, creator, track):
    Track.objects.filter(pk=track.pk).update(status=Track.Status.WITHDRAWN)
    client.force_login(creator.user)  # only the creator still sees a withdrawn track's page
    html = _track_page(client, track)
    assert "Not for sale." in html and "withdrawn" in html and "Add to cart" not in html


def test_adding_to_the_cart_ignores_a_tampered_price(client, buyer, track):
    client.force_login(buyer)
    response = client.post(
        ADD, {"track": track.slug, "tier": "commercial", "price_cents": "1", "next": "/x/"}
    )
    assert response.status_code == 302 and response.url == "/x/"
    page = client.get(CART).content.decode()
    assert "$99.00" in page and "$0.01" not in page
    assert '<span class="cart-count">1' in page


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"track": "SLUG"}, "Choose a license tier"),
        ({"track": "nope", "tier": "creator"}, "not available"),
        ({"track": "SLUG", "tier": "gold"}, "tiers on offer"),
    ],
)
def test_adding_bad_input_is_a_400_with_a_message(client, buyer, track, data, words):
    client.force_login(buyer)
    data = {k: (track.slug if v == "SLUG" else v) for k, v in data.items()}
    response = client.post(ADD, data)
    assert response.status_code == 400 and words in response.content.decode()
    assert not CartItem.objects.exists()


def test_checkout_makes_the_order_and_sends_the_buyer_to_pay(client, buyer, track, tiers):
    services.cart_add(user=buyer, track=track, tier=tiers["creator"])
    client.force_login(buyer)
    response = client.post(CHECKOUT, LICENSEE_FORM | {"total_cents": "1"})
    order = Order.objects.get()
    assert response.status_code == 302 and response.url == f"/payments/sandbox/{order.pk}/"
    assert order.total_cents == 2900 and order.licensee_name == "Ada Park"


def test_checkout_of_an_empty_cart_says_so(client, buyer):
    client.force_login(buyer)
    response = client.post(CHECKOUT, LICENSEE_FORM)
    assert response.status_code == 400 and "Your cart is empty" in response.content.decode()
    assert not Order.objects.exists()


def test_checkout_names_the_licensee_field_at_fault(client, buyer, track, tiers):
    services.cart_add(user=buyer, track=track, tier=tiers["creator"])
    client.force_login(buyer)
    response = client.post(CHECKOUT, LICENSEE_FORM | {"licensee_email": "nope"})
    assert response.status_code == 400
    assert response.context["form"].errors["licensee_email"]
    assert not Order.objects.exists()


def test_checkout_of_a_track_that_left_the_catalog_says_why(client, buyer, track, tiers):
    services.cart_add(user=buyer, track=track, tier=tiers["creator"])
    Track.objects.filter(pk=track.pk).update(status=Track.Status.SOLD_EXCLUSIVE)
    client.force_login(buyer)
    response = client.post(CHECKOUT, LICENSEE_FORM)
    html = response.content.decode()
    assert response.status_code == 400 and "Night Vault" in html and "bought out exclusively" in html
    assert not Order.objects.exists()


def test_checkout_of_a_track_held_by_another_buyer_says_so(
    client, buyer, stranger, exclusive_track, tiers, make_order
):
    services.cart_add(user=buyer, track=exclusive_track, tier=tiers["exclusive"])
    make_order([(exclusive_track, tiers["exclusive"])], buyer=stranger)
    client.force_login(buyer)
    response = client.post(CHECKOUT, LICENSEE_FORM)
    assert response.status_code == 400 and "checking out this track exclusively" in response.content.decode()


def test_the_cart_page_lists_lines_and_prefills_the_licensee(client, buyer, track, tiers):
    services.cart_add(user=buyer, track=track, tier=tiers["broadcast"])
    client.force_login(buyer)
    html = client.get(CART).content.decode()
    assert "Night Vault" in html and "Nadia Okafor" in html and "Checkout · $" in html
    assert 'value="buyer@example.com"' in html
    assert 'name="tier"' in html and "Remove" in html


def test_removing_from_the_cart(client, buyer, track, tiers):
    services.cart_add(user=buyer, track=track, tier=tiers["creator"])
    client.force_login(buyer)
    response = client.post(reverse("payments:cart_remove"), {"track": track.slug})
    assert response.status_code == 302 and not CartItem.objects.exists()


def test_the_order_page_shows_the_license_codes(client, buyer, track, tiers, make_order, sandbox_pay):
    order = sandbox_pay(make_order([(track, tiers["creator"])]))
    client.force_login(buyer)
    html = client.get(reverse("payments:order", args=[order.pk])).content.decode()
    code = License.objects.get().code
    assert f'href="/licenses/{code}/"' in html and "Paid" in html and "Sandbox order" in html
    history = client.get(reverse("payments:orders")).content.decode()
    assert "Night Vault" in history and reverse("payments:order", args=[order.pk]) in history


def test_a_stranger_cannot_see_an_order(client, stranger, track, tiers, make_order):
    order = make_order([(track, tiers["creator"])])
    client.force_login(stranger)
    assert client.get(reverse("payments:order", args=[order.pk])).status_code == 404


def test_the_pages_need_an_account(client):
    for url in (CART, reverse("payments:orders")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url
