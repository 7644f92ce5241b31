"""
Running one AI function for an account, with every failure turned into the unified error
format. The synchronous endpoints, the queued task (igny8_core.modules.system.tasks) and the
server-rendered pages all go through run_for_account, so they answer alike.
"""
import logging

from igny8_core.ai.ai_core import AIProviderError
from igny8_core.ai.base import InvalidPayload, ObjectsNotFound
from igny8_core.ai.registry import get_function
from igny8_core.ai.tasks import run_ai_task
from igny8_core.api.responses import configuration_error_code, redact_secrets

logger = logging.getLogger(__name__)


def _failure(status, message, error_code, **extra):
    return {'status': status, 'error': message, 'error_code': error_code, **extra}


def run_for_account(function_name, payload, account, request_id):
    """
    Run `function_name` on `payload` for `account` through run_ai_task (in this process).

    Returns a JSON-serialisable outcome: {'status': 200, 'data': result} on success, else
    {'status': http status, 'error': message, 'error_code': code} plus
    'configuration_error': True for the errors the integration settings page fixes.
    """
    fn = get_function(function_name)
    if fn is None:
        return _failure(500, f"Unknown AI function: {function_name}", 'unknown_function')
    try:
        result = run_ai_task(function_name, payload, account_id=account.id)
    except InvalidPayload as exc:
        return _failure(400, str(exc), 'validation_error')
    except ObjectsNotFound as exc:
        return _failure(404, str(exc), 'not_found')
    except AIProviderError as exc:
        message = redact_secrets(exc, secrets=[fn.get_api_key(account)])
        logger.warning(
            "AI function %s failed request_id=%s error_code=%s: %s",
            function_name, request_id, exc.error_code, message,
        )
        status = 504 if exc.error_code == 'ai_provider_timeout' else 502
        return _failure(status, message, exc.error_code)
    except ValueError as exc:
        message = redact_secrets(exc, secrets=[fn.get_api_key(account)])
        error_code = configuration_error_code(message)
        if error_code is None:
            logger.exception("AI function %s failed request_id=%s", function_name, request_id)
            return _failure(500, 'Internal server error.', 'internal_error')
        logger.warning(
            "AI function %s not configured request_id=%s error_code=%s: %s",
            function_name, request_id, error_code, message,
        )
        return _failure(400, message, error_code, configuration_error=True)
    logger.info("AI function %s done request_id=%s", function_name, request_id)
    # the envelope carries "success"; the engine's own flag would repeat it inside "data"
    data = {key: value for key, value in result.items() if key != 'success'}
    return {'status': 200, 'data': data}
