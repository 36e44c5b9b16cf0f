"""Django settings. The embedded default is SQLite in ./var; DATABASE_URL switches to PostgreSQL."""

import os
from pathlib import Path

from kuangzheng import limits as _limits

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("KZ_DATA_DIR", Path.cwd() / "var")).resolve()

SECRET_KEY = os.environ.get("KZ_SECRET_KEY", "kuangzheng-local-development-key-change-me")
DEBUG = os.environ.get("KZ_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("KZ_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves Swagger UI from its own static files, not a CDN
    "kuangzheng.access",
    "kuangzheng.audit",
    "kuangzheng.registry",
    "kuangzheng.compliance",
    "kuangzheng.portal",
    "kuangzheng.monitoring",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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
                "timeout": 30,
            },
            "TEST": {"NAME": os.environ.get("KZ_TEST_SQLITE") or None},
        }
    import dj_database_url

    cfg = dj_database_url.parse(url, conn_max_age=60)
    if cfg["ENGINE"] != "django.db.backends.postgresql":
        raise RuntimeError(f"DATABASE_URL: only sqlite:/// and postgres:// URLs are supported, not {url.split(':')[0]}")
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

# Request bodies larger than this are refused with 400 before they are parsed (src/kuangzheng/limits.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = _limits.get("request_bytes")
