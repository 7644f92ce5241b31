from django.apps import AppConfig


class WriterConfig(AppConfig):
    name = "igny8_core.modules.writer"
    label = "writer"
    verbose_name = "Writer"
