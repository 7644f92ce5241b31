# Data migration: older rows were saved as 'OpenAI' / 'open_ai'; the code looks for 'openai'.
from django.db import migrations


def normalize_integration_type(apps, schema_editor):
    IntegrationSettings = apps.get_model('integration', 'IntegrationSettings')
    for row in IntegrationSettings.objects.filter(integration_type__in=['OpenAI', 'open_ai', 'OPENAI']):
        row.integration_type = 'openai'
        row.save(update_fields=['integration_type'])


def noop(apps, schema_editor):
    pass


class Migration(migrations.Migration):

    dependencies = [
        ('integration', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(normalize_integration_type, noop),
    ]
