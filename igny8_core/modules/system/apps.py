from django.apps import AppConfig


class SystemConfig(AppConfig):
    name = "igny8_core.modules.system"
    label = "system"
    verbose_name = "System"
