"""
The OpenAI settings form of the integration settings page and of the Django admin.

The API key is never rendered: its field is a password input that is always empty, and
an empty key keeps the stored one.
"""

from django import forms

from igny8_core.modules.system.models import IntegrationSettings
from igny8_core.modules.system.serializers import api_key_validator

CONFIG_FIELDS = ("model", "max_tokens", "temperature", "image_model", "image_size")


class OpenAISettingsForm(forms.Form):
    api_key = forms.CharField(
        label="API key",
        required=False,
        strip=True,
        max_length=500,
        validators=[api_key_validator],
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Leave blank to keep the stored key.",
    )
    model = forms.CharField(
        label="Model", required=False, max_length=200, help_text="The chat model every AI function uses."
    )
    max_tokens = forms.IntegerField(label="Max tokens", required=False, min_value=1, max_value=200000)
    temperature = forms.FloatField(label="Temperature", required=False, min_value=0.0, max_value=2.0)
    image_model = forms.CharField(
        label="Image model",
        required=False,
        max_length=200,
        help_text="generate_images uses it; blank: the model above.",
    )
    image_size = forms.RegexField(
        label="Image size", regex=r"^\d{2,5}x\d{2,5}$", required=False, help_text="e.g. 1024x1024"
    )
    is_active = forms.BooleanField(label="Integration on", required=False, initial=True)

    @staticmethod
    def initial_for(row):
        """The form's initial values for an IntegrationSettings row (or None): never the key."""
        if row is None:
            return {"is_active": True}
        config = row.config or {}
        initial = {name: config.get(name) for name in CONFIG_FIELDS if config.get(name) not in (None, "")}
        initial["is_active"] = row.is_active
        return initial

    def updated_config(self, config):
        """`config` with the cleaned values applied; blank values are removed, a blank key is kept."""
        config = dict(config or {})
        for name in CONFIG_FIELDS:
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                config.pop(name, None)
            else:
                config[name] = value
        if self.cleaned_data.get("api_key"):
            config["apiKey"] = self.cleaned_data["api_key"]
        return config


class IntegrationSettingsAdminForm(OpenAISettingsForm, forms.ModelForm):
    """The admin's form: the config JSON (which holds the key) is edited through the fields above."""

    class Meta:
        model = IntegrationSettings
        fields = ["account", "integration_type", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            for name, value in self.initial_for(self.instance).items():
                self.initial[name] = value

    def save(self, commit=True):
        self.instance.config = self.updated_config(self.instance.config)
        return super().save(commit=commit)
