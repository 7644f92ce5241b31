"""
AIEngine: runs one registered AI function for an account.

validate -> model configuration -> prepare -> prompt -> call -> parse -> save
"""
import logging
import time

from django.db import transaction

from igny8_core.ai.ai_core import AICore
from igny8_core.ai.settings import get_model_config

logger = logging.getLogger(__name__)


class AIEngine:
    """Runs AI functions for one account."""

    def __init__(self, account=None):
        self.account = account

    def execute(self, fn, payload):
        """Run `fn` (a BaseAIFunction) on `payload`; return the function's result dict."""
        function_name = fn.get_name()
        started = time.monotonic()
        validated = fn.validate(payload)

        if not self.account:
            raise ValueError("Account is required for AI function execution")
        model_config = get_model_config(function_name, account=self.account)

        data = fn.prepare(validated, self.account)
        core = AICore(account=self.account, api_key=fn.get_api_key(self.account))
        response = fn.call_ai(core, data, model_config)
        parsed = fn.parse_response(response, data)
        with transaction.atomic():
            result = fn.save_output(parsed, data, self.account)
        logger.info(
            "AI function %s finished for account %s in %.2fs",
            function_name, self.account.id, time.monotonic() - started,
        )
        return {'success': True, 'function': function_name, 'model': model_config['model'], **result}
