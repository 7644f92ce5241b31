"""
The Celery task behind the AI endpoints' queued mode (`?async=1`).

It runs the function through the same path as a synchronous call
(igny8_core.api.ai_runner.run_for_account, i.e. run_ai_task) and records the outcome on
the AITask row that the status endpoint reads.
"""
import logging

from celery import shared_task

from igny8_core.api.ai_runner import run_for_account
from igny8_core.modules.system.models import AITask

logger = logging.getLogger(__name__)


@shared_task(name='igny8_core.modules.system.tasks.run_queued_ai_function')
def run_queued_ai_function(task_id):
    """Run the queued AITask `task_id`; return its final status."""
    task = AITask.objects.select_related('account').get(id=task_id)
    task.status = 'running'
    task.save(update_fields=['status', 'updated_at'])
    try:
        outcome = run_for_account(task.function_name, task.payload, task.account, task.request_id)
    except Exception:
        logger.exception("queued AI function %s failed task_id=%s", task.function_name, task_id)
        outcome = {'status': 500, 'error': 'Internal server error.', 'error_code': 'internal_error'}
    task.outcome = outcome
    task.status = 'succeeded' if outcome['status'] == 200 else 'failed'
    task.save(update_fields=['status', 'outcome', 'updated_at'])
    return {'task_id': str(task.id), 'status': task.status}
