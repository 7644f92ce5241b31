"""
Base class for all AI functions.
validate -> prepare -> (build_prompt) -> call_ai -> parse_response -> save_output
"""
import json

from igny8_core.ai.ai_core import AICore, AIProviderError


class InvalidPayload(ValueError):
    """The request payload does not have the shape the function needs."""


class ObjectsNotFound(LookupError):
    def __init__(self, label, missing_ids):
        self.missing_ids = sorted(missing_ids)
        super().__init__(f"{label} not found: {', '.join(str(i) for i in self.missing_ids)}")


class BaseAIFunction:
    """Subclasses set `name` / `object_model` and implement build_prompt + save_output."""

    name = None
    object_model = None
    label = 'Object'
    max_items = 50
    response_format = {'type': 'json_object'}

    def get_name(self):
        return self.name

    def validate(self, payload, account=None):
        if not isinstance(payload, dict):
            raise InvalidPayload("Payload must be an object with an 'ids' list.")
        ids = payload.get('ids')
        if not isinstance(ids, list) or not ids:
            raise InvalidPayload("'ids' must be a non-empty list of ids.")
        if any(isinstance(i, bool) or not isinstance(i, int) or i < 1 for i in ids):
            raise InvalidPayload("'ids' must contain positive integers only.")
        if len(ids) > self.max_items:
            raise InvalidPayload(f"At most {self.max_items} ids per request.")
        return {'ids': list(dict.fromkeys(ids))}

    def load_objects(self, ids, account):
        found = {o.id: o for o in self.object_model.objects.filter(account=account, id__in=ids)}
        missing = [i for i in ids if i not in found]
        if missing:
            raise ObjectsNotFound(self.label, missing)
        return [found[i] for i in ids]

    def prepare(self, validated, account):
        return {'objects': self.load_objects(validated['ids'], account)}

    def get_integration_config(self, account):
        """The account's OpenAI integration config ({} when there is none)."""
        # imported here: this module is imported while Django loads the apps
        from igny8_core.business.integration.models import IntegrationSettings

        row = IntegrationSettings.objects.filter(
            integration_type='openai', account=account, is_active=True
        ).first()
        return dict(row.config or {}) if row else {}

    def get_api_key(self, account):
        return self.get_integration_config(account).get('apiKey')

    def build_prompt(self, data):
        raise NotImplementedError

    def call_ai(self, core, data, model_config):
        return core.run_ai_request(
            prompt=self.build_prompt(data),
            model=model_config['model'],
            max_tokens=model_config['max_tokens'],
            temperature=model_config['temperature'],
            response_format=self.response_format,
            function_name=self.get_name(),
        )

    def parse_response(self, response, data):
        return AICore.parse_json(response['content'])

    def save_output(self, parsed, data, account):
        raise NotImplementedError

    @staticmethod
    def render_prompt(header, instructions, payload):
        return f"{header}\n{instructions.strip()}\n\nInput (JSON):\n{json.dumps(payload, ensure_ascii=False)}"

    @staticmethod
    def invalid_reply(detail):
        return AIProviderError(f"OpenAI reply does not have the expected shape: {detail}.", error_code='ai_invalid_response')
