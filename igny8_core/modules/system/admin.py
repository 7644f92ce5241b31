from django.contrib import admin

from igny8_core.modules.system.forms import IntegrationSettingsAdminForm
from igny8_core.modules.system.models import AITask, IntegrationSettings


@admin.register(IntegrationSettings)
class IntegrationSettingsAdmin(admin.ModelAdmin):
    """The config is edited through separate fields; the API key is never displayed."""

    form = IntegrationSettingsAdminForm
    list_display = ["id", "account", "integration_type", "model_name", "api_key_set", "is_active", "updated_at"]
    list_filter = ["integration_type", "is_active"]
    fieldsets = [
        (None, {"fields": ["account", "integration_type", "is_active"]}),
        ("OpenAI", {"fields": ["api_key", "model", "max_tokens", "temperature", "image_model", "image_size"]}),
    ]

    @admin.display(description="model")
    def model_name(self, row):
        return (row.config or {}).get("model") or "-"

    @admin.display(description="API key set", boolean=True)
    def api_key_set(self, row):
        return bool((row.config or {}).get("apiKey"))


@admin.register(AITask)
class AITaskAdmin(admin.ModelAdmin):
    list_display = ["id", "account", "function_name", "status", "created_at", "updated_at"]
    list_filter = ["status", "function_name"]
    readonly_fields = [
        "id",
        "account",
        "function_name",
        "payload",
        "request_id",
        "status",
        "outcome",
        "heartbeat_at",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request):
        return False  # tasks are queued through the AI endpoints
