"""
System module: the account's OpenAI integration and the AI model configuration.
"""
from rest_framework import permissions
from rest_framework.views import APIView

from igny8_core.ai import get_model_config
from igny8_core.ai.constants import MODEL_RATES, VALID_OPENAI_IMAGE_MODELS
from igny8_core.api.response import configuration_error, error_response, success_response
from igny8_core.business.integration.models import IntegrationSettings


class AIModelConfigView(APIView):
    """GET: the model the clustering would use for the request's account."""
    permission_classes = [permissions.IsAuthenticated]

    def get(self, request):
        try:
            config = get_model_config("auto_cluster", account=request.account)
        except ValueError as e:
            return configuration_error(str(e), request=request)
        return success_response(config, request=request)


class OpenAIIntegrationView(APIView):
    """GET / PUT the account's OpenAI settings (the API key is never sent back)."""
    permission_classes = [permissions.IsAuthenticated]

    def get(self, request):
        row = IntegrationSettings.objects.filter(account=request.account, integration_type='openai').first()
        config = dict(row.config) if row else {}
        config.pop('apiKey', None)
        return success_response({'configured': row is not None, 'config': config}, request=request)

    def put(self, request):
        config = request.data.get('config') or {}
        model = config.get('model')
        if model is not None and model not in MODEL_RATES:
            return error_response(f"Unsupported model: {model}", 'validation_error', request=request)
        image_model = config.get('image_model')
        if image_model is not None and image_model not in VALID_OPENAI_IMAGE_MODELS:
            return error_response(f"Unsupported image model: {image_model}", 'validation_error', request=request)
        row, _ = IntegrationSettings.objects.update_or_create(
            account=request.account, integration_type='openai',
            defaults={'config': config, 'is_active': True},
        )
        return success_response({'configured': True}, request=request)
