"""Every setting of the marketplace, each read from the environment with a safe default.

The defaults are the embedded ones (SQLite, local media, a broker that needs no server); the README's
settings table documents every variable read here.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from config.env import (
    env_bool,
    env_choice,
    env_crontab,
    env_float,
    env_int,
    env_list,
    env_str,
    local_secret_key,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# Production passes SECRET_KEY; a single machine without one gets a random key kept under var/.
SECRET_KEY = env_str("SECRET_KEY", "") or local_secret_key(VAR_DIR / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "catalog",
    "generation",
    "licensing",
    "payments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default has a web process and a worker writing to one file: write transactions take
    # the lock up front (no upgrade deadlocks), wait for each other, and readers never block writers.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Only for `collectstatic` behind a web server; the app serves static files itself otherwise.
STATIC_ROOT = env_str("STATIC_ROOT", "") or None
# Static files are served by WhiteNoise straight from the app folders: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True

# Public media (previews, peaks, covers, avatars) under MEDIA_ROOT, served at /media/ by the app itself
# unless SERVE_MEDIA=false (a web server in front serves it). Full-quality files go to PRIVATE_MEDIA_ROOT,
# which nothing serves.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "catalog.storage.PrivateFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Background work: the default broker keeps its queue in files under var/, so one machine needs no server.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _queue_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "processed_folder": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# The queue tasks go to and a worker reads when started without -Q.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = True
# A task whose worker process died (killed, out of memory) goes back on the queue instead of being lost.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]

# The text-to-music engine.
ENGINE_BACKEND = env_choice("ENGINE_BACKEND", "procedural", ("procedural",))
ENGINE_SOUNDFONT = env_str("ENGINE_SOUNDFONT", "")

# Generation jobs: quotas per owner (jobs queued or running at once, seconds of audio asked for in any
# 24 hours), the largest prompt pack, and where renders are staged before they are stored.
GENERATION_MAX_ACTIVE_JOBS = env_int("GENERATION_MAX_ACTIVE_JOBS", 25, minimum=1)
GENERATION_DAILY_AUDIO_SECONDS = env_int("GENERATION_DAILY_AUDIO_SECONDS", 7200, minimum=5)
GENERATION_PACK_MAX_LINES = env_int("GENERATION_PACK_MAX_LINES", 100, minimum=1)
GENERATION_WORK_DIR = Path(env_str("GENERATION_WORK_DIR", str(VAR_DIR / "generation")))
# How long a job stays with a worker that stopped renewing its claim (it renews at a third of this):
# the wait before a job whose worker died is taken over by another delivery.
GENERATION_LEASE_SECONDS = env_int("GENERATION_LEASE_SECONDS", 30, minimum=3, maximum=3600)

# Payments: "sandbox" runs the whole checkout and fulfilment locally with no money moving; "stripe" uses
# Stripe Checkout and its webhook (payments/checks.py refuses to deploy it without both keys).
PAYMENTS_PROVIDER = env_choice("PAYMENTS_PROVIDER", "sandbox", ("sandbox", "stripe"))
PAYMENTS_CURRENCY = env_str("PAYMENTS_CURRENCY", "usd").lower()
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = env_str("STRIPE_API_BASE", "https://api.stripe.com")
# How long an open checkout reserves an exclusive track for its buyer.
CHECKOUT_HOLD_MINUTES = env_int("CHECKOUT_HOLD_MINUTES", 30, minimum=1, maximum=1440)
# Creator payouts: the creator's share of each sale, the least balance paid out, how long earnings stay
# pending (the refund window) before they can be paid, and when payouts run (a crontab line, UTC).
# Connect webhooks may be signed with a secret of their own (STRIPE_CONNECT_WEBHOOK_SECRET).
CREATOR_SHARE_PERCENT = env_int("CREATOR_SHARE_PERCENT", 70, minimum=0, maximum=100)
PAYOUT_THRESHOLD_CENTS = env_int("PAYOUT_THRESHOLD_CENTS", 2500, minimum=1)
PAYOUT_HOLD_DAYS = env_int("PAYOUT_HOLD_DAYS", 7, minimum=0, maximum=365)
PAYOUT_SCHEDULE = env_crontab("PAYOUT_SCHEDULE", "0 6 1 * *")
# Failed transfers are tried again on this schedule too (daily), not only at the next payout run.
PAYOUT_RETRY_SCHEDULE = env_crontab("PAYOUT_RETRY_SCHEDULE", "30 6 * * *")
STRIPE_CONNECT_WEBHOOK_SECRET = env_str("STRIPE_CONNECT_WEBHOOK_SECRET", "")
CELERY_BEAT_SCHEDULE = {
    "payouts-run": {"task": "payments.tasks.payouts_run", "schedule": PAYOUT_SCHEDULE},
    "payouts-retry": {"task": "payments.tasks.payouts_retry", "schedule": PAYOUT_RETRY_SCHEDULE},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so a bad token gets 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "catalog.api_pagination.PageNumberPagination",
    "PAGE_SIZE": 24,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cuemarket API",
    "DESCRIPTION": "Search, audition and license music made from text prompts.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a `status` (and a disclosure label); each choice set gets one name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "GenerationJobStatusEnum": "generation.models.GenerationJob.Status",
        "JobVariationStatusEnum": "generation.models.JobVariation.Status",
        "TrackStatusEnum": "catalog.models.Track.Status",
        "DisclosureLabelEnum": "catalog.models.Track.Disclosure",
    },
}

# Search: the lowest relevance a match by meaning may have to be listed, and the browse page size.
SEARCH_MIN_SCORE = env_float("SEARCH_MIN_SCORE", 0.2, minimum=-1.0, maximum=1.0)
SEARCH_PAGE_SIZE = env_int("SEARCH_PAGE_SIZE", 24, minimum=1, maximum=100)

# Licensed files: where stamped copies are kept (private, rebuilt on demand), how long a download link
# lives, the largest file the verification page reads, and the address written into files and
# certificates (the verification link). Content Credentials are signed with C2PA_SIGNING_CERT (PEM chain,
# leaf first) and C2PA_SIGNING_KEY; without them a local CA under VAR_DIR/c2pa/ signs.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
LICENSE_FILES_ROOT = Path(env_str("LICENSE_FILES_ROOT", str(VAR_DIR / "licensed")))
DOWNLOAD_URL_MAX_AGE = env_int("DOWNLOAD_URL_MAX_AGE", 300, minimum=10, maximum=7 * 24 * 3600)
VERIFY_FILE_MAX_BYTES = env_int("VERIFY_FILE_MAX_BYTES", 250 * 1024 * 1024, minimum=1024)
C2PA_SIGNING_CERT = env_str("C2PA_SIGNING_CERT", "")
C2PA_SIGNING_KEY = env_str("C2PA_SIGNING_KEY", "")
C2PA_TRUST_ANCHORS = env_str("C2PA_TRUST_ANCHORS", "")
C2PA_TSA_URL = env_str("C2PA_TSA_URL", "")

# The review desk: the largest upload (a track made with another tool), the sandbox its file is decoded
# in (memory, CPU seconds, wall seconds), and the platform's Ed25519 key (PEM) that signs provenance
# records; without one a key is made under VAR_DIR/provenance/.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 200 * 1024 * 1024, minimum=1024)
UPLOAD_STEMS_MAX_BYTES = env_int("UPLOAD_STEMS_MAX_BYTES", 1024 * 1024 * 1024, minimum=1024)
UPLOAD_PROBE_MEMORY_MB = env_int("UPLOAD_PROBE_MEMORY_MB", 2048, minimum=256)
UPLOAD_PROBE_CPU_SECONDS = env_int("UPLOAD_PROBE_CPU_SECONDS", 60, minimum=1)
UPLOAD_PROBE_TIMEOUT_SECONDS = env_int("UPLOAD_PROBE_TIMEOUT_SECONDS", 90, minimum=1)
PROVENANCE_SIGNING_KEY = env_str("PROVENANCE_SIGNING_KEY", "")

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "catalog:browse"
LOGOUT_REDIRECT_URL = "catalog:browse"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "no-reply@localhost")

# HTTPS=true is the production switch: redirects to TLS, secure cookies, HSTS.
HTTPS = env_bool("HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
