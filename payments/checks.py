"""System checks of the payments settings: `manage.py check --deploy` refuses a Stripe setup without keys."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.compatibility)
def currency_check(app_configs=None, **kwargs) -> list[Error]:
    if not re.fullmatch(r"[a-z]{3}", settings.PAYMENTS_CURRENCY):
        return [
            Error(
                f"PAYMENTS_CURRENCY must be a three-letter ISO 4217 code, got {settings.PAYMENTS_CURRENCY!r}.",
                id="payments.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def stripe_keys_check(app_configs=None, **kwargs) -> list[Error]:
    if settings.PAYMENTS_PROVIDER != "stripe":
        return []
    errors = []
    for name, prefixes in (("STRIPE_SECRET_KEY", ("sk_", "rk_")), ("STRIPE_WEBHOOK_SECRET", ("whsec_",))):
        value = getattr(settings, name, "")
        if not value:
            errors.append(
                Error(
                    f"PAYMENTS_PROVIDER is stripe but {name} is not set.",
                    hint=f"Set {name} in the environment, or PAYMENTS_PROVIDER=sandbox.",
                    id="payments.E002",
                )
            )
        elif not value.startswith(prefixes):
            errors.append(
                Error(
                    f"{name} does not look like a Stripe key (it should start with {' or '.join(prefixes)}).",
                    id="payments.E003",
                )
            )
    return errors
