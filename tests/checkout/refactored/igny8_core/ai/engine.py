"""
AI Engine - Central orchestrator for all AI functions
Phases: INIT -> PREP -> AI_CALL -> PARSE -> SAVE -> DONE
"""
import logging
import time

from django.db import transaction

from igny8_core.ai.ai_core import AICore
from igny8_core.ai.settings import get_model_config

logger = logging.getLogger(__name__)


class AIEngine:
    """
    Central orchestrator for all AI functions.
    Manages lifecycle, progress, logging and cost tracking.
    """

    def __init__(self, celery_task=None, account=None):
        self.task = celery_task
        self.account = account
        self.step_log = []

    def _step(self, phase, message):
        self.step_log.append({'phase': phase, 'message': message, 'at': time.time()})
        if self.task is not None and not getattr(self.task.request, 'called_directly', True):
            try:
                self.task.update_state(state='PROGRESS', meta={'phase': phase, 'message': message})
            except Exception:  # no result backend etc.
                pass

    def execute(self, fn, payload):
        """
        Unified execution pipeline for all AI functions.

        Args:
            fn: BaseAIFunction instance
            payload: Input payload
        Returns:
            dict: result with 'success' and the function's output
        """
        function_name = fn.get_name()
        self._step('INIT', f'Validating {function_name}')
        try:
            validated = fn.validate(payload, self.account)

            self._step('PREP', 'Loading data')
            data = fn.prepare(validated, self.account)

            # Phase 3: AI_CALL - model configuration comes from settings.get_model_config
            if not self.account:
                raise ValueError("Account is required for AI function execution")
            model_config = get_model_config(function_name, account=self.account)
            self._step('AI_CALL', f"Calling {model_config.get('model')}")
            core = AICore(account=self.account, api_key=fn.get_api_key(self.account))
            response = fn.call_ai(core, data, model_config)

            self._step('PARSE', 'Parsing response')
            parsed = fn.parse_response(response, data)

            self._step('SAVE', 'Saving results')
            with transaction.atomic():
                result = fn.save_output(parsed, data, self.account)

            self._step('DONE', 'Done')
            return {'success': True, 'function': function_name, 'model': model_config['model'], **result}
        except Exception as e:
            logger.error("AIEngine.execute(%s) failed: %s", function_name, e, exc_info=True)
            raise
