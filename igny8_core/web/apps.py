from django.apps import AppConfig
from django.core import checks


class WebConfig(AppConfig):
    """The server-rendered pages (login, integration settings, planner) and start-up guards."""

    name = "igny8_core.web"
    label = "web"
    verbose_name = "Web pages"

    def ready(self):
        from igny8_core.checks import development_key_check

        checks.register(development_key_check, checks.Tags.security, deploy=True)
