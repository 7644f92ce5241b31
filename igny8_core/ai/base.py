"""
BaseAIFunction: the steps the engine runs for every AI function.

validate(payload) -> prepare(validated, account) -> call_ai(core, data, model_config)
-> parse_response(response, data) -> save_output(parsed, data, account)
"""

import json

from igny8_core.ai.ai_core import AICore, AIProviderError
from igny8_core.modules.system.models import IntegrationSettings

#: the largest id a database row can have (a signed 64-bit integer)
MAX_ID = 2**63 - 1


class InvalidPayload(ValueError):
    """The request payload does not have the shape the function needs."""


class ObjectsNotFound(LookupError):
    """Some requested ids do not exist in the account (or exist only in another one)."""

    def __init__(self, label, missing_ids):
        self.label = label
        self.missing_ids = sorted(missing_ids)
        ids = ", ".join(str(i) for i in self.missing_ids)
        super().__init__(f"{label} not found: {ids}")


class BaseAIFunction:
    """An AI function: subclasses set `name` and implement prepare, build_prompt and save_output."""

    name = None
    #: the Django model of the objects in payload['ids']; prepare() looks them up in the account
    object_model = None
    label = "Object"
    max_items = 50
    response_format = {"type": "json_object"}

    def get_name(self):
        return self.name

    def validate(self, payload):
        """Check the payload's shape (no database access): {'ids': [positive ints]}."""
        if not isinstance(payload, dict):
            raise InvalidPayload("Payload must be an object with an 'ids' list.")
        ids = payload.get("ids")
        if not isinstance(ids, list) or not ids:
            raise InvalidPayload("'ids' must be a non-empty list of ids.")
        if any(isinstance(i, bool) or not isinstance(i, int) or i < 1 for i in ids):
            raise InvalidPayload("'ids' must contain positive integers only.")
        if any(i > MAX_ID for i in ids):
            raise InvalidPayload(f"'ids' must not exceed {MAX_ID}.")
        unique = list(dict.fromkeys(ids))
        if len(unique) > self.max_items:
            raise InvalidPayload(f"At most {self.max_items} ids per request.")
        return {"ids": unique}

    def load_objects(self, ids, account):
        """The account's objects with these ids, in request order; any missing id -> ObjectsNotFound."""
        found = {obj.id: obj for obj in self.object_model.objects.filter(account=account, id__in=ids)}
        missing = [i for i in ids if i not in found]
        if missing:
            raise ObjectsNotFound(self.label, missing)
        return [found[i] for i in ids]

    def prepare(self, validated, account):
        return {"objects": self.load_objects(validated["ids"], account)}

    def get_integration_config(self, account):
        """The config of the account's active OpenAI IntegrationSettings ({} if none)."""
        row = IntegrationSettings.objects.filter(
            integration_type="openai",
            account=account,
            is_active=True,
        ).first()
        return dict(row.config or {}) if row else {}

    def get_api_key(self, account):
        return self.get_integration_config(account).get("apiKey")

    def build_prompt(self, data):
        raise NotImplementedError

    def call_ai(self, core, data, model_config):
        return core.run_ai_request(
            prompt=self.build_prompt(data),
            model=model_config["model"],
            max_tokens=model_config["max_tokens"],
            temperature=model_config["temperature"],
            response_format=self.response_format,
            function_name=self.get_name(),
        )

    def parse_response(self, response, data):
        return AICore.parse_json(response["content"])

    def save_output(self, parsed, data, account):
        raise NotImplementedError

    @staticmethod
    def render_prompt(header, instructions, payload):
        """A prompt: a header line naming the function, instructions, then the input as JSON."""
        return f"{header}\n{instructions.strip()}\n\nInput (JSON):\n{json.dumps(payload, ensure_ascii=False)}"

    @staticmethod
    def invalid_reply(detail):
        return AIProviderError(
            f"OpenAI reply does not have the expected shape: {detail}.", error_code="ai_invalid_response"
        )
