"""WSGI entry point of igny8_core."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'igny8_core.settings')

application = get_wsgi_application()
