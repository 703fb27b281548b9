"""A real Celery worker in a subprocess, sharing the database, broker and storage of the process that
started it: the test's (through `Live`) or the benchmark's (through `Worker` and `worker_env`).

The worker is `celery -A config worker` with the prefork pool, as `make run` and production start it,
reading one queue of its own, so messages left over from other runs never reach it.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[2]
TASK = "generation.tasks.run_job"
# "Task generation.tasks.run_job[<id>] succeeded in 3.1s: 'succeeded'" and "... retry: Retry in 7.0s".
_DONE = re.compile(r"Task generation\.tasks\.run_job\[([0-9a-f-]+)\] succeeded in [\d.e-]+s: '?(\w+)'?")
_RETRY = re.compile(r"Task generation\.tasks\.run_job\[([0-9a-f-]+)\] retry: Retry in")


def broker_options(broker_url: str, var_dir: Path) -> dict:
    """The transport options config/settings.py gives a worker whose VAR_DIR is `var_dir`."""
    if broker_url != "filesystem://":
        return {}
    folders = {
        "data_folder_in": var_dir / "broker" / "queue",
        "data_folder_out": var_dir / "broker" / "queue",
        "processed_folder": var_dir / "broker" / "processed",
        "control_folder": var_dir / "broker" / "control",
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {**{k: str(v) for k, v in folders.items()}, "store_processed": False}


def broker_app(broker_url: str, var_dir: Path):
    """A Celery client of the worker's broker, independent of the settings this process started with."""
    from celery import Celery

    app = Celery("cuemarket-client", broker=broker_url, set_as_current=False)
    app.conf.broker_transport_options = broker_options(broker_url, var_dir)
    app.conf.task_serializer = "json"
    return app


def drop_queue(app, name: str) -> None:
    """Drop a queue and what is left in it (on Redis, its binding tables too)."""
    from kombu import Exchange, Queue

    with app.connection_for_write() as connection:
        queue = Queue(name, Exchange(name, type="direct"), routing_key=name)(connection.default_channel)
        queue.declare()
        queue.purge()
        queue.delete()


def worker_env(
    *,
    database_url: str,
    broker_url: str,
    var_dir: Path,
    media_root: Path,
    private_media_root: Path,
    work_dir: Path,
    queue: str,
    lease_seconds: int | None = None,
) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "VAR_DIR": str(var_dir),
        "MEDIA_ROOT": str(media_root),
        "PRIVATE_MEDIA_ROOT": str(private_media_root),
        "GENERATION_WORK_DIR": str(work_dir),
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }
    if lease_seconds is not None:
        env["GENERATION_LEASE_SECONDS"] = str(lease_seconds)
    return env


class Worker:
    """One `celery worker` process (prefork pool) reading `queue`; its output goes to `log_path`."""

    def __init__(self, *, env: dict[str, str], queue: str, log_path: Path, concurrency: int = 1) -> None:
        self.env, self.queue, self.log_path, self.concurrency = env, queue, log_path, concurrency
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 120.0) -> Worker:
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            f"--concurrency={self.concurrency}",
            "--prefetch-multiplier=1",
            "-O",
            "fair",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            self.queue,
            "-n",
            f"{self.queue}-{uuid.uuid4().hex[:6]}@%h",
            "--loglevel=INFO",
        ]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            # A session of its own, so stopping it can reach its pool processes as well.
            self.process = subprocess.Popen(
                command, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_until(lambda: " ready." in self.log(), timeout, "the worker to start", self)
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def log(self) -> str:
        if self.process is not None and self.process.poll() is not None:
            raise WorkerDied(f"the worker exited with {self.process.returncode}:\n{self.tail()}")
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def pool_processes(self) -> list[int]:
        """The pids of the worker's pool processes (its children), read from /proc."""
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == self.pid:
                children.append(int(stat.parent.name))
        return sorted(children)

    def outcomes(self) -> dict[str, str]:
        """Task id -> what run_job returned, for every delivery the worker has finished."""
        return dict(_DONE.findall(self.log()))

    def retried(self) -> set[str]:
        return set(_RETRY.findall(self.log()))

    def wait_for_task(self, task_id: str, timeout: float = 120.0) -> str:
        wait_until(lambda: task_id in self.outcomes(), timeout, f"task {task_id} to finish", self)
        return self.outcomes()[task_id]

    def stop(self, timeout: float = 30.0) -> None:
        """Warm shutdown (SIGTERM: the running task finishes, scheduled retries go back on the queue),
        then SIGKILL to the whole process group if it does not stop in time."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)


class WorkerDied(AssertionError):
    pass


def wait_until(
    predicate: Callable[[], object], timeout: float, what: str, worker: Worker | None = None
) -> object:
    """Poll `predicate` until it returns something true; fail naming `what`, with the worker's log."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            log = f"\nworker log:\n{worker.tail()}" if worker else ""
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}{log}")
        time.sleep(0.05)


# --- for tests -------------------------------------------------------------------------------------


def _postgres_url(db: dict) -> str:
    auth = quote(db.get("USER") or "", safe="")
    if auth and db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = quote(db.get("HOST") or "localhost", safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{'@' if auth else ''}{host}{port}/{quote(db['NAME'], safe='')}"


@contextmanager
def shared_database(folder: Path) -> Iterator[str]:
    """The URL at which another process reaches the test database.

    PostgreSQL: the test database itself. SQLite: pytest-django keeps the test database in this
    process's memory, so it is copied to a file that this process then uses too until the block ends
    (the in-memory one is kept open and put back afterwards, for the tests that follow).
    """
    import pytest
    from django.db import connection

    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        yield _postgres_url(settings_dict)
        return
    if connection.vendor != "sqlite":
        pytest.skip(f"a worker process cannot share a {connection.vendor} test database here")
    if not connection.is_in_memory_db():
        yield f"sqlite:///{settings_dict['NAME']}"
        return
    path = folder / "db.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    in_memory, name = connection.connection, settings_dict["NAME"]
    connection.connection = None
    settings_dict["NAME"] = str(path)
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        settings_dict["NAME"] = name
        connection.connection = in_memory


class Live:
    """A test's view of real workers: they share its database, broker, media roots and a work folder.

    Use as a context manager inside a `transaction=True` test; it starts workers on request and stops
    them, and empties the test's queue, on the way out.
    """

    def __init__(self, folder: Path) -> None:
        from django.conf import settings

        self.folder = folder
        self.var_dir = folder / "var"
        self.work_dir = folder / "work"
        self.broker_url = settings.CELERY_BROKER_URL
        self.media_root = Path(settings.MEDIA_ROOT)
        self.private_media_root = Path(settings.PRIVATE_MEDIA_ROOT)
        self.queue = f"test-{uuid.uuid4().hex}"  # no dots: the file broker splits names at one
        self.workers: list[Worker] = []
        self.database_url = ""

    def __enter__(self) -> Live:
        self._database = shared_database(self.folder)
        self.database_url = self._database.__enter__()
        self.app = broker_app(self.broker_url, self.var_dir)
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            for worker in self.workers:
                worker.stop()
            self._purge()
        finally:
            self._database.__exit__(None, None, None)

    def _purge(self) -> None:
        drop_queue(self.app, self.queue)

    def worker(self, *, concurrency: int = 1, lease_seconds: int | None = None) -> Worker:
        env = worker_env(
            database_url=self.database_url,
            broker_url=self.broker_url,
            var_dir=self.var_dir,
            media_root=self.media_root,
            private_media_root=self.private_media_root,
            work_dir=self.work_dir,
            queue=self.queue,
            lease_seconds=lease_seconds,
        )
        number = len(self.workers) + 1
        worker = Worker(
            env=env, queue=self.queue, log_path=self.folder / f"worker-{number}.log", concurrency=concurrency
        )
        self.workers.append(worker)
        return worker.start()

    def send(self, job) -> str:
        """Deliver `job` to the workers once more (a message of its own); the message's task id."""
        return self.app.send_task(TASK, args=[str(job.pk)], queue=self.queue).id

    def work_dir_contents(self) -> list[str]:
        return sorted(p.name for p in self.work_dir.iterdir()) if self.work_dir.exists() else []


def storage_problems() -> list[str]:
    """What is wrong between the rows and the files: a row whose file is missing or differs from its
    SHA-256, or a file in either storage that no row names (a half-stored track)."""
    from django.conf import settings

    from catalog.models import Track, TrackAsset, TrackEdit

    public: dict[str, str | None] = {}  # name -> expected SHA-256 (None: not recorded)
    private: dict[str, str | None] = {}
    for track in Track.objects.all():
        for file in (track.preview, track.peaks, track.cover):
            if file:
                public[file.name] = None
    for asset in TrackAsset.objects.all():
        private[asset.file.name] = asset.sha256
    for edit in TrackEdit.objects.all():
        for file in (edit.preview, edit.peaks):
            if file:
                public[file.name] = None
        private[edit.master.name] = edit.master_sha256
        private[edit.mp3.name] = edit.mp3_sha256
    problems = []
    for root, expected in ((Path(settings.MEDIA_ROOT), public), (Path(settings.PRIVATE_MEDIA_ROOT), private)):
        on_disk = (
            {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()
        )
        problems += [f"orphan file {root / name}" for name in sorted(on_disk - set(expected))]
        for name, sha256 in sorted(expected.items()):
            if name not in on_disk:
                problems.append(f"missing file {root / name}")
            elif sha256 and hashlib.sha256((root / name).read_bytes()).hexdigest() != sha256:
                problems.append(f"{root / name} differs from its SHA-256")
    return problems
