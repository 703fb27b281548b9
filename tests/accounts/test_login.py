import pytest
from django.urls import reverse

from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_login_page_asks_for_an_email(client):
    response = client.get(reverse("accounts:login"))
    html = response.content.decode()
    assert '<label for="id_username">Email' in html
    assert 'type="email"' in html
    assert reverse("accounts:password_reset") in html
    assert reverse("accounts:signup") in html


def test_it_logs_in_with_the_email_in_any_capitals(client, buyer):
    response = client.post(reverse("accounts:login"), {"username": "Buyer@Example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:browse")
    assert int(client.session["_auth_user_id"]) == buyer.pk


def test_a_wrong_password_is_shown_above_the_form(client, buyer):
    response = client.post(reverse("accounts:login"), {"username": buyer.email, "password": "nope"})
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_takes_a_post_only(client, buyer):
    client.force_login(buyer)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
