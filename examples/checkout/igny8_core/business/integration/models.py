"""
Integration settings per account (OpenAI, Runware, ...).

config for integration_type='openai':
    {"apiKey": "sk-...", "model": "gpt-4.1", "max_tokens": 4000, "temperature": 0.7,
     "image_model": "dall-e-3", "image_size": "1024x1024"}
"""
from django.db import models

from igny8_core.auth.models import Account


class IntegrationSettings(models.Model):
    INTEGRATION_TYPE_CHOICES = [
        ('openai', 'OpenAI'),
        ('runware', 'Runware'),
    ]

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name='integrations')
    integration_type = models.CharField(max_length=50, choices=INTEGRATION_TYPE_CHOICES, db_index=True)
    config = models.JSONField(default=dict, help_text="Integration-specific configuration (API keys, model, ...)")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = 'igny8_integration_settings'
        unique_together = [['account', 'integration_type']]

    def __str__(self):
        return f"{self.integration_type} ({self.account_id})"
