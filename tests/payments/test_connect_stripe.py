"""Connect onboarding through the real `stripe` client against the stand-in: Express accounts, account
links (fresh ones through the refresh URL) and `account.updated` events of connected accounts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from payments.models import ConnectAccount, PaymentEvent
from tests.fakes.stripe_server import deliver

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.fakes.stripe_server"]


@pytest.fixture
def creator_client(client, creator):
    client.force_login(creator.user)
    return client


def _start(creator_client):
    return creator_client.post(reverse("payments:connect_start"))


def test_it_creates_an_express_account_and_sends_the_creator_to_its_link(
    stripe_standin, creator_client, creator
):
    response = _start(creator_client)
    account = ConnectAccount.objects.get(creator=creator)
    assert account.provider == "stripe" and not account.payouts_enabled
    created = stripe_standin.accounts[account.account_id]
    assert created["type"] == "express" and created["email"] == creator.user.email
    assert created["metadata"] == {"creator_id": str(creator.pk)}
    (call,) = stripe_standin.calls("POST", "/v1/accounts")
    assert call.params["capabilities"] == {"transfers": {"requested": "true"}}
    assert call.idempotency_key == f"creator-{creator.pk}-account"
    (link,) = stripe_standin.account_links
    assert response.status_code == 302 and response["Location"] == link["url"]
    assert link["account"] == account.account_id
    (link_call,) = stripe_standin.calls("POST", "/v1/account_links")
    assert link_call.params["refresh_url"].endswith(reverse("payments:connect_refresh"))
    assert link_call.params["return_url"].endswith(reverse("payments:connect_return"))
    assert link_call.params["type"] == "account_onboarding"


def test_an_expired_link_is_replaced_through_the_refresh_url(stripe_standin, creator_client, creator):
    first = _start(creator_client)["Location"]
    again = creator_client.get(reverse("payments:connect_refresh"))
    assert again.status_code == 302 and again["Location"] != first
    assert len(stripe_standin.accounts) == 1  # the same account, a new link
    assert [link["url"] for link in stripe_standin.account_links] == [first, again["Location"]]


def test_returning_from_onboarding_reads_the_accounts_state(stripe_standin, creator_client, creator):
    _start(creator_client)
    account = ConnectAccount.objects.get(creator=creator)
    stripe_standin.onboard(account.account_id)
    response = creator_client.get(reverse("payments:connect_return"), follow=True)
    account.refresh_from_db()
    assert account.payouts_enabled and account.charges_enabled and account.details_submitted
    assert "payout account is ready" in response.content.decode()


def test_account_updated_events_record_the_flags_once_and_in_order(
    client, stripe_standin, creator_client, creator
):
    _start(creator_client)
    account = ConnectAccount.objects.get(creator=creator)
    url = reverse("payments:stripe_webhook")
    ready = stripe_standin.onboard(account.account_id)
    newer = stripe_standin.event("account.updated", ready, account=account.account_id, created=2_000_000_000)
    older = stripe_standin.event(
        "account.updated",
        ready | {"payouts_enabled": False, "charges_enabled": False},
        account=account.account_id,
        created=1_900_000_000,
    )
    assert deliver(client, url, newer, stripe_standin.webhook_secret).json()["result"] == (
        "account updated: payouts enabled"
    )
    assert deliver(client, url, newer, stripe_standin.webhook_secret).json()["result"] == "duplicate"
    deliver(client, url, older, stripe_standin.webhook_secret)  # late, and stale: ignored
    account.refresh_from_db()
    assert account.payouts_enabled and account.charges_enabled
    assert PaymentEvent.objects.filter(type="account.updated").count() == 2


def test_an_event_about_an_unknown_account_changes_nothing(client, stripe_standin):
    event = stripe_standin.event(
        "account.updated", {"id": "acct_unknown", "payouts_enabled": True}, account="acct_unknown"
    )
    response = deliver(client, reverse("payments:stripe_webhook"), event, stripe_standin.webhook_secret)
    assert response.status_code == 200 and response.json()["result"] == "ignored: no such payout account"


def test_events_signed_with_the_connect_secret_are_accepted(
    client, stripe_standin, settings, creator_client, creator
):
    settings.STRIPE_CONNECT_WEBHOOK_SECRET = "whsec_connect_endpoint"
    _start(creator_client)
    account = ConnectAccount.objects.get(creator=creator)
    event = stripe_standin.event(
        "account.updated", stripe_standin.onboard(account.account_id), account=account.account_id
    )
    response = deliver(client, reverse("payments:stripe_webhook"), event, "whsec_connect_endpoint")
    assert response.status_code == 200
    assert deliver(client, reverse("payments:stripe_webhook"), event, "whsec_forged").status_code == 400
    account.refresh_from_db()
    assert account.payouts_enabled


def test_a_refused_account_creation_is_shown_not_raised(stripe_standin, creator_client, creator):
    stripe_standin.fail_next("/v1/accounts", status=400, message="Connect is not enabled for this platform.")
    response = creator_client.post(reverse("payments:connect_start"), follow=True)
    assert response.status_code == 200
    assert "Connect is not enabled" in response.content.decode()
    assert not ConnectAccount.objects.exists()


def test_a_buyer_without_a_creator_profile_is_sent_to_become_one(client, buyer):
    client.force_login(buyer)
    response = client.post(reverse("payments:connect_start"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:become_creator")
