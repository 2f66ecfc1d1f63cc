"""Settings read from the environment: DEBUG, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from import_export.formats.base_formats import XLSX

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode-0123456789abcdefghijklmnop"

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    # admin_interface and colorfield must come before django.contrib.admin.
    "admin_interface",
    "colorfield",
    "project.apps.CenterAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "import_export",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "project",
    "staffing",
    "registry",
    "bidding",
    "casework",
    "meetings",
    "documents",
    "ratings",
    "halls",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Chinese 403/404 pages in the admin's look, also with DEBUG on (issue 16).
    "project.errors.AdminErrorPagesMiddleware",
    # django-axes: last, it turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "project.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "project" / "templates"],
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

WSGI_APPLICATION = "project.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL: pages keep reading while a long write runs (a background import writes for tens of seconds
    # in one transaction; without WAL its progress page got 「database is locked」).
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"

# django-axes' backend first: it refuses a locked-out pair before any password is checked.
AUTHENTICATION_BACKENDS = ["project.security.SignInLockBackend", "django.contrib.auth.backends.ModelBackend"]

# Sign-in protection (django-axes, see ../shared/STACK-NOTES.md): a lock holds one username at one
# address, so a stranger cannot lock the owner out; the limits are the security settings (安全设置).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = "project.security.failure_limit"
AXES_COOLOFF_TIME = "project.security.cool_off"
AXES_RESET_ON_SUCCESS = True
# Attempts during a lock are recorded (project.LoginEvent, 「locked」) but do not prolong it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "project.security.client_address"
AXES_USERNAME_CALLABLE = "project.security.attempted_username"
AXES_LOCKOUT_CALLABLE = "project.security.lockout_response"
# The project's sign-in records (登录记录) are the log for inspectors, and their admin unlocks:
# axes keeps only its failure counters, and its English admin pages stay off.
AXES_ENABLE_ADMIN = False
AXES_DISABLE_ACCESS_LOG = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "media/"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "admin:login"

# django-admin-interface: related-object modals need same-origin frames.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]

# django-import-export: see ../shared/STACK-NOTES.md.
IMPORT_EXPORT_SKIP_ADMIN_LOG = True
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_FORMATS = [XLSX]
EXPORT_FORMATS = [XLSX]
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"

# Every Excel/CSV import (staffing/spreadsheet.py): the largest upload, the largest sheet once
# unpacked, and overrides of the data rows allowed per sheet (defaults in
# staffing.spreadsheet.DEFAULT_ROW_LIMITS, e.g. {"catalog_items": 20_000}).
IMPORT_MAX_UPLOAD_MB = 10
IMPORT_MAX_SHEET_MB = 200
IMPORT_MAX_ROWS = {}

# Background work (imports and exports above a size, staffing/background.py): django-tasks with its
# database backend; the worker is `manage.py db_worker` (README, 部署). Tests use the immediate backend.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# django-simple-history: reverting is allowed to center admins only, on admins that opt in
# (staffing.admin.base.HistoryAdmin.allow_revert); everyone else only reads the history.
SIMPLE_HISTORY_REVERT_DISABLED = False

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
