from django.apps import AppConfig


class Igny8CoreAuthConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'igny8_core.auth'
    label = 'igny8_core_auth'  # 'auth' is taken by django.contrib.auth
    verbose_name = 'Authentication'
