"""
Start-up guards of igny8_core.

With DEBUG off the public development SECRET_KEY must not be used: `check --deploy`
reports it as an error, and every process that serves or works (runserver, the WSGI
application, the Celery worker) refuses to start with it.
"""

from django.conf import settings
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured

DEVELOPMENT_KEY_MESSAGE = (
    "IGNY8_SECRET_KEY is not set and DEBUG is off: refusing to run with the public development "
    "SECRET_KEY. Set IGNY8_SECRET_KEY to a long random value (or IGNY8_DEBUG=1 on a development machine)."
)


def development_key_check(app_configs=None, **kwargs):
    """Error igny8.E001 when DEBUG is off and SECRET_KEY is the public development key."""
    if settings.DEBUG or settings.SECRET_KEY != settings.DEVELOPMENT_SECRET_KEY:
        return []
    return [Error(DEVELOPMENT_KEY_MESSAGE, id="igny8.E001")]


def refuse_development_key():
    """Raise ImproperlyConfigured with the check's message when development_key_check fails."""
    for error in development_key_check():
        raise ImproperlyConfigured(error.msg)
