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
    return value.strip().lower() in ('1', 'true', 'yes', 'on')


SECRET_KEY = os.environ.get('IGNY8_SECRET_KEY', 'igny8-local-development-key-change-me')
DEBUG = env_bool('IGNY8_DEBUG', False)
ALLOWED_HOSTS = [h for h in os.environ.get('IGNY8_ALLOWED_HOSTS', 'localhost,127.0.0.1,testserver').split(',') if h]

INSTALLED_APPS = [
    'django.contrib.auth',
    'django.contrib.contenttypes',
    'django.contrib.sessions',
    'django.contrib.messages',
    'django.contrib.staticfiles',
    'rest_framework',
    'igny8_core.accounts',
    'igny8_core.modules.system',
    'igny8_core.modules.planner',
    'igny8_core.modules.writer',
]

MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.common.CommonMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
    'django.contrib.auth.middleware.AuthenticationMiddleware',
    'django.contrib.messages.middleware.MessageMiddleware',
]

ROOT_URLCONF = 'igny8_core.urls'
WSGI_APPLICATION = 'igny8_core.wsgi.application'

TEMPLATES = [
    {
        'BACKEND': 'django.template.backends.django.DjangoTemplates',
        'DIRS': [],
        'APP_DIRS': True,
        'OPTIONS': {
            'context_processors': [
                'django.template.context_processors.request',
                'django.contrib.auth.context_processors.auth',
                'django.contrib.messages.context_processors.messages',
            ],
        },
    },
]

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.sqlite3',
        'NAME': os.environ.get('IGNY8_DB_PATH', str(BASE_DIR / 'db.sqlite3')),
    }
}

AUTH_USER_MODEL = 'accounts.User'
DEFAULT_AUTO_FIELD = 'django.db.models.BigAutoField'
LANGUAGE_CODE = 'en-us'
TIME_ZONE = 'UTC'
USE_I18N = True
USE_TZ = True
STATIC_URL = 'static/'

REST_FRAMEWORK = {
    'DEFAULT_AUTHENTICATION_CLASSES': [
        'rest_framework.authentication.BasicAuthentication',
        'rest_framework.authentication.SessionAuthentication',
    ],
    'DEFAULT_PERMISSION_CLASSES': ['rest_framework.permissions.IsAuthenticated'],
    'DEFAULT_PAGINATION_CLASS': 'rest_framework.pagination.PageNumberPagination',
    'PAGE_SIZE': 50,
    'UNAUTHENTICATED_USER': None,
}

# OpenAI-compatible API used by igny8_core.ai.ai_core.AICore
OPENAI_API_BASE = os.environ.get('IGNY8_OPENAI_API_BASE', 'https://api.openai.com/v1')
OPENAI_TIMEOUT = float(os.environ.get('IGNY8_OPENAI_TIMEOUT', '30'))

# Where the frontend lets an account configure its integrations; sent with every
# configuration error so a client can send the user there.
INTEGRATION_SETTINGS_URL = os.environ.get('IGNY8_INTEGRATION_SETTINGS_URL', '/settings/integration')

# Celery: with the in-process memory:// broker no worker can receive a task, so tasks
# run eagerly in the caller unless IGNY8_CELERY_ALWAYS_EAGER says otherwise.
CELERY_BROKER_URL = os.environ.get('IGNY8_CELERY_BROKER_URL', 'memory://')
CELERY_RESULT_BACKEND = os.environ.get('IGNY8_CELERY_RESULT_BACKEND') or None
CELERY_TASK_ALWAYS_EAGER = env_bool('IGNY8_CELERY_ALWAYS_EAGER', CELERY_BROKER_URL.startswith('memory://'))
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = 'json'
CELERY_RESULT_SERIALIZER = 'json'
CELERY_ACCEPT_CONTENT = ['json']

LOGGING = {
    'version': 1,
    'disable_existing_loggers': False,
    'formatters': {'plain': {'format': '%(asctime)s %(levelname)s %(name)s %(message)s'}},
    'handlers': {'console': {'class': 'logging.StreamHandler', 'formatter': 'plain'}},
    'loggers': {
        'igny8_core': {'handlers': ['console'], 'level': os.environ.get('IGNY8_LOG_LEVEL', 'INFO')},
    },
}
