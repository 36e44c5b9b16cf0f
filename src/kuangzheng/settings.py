"""Django settings. The embedded default is SQLite in ./var; DATABASE_URL switches to PostgreSQL."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from kuangzheng import limits as _limits
from kuangzheng.policy.catalogue import JURISDICTION_INFO as _JURISDICTIONS

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("KZ_DATA_DIR", Path.cwd() / "var")).resolve()

# The deployment's jurisdiction, a code of policy/jurisdictions.yaml (the one list of them): the province
# the portal map shows and the open data covers. The demo data is Inner Mongolia's.
JURISDICTION = os.environ.get("KZ_JURISDICTION", "inner_mongolia").strip()
if JURISDICTION not in _JURISDICTIONS:
    raise ImproperlyConfigured(
        f"KZ_JURISDICTION={JURISDICTION!r} 无效，应为 {', '.join(_JURISDICTIONS)} 之一 / "
        f"KZ_JURISDICTION={JURISDICTION!r} is invalid; use one of {', '.join(_JURISDICTIONS)}"
    )
PROVINCE_PREFIX = _JURISDICTIONS[JURISDICTION]["prefix"]
# The licence the open-data downloads are published under. The default is the one the demo data's
# sources carry (CTAmap, ICMM, Global Energy Monitor: CC BY 4.0, attribution required); a deployment
# publishing its own registry names its own.
OPEN_DATA_LICENCE = os.environ.get("KZ_OPEN_DATA_LICENCE", "CC BY 4.0")
OPEN_DATA_LICENCE_URL = os.environ.get(
    "KZ_OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"
)  # GB/T 2260 prefix of its division codes ("": national)


INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "ninja",  # serves Swagger UI from its own static files, not a CDN
    "kuangzheng.access",
    "kuangzheng.audit",
    "kuangzheng.registry",
    "kuangzheng.compliance",
    "kuangzheng.portal",
    "kuangzheng.monitoring",
    "kuangzheng.hj212",
    "kuangzheng.applications",
    "kuangzheng.notices",
    "kuangzheng.credit",
    "kuangzheng.supervision",
    "kuangzheng.restoration",
    "django_tasks",
    "django_tasks_db",
]

# Background jobs through Django's tasks framework (the django-tasks backport until Django 6): jobs are
# rows in the database, run by `kz worker` (django-tasks-db's db_worker) at scale. KZ_TASKS=immediate
# runs them in the caller, which is what the tests and the single-process embedded default use.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if os.environ.get("KZ_TASKS", "immediate") == "immediate"
        else "django_tasks_db.DatabaseBackend"
    }
}
# `kz serve` builds the map's opening tiles ahead for each new data version (registry/tilewarm.py);
# KZ_MAP_WARM=off leaves them to the first visitor (bench/map.py measures both).
MAP_WARM = os.environ.get("KZ_MAP_WARM", "on").strip().lower() != "off"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "kuangzheng.portal.middleware.DatabaseBusyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kuangzheng.portal.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "kuangzheng.urls"
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
                "kuangzheng.portal.context.actor",
            ]
        },
    }
]
WSGI_APPLICATION = "kuangzheng.wsgi.application"


def _database() -> dict:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url or url.startswith("sqlite"):
        name = (
            url.split("sqlite:///", 1)[1]
            if url.startswith("sqlite:///") and len(url) > 10
            else DATA_DIR / "kuangzheng.sqlite3"
        )
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at BEGIN so
            # concurrent writers queue instead of failing mid-transaction.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                # a writer waits this long for the lock, then the request answers 503 (portal/middleware.py)
                "timeout": float(os.environ.get("KZ_DB_BUSY_TIMEOUT", "30")),
            },
            "TEST": {"NAME": os.environ.get("KZ_TEST_SQLITE") or None},
            # each server thread keeps its connection for a minute: opening and closing one (and its
            # PRAGMAs) took a fifth of an OGC page's wall time (bench/README.md). Restores want the server stopped.
            "CONN_MAX_AGE": 60,
        }
    import dj_database_url

    cfg = dj_database_url.parse(url, conn_max_age=60)
    if cfg["ENGINE"] != "django.db.backends.postgresql":
        raise RuntimeError(f"DATABASE_URL: only sqlite:/// and postgres:// URLs are supported, not {url.split(':')[0]}")
    # like SQLite's busy timeout: a writer waits at most KZ_DB_BUSY_TIMEOUT s for a lock, then answers 503
    timeout_ms = int(float(os.environ.get("KZ_DB_BUSY_TIMEOUT", "30")) * 1000)
    cfg.setdefault("OPTIONS", {}).setdefault("options", f"-c lock_timeout={timeout_ms}")
    return cfg


DATABASES = {"default": _database()}

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"


# ---- Security configuration (secret, hosts, cookies, HTTPS, Content-Security-Policy) --------------------
# Everything comes from the environment; `kz deploy-config` writes a production env file and
# docs/deployment.md explains each variable. Kept in one block so that it reads and merges as one.


def _flag(name: str, default: str = "") -> bool:
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


def _seconds(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: 应为整数秒 / must be a whole number of seconds") from None
    if value < 0:
        raise ImproperlyConfigured(f"{name}={raw!r}: 不能为负数 / must not be negative")
    return value


# The built-in key only suits a laptop: anyone who reads this file can forge sessions with it.
BUILTIN_SECRET_KEY = "kuangzheng-local-development-key-change-me"
SECRET_KEY = os.environ.get("KZ_SECRET_KEY", "").strip() or BUILTIN_SECRET_KEY
USING_BUILTIN_SECRET_KEY = SECRET_KEY == BUILTIN_SECRET_KEY
PRODUCTION = _flag("KZ_PRODUCTION")
DEBUG = _flag("KZ_DEBUG")
if PRODUCTION:
    if USING_BUILTIN_SECRET_KEY:
        raise ImproperlyConfigured(
            "KZ_PRODUCTION=1 需要设置 KZ_SECRET_KEY（可用 `kz deploy-config` 生成）/ "
            "KZ_PRODUCTION=1 needs KZ_SECRET_KEY (generate one with `kz deploy-config`)"
        )
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "KZ_SECRET_KEY 太短：至少 50 个字符 / KZ_SECRET_KEY is too short: 50 characters or more"
        )
    if DEBUG:
        raise ImproperlyConfigured("KZ_PRODUCTION=1 不能与 KZ_DEBUG=1 同时使用 / KZ_DEBUG=1 is refused in production")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("KZ_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()
]

# Sessions end after KZ_SESSION_AGE seconds (Django's default: two weeks).
SESSION_COOKIE_AGE = _seconds("KZ_SESSION_AGE", 14 * 24 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = _flag("KZ_SESSION_EXPIRE_AT_BROWSER_CLOSE")
# No page script reads the CSRF cookie (forms carry the token), so script cannot either.
CSRF_COOKIE_HTTPONLY = True

# KZ_SECURE=1: the site is reached over HTTPS only. Cookies are sent over HTTPS only, browsers are
# told to keep to HTTPS (HSTS), and plain-HTTP requests are redirected (KZ_SSL_REDIRECT=0 when a
# proxy in front already redirects). TLS usually ends at a reverse proxy: KZ_TRUSTED_PROXY names its
# address, and `kz serve` (waitress) then takes the scheme from its X-Forwarded-Proto header and from
# no one else. Under another WSGI server, KZ_PROXY_SSL_HEADER=1 makes Django trust that header —
# only when the proxy overwrites it on every request.
SECURE = _flag("KZ_SECURE")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and _flag("KZ_SSL_REDIRECT", "1")
SECURE_HSTS_SECONDS = _seconds("KZ_HSTS_SECONDS", 365 * 24 * 3600) if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE and _flag("KZ_HSTS_INCLUDE_SUBDOMAINS", "1")
SECURE_HSTS_PRELOAD = SECURE and _flag("KZ_HSTS_PRELOAD", "1")
TRUSTED_PROXY = os.environ.get("KZ_TRUSTED_PROXY", "").strip() or None
if _flag("KZ_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("KZ_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts and styles only from this site's own files — no
# inline <script>, no on*= handlers, no <style> blocks or style= attributes, no eval. Page data
# reaches scripts through json_script or data- attributes; ECharts tooltips render as rich text on
# the canvas (renderMode "richText"), not as HTML. Libraries style elements through the CSSOM,
# which the policy allows.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# ---- end of the security configuration ---------------------------------------------------------------
# ---------------------------------------------------------------- sign-in throttling and audit anchoring
# (kept apart from the security block above/below: this block is owned by access and audit; see
# docs/operations.md for every variable)
import datetime as _dt  # noqa: E402

# django-axes: after KZ_LOGIN_FAILURE_LIMIT failed sign-ins for one username from one address (the
# portal, the admin, the API's password grant for tokens), that pair is locked for
# KZ_LOGIN_COOLOFF_MINUTES; a success before the limit resets the count. Locking the pair rather than
# the username alone keeps an attacker from locking real users out from elsewhere. The client address
# is REMOTE_ADDR: behind a reverse proxy, set AXES_IPWARE_* here to the proxy's trusted header.
INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last, as django-axes requires
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("KZ_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = _dt.timedelta(minutes=int(os.environ.get("KZ_LOGIN_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kuangzheng.access.lockout.response"
AXES_VERBOSE = False

# The audit chain's checkpoints are signed with an Ed25519 key kept outside the database, and
# appended to a log file outside it too (kuangzheng.audit.anchor). Put both on storage the database's
# users cannot write, and copy the log elsewhere (docs/operations.md).
AUDIT_SIGNING_KEY_FILE = Path(os.environ.get("KZ_AUDIT_KEY_FILE", DATA_DIR / "audit-signing.key"))
AUDIT_CHECKPOINT_LOG = Path(os.environ.get("KZ_AUDIT_CHECKPOINT_LOG", DATA_DIR / "audit-checkpoints.jsonl"))
AUDIT_CHECKPOINT_EVERY = int(os.environ.get("KZ_AUDIT_CHECKPOINT_EVERY", "1000"))  # entries; and daily
# Request bodies larger than this are refused with 400 before they are parsed (src/kuangzheng/limits.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = _limits.get("request_bytes")

# Notifications about applications go out through Django's mail framework: printed to the console
# unless a backend is configured (KZ_EMAIL_BACKEND, e.g. django.core.mail.backends.smtp.EmailBackend
# with EMAIL_HOST / EMAIL_PORT, or ...filebased.EmailBackend with KZ_EMAIL_FILE_PATH).
EMAIL_BACKEND = os.environ.get("KZ_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("KZ_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("KZ_EMAIL_PORT", "25"))
EMAIL_FILE_PATH = os.environ.get("KZ_EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("KZ_EMAIL_FROM", "kuangzheng@localhost")

# Supervision (docs/supervision.md). Figures no seed gives have no default: each test that needs one
# stays off until the operator sets it from the rule in force.
# Minimum exploration investment (M19 names the duty, not the amount): unset (off), "statute" (国务院令
# 第240号 第十七条's schedule, supervision/minimum_investment.yaml) or a flat yuan per km² and year.
_min_investment = os.environ.get("KZ_MIN_EXPLORATION_INVESTMENT", "").strip()
try:
    KZ_MIN_EXPLORATION_INVESTMENT = (
        None if not _min_investment else "statute" if _min_investment == "statute" else float(_min_investment)
    )
except ValueError:
    raise ImproperlyConfigured(
        f"KZ_MIN_EXPLORATION_INVESTMENT={_min_investment!r}: expected 'statute' or yuan per km² and year"
    ) from None
# Days after a grant by which an exploration right's start-of-work report is expected (M15 gives none).
KZ_START_REPORT_DAYS = int(os.environ["KZ_START_REPORT_DAYS"]) if os.environ.get("KZ_START_REPORT_DAYS") else None
