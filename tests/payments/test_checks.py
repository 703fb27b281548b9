"""`manage.py check --deploy` refuses the Stripe provider without its keys."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError


def test_it_fails_loudly_without_the_stripe_keys(settings):
    settings.PAYMENTS_PROVIDER = "stripe"
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    with pytest.raises(SystemCheckError, match="STRIPE_SECRET_KEY is not set") as caught:
        call_command("check", "--deploy", "--tag", "security")
    assert "STRIPE_WEBHOOK_SECRET is not set" in str(caught.value)


def test_it_refuses_a_key_that_is_not_a_stripe_key(settings):
    settings.PAYMENTS_PROVIDER = "stripe"
    settings.STRIPE_SECRET_KEY = "pk_live_publishable"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_ok"
    with pytest.raises(SystemCheckError, match="does not look like a Stripe key"):
        call_command("check", "--deploy", "--tag", "security")


def test_the_sandbox_needs_no_keys(settings):
    from payments.checks import stripe_keys_check

    settings.PAYMENTS_PROVIDER = "sandbox"
    settings.STRIPE_SECRET_KEY = ""
    assert stripe_keys_check() == []


def test_a_bad_currency_is_refused(settings):
    from payments.checks import currency_check

    settings.PAYMENTS_CURRENCY = "dollars"
    assert [e.id for e in currency_check()] == ["payments.E001"]
