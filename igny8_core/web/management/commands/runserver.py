"""runserver that refuses to start with the public development SECRET_KEY while DEBUG is off."""

from django.contrib.staticfiles.management.commands.runserver import Command as StaticfilesRunserver
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError

from igny8_core.checks import refuse_development_key


class Command(StaticfilesRunserver):
    def handle(self, *args, **options):
        try:
            refuse_development_key()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc))
        return super().handle(*args, **options)
