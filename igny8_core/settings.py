"""
Django settings for igny8_core.

Every value that differs between machines comes from an IGNY8_* environment variable;
the defaults run the project on an embedded SQLite database with no other service.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# The public development key: accepted only with DEBUG on. With DEBUG off every entry
# point (manage.py commands, the WSGI application, the Celery worker) refuses to start
# until IGNY8_SECRET_KEY is set (igny8_core/checks.py).
DEVELOPMENT_SECRET_KEY = "igny8-local-development-key-change-me"
SECRET_KEY = os.environ.get("IGNY8_SECRET_KEY") or DEVELOPMENT_SECRET_KEY
DEBUG = env_bool("IGNY8_DEBUG", False)
ALLOWED_HOSTS = env_list("IGNY8_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
CSRF_TRUSTED_ORIGINS = env_list("IGNY8_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "igny8_core.web",  # first: its runserver replaces staticfiles' one
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "igny8_core.accounts",
    "igny8_core.modules.system",
    "igny8_core.modules.planner",
    "igny8_core.modules.writer",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "igny8_core.api.errors.RequestGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "igny8_core.urls"
WSGI_APPLICATION = "igny8_core.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("IGNY8_DB_PATH", str(BASE_DIR / "db.sqlite3")),
        # the web process and the worker write to the same file: wait for the lock
        "OPTIONS": {"timeout": 20},
    }
}

AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = os.environ.get("IGNY8_STATIC_ROOT") or None
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "integration-settings"
LOGOUT_REDIRECT_URL = "login"

# HTTPS in production (all off by default, for local HTTP): see README.md, "Production".
SECURE_HSTS_SECONDS = int(os.environ.get("IGNY8_SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("IGNY8_SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("IGNY8_SECURE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("IGNY8_SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("IGNY8_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# "HTTP_X_FORWARDED_PROTO,https" behind a proxy that sets X-Forwarded-Proto
_proxy_header = env_list("IGNY8_SECURE_PROXY_SSL_HEADER")
SECURE_PROXY_SSL_HEADER = tuple(_proxy_header) if len(_proxy_header) == 2 else None
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.BasicAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "igny8_core.api.exceptions.unified_exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "igny8 API",
    "DESCRIPTION": "Planner, writer and system endpoints of igny8, and its five AI functions.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

# Largest request body accepted (bytes): a larger one is answered 413 before it is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("IGNY8_MAX_BODY_BYTES", str(1024 * 1024)))
CSRF_FAILURE_VIEW = "igny8_core.api.errors.csrf_failure"

# Per-account rate limit of the five AI actions (DRF throttle rate syntax; empty: no limit).
AI_RATE_LIMIT = os.environ.get("IGNY8_AI_RATE_LIMIT", "60/minute")

# OpenAI-compatible API used by igny8_core.ai.ai_core.AICore
OPENAI_API_BASE = os.environ.get("IGNY8_OPENAI_API_BASE", "https://api.openai.com/v1")
OPENAI_TIMEOUT = float(os.environ.get("IGNY8_OPENAI_TIMEOUT", "30"))

# Where the frontend lets an account configure its integrations; sent with every
# configuration error so a client can send the user there.
INTEGRATION_SETTINGS_URL = os.environ.get("IGNY8_INTEGRATION_SETTINGS_URL", "/settings/integration")

# Celery. With no IGNY8_CELERY_BROKER_URL the broker is embedded: kombu's SQLAlchemy
# transport on a SQLite file beside the database, so `celery -A igny8_core worker` and the
# web process work together with no other service. Redis: IGNY8_CELERY_BROKER_URL=redis://...
# (the `redis` extra). With memory:// no worker can receive a task: tasks then run eagerly
# in the caller unless IGNY8_CELERY_ALWAYS_EAGER says otherwise, and the worker refuses to start.
CELERY_BROKER_URL = os.environ.get("IGNY8_CELERY_BROKER_URL") or "sqla+sqlite:///{}".format(
    Path(DATABASES["default"]["NAME"]).with_name("celery-broker.sqlite3")
)
CELERY_RESULT_BACKEND = os.environ.get("IGNY8_CELERY_RESULT_BACKEND") or None
CELERY_TASK_ALWAYS_EAGER = env_bool("IGNY8_CELERY_ALWAYS_EAGER", CELERY_BROKER_URL.startswith("memory://"))
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# The five AI endpoints queue their run for the worker (202 and a task id) when the request
# says ?async=1, or by default when IGNY8_AI_ASYNC is on (?async=0 then runs it in the request).
AI_ASYNC = env_bool("IGNY8_AI_ASYNC", False)

# A running queued task refreshes its heartbeat this often; once its heartbeat is older
# than AI_TASK_STALE_SECONDS its worker is considered lost and the status reads
# failed / worker_lost (igny8_core.modules.system.models.AITask.reap_if_lost). The stale
# bound must exceed the heartbeat interval by a wide margin.
AI_TASK_HEARTBEAT_SECONDS = float(os.environ.get("IGNY8_AI_TASK_HEARTBEAT_SECONDS", "5"))
AI_TASK_STALE_SECONDS = float(os.environ.get("IGNY8_AI_TASK_STALE_SECONDS", "30"))
# A task still queued this long after its message was sent gets its message sent again on a
# status read (a broker may lose the message of a worker that died holding it).
AI_TASK_REQUEUE_SECONDS = float(os.environ.get("IGNY8_AI_TASK_REQUEUE_SECONDS", "300"))
# One message at a time per worker process: with acks_late a worker holds only the message
# it is running, never a prefetched one that would be lost with it.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    # one handler, on the root logger: the Celery worker replaces the root's handlers with
    # its own, so every igny8_core line is printed once in the web process and in the worker
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "igny8_core": {"level": os.environ.get("IGNY8_LOG_LEVEL", "INFO")},
        # Django's own lines through the same handler, once (not also through the root)
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
