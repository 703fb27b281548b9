import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/me/"


@pytest.fixture
def api():
    return APIClient()


def test_it_exchanges_email_and_password_for_a_token(api, buyer):
    response = api.post(TOKEN_URL, {"email": "Buyer@Example.com", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=buyer).key}
    again = api.post(TOKEN_URL, {"email": buyer.email, "password": PASSWORD}, format="json")
    assert again.json() == response.json()


def test_a_wrong_password_is_a_non_field_error(api, buyer):
    response = api.post(TOKEN_URL, {"email": buyer.email, "password": "nope"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with the email and password given."]}
    assert not Token.objects.exists()


def test_a_missing_field_is_named(api):
    response = api.post(TOKEN_URL, {"email": "buyer@example.com"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["password"]


def test_the_token_authenticates_me(api, creator):
    token = api.post(TOKEN_URL, {"email": creator.email, "password": PASSWORD}, format="json").json()["token"]
    response = APIClient().get(ME_URL, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert response.json() == {
        "email": "creator@example.com",
        "is_creator": True,
        "creator_slug": "night-owl",
        "is_reviewer": False,
    }


def test_the_session_authenticates_me(client, reviewer):
    client.force_login(reviewer)
    response = client.get(ME_URL)
    assert response.status_code == 200
    assert response.json() == {
        "email": "reviewer@example.com",
        "is_creator": False,
        "creator_slug": None,
        "is_reviewer": True,
    }


def test_a_stranger_is_refused(api):
    assert api.get(ME_URL).status_code in (401, 403)
    # 401 or 403 depending on which authentication class the settings list first.
    assert api.get(ME_URL, HTTP_AUTHORIZATION="Token not-a-token").status_code in (401, 403)


def test_the_schema_documents_the_token_endpoint(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert set(operation["responses"]) >= {"200", "400"}
    assert "/api/v1/me/" in schema["paths"]
