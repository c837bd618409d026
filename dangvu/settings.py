"""One env-driven settings module (STYLE.md §13).

DANGVU_DATABASE_URL picks the database: default a SQLite file under var/,
``postgresql://user@host:port/name`` selects PostgreSQL. Every command honours it.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import dj_database_url

from dangvu.accounts import checks as _checks

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DANGVU_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# DANGVU_ENV=production: no debug, a real secret key required, HTTPS-only cookies and HSTS
# (`DANGVU_ENV=production dangvu check --deploy` is clean; tests/web/test_security.py runs it).
PRODUCTION = os.environ.get("DANGVU_ENV", "development") == "production"
# A weak key (under 50 characters, Django's generated development keys) refuses too: dangvu/accounts/checks.py.
DEV_SECRET = _checks.DEV_SECRET
SECRET_KEY = os.environ.get("DANGVU_SECRET_KEY", DEV_SECRET)
if PRODUCTION and (_problem := _checks.secret_key_problem(SECRET_KEY)):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"DANGVU_ENV=production: {_problem}")
# Django's debug pages (tracebacks, every URL pattern) only when asked for: a person trying the demo or
# `dangvu serve` gets the product's own Vietnamese error pages (dangvu/web/views/errors.py).
DEBUG = os.environ.get("DANGVU_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("DANGVU_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver").split(
    ","
)

# ---------------------------------------------------------------- databases (issue 14, item 5: deploy/README.md)
DATABASE_URL = os.environ.get("DANGVU_DATABASE_URL", f"sqlite:///{VAR_DIR / 'dangvu.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the demo server read while a generator writes.
    # IMMEDIATE: a transaction takes the write lock when it begins, so a second writer waits for the first before
    # it reads anything (what it then reads is what it writes over) instead of failing half-way with "database is
    # locked". DANGVU_SQLITE_TIMEOUT (seconds, default 20) bounds that wait; past it the services say the database
    # is busy (dangvu.locks.BUSY_MESSAGE).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("DANGVU_SQLITE_TIMEOUT", "20")),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # No startup options by default: pgbouncer in transaction mode refuses them (issue 14, item 5). JIT is off as
    # a setting of the database itself (migration backup 0001_database_jit_off; docs/operations.md, PostgreSQL
    # through pgbouncer). DANGVU_PG_OPTIONS passes libpq startup options for whoever connects directly and wants
    # them, e.g. "-c statement_timeout=60000".
    if _pg_options := os.environ.get("DANGVU_PG_OPTIONS", ""):
        DATABASES["default"]["OPTIONS"] = {"options": _pg_options}
    # pgbouncer in transaction mode (DANGVU_PGBOUNCER=1, or the URL's port is pgbouncer's own 6432) hands each
    # transaction to any server connection: a server-side cursor (QuerySet.iterator()) outside a transaction is
    # declared WITH HOLD and read by later transactions, which may land elsewhere (Django documentation,
    # "Transaction pooling and server-side cursors"). Prepared statements are off already (Django passes
    # prepare_threshold=None to psycopg); advisory locks are transaction-level (dangvu/locks.py).
    PGBOUNCER = os.environ.get("DANGVU_PGBOUNCER", "") == "1" or DATABASES["default"].get("PORT") in (6432, "6432")
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = PGBOUNCER
    # A connection kept between requests (60 s) is checked before reuse: after pgbouncer or PostgreSQL restarts
    # (a failover) the first request reconnects instead of failing.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A streaming replica for heavy reads (reports, indicators, statistics, exports) when DANGVU_REPLICA_URL is set;
# every other read, every write and the reads of a person who has just written go to the primary
# (dangvu/dbrouting.py). Tests point the alias at the test database itself (MIRROR).
REPLICA_URL = os.environ.get("DANGVU_REPLICA_URL", "")
if REPLICA_URL:
    if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "DANGVU_REPLICA_URL chỉ dùng được khi cơ sở dữ liệu chính là PostgreSQL (DANGVU_DATABASE_URL=postgresql://…)."
        )
    _replica = dj_database_url.parse(REPLICA_URL, conn_max_age=60)
    _replica_pgbouncer = os.environ.get("DANGVU_PGBOUNCER", "") == "1" or _replica.get("PORT") in (6432, "6432")
    _replica["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    _replica["DISABLE_SERVER_SIDE_CURSORS"] = _replica_pgbouncer
    _replica["CONN_HEALTH_CHECKS"] = True
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
DATABASE_ROUTERS = ["dangvu.dbrouting.ReplicaRouter"]
# Read-your-writes: for this many seconds after a request that writes, the same person reads the primary only
# (a signed cookie). [I] 5 s: replay lag on a healthy local network is milliseconds; keep it above the lag
# deploy/README.md tells the operator to alert on.
DANGVU_READ_YOUR_WRITES_SECONDS = float(os.environ.get("DANGVU_READ_YOUR_WRITES_SECONDS", 5))
# ---------------------------------------------------------------- end of databases

# Member search: a scope of at most this many units (on the day) is searched by name from its own spans; larger ones
# and the whole country from the name index of every member (members.search.page; 0: never scope first).
DANGVU_SEARCH_SCOPE_FIRST_UNITS = int(os.environ.get("DANGVU_SEARCH_SCOPE_FIRST_UNITS", 8_000))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "dangvu.audit",
    "dangvu.accounts",
    "dangvu.orgs",
    "dangvu.members",
    "dangvu.work",
    "dangvu.assessment",
    "dangvu.targets",
    "dangvu.imports",
    "dangvu.reports",
    "dangvu.tables",
    "dangvu.web",
    "dangvu.synth",
    "dangvu.backup",
    "dangvu.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dangvu.web.middleware.refuse_nul_bytes",  # 400 before any query could carry a NUL byte to PostgreSQL
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dangvu.dbrouting.read_your_writes",  # a person who has just written reads the primary (issue 14, item 5)
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dangvu.web.middleware.security_headers",
    # last, so that a locked-out login gets axes' response
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dangvu.urls"
# A refused CSRF token (an old tab, an expired session) gets the product's page, not Django's English one.
CSRF_FAILURE_VIEW = "dangvu.web.views.errors.csrf_failure"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "dangvu.web.context.nav",
            ]
        },
    }
]
WSGI_APPLICATION = "dangvu.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Vietnamese only (docs/web.md, "Language"): the users are Vietnamese officials and a half-translated page is
# worse than none. USE_I18N stays on so that Django's own messages (form errors) come in Vietnamese.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True


STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise looks for it at start-up even before collectstatic
# whitenoise serves static files in every mode; in production from collectstatic's hashed, compressed copies.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = VAR_DIR / "media"

# ---------------------------------------------------------------- STORAGES (issue 14, item 4: files) — jobs helper
# Uploaded imports, report drafts and issued reports go through storages["default"] (names like
# "uploads/<id>.xlsx", "reports/u3/…-du-thao.docx"), never through a path under var/: a filesystem under
# var/media by default (DANGVU_MEDIA_DIR moves it, e.g. to an NFS mount every web and worker machine shares), or any
# Django storage backend by DANGVU_STORAGE_BACKEND (a dotted class, e.g. storages.backends.s3.S3Storage, its
# options as JSON in DANGVU_STORAGE_OPTIONS). docs/operations.md, "Files".
MEDIA_ROOT = Path(os.environ.get("DANGVU_MEDIA_DIR", MEDIA_ROOT))
if _storage_backend := os.environ.get("DANGVU_STORAGE_BACKEND", ""):
    import json as _json

    STORAGES["default"] = {
        "BACKEND": _storage_backend,
        "OPTIONS": _json.loads(os.environ.get("DANGVU_STORAGE_OPTIONS", "{}")),
    }

# ---------------------------------------------------------------- TASKS (issue 14, item 3: one job queue) — jobs helper
# django-tasks with its database backend (django-tasks-db): the queue is a table of this database, SQLite or
# PostgreSQL, no broker; `dangvu worker` runs it (docs/operations.md, "Jobs"). DANGVU_JOBS_INLINE=1 runs every job
# inside the request that starts it (django-tasks' immediate backend: what the tests use).
INSTALLED_APPS += ["django_tasks", "django_tasks_db", "dangvu.jobs"]
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if os.environ.get("DANGVU_JOBS_INLINE", "0") == "1"
        else "django_tasks_db.DatabaseBackend"
    }
}
# A running job whose worker wrote no heartbeat for this long was held by a dead worker: queued again or failed
# (dangvu.jobs.services.recover_stale). [I] well above the heartbeat and SQLite's busy wait (DANGVU_SQLITE_TIMEOUT).
DANGVU_JOBS_HEARTBEAT_SECONDS = float(os.environ.get("DANGVU_JOBS_HEARTBEAT_SECONDS", 5))
DANGVU_JOBS_STALE_SECONDS = float(os.environ.get("DANGVU_JOBS_STALE_SECONDS", 120))
# At most this many LibreOffice conversions at once on one machine, across every process (workers, web):
# dangvu.reports.render.pdf.soffice_slot. [I] one per core of a 2-core machine.
DANGVU_SOFFICE_MAX = int(os.environ.get("DANGVU_SOFFICE_MAX", 2))
# `dangvu prune` (dangvu.jobs.prune): days a finished job and its files, a list export, the files of a report draft
# never issued are kept; then how long an expired job's row stays so its page says it expired. [I] defaults.
DANGVU_PRUNE_JOBS_DAYS = int(os.environ.get("DANGVU_PRUNE_JOBS_DAYS", 30))
DANGVU_PRUNE_EXPORTS_DAYS = int(os.environ.get("DANGVU_PRUNE_EXPORTS_DAYS", 7))
DANGVU_PRUNE_DRAFTS_DAYS = int(os.environ.get("DANGVU_PRUNE_DRAFTS_DAYS", 30))
DANGVU_PRUNE_EXPIRED_DAYS = int(os.environ.get("DANGVU_PRUNE_EXPIRED_DAYS", 90))

# ---------------------------------------------------------------- login and sessions
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # throttling first: refuses before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]
# Hashing: Django 5.2's default PBKDF2-SHA256 with 1,000,000 iterations (NIST SP 800-132 approved, no native
# dependency to build). Argon2 would need argon2-cffi, which is not pinned in this project.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions end after 2 hours without a request, and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("DANGVU_SESSION_SECONDS", 2 * 3600))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Login throttling (dangvu/accounts/throttle.py, docs/web.md "Login throttling"): three limits, each counting
# failures within its own window; a lock lasts until its failures are older than the window.
#   pair:    DANGVU_LOGIN_FAILURES (5) for one user name from one address in DANGVU_LOGIN_MINUTES (30)
#   user:    DANGVU_LOGIN_USER_FAILURES (20) for one user name from any address in DANGVU_LOGIN_USER_MINUTES (15),
#            not applied at addresses where that name logged in within DANGVU_LOGIN_KNOWN_ADDRESS_DAYS (30; 0 off)
#   address: DANGVU_LOGIN_ADDRESS_FAILURES (30) from one address over any names in DANGVU_LOGIN_ADDRESS_MINUTES (30)
AXES_FAILURE_LIMIT = int(os.environ.get("DANGVU_LOGIN_FAILURES", 5))
DANGVU_LOGIN_PAIR_WINDOW = dt.timedelta(minutes=int(os.environ.get("DANGVU_LOGIN_MINUTES", 30)))
DANGVU_LOGIN_USER_FAILURES = int(os.environ.get("DANGVU_LOGIN_USER_FAILURES", 20))
DANGVU_LOGIN_USER_WINDOW = dt.timedelta(minutes=int(os.environ.get("DANGVU_LOGIN_USER_MINUTES", 15)))
DANGVU_LOGIN_KNOWN_ADDRESS_DAYS = int(os.environ.get("DANGVU_LOGIN_KNOWN_ADDRESS_DAYS", 30))
DANGVU_LOGIN_ADDRESS_FAILURES = int(os.environ.get("DANGVU_LOGIN_ADDRESS_FAILURES", 30))
DANGVU_LOGIN_ADDRESS_WINDOW = dt.timedelta(minutes=int(os.environ.get("DANGVU_LOGIN_ADDRESS_MINUTES", 30)))
# The longest window: axes' clean-up deletes failures older than this.
AXES_COOLOFF_TIME = max(DANGVU_LOGIN_PAIR_WINDOW, DANGVU_LOGIN_USER_WINDOW, DANGVU_LOGIN_ADDRESS_WINDOW)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # what a success resets; the other limits are the handler's
AXES_HANDLER = "dangvu.accounts.throttle.TieredAxesHandler"
# Reverse proxies in front of the application (the TLS proxy production assumes: 1). With 0 the connection's
# address is the client's; with N the client is the N-th address from the right of X-Forwarded-For.
DANGVU_TRUSTED_PROXIES = int(os.environ.get("DANGVU_TRUSTED_PROXIES", 0))
AXES_CLIENT_IP_CALLABLE = "dangvu.accounts.throttle.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dangvu.web.views.auth.locked_out"
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "Đảng vụ"

# ---------------------------------------------------------------- headers
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("DANGVU_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if h]

# With DEBUG off Django sends a server error's traceback only to ADMINS by mail; the console must show it.
# `dangvu serve` logs each request with the time as dd/mm/yyyy (Django's default prints "[05/Dec/2026 …]").
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{asctime}] {message}",
            "datefmt": "%d/%m/%Y %H:%M:%S",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

# The dashboard's figures per organization and date are cached this long (0: off).
DANGVU_DASHBOARD_SECONDS = int(os.environ.get("DANGVU_DASHBOARD_SECONDS", 60))
# One cache, shared by every process of the server (issue 14, item 4: stateless web processes): the dashboard's
# figures, the identifier-conflict limit (members.identifiers; a per-process cache would give each gunicorn worker
# its own limit, issue 13). Redis when DANGVU_CACHE_URL is set (DANGVU_REDIS_URL, its former name, still accepted;
# needs the redis package), else a table of the database itself (no service to run: the embedded default; created
# after every migrate by dangvu.backup.apps). "shared" is the same cache under the name the code used before.
# Login throttling needs none: axes counts failures in the database (accounts/throttle.py).
SHARED_CACHE_TABLE = "dangvu_shared_cache"
CACHE_URL = os.environ.get("DANGVU_CACHE_URL", "") or os.environ.get("DANGVU_REDIS_URL", "")
REDIS_URL = CACHE_URL  # the former name, for code that reads it
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"DANGVU_CACHE_URL={CACHE_URL!r}: cần địa chỉ Redis (redis://máy:cổng/số, rediss://… hoặc unix://…), "
        "hoặc để trống để dùng bảng của chính cơ sở dữ liệu."
    )
_SHARED_CACHE: dict[str, Any] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": SHARED_CACHE_TABLE}
)
CACHES = {"default": dict(_SHARED_CACHE), "shared": dict(_SHARED_CACHE)}

# Citizen ID and card numbers (issue 13): one that belongs to a member outside the person's scope is refused without
# saying why ("… không dùng được: liên hệ quản trị hệ thống"), each such check audited; past this many distinct
# values in the window (per user, the shared cache) every value the person cannot see is refused in those words.
DANGVU_IDENTIFIER_CONFLICTS = int(os.environ.get("DANGVU_IDENTIFIER_CONFLICTS", 10))
DANGVU_IDENTIFIER_WINDOW_SECONDS = int(os.environ.get("DANGVU_IDENTIFIER_WINDOW_SECONDS", 24 * 3600))
# Members who left a person's scope: names and history stay readable, identifiers are withheld — except for these
# roles (comma-separated: staff, inspector, grassroots_secretary, branch_secretary; default none).
DANGVU_FORMER_MEMBER_IDENTIFIERS = frozenset(
    r.strip() for r in os.environ.get("DANGVU_FORMER_MEMBER_IDENTIFIERS", "").split(",") if r.strip()
)

# Uploads (imports) and generated files (reports) go through the storage API (STORAGES above; var/media by default).
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# `dangvu backup` keeps these directories under var/ with the database (docs/operations.md): uploaded imports,
# generated reports, media. Not static (collectstatic rebuilds it), jobs (progress of running jobs), node, the
# test databases or screenshots. Comma-separated names in DANGVU_BACKUP_DIRS replace the list.
DANGVU_BACKUP_DIRS = os.environ.get("DANGVU_BACKUP_DIRS", "uploads,reports,media").split(",")

# span_org_status_idx INCLUDEs status for PostgreSQL's index-only scans; SQLite builds it without the
# included column, which is what we want there.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Bounds on an imported file, checked before any parser reads it: upload and inflated bytes, compression ratio,
# rows, columns and cells of a sheet, characters in a cell, lines of a CSV. Defaults and what each means are in
# dangvu/imports/limits.py (Limits); DANGVU_IMPORT_<NAME> (e.g. DANGVU_IMPORT_UPLOAD_BYTES) overrides one.
DANGVU_IMPORT_LIMITS = {
    name: int(os.environ[f"DANGVU_IMPORT_{name.upper()}"])
    for name in (
        "upload_bytes",
        "inflated_bytes",
        "ratio",
        "ratio_floor_bytes",
        "rows",
        "columns",
        "cells",
        "grid_cells",
        "sparse",
        "cell_chars",
        "csv_lines",
    )
    if f"DANGVU_IMPORT_{name.upper()}" in os.environ
}

# ---------------------------------------------------------------- the JSON API (issue 15, item 3; docs/api.md)
# Personal access tokens: valid this many days unless their holder chooses (at most the maximum); each token may make
# DANGVU_API_RATE requests ("N/s", "N/m", "N/h", "N/d"), counted in the shared cache so every process counts alike.
DANGVU_API_TOKEN_DAYS = int(os.environ.get("DANGVU_API_TOKEN_DAYS", 90))
DANGVU_API_TOKEN_MAX_DAYS = int(os.environ.get("DANGVU_API_TOKEN_MAX_DAYS", 365))
DANGVU_API_RATE = os.environ.get("DANGVU_API_RATE", "600/m")

# The office's own statistics tables (TOML definition files, docs/tables.md), besides the package's default set.
DANGVU_TABLES_DIR = os.environ.get("DANGVU_TABLES_DIR", "")
