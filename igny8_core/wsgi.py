"""WSGI entry point of igny8_core."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "igny8_core.settings")

application = get_wsgi_application()

from igny8_core.checks import refuse_development_key  # noqa: E402  (needs the settings loaded)

refuse_development_key()
