"""igny8_core: the igny8 Django project (planner, writer and the AI framework)."""

# Load the Celery app with Django so that @shared_task binds to it.
from igny8_core.celery import app as celery_app  # noqa: F401
