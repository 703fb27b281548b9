"""Generation benchmark: jobs per minute through one real worker, and submit to first playable take.

    python bench/generation.py [--jobs N] [--duration S] [--database-url URL] [--keep]

One `celery worker` (prefork, concurrency 1), started here, renders jobs submitted through the real
service (`jobs_submit`, queued after commit). The broker is CELERY_BROKER_URL (the file broker by
default, in a temporary folder; on Redis a queue of the benchmark's own). The database is the
benchmark's own: a temporary SQLite file, or with DATABASE_URL (or --database-url) on PostgreSQL a
database `bench_generation` on that server, created and dropped. Progress goes to stderr; the JSON also
lands in var/bench/generation.json. See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.catalog import Database, machine  # noqa: E402  (needs the path above)
from bench.engine import rounded, to_json  # noqa: E402

PROMPTS = [
    "driving synthwave for a night drive",
    "calm piano, slow and reflective",
    "uplifting corporate background for a product video",
    "chill lo-fi hip hop beat to study to",
    "epic orchestral trailer with big drums",
    "warm acoustic folk with fingerpicked guitar",
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def database_url(given: str | None, scratch: Path) -> str:
    """--database-url, else the PostgreSQL server of DATABASE_URL (a database of our own on it), else a
    SQLite file in the temporary folder."""
    if given:
        return given
    env = os.environ.get("DATABASE_URL", "")
    if urlsplit(env).scheme in ("postgres", "postgresql", "pgsql"):
        return urlunsplit(urlsplit(env)._replace(path="/bench_generation", query=""))
    return f"sqlite:///{scratch / 'bench.sqlite3'}"


def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)} if values else {}


class Bench:
    def __init__(self, args, scratch: Path, database: Database) -> None:
        self.args, self.scratch, self.database = args, scratch, database
        self.broker_url = os.environ.get("CELERY_BROKER_URL", "filesystem://")
        self.queue = f"bench-{uuid.uuid4().hex}"
        self.var_dir = scratch / "var"

    def setup_django(self) -> None:
        import django

        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "DATABASE_URL": self.database.url,
                "VAR_DIR": str(self.var_dir),
                "CELERY_BROKER_URL": self.broker_url,
                "CELERY_TASK_DEFAULT_QUEUE": self.queue,
                "CELERY_TASK_ALWAYS_EAGER": "false",
                "GENERATION_MAX_ACTIVE_JOBS": str(max(25, self.args.jobs)),
                "GENERATION_DAILY_AUDIO_SECONDS": str(int(self.args.duration * (self.args.jobs + 2)) + 60),
            }
        )
        django.setup()

    def start_worker(self):
        from django.conf import settings

        from tests.generation.worker import Worker, worker_env

        env = worker_env(
            database_url=self.database.url,
            broker_url=self.broker_url,
            var_dir=self.var_dir,
            media_root=Path(settings.MEDIA_ROOT),
            private_media_root=Path(settings.PRIVATE_MEDIA_ROOT),
            work_dir=settings.GENERATION_WORK_DIR,
            queue=self.queue,
        )
        self.worker = Worker(env=env, queue=self.queue, log_path=self.scratch / "worker.log", concurrency=1)
        return self.worker.start(timeout=300)

    def wait(self, jobs: list, first_take: dict | None = None) -> float:
        """Poll until every job has finished; note when each job's first take became playable."""
        from generation.models import GenerationJob, JobVariation
        from tests.generation.worker import wait_until

        ids = [job.pk for job in jobs]

        def finished() -> bool:
            if first_take is not None:
                for job_id in JobVariation.objects.filter(
                    job_id__in=ids, status=JobVariation.Status.DONE
                ).values_list("job_id", flat=True):
                    first_take.setdefault(job_id, time.perf_counter())
            active = GenerationJob.objects.filter(pk__in=ids, status__in=GenerationJob.ACTIVE).exists()
            return not active

        wait_until(finished, 600 + 120 * len(jobs), "the jobs to finish", self.worker)
        done = time.perf_counter()
        failed = GenerationJob.objects.filter(pk__in=ids).exclude(status=GenerationJob.Status.SUCCEEDED)
        if failed.exists():
            job = failed.first()
            raise SystemExit(f"job {job.pk} {job.status}: {job.error_code} {job.error_message}")
        return done

    def submit(self, creator, count: int, offset: int) -> list:
        from generation import services

        requests = [
            services.JobRequest(
                prompt=PROMPTS[(offset + i) % len(PROMPTS)],
                params={"duration": self.args.duration},
                seed=offset + i + 1,
            )
            for i in range(count)
        ]
        return services.jobs_submit(owner=creator.user, creator=creator, requests=requests)

    def single(self, creator, offset: int) -> dict:
        """One job on an idle worker: submit to first playable take (the job has one)."""
        from generation.models import GenerationJob

        started = time.perf_counter()
        [job] = self.submit(creator, 1, offset)
        first_take: dict = {}
        done = self.wait([job], first_take)
        job = GenerationJob.objects.get(pk=job.pk)
        variation = job.variation_set.get()
        return {
            # The take is noted by polling; one that finished between two looks counts as the job's end.
            "first_playable_s": first_take.get(job.pk, done) - started,
            "job_s": done - started,
            "queue_wait_s": (job.started_at - job.created_at).total_seconds(),
            "variation_s": variation.seconds,
        }

    def throughput(self, creator, offset: int) -> dict:
        from generation.models import GenerationJob

        count = self.args.jobs
        started = time.perf_counter()
        jobs = self.submit(creator, count, offset)
        done = self.wait(jobs)
        elapsed = done - started
        rows = GenerationJob.objects.filter(pk__in=[j.pk for j in jobs])
        run_s = [(j.finished_at - j.started_at).total_seconds() for j in rows]
        return {
            "jobs": count,
            "elapsed_s": elapsed,
            "jobs_per_minute": count * 60 / elapsed,
            "audio_seconds_per_second": count * self.args.duration / elapsed,
            "job_run_s": summary(run_s),
            "variation_s": summary([j.variation_set.get().seconds for j in rows]),
        }

    def run(self) -> dict:
        from django.core.management import call_command

        from accounts.models import CreatorProfile, User
        from generation import services

        report: dict = {"setup": {}}
        started = time.perf_counter()
        self.database.prepare(reuse=False)
        call_command("migrate", interactive=False, verbosity=0)
        report["setup"]["migrate_s"] = time.perf_counter() - started
        user = User.objects.create_user("bench-creator@example.com", "bench-pass-123")
        creator = CreatorProfile.objects.create(user=user, display_name="Bench", slug="bench")
        # Submitting parses the prompt here too; load that model first, as a running web process has.
        started = time.perf_counter()
        services.resolve_brief(PROMPTS[0], {})
        report["setup"]["prompt_model_load_s"] = time.perf_counter() - started
        started = time.perf_counter()
        self.start_worker()
        report["setup"]["worker_start_s"] = time.perf_counter() - started
        try:
            log("one job on a fresh worker (its pool process loads the prompt model)")
            report["first_job_cold"] = self.single(creator, 0)
            log("one job on the idle, warm worker")
            report["first_job_warm"] = self.single(creator, 1)
            log(f"{self.args.jobs} jobs of {self.args.duration:g} s, submitted at once")
            report["throughput"] = self.throughput(creator, 2)
        finally:
            from tests.generation.worker import broker_app, drop_queue

            self.worker.stop(timeout=60)
            drop_queue(broker_app(self.broker_url, self.var_dir), self.queue)
        report["settings"] = {
            "broker": urlsplit(self.broker_url).scheme,
            "database": self.database.url.split(":", 1)[0],
            "worker": "prefork, concurrency 1, prefetch 1",
            "duration_s": self.args.duration,
            "variations_per_job": 1,
        }
        return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=6, help="jobs in the throughput run (default 6)")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of audio per job (default 30)")
    parser.add_argument("--database-url", help="default: see the module docstring")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (worker log, media)")
    args = parser.parse_args(argv)
    if not 1 <= args.jobs <= 200:
        parser.error("--jobs is 1 to 200")
    if not 5 <= args.duration <= 600:
        parser.error("--duration is 5 to 600 seconds")

    scratch = Path(tempfile.mkdtemp(prefix="generation-bench-"))
    database = Database(database_url(args.database_url, scratch))
    bench = Bench(args, scratch, database)
    bench.setup_django()
    started = time.perf_counter()
    report: dict = {"machine": machine()}
    try:
        report.update(bench.run())
    finally:
        from django.db import connections

        connections.close_all()
        if database.created:
            database.drop()
        if args.keep:
            log(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    report["machine"]["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)
    report["elapsed_s"] = round(time.perf_counter() - started, 1)
    text = to_json(rounded(report))
    out = ROOT / "var" / "bench" / "generation.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
