"""
Celery application of igny8_core.

Run a worker with `celery -A igny8_core worker`. Configuration comes from the Django
settings prefixed with CELERY_. With no IGNY8_CELERY_BROKER_URL the broker is embedded
(kombu's SQLAlchemy transport on a SQLite file beside the database), so the worker and the
web process work together with no other service. The worker refuses to start on the
in-process `memory://` broker, which no other process can reach, and with the public
development SECRET_KEY while DEBUG is off.
"""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "igny8_core.settings")

# The AI tasks are listed explicitly: igny8_core.ai is not a Django app, and importing
# it needs the app registry, so the worker imports it once Django is set up.
app = Celery("igny8_core", include=["igny8_core.ai.tasks", "igny8_core.modules.system.tasks"])
app.config_from_object("django.conf:settings", namespace="CELERY")

MEMORY_BROKER_MESSAGE = (
    "The broker is memory:// (IGNY8_CELERY_BROKER_URL): it lives inside one process, so this "
    "worker could never receive a task from the web process. Unset IGNY8_CELERY_BROKER_URL to use "
    "the embedded SQLite broker, or point it at Redis (redis://host:6379/0)."
)


@worker_init.connect
def refuse_unusable_worker(sender=None, **kwargs):
    """Stop a worker that could never receive a task, or that would run with the development key."""
    from django.core.exceptions import ImproperlyConfigured

    from igny8_core.checks import refuse_development_key

    if str(app.conf.broker_url or "").startswith("memory://"):
        raise SystemExit(f"igny8_core worker: {MEMORY_BROKER_MESSAGE}")
    try:
        refuse_development_key()
    except ImproperlyConfigured as exc:
        raise SystemExit(f"igny8_core worker: {exc}")
