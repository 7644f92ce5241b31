"""
AICore: the OpenAI client used by the engine.

Chat completions and image generation over HTTP, with the account's API key and the
model configuration resolved from the account's IntegrationSettings.
"""
import json
import logging
import time

import requests
from django.conf import settings

logger = logging.getLogger(__name__)


class AIProviderError(Exception):
    """The AI provider could not be reached or answered with an error."""

    def __init__(self, message, error_code='ai_provider_error', status=None):
        super().__init__(message)
        self.error_code = error_code
        self.status = status


class AICore:
    """Calls the OpenAI API on behalf of one account."""

    def __init__(self, account=None, api_key=None, base_url=None, timeout=None):
        self.account = account
        self._api_key = api_key
        self.base_url = (base_url or self._setting('OPENAI_API_BASE')).rstrip('/')
        self.timeout = timeout if timeout is not None else self._setting('OPENAI_TIMEOUT')

    def _headers(self):
        if not self._api_key:
            raise ValueError(
                "OpenAI API key not configured in IntegrationSettings. "
                "Please set 'apiKey' in OpenAI integration settings."
            )
        return {
            'Authorization': f'Bearer {self._api_key}',
            'Content-Type': 'application/json',
        }

    def _post(self, path, body, function_name):
        url = f'{self.base_url}{path}'
        started = time.monotonic()
        try:
            response = requests.post(url, headers=self._headers(), json=body, timeout=self.timeout)
        except requests.Timeout:
            raise AIProviderError(
                f"OpenAI request timed out after {self.timeout} seconds.", error_code='ai_provider_timeout'
            )
        except requests.RequestException as exc:
            raise AIProviderError(
                f"OpenAI request failed: {exc.__class__.__name__}.", error_code='ai_provider_unreachable'
            )
        elapsed = time.monotonic() - started
        logger.info(
            "AI request %s model=%s status=%s elapsed=%.2fs",
            function_name, body.get('model'), response.status_code, elapsed,
        )
        if response.status_code >= 400:
            try:
                detail = response.json().get('error', {}).get('message', '')
            except (ValueError, AttributeError):
                detail = ''
            message = f"OpenAI returned HTTP {response.status_code}"
            if detail:
                message = f"{message}: {detail}"
            raise AIProviderError(message, status=response.status_code)
        try:
            return response.json()
        except ValueError:
            raise AIProviderError("OpenAI returned a response that is not JSON.")

    def run_ai_request(self, prompt, model=None, max_tokens=4000, temperature=0.7,
                       response_format=None, function_name='ai_request'):
        """Send one chat completion; return {'content', 'model', 'usage'}."""
        if not model:
            raise ValueError("Model is required. Ensure IntegrationSettings is configured for the account.")
        active_model = model
        body = {
            'model': active_model,
            'messages': [{'role': 'user', 'content': prompt}],
            'max_tokens': max_tokens,
            'temperature': temperature,
        }
        if response_format:
            body['response_format'] = response_format
        data = self._post('/chat/completions', body, function_name)
        try:
            content = data['choices'][0]['message']['content']
        except (KeyError, IndexError, TypeError):
            raise AIProviderError("OpenAI response has no message content.")
        return {'content': content, 'model': data.get('model', active_model), 'usage': data.get('usage', {})}

    def generate_image(self, prompt, model, size='1024x1024', function_name='generate_images'):
        """Generate one image; return {'url', 'revised_prompt'}."""
        if not model:
            raise ValueError("Model is required. Ensure IntegrationSettings is configured for the account.")
        body = {'model': model, 'prompt': prompt, 'n': 1, 'size': size}
        data = self._post('/images/generations', body, function_name)
        try:
            image = data['data'][0]
        except (KeyError, IndexError, TypeError):
            raise AIProviderError("OpenAI image response has no image.")
        return {'url': image.get('url', ''), 'revised_prompt': image.get('revised_prompt', prompt)}

    @staticmethod
    def parse_json(content):
        """Parse a model reply that should be JSON (tolerates a fenced code block)."""
        text = content.strip()
        if text.startswith('```'):
            text = text.strip('`')
            if text.startswith('json'):
                text = text[4:]
        try:
            return json.loads(text)
        except ValueError:
            raise AIProviderError("OpenAI reply is not valid JSON.", error_code='ai_invalid_response')

    @staticmethod
    def _setting(name):
        """A Django setting, read through the module-level `settings`."""
        return getattr(settings, name)
