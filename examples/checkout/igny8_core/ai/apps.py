"""
Django app for the AI framework.

Installed so that Celery's autodiscover_tasks() finds igny8_core.ai.tasks.
"""
from django.apps import AppConfig


class AIConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'igny8_core.ai'
    label = 'ai'
    verbose_name = 'AI Framework'
