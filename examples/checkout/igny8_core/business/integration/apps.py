from django.apps import AppConfig


class IntegrationConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'igny8_core.business.integration'
    label = 'integration'
    verbose_name = 'Integrations'
