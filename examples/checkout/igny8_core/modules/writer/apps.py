from django.apps import AppConfig


class WriterConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'igny8_core.modules.writer'
    label = 'writer'
