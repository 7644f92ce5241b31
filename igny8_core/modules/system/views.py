"""
System API: the account's OpenAI integration settings, the AI configuration each
function resolves from them, and the status of queued AI runs. The API key is never sent back.
"""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, viewsets
from rest_framework.response import Response

from igny8_core.ai import get_model_config
from igny8_core.api.ai_runner import configuration_problem
from igny8_core.api.responses import configuration_error_response, error_response
from igny8_core.api.viewsets import HasAccount, UnifiedResponseMixin
from igny8_core.modules.system.models import AITask, IntegrationSettings
from igny8_core.modules.system.serializers import MASK, OpenAIIntegrationSerializer
from igny8_core.modules.system.tasks import check_task

AI_FUNCTIONS = ("auto_cluster", "generate_ideas", "generate_content", "generate_image_prompts", "generate_images")


class AccountViewSet(UnifiedResponseMixin, viewsets.ViewSet):
    permission_classes = [permissions.IsAuthenticated, HasAccount]


class OpenAIIntegrationViewSet(AccountViewSet):
    """GET/PUT /api/v1/system/integrations/openai/: the account's OpenAI settings."""

    def _render(self, row):
        config = dict(row.config or {}) if row else {}
        api_key_configured = bool(config.pop("apiKey", None))
        if api_key_configured:
            config["apiKey"] = MASK
        return {
            "integration_type": "openai",
            "configured": row is not None,
            "is_active": bool(row and row.is_active),
            "api_key_configured": api_key_configured,
            "config": config,
        }

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def list(self, request):
        return Response(self._render(IntegrationSettings.current(request.user.account_id)))

    @extend_schema(request=OpenAIIntegrationSerializer, responses=OpenApiTypes.OBJECT)
    def replace(self, request):
        """
        PUT (and POST): the config sent replaces the stored one (a key left out is removed;
        the masked key sent back keeps the stored key); is_active is kept unless sent.
        """
        return self._save(request, partial=False)

    @extend_schema(request=OpenAIIntegrationSerializer, responses=OpenApiTypes.OBJECT)
    def partial_update(self, request):
        """PATCH: only the config keys sent change (null removes a key); is_active is kept unless sent."""
        return self._save(request, partial=True)

    def _save(self, request, partial):
        serializer = OpenAIIntegrationSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        account_id = request.user.account_id
        row = IntegrationSettings.current(account_id) or IntegrationSettings(
            account_id=account_id,
            integration_type="openai",
            config={},
            is_active=True,
        )
        stored = dict(row.config or {})
        config = dict(stored) if partial else {}
        for key, value in serializer.validated_data.get("config", {}).items():
            if key == "apiKey" and value in ("", MASK):
                # the masked value sent back unchanged (or a blank one) keeps the stored key
                if stored.get("apiKey"):
                    config["apiKey"] = stored["apiKey"]
                continue
            if value is None or value == "":
                config.pop(key, None)
            else:
                config[key] = value
        row.config = config
        if "is_active" in serializer.validated_data:
            row.is_active = serializer.validated_data["is_active"]
        row.save()
        return Response(self._render(row))


class AIConfigViewSet(AccountViewSet):
    """
    GET /api/v1/system/ai-config/: the model configuration every AI function would use, or
    the configuration error it would meet: a model without an API key is not ready.
    """

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def list(self, request):
        account = request.user.account
        problem = configuration_problem(AI_FUNCTIONS[0], account)
        if problem:
            return configuration_error_response(request, problem["error"], problem["error_code"])
        functions = {name: get_model_config(name, account=account) for name in AI_FUNCTIONS}
        image_model = (IntegrationSettings.current(account.id).config or {}).get("image_model")
        if image_model:
            functions["generate_images"] = {**functions["generate_images"], "model": image_model}
        return Response({"functions": functions, "ready": True})


class AITaskViewSet(AccountViewSet):
    """
    GET /api/v1/system/tasks/<id>/: a queued AI run's status, and its result or error.

    The answer is 200 whenever the task exists: the run's own failure is inside `data`
    (`data.error`), and `request_id` is the one of the request that queued the run, so the
    log lines of the run and of its status share it.
    """

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def retrieve(self, request, task_id=None):
        task = AITask.objects.filter(id=task_id, account_id=request.user.account_id).first()
        if task is None:
            # another account's task is not found either
            return error_response(request, "Task not found.", "not_found", 404)
        check_task(task)
        if task.request_id:
            request.request_id = task.request_id
        return Response(task_report(task))


def task_report(task):
    """The status of an AITask as the API and the progress page show it."""
    info = {"task_id": str(task.id), "function": task.function_name, "status": task.status}
    outcome = task.outcome
    if outcome is None:
        return info
    if outcome["status"] == 200:
        info["result"] = outcome["data"]
        return info
    error = {"error": outcome["error"], "error_code": outcome["error_code"], "http_status": outcome["status"]}
    if outcome.get("configuration_error"):
        error["integration_settings_url"] = settings.INTEGRATION_SETTINGS_URL
    info["error"] = error
    return info
