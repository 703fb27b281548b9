from django.core.management.base import BaseCommand, CommandError

from generation import demo


class Command(BaseCommand):
    help = (
        "Create the demo users, a demo catalog of published cues made by the engine and two tracks in"
        " review (idempotent)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--tracks", type=int, default=None, help=f"only the first N of {len(demo.CUES)} cues"
        )

    def handle(self, *args, tracks: int | None = None, **options) -> None:
        if tracks is not None and not 0 <= tracks <= len(demo.CUES):
            raise CommandError(f"--tracks must be from 0 to {len(demo.CUES)}")
        made = demo.seed(count=tracks, report=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Demo catalog ready ({made} new tracks)."))
