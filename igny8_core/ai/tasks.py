"""
Celery entry point for the AI functions.
"""
import logging

from celery import shared_task

from igny8_core.accounts.models import Account
from igny8_core.ai import AIEngine, get_function

logger = logging.getLogger(__name__)


@shared_task(name='igny8_core.ai.tasks.run_ai_task')
def run_ai_task(function_name, payload, account_id=None):
    """Run a registered AI function for an account and return its result."""
    logger.info("run_ai_task function=%s account_id=%s", function_name, account_id)
    fn = get_function(function_name)
    if fn is None:
        raise ValueError(f"Unknown AI function: {function_name}")

    if not account_id:
        raise ValueError("account_id is required for AI task execution")
    account = Account.objects.get(id=account_id)

    engine = AIEngine(account=account)
    return engine.execute(fn, payload)
