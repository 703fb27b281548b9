import pytest
from django.contrib.auth import authenticate
from django.db import IntegrityError

from accounts.models import User


@pytest.mark.django_db
def test_it_signs_in_with_email_and_password():
    User.objects.create_user("Buyer@Example.com", "a-long-pass-phrase")
    user = authenticate(username="buyer@example.com", password="a-long-pass-phrase")
    assert user is not None and user.email == "buyer@example.com"
    assert authenticate(username="buyer@example.com", password="wrong") is None


@pytest.mark.django_db
def test_an_email_belongs_to_one_account():
    User.objects.create_user("creator@example.com", "a-long-pass-phrase")
    with pytest.raises(IntegrityError):
        User.objects.create_user("CREATOR@example.com", "another-pass-phrase")


@pytest.mark.django_db
def test_it_refuses_a_user_without_email():
    with pytest.raises(ValueError, match="email"):
        User.objects.create_user("", "a-long-pass-phrase")
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_a_superuser_is_staff():
    admin = User.objects.create_superuser("admin@example.com", "a-long-pass-phrase")
    assert admin.is_staff and admin.is_superuser
