import pytest
from django.urls import reverse

from accounts import services
from accounts.errors import EmailTaken, WeakPassword
from accounts.models import User
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _signup(client, email, password1=PASSWORD, password2=None, **extra):
    data = {"email": email, "password1": password1, "password2": password2 or password1, **extra}
    return client.post(reverse("accounts:signup"), data)


def test_the_page_shows_a_labelled_form(client):
    response = client.get(reverse("accounts:signup"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_email">Email' in html
    assert '<label for="id_password1">Password' in html
    assert reverse("accounts:login") in html


def test_it_creates_the_account_and_logs_in(client):
    response = _signup(client, "  New.Buyer@Example.COM ")
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:browse")
    user = User.objects.get()
    assert user.email == "new.buyer@example.com"
    assert user.check_password(PASSWORD)
    assert int(client.session["_auth_user_id"]) == user.pk


def test_it_follows_next_on_this_site_only(client):
    response = _signup(client, "one@example.com", next="/accounts/creator/")
    assert response["Location"] == "/accounts/creator/"
    client.logout()
    response = _signup(client, "two@example.com", next="https://evil.example/steal")
    assert response["Location"] == reverse("catalog:browse")


def test_an_email_taken_in_other_capitals_is_an_error_on_email(client, buyer):
    response = _signup(client, "BUYER@example.com")
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "An account with this email already exists. Log in or reset your password."
    ]
    assert 'aria-invalid="true"' in response.content.decode()
    assert User.objects.count() == 1
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("password", ["password", "12345678901", "short"])
def test_a_weak_password_is_an_error_on_password(client, password):
    response = _signup(client, "weak@example.com", password1=password)
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.exists()


def test_two_different_passwords_are_an_error_on_the_second(client):
    response = _signup(client, "typo@example.com", password2=PASSWORD + "x")
    assert list(response.context["form"].errors) == ["password2"]
    assert not User.objects.exists()


def test_missing_fields_are_named(client):
    response = client.post(reverse("accounts:signup"), {})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"email", "password1", "password2"}


def test_the_service_refuses_a_taken_email_and_a_weak_password(buyer):
    with pytest.raises(EmailTaken):
        services.user_signup(email=" BUYER@example.com", password=PASSWORD)
    with pytest.raises(WeakPassword) as caught:
        services.user_signup(email="new@example.com", password="password")
    assert caught.value.field == "password" and caught.value.messages
    assert User.objects.count() == 1
