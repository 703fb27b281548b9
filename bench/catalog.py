"""Catalog search benchmark: the track list API on a large catalog, timed, printed as one JSON object.

    python bench/catalog.py [--tracks N] [--requests N] [--database-url URL] [--keep] [--reuse]

Needs PostgreSQL (`--allow-sqlite` permits a SQLite URL for a dry run of the script itself). The
database is the benchmark's own: created if missing, dropped at the end unless --keep. Progress goes to
stderr; the JSON also lands in var/bench/catalog.json. See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.engine import rounded, to_json  # noqa: E402  (needs the path above)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_catalog"
GOALS_MS = {"facet": 50.0, "semantic": 100.0, "semantic_new_query": 100.0}

# (label, query parameters). "{creator}" becomes the slug of the creator with the most tracks.
FACET_QUERIES: list[tuple[str, dict]] = [
    ("newest", {}),
    ("genre", {"genre": "cinematic"}),
    ("genre+mood", {"genre": "lofi", "mood": "calm"}),
    ("mood+instrument", {"mood": "tense", "instrument": "strings"}),
    ("bpm range", {"bpm_min": 118, "bpm_max": 128}),
    ("key+mode", {"key": "D", "mode": "minor"}),
    ("duration range", {"duration_min": 25, "duration_max": 35}),
    ("energy, fastest", {"energy": "high", "ordering": "-bpm"}),
    ("deep page", {"page": 50}),
    ("creator", {"creator": "{creator}"}),
    (
        "genres+energy+bpm, shortest",
        {"genre": ["house", "synthwave"], "energy": "high", "bpm_min": 110, "ordering": "duration"},
    ),
    ("moods+instrument+length", {"mood": ["happy", "uplifting"], "instrument": "piano", "duration_max": 60}),
]
SEMANTIC_QUERIES: list[tuple[str, dict]] = [
    ("heist", {"q": "music for a tense heist scene"}),
    ("travel vlog", {"q": "sunny travel vlog"}),
    ("meditation", {"q": "calm piano for a meditation app"}),
    ("trailer", {"q": "epic trailer with choir and big drums"}),
    ("night drive", {"q": "nostalgic 80s night drive"}),
    ("product launch", {"q": "upbeat background for a tech product launch"}),
    ("study", {"q": "chill beats to study to"}),
    ("boss fight", {"q": "dark aggressive beat for a boss fight"}),
    ("heist, cinematic", {"q": "music for a tense heist scene", "genre": "cinematic"}),
    ("vlog, high energy", {"q": "sunny travel vlog", "energy": "high", "bpm_min": 90}),
    ("bar, short", {"q": "romantic jazz in a late night bar", "duration_max": 60}),
    ("drive, slowest", {"q": "nostalgic 80s night drive", "ordering": "bpm"}),
    ("launch, longest", {"q": "upbeat background for a tech product launch", "ordering": "-duration"}),
    ("study, page 3", {"q": "chill beats to study to", "page": 3}),
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Database:
    """The benchmark's own database: made before Django starts, dropped after unless kept."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.postgres = parts.scheme in ("postgres", "postgresql", "pgsql")
        self.created = False
        if self.postgres:
            self.url = url
            self.name = parts.path.lstrip("/")
            self.admin_url = urlunsplit(parts._replace(path="/postgres"))
            return
        # sqlite:///relative.db or sqlite:////absolute.db; a bare sqlite:// means a temporary file
        # (an in-memory database would vanish with the first closed connection).
        self.folder = None if parts.path[1:] else Path(tempfile.mkdtemp(prefix="catalog-bench-"))
        self.name = parts.path[1:] or str(self.folder / "bench.sqlite3")
        self.url = f"sqlite:///{self.name}"

    def _admin(self, statement, params: tuple = ()) -> list:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            cursor = conn.execute(statement, params or None)
            return cursor.fetchall() if cursor.description else []

    def exists(self) -> bool:
        if not self.postgres:
            return Path(self.name).exists()
        return bool(self._admin("SELECT 1 FROM pg_database WHERE datname = %s", (self.name,)))

    def prepare(self, reuse: bool) -> bool:
        """Create the database (an earlier benchmark's is dropped first). True if tracks must be made."""
        if self.exists():
            if reuse:
                return False
            # Only a database named like the benchmark's own is ever dropped.
            if not Path(self.name).name.startswith("bench"):
                raise SystemExit(f"database {self.name!r} exists and is not a benchmark's; not dropping it")
            self.drop()
        if self.postgres:
            from psycopg import sql

            self._admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))
        self.created = True
        return True

    def drop(self) -> None:
        if self.postgres:
            from psycopg import sql

            self._admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name)))
        else:
            Path(self.name).unlink(missing_ok=True)
            if self.folder:
                self.folder.rmdir()


def percentiles(values: list[float], digits: int = 1) -> dict:
    arr = np.asarray(values, dtype=np.float64)
    return {
        "n": int(arr.size),
        "p50": round(float(np.percentile(arr, 50)), digits),
        "p95": round(float(np.percentile(arr, 95)), digits),
        "max": round(float(arr.max()), digits),
    }


def sql_time_ms(statements: list[str]) -> float:
    """The request's SQL run again straight on a cursor, rows fetched: what the database side costs."""
    from django.db import connection

    total = 0.0
    with connection.cursor() as cursor:
        for statement in statements:
            started = time.perf_counter()
            cursor.execute(statement)
            cursor.fetchall()
            total += time.perf_counter() - started
    return total * 1000


def server_time_ms(statements: list[str]) -> float | None:
    """PostgreSQL's own execution time of the statements (EXPLAIN ANALYZE), without transfer to Python."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    total = 0.0
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}")
            total += cursor.fetchone()[0][0]["Execution Time"]
    return total


def request(client, url: str, params: dict) -> dict:
    """One anonymous GET of the list endpoint: wall time, statements run, and how many tracks matched."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(url, params)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    if response.status_code != 200:
        raise RuntimeError(f"{params} answered {response.status_code}: {response.content[:300]!r}")
    return {
        "ms": elapsed * 1000,
        "cpu_ms": cpu * 1000,
        "statements": [q["sql"] for q in captured.captured_queries],
        "count": response.json()["count"],
    }


def measure_group(client, url: str, queries: list[tuple[str, dict]], samples: int, before=None) -> dict:
    """Every query once to warm up, then round-robin until `samples` timed requests; figures per group
    and per query."""
    for _, params in queries:
        request(client, url, params)
    per_label: dict[str, dict[str, list]] = {label: {"ms": [], "cpu": [], "sql": []} for label, _ in queries}
    last: dict[str, dict] = {}
    for i in range(samples):
        label, params = queries[i % len(queries)]
        if before:
            before()
        result = request(client, url, params)
        per_label[label]["ms"].append(result["ms"])
        per_label[label]["cpu"].append(result["cpu_ms"])
        per_label[label]["sql"].append(sql_time_ms(result["statements"]))
        last[label] = result
    every = [v for r in per_label.values() for v in r["ms"]]
    every_sql = [v for r in per_label.values() for v in r["sql"]]
    every_cpu = [v for r in per_label.values() for v in r["cpu"]]
    queries_per_request = [len(last[label]["statements"]) for label, _ in queries]
    table = []
    for label, _ in queries:
        figures = per_label[label]
        row = last[label]
        table.append(
            [
                label,
                row["count"],
                len(row["statements"]),
                round(float(np.percentile(figures["ms"], 50)), 1),
                round(float(np.percentile(figures["ms"], 95)), 1),
                round(float(np.percentile(figures["sql"], 50)), 1),
                server_time_ms(row["statements"]),
            ]
        )
    return {
        "latency_ms": percentiles(every),
        "cpu_ms": percentiles(every_cpu),
        "sql_ms": percentiles(every_sql),
        "queries_per_request": {"min": min(queries_per_request), "max": max(queries_per_request)},
        "by_query_columns": ["label", "results", "queries", "p50_ms", "p95_ms", "sql_p50_ms", "server_ms"],
        "by_query": rounded(table, 1),
    }


def measure_index(client, url: str) -> dict:
    """The first semantic request (loads the vector index), then the index's own load time and size."""
    from catalog import services
    from catalog.search import index as search_index

    started = time.perf_counter()
    request(client, url, SEMANTIC_QUERIES[0][1])
    first_ms = (time.perf_counter() - started) * 1000
    loads = []
    for _ in range(3):
        services.search_index_touch()  # every process now sees its index as stale
        started = time.perf_counter()
        index = search_index.get_index()
        loads.append(time.perf_counter() - started)
    return {
        "first_semantic_request_ms": round(first_ms, 1),
        "load_s": {"min": round(min(loads), 3), "max": round(max(loads), 3)},
        "rows": len(index),
        "size_mb": round((index.vectors.nbytes + index.ids.nbytes) / 2**20, 1),
    }


def measure_embedding(samples: int = 60) -> dict:
    """One short query embedded (no cache), as a new search pays for it."""
    from common import embeddings

    texts = [params["q"] for _, params in SEMANTIC_QUERIES]
    embeddings.embed([texts[0]])
    times = []
    for i in range(samples):
        started = time.perf_counter()
        embeddings.embed([texts[i % len(texts)]])
        times.append((time.perf_counter() - started) * 1000)
    return percentiles(times)


def catalog_figures(database: Database) -> dict:
    from django.db import connection
    from django.db.models import Count

    from catalog.models import Track

    figures = {
        "tracks": Track.objects.count(),
        "published": Track.objects.filter(status=Track.Status.PUBLISHED).count(),
        "creators": Track.objects.values("creator").distinct().count(),
        "genres": dict(Track.objects.values_list("genre").annotate(n=Count("id")).order_by("-n")),
    }
    if database.postgres:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_relation_size('catalog_track'), pg_total_relation_size('catalog_track'),"
                " pg_indexes_size('catalog_track'), version()"
            )
            heap, total, indexes, version = cursor.fetchone()
        figures["table_mb"] = {
            "heap": round(heap / 2**20, 1),
            "indexes": round(indexes / 2**20, 1),
            "total_with_toast": round(total / 2**20, 1),
        }
        figures["postgres"] = version.split(" on ")[0]
    return figures


def run(args, database: Database) -> dict:
    import django

    os.environ["DATABASE_URL"] = database.url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # A deployment keeps connections open between requests; without this each request would also pay
    # for a new PostgreSQL connection.
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from accounts.models import CreatorProfile
    from bench import catalog_data
    from catalog.search import index as search_index
    from common import embeddings

    report: dict = {"setup": {}}
    setup_started = time.perf_counter()
    must_build = database.prepare(args.reuse)
    started = time.perf_counter()
    embeddings.load()
    report["setup"]["model_load_s"] = time.perf_counter() - started
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    report["setup"]["migrate_s"] = time.perf_counter() - started
    if must_build:
        log(f"setup: {args.tracks} tracks from {args.texts} texts")
        report["setup"].update(
            catalog_data.build(tracks=args.tracks, texts=args.texts, creators=args.creators, seed=1, log=log)
        )
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if database.postgres else "ANALYZE")
        report["setup"]["vacuum_analyze_s"] = time.perf_counter() - started
    report["setup"]["total_s"] = time.perf_counter() - setup_started
    report["setup"] = rounded(report["setup"], 1)
    report["catalog"] = catalog_figures(database)

    top = CreatorProfile.objects.annotate(n=Count("tracks")).order_by("-n", "id").first()
    facets = [
        (label, {k: (top.slug if v == "{creator}" else v) for k, v in params.items()})
        for label, params in FACET_QUERIES
    ]
    client = Client()
    url = reverse("track-list")
    log("measuring: index load, query embedding")
    report["index"] = measure_index(client, url)
    report["query_embedding_ms"] = measure_embedding()
    log(f"measuring: facet searches ({args.requests} requests)")
    report["facet"] = measure_group(client, url, facets, args.requests)
    log(f"measuring: semantic searches ({args.requests} requests)")
    report["semantic"] = measure_group(client, url, SEMANTIC_QUERIES, args.requests)
    log(f"measuring: semantic searches with a new query each time ({args.requests} requests)")
    report["semantic_new_query"] = measure_group(
        client, url, SEMANTIC_QUERIES, args.requests, before=search_index.embed_query.cache_clear
    )
    report["goals"] = {
        group: {
            "p95_ms": report[group]["latency_ms"]["p95"],
            "goal_ms": goal,
            "met": report[group]["latency_ms"]["p95"] <= goal,
        }
        for group, goal in GOALS_MS.items()
    }
    report["settings"] = {
        "database": connection.vendor,
        "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
        "search_min_score": settings.SEARCH_MIN_SCORE,
        "page_size": settings.REST_FRAMEWORK["PAGE_SIZE"],
    }
    report["out"] = str(Path(settings.VAR_DIR) / "bench" / "catalog.json")
    return report


def machine() -> dict:
    import django
    import torch

    return {
        "cpu_count": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "platform": platform.platform(),
        "load_average_1m_at_start": round(os.getloadavg()[0], 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, default=100_000, help="tracks to make (default 100000)")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per group (default 200)")
    parser.add_argument(
        "--texts", type=int, default=2000, help="distinct embedded track texts (default 2000)"
    )
    parser.add_argument("--creators", type=int, default=200, help="creators (default 200)")
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"default {DEFAULT_URL}")
    parser.add_argument("--keep", action="store_true", help="leave the database in place afterwards")
    parser.add_argument("--reuse", action="store_true", help="bench the tracks already in the database")
    parser.add_argument("--allow-sqlite", action="store_true", help="permit a SQLite URL (a dry run)")
    args = parser.parse_args(argv)

    database = Database(args.database_url)
    if not database.postgres and not args.allow_sqlite:
        parser.error("the figures only mean something on PostgreSQL; --allow-sqlite for a dry run")
    started = time.perf_counter()
    report: dict = {"machine": machine()}
    try:
        report.update(run(args, database))
    finally:
        from django.db import connections

        connections.close_all()
        if database.created and not args.keep:
            database.drop()
    report["machine"]["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)
    report["machine"]["rss_peak_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    report["elapsed_s"] = round(time.perf_counter() - started, 1)
    out = Path(report.pop("out"))
    out.parent.mkdir(parents=True, exist_ok=True)
    text = to_json(report)
    out.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
