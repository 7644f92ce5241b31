"""
AI Core - Centralized execution and logging layer for all AI requests
Handles API calls, model selection, response parsing, and console logging
"""
import json
import logging
import time

import requests
from django.conf import settings

from igny8_core.ai.constants import JSON_MODE_MODELS, calculate_cost

logger = logging.getLogger(__name__)


class AIProviderError(Exception):
    """OpenAI could not be reached or answered with an error."""

    def __init__(self, message, error_code='ai_provider_error', status=None):
        super().__init__(message)
        self.error_code = error_code
        self.status = status


class AICore:
    """
    Centralized AI operations handler.
    All AI requests go through run_ai_request() / generate_image().
    """

    def __init__(self, account=None, api_key=None):
        """
        Args:
            account: Optional account object
            api_key: the account's OpenAI key (from IntegrationSettings)
        """
        self.account = account
        self._openai_api_key = api_key
        self.base_url = settings.OPENAI_API_BASE.rstrip('/')
        self.timeout = settings.OPENAI_TIMEOUT

    def _post(self, path, body, function_name):
        if not self._openai_api_key:
            raise ValueError("OpenAI API key not configured in IntegrationSettings.")
        headers = {
            'Authorization': f'Bearer {self._openai_api_key}',
            'Content-Type': 'application/json',
        }
        started = time.time()
        try:
            response = requests.post(f"{self.base_url}{path}", headers=headers, json=body, timeout=self.timeout)
        except requests.RequestException as e:
            raise AIProviderError(f"OpenAI request failed: {e.__class__.__name__}", error_code='ai_provider_unreachable')
        logger.info("[AI][%s] %s -> HTTP %s in %.2fs", function_name, path, response.status_code, time.time() - started)
        if response.status_code >= 400:
            raise AIProviderError(f"OpenAI returned HTTP {response.status_code}", status=response.status_code)
        return response.json()

    def run_ai_request(
        self,
        prompt,
        model=None,
        max_tokens=4000,
        temperature=0.7,
        response_format=None,
        function_name='ai_request',
    ):
        """
        Centralized AI request handler with console logging.

        Returns:
            dict with 'content', 'model', 'input_tokens', 'output_tokens', 'cost'
        """
        # Resolve the model
        if not model:
            raise ValueError("Model is required. Ensure IntegrationSettings is configured for the account.")
        active_model = model

        body = {
            'model': active_model,
            'messages': [{'role': 'user', 'content': prompt}],
            'max_tokens': max_tokens,
            'temperature': temperature,
        }
        # JSON mode only where the model supports it
        if response_format and active_model in JSON_MODE_MODELS:
            body['response_format'] = response_format

        data = self._post('/chat/completions', body, function_name)
        try:
            content = data['choices'][0]['message']['content']
        except (KeyError, IndexError, TypeError):
            raise AIProviderError("OpenAI response has no message content.")
        usage = data.get('usage') or {}
        input_tokens = usage.get('prompt_tokens', 0)
        output_tokens = usage.get('completion_tokens', 0)
        return {
            'content': content,
            'model': data.get('model', active_model),
            'input_tokens': input_tokens,
            'output_tokens': output_tokens,
            'cost': calculate_cost(active_model, input_tokens, output_tokens),
        }

    def generate_image(self, prompt, model, size='1024x1024', function_name='generate_images'):
        """Generate one image; returns {'url': ..., 'revised_prompt': ...}."""
        body = {'model': model, 'prompt': prompt, 'n': 1, 'size': size}
        data = self._post('/images/generations', body, function_name)
        try:
            image = data['data'][0]
        except (KeyError, IndexError, TypeError):
            raise AIProviderError("OpenAI image response has no image.")
        return {'url': image.get('url', ''), 'revised_prompt': image.get('revised_prompt', prompt)}

    @staticmethod
    def parse_json(content):
        """Parse a JSON reply (tolerates ```json fences)."""
        text = (content or '').strip()
        if text.startswith('```'):
            text = text.strip('`')
            if text.startswith('json'):
                text = text[4:]
        try:
            return json.loads(text)
        except ValueError:
            raise AIProviderError("OpenAI reply is not valid JSON.", error_code='ai_invalid_response')
