import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-pass-phrase"


def test_the_emailed_link_sets_a_new_password(client, buyer):
    response = client.post(reverse("accounts:password_reset"), {"email": "BUYER@example.com"})
    assert response["Location"] == reverse("accounts:password_reset_done")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["buyer@example.com"]
    assert "\n" not in message.subject and "Reset your password" in message.subject
    link = re.search(r"https?://testserver(/\S+)", message.body).group(1)

    # Django trades the token in the link for one kept in the session, then asks for the new password.
    form_url = client.get(link)["Location"]
    assert client.get(form_url).context["validlink"] is True
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert client.get(response["Location"]).status_code == 200

    buyer.refresh_from_db()
    assert buyer.check_password(NEW_PASSWORD)
    assert client.login(username="buyer@example.com", password=NEW_PASSWORD)


def test_a_used_link_says_it_no_longer_works(client, buyer):
    client.post(reverse("accounts:password_reset"), {"email": buyer.email})
    link = re.search(r"https?://testserver(/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = client.get(link, follow=True)
    assert response.context["validlink"] is False
    assert "This link no longer works" in response.content.decode()


def test_an_unknown_email_sends_nothing_and_reveals_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []
