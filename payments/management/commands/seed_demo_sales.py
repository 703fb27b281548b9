"""Demo sales and a payout in the sandbox, so a fresh install shows a whole cycle from sale to payout."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import CreatorProfile, User
from catalog.models import Track
from licensing.models import LicenseTier
from licensing.money import format_money
from payments import payouts, services
from payments.models import Order, PayoutRun
from payments.providers import sandbox

TIERS = ("creator", "commercial", "broadcast", "creator")


class Command(BaseCommand):
    help = (
        "Sandbox only: the demo buyer licenses a few of the demo creator's tracks, the creator's simulated "
        "payout account is set up and paid, and one more sale stays pending (idempotent)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--buyer", default="buyer@example.com")
        parser.add_argument("--creator", default="creator@example.com")

    def handle(self, *args, buyer: str, creator: str, **options) -> None:
        if settings.PAYMENTS_PROVIDER != "sandbox":
            self.stdout.write("Payments are not in the sandbox: no demo sales made.")
            return
        buyer_user = User.objects.filter(email=buyer).first()
        profile = CreatorProfile.objects.filter(user__email=creator).first()
        if buyer_user is None or profile is None:
            raise CommandError(f"Run seed_demo first: {buyer} and the creator {creator} must exist.")
        if Order.objects.filter(buyer=buyer_user, paid_at__isnull=False).exists():
            self.stdout.write("Demo sales exist already.")
            return
        tracks = list(Track.objects.filter(creator=profile, status=Track.Status.PUBLISHED).order_by("id")[:4])
        if len(tracks) < len(TIERS):
            raise CommandError("The demo creator needs at least four published tracks.")
        tiers = {tier.slug: tier for tier in LicenseTier.objects.filter(slug__in=TIERS)}
        for track, slug in zip(tracks[:3], TIERS[:3], strict=True):
            self._sell(buyer_user, track, tiers[slug])
        payouts.connect_onboarding_link(
            creator=profile, refresh_url=settings.SITE_URL, return_url=settings.SITE_URL
        )
        payouts.connect_sandbox_complete(creator=profile)
        # The demo pays at once; real runs wait for the refund hold (PAYOUT_HOLD_DAYS).
        run = payouts.payouts_run(trigger=PayoutRun.Trigger.DEMO, creators=[profile], hold_days=0)
        self._sell(buyer_user, tracks[3], tiers[TIERS[3]])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo sales ready: {run.paid_count} sandbox payout of "
                f"{format_money(run.paid_cents, settings.PAYMENTS_CURRENCY)}, "
                "and one sale pending for the next payout."
            )
        )

    def _sell(self, buyer: User, track: Track, tier: LicenseTier) -> None:
        order = services.order_create(
            buyer=buyer,
            lines=[(track, tier)],
            licensee_name="Demo Buyer",
            licensee_email=buyer.email,
            project="Demo project",
        )
        order = services.order_checkout_begin(
            order=order, success_url=settings.SITE_URL, cancel_url=settings.SITE_URL
        )
        body, signature = sandbox.event_build(order=order)
        sandbox.event_receive(body=body, signature=signature)
