"""
System API: the account's OpenAI integration settings, the AI configuration each
function resolves from them, and the status of queued AI runs. The API key is never sent back.
"""
from rest_framework import permissions, viewsets
from rest_framework.response import Response

from igny8_core.ai import get_model_config
from igny8_core.api.responses import configuration_error_code, configuration_error_response, error_response
from igny8_core.api.viewsets import HasAccount, UnifiedResponseMixin, ai_outcome_response
from igny8_core.modules.system.models import AITask, IntegrationSettings
from igny8_core.modules.system.serializers import MASK, OpenAIIntegrationSerializer

AI_FUNCTIONS = ('auto_cluster', 'generate_ideas', 'generate_content', 'generate_image_prompts', 'generate_images')


class AccountViewSet(UnifiedResponseMixin, viewsets.ViewSet):
    permission_classes = [permissions.IsAuthenticated, HasAccount]


class OpenAIIntegrationViewSet(AccountViewSet):
    """GET/PUT /api/v1/system/integrations/openai/: the account's OpenAI settings."""

    def _render(self, row):
        config = dict(row.config or {}) if row else {}
        api_key_configured = bool(config.pop('apiKey', None))
        if api_key_configured:
            config['apiKey'] = MASK
        return {
            'integration_type': 'openai',
            'configured': row is not None,
            'is_active': bool(row and row.is_active),
            'api_key_configured': api_key_configured,
            'config': config,
        }

    def list(self, request):
        return Response(self._render(IntegrationSettings.current(request.user.account_id)))

    def create(self, request):
        serializer = OpenAIIntegrationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        account_id = request.user.account_id
        row = IntegrationSettings.current(account_id) or IntegrationSettings(
            account_id=account_id, integration_type='openai', config={},
        )
        config = dict(row.config or {})
        for key, value in serializer.validated_data.get('config', {}).items():
            if key == 'apiKey' and value in ('', MASK):
                continue  # the masked value sent back unchanged keeps the stored key
            config[key] = value
        row.config = config
        row.is_active = serializer.validated_data.get('is_active', True)
        row.save()
        return Response(self._render(row))


class AIConfigViewSet(AccountViewSet):
    """GET /api/v1/system/ai-config/: the model configuration every AI function would use."""

    def list(self, request):
        account = request.user.account
        if not account:
            return configuration_error_response(
                request, "Account is required for model configuration", 'account_required',
            )
        try:
            functions = {name: get_model_config(name, account=account) for name in AI_FUNCTIONS}
        except ValueError as exc:
            message = str(exc)
            return configuration_error_response(request, message, configuration_error_code(message) or 'invalid_configuration')
        return Response({'functions': functions})


class AITaskViewSet(AccountViewSet):
    """GET /api/v1/system/tasks/<id>/: a queued AI run's status, and its result or error."""

    def retrieve(self, request, task_id=None):
        task = AITask.objects.filter(id=task_id, account_id=request.user.account_id).first()
        if task is None:
            # another account's task is not found either
            return error_response(request, 'Task not found.', 'not_found', 404)
        info = {'task_id': str(task.id), 'function': task.function_name, 'status': task.status}
        if task.outcome is None:
            return Response(info)
        return ai_outcome_response(request, task.outcome, **info)
