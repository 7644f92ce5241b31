"""
Celery application of igny8_core.

Run a worker with `celery -A igny8_core worker`. Configuration comes from the Django
settings prefixed with CELERY_; the broker defaults to the in-process `memory://`
transport, with which tasks run eagerly (see igny8_core/settings.py).
"""
import os

from celery import Celery

os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'igny8_core.settings')

# The AI tasks are listed explicitly: igny8_core.ai is not a Django app, and importing
# it needs the app registry, so the worker imports it once Django is set up.
app = Celery('igny8_core', include=['igny8_core.ai.tasks'])
app.config_from_object('django.conf:settings', namespace='CELERY')
