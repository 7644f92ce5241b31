"""
Running one AI function for an account, with every failure turned into the unified error
format. The synchronous endpoints, the queued task (igny8_core.modules.system.tasks) and the
server-rendered pages all go through run_for_account, so they answer alike.

check_configuration tells, before anything is queued, whether the account can run a
function at all (settings active, a model and an API key), so a page or an API call can
answer a configuration error at once instead of queueing a run that is bound to fail.
queue_for_account records an AITask and queues it for the worker.
"""

import logging

from django.urls import reverse

from igny8_core.accounts.models import AccountNotFound
from igny8_core.ai import get_model_config
from igny8_core.ai.ai_core import AIProviderError
from igny8_core.ai.base import InvalidPayload, ObjectsNotFound
from igny8_core.ai.registry import get_function
from igny8_core.ai.tasks import run_ai_task
from igny8_core.api.responses import configuration_error_code, redact_secrets

API_KEY_MISSING = (
    "OpenAI API key not configured in IntegrationSettings. Please set 'apiKey' in OpenAI integration settings."
)
QUEUE_UNAVAILABLE = "The task queue is unavailable."

logger = logging.getLogger(__name__)


def _failure(status, message, error_code, **extra):
    return {"status": status, "error": message, "error_code": error_code, **extra}


def run_for_account(function_name, payload, account, request_id):
    """
    Run `function_name` on `payload` for `account` through run_ai_task (in this process).

    Returns a JSON-serialisable outcome: {'status': 200, 'data': result} on success, else
    {'status': http status, 'error': message, 'error_code': code} plus
    'configuration_error': True for the errors the integration settings page fixes.
    """
    fn = get_function(function_name)
    if fn is None:
        return _failure(500, f"Unknown AI function: {function_name}", "unknown_function")
    try:
        result = run_ai_task(function_name, payload, account_id=account.id)
    except InvalidPayload as exc:
        return _failure(400, str(exc), "validation_error")
    except ObjectsNotFound as exc:
        return _failure(404, str(exc), "not_found")
    except AccountNotFound as exc:
        return _failure(404, str(exc), "account_not_found")
    except AIProviderError as exc:
        message = redact_secrets(exc, secrets=[fn.get_api_key(account)])
        logger.warning(
            "AI function %s failed request_id=%s error_code=%s: %s",
            function_name,
            request_id,
            exc.error_code,
            message,
        )
        status = 504 if exc.error_code == "ai_provider_timeout" else 502
        return _failure(status, message, exc.error_code)
    except ValueError as exc:
        message = redact_secrets(exc, secrets=[fn.get_api_key(account)])
        error_code = configuration_error_code(message)
        if error_code is None:
            logger.exception("AI function %s failed request_id=%s", function_name, request_id)
            return _failure(500, "Internal server error.", "internal_error")
        logger.warning(
            "AI function %s not configured request_id=%s error_code=%s: %s",
            function_name,
            request_id,
            error_code,
            message,
        )
        return _failure(400, message, error_code, configuration_error=True)
    logger.info("AI function %s done request_id=%s", function_name, request_id)
    # the envelope carries "success"; the engine's own flag would repeat it inside "data"
    data = {key: value for key, value in result.items() if key != "success"}
    return {"status": 200, "data": data}


def configuration_problem(function_name, account):
    """
    The configuration error `function_name` would meet for `account`, as a failure outcome
    (see run_for_account), or None when the account's settings are complete: active, with
    a model and an API key.
    """
    fn = get_function(function_name)
    try:
        get_model_config(function_name, account=account)
        if fn is not None and not fn.get_api_key(account):
            raise ValueError(API_KEY_MISSING)
    except ValueError as exc:
        message = str(exc)
        return _failure(
            400, message, configuration_error_code(message) or "invalid_configuration", configuration_error=True
        )
    return None


def queue_for_account(function_name, payload, account, request_id):
    """
    Record an AITask for a validated payload and queue it for the worker.

    Returns (task, None), or (task, failure outcome) when the broker refused the task (the
    task is then recorded as failed).
    """
    from igny8_core.modules.system.models import AITask
    from igny8_core.modules.system.tasks import run_queued_ai_function

    task = AITask.objects.create(
        account=account,
        function_name=function_name,
        payload=payload,
        request_id=request_id,
    )
    try:
        run_queued_ai_function.apply_async(args=[str(task.id)], task_id=str(task.id))
    except Exception as exc:  # the broker refused or is unreachable
        logger.error("could not queue AI function %s request_id=%s: %s", function_name, request_id, exc)
        failure = _failure(503, QUEUE_UNAVAILABLE, "queue_unavailable")
        task.status = "failed"
        task.outcome = failure
        task.save(update_fields=["status", "outcome", "updated_at"])
        return task, failure
    logger.info("AI function %s queued task_id=%s request_id=%s", function_name, task.id, request_id)
    task.refresh_from_db(fields=["status"])
    return task, None


def task_status_url(task):
    return reverse("ai-task", kwargs={"task_id": task.id})
