from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from accounts.models import CreatorProfile
from generation import packs, services
from generation.errors import GenerationError
from generation.models import GenerationJob


class Command(BaseCommand):
    help = (
        "Render a prompt pack (.txt, one prompt per line, or .csv) into draft tracks of a creator, here "
        "and now, with a progress bar. Operators only: the creator's quotas do not apply."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("pack", type=Path, help="a .txt or .csv prompt pack")
        parser.add_argument("--creator", required=True, help="the email of the creator the tracks belong to")

    def handle(self, *args, pack: Path, creator: str, **options) -> None:
        profile = CreatorProfile.objects.select_related("user").filter(user__email__iexact=creator).first()
        if profile is None:
            raise CommandError(
                f"No creator has the email {creator!r} (they become one on their account page)."
            )
        try:
            data = pack.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {pack}: {exc.strerror or exc}") from None
        try:
            requests = packs.parse_pack(name=pack.name, data=data)
            jobs = services.jobs_submit(
                owner=profile.user, creator=profile, requests=requests, enqueue=False, check_quota=False
            )
        except GenerationError as exc:
            raise CommandError(exc.message) from None
        failed = 0
        total = sum(job.variations for job in jobs)
        with tqdm(total=total, unit="track", file=self.stderr._out, dynamic_ncols=True) as bar:
            for job in jobs:
                bar.set_description(job.prompt[:40])
                outcome = services.job_run(job_id=job.pk)
                job.refresh_from_db()
                if outcome.status != GenerationJob.Status.SUCCEEDED:
                    failed += 1
                    bar.write(f"failed: {job.prompt[:60]!r}: {job.error_message}")
                bar.update(job.variations)
        made = total - sum(j.variations for j in jobs if j.status != GenerationJob.Status.SUCCEEDED)
        self.stdout.write(self.style.SUCCESS(f"{made} draft tracks made from {len(jobs)} prompts."))
        if failed:
            raise CommandError(f"{failed} of {len(jobs)} prompts failed; retry them from the studio.")
