"""
The Celery task behind the AI endpoints' queued mode (`?async=1`) and the pages' AI actions.

It runs the function through the same path as a synchronous call
(igny8_core.api.ai_runner.run_for_account, i.e. run_ai_task) and records the outcome on
the AITask row that the status endpoint reads.

No lost task: the message is acknowledged only once the run is over (acks_late), and a
message whose worker process died is rejected and redelivered (reject_on_worker_lost), so
a task taken by a worker that dies before it starts is run by the next worker. Once a run
has started (status `running`) it is not started again: while it runs, a thread refreshes
the row's heartbeat, and a status read after the heartbeat has stopped for
AI_TASK_STALE_SECONDS records the task as failed, `worker_lost` (AITask.reap_if_lost).

A broker that does not redeliver the unacknowledged messages of a dead worker (the embedded
SQLite broker) could still lose the message of a task that is `queued`: a status read of a
task queued for more than AI_TASK_REQUEUE_SECONDS sends its message again (at most once per
that period). A duplicate message is harmless: only one run can claim the task.
"""

import logging
import threading
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import connection
from django.utils import timezone

from igny8_core.api.ai_runner import run_for_account
from igny8_core.modules.system.models import AITask

logger = logging.getLogger(__name__)


class Heartbeat(threading.Thread):
    """Refreshes a running task's heartbeat_at every AI_TASK_HEARTBEAT_SECONDS until stopped."""

    def __init__(self, task_id):
        super().__init__(name=f"igny8-heartbeat-{task_id}", daemon=True)
        self.task_id = task_id
        self.stopped = threading.Event()

    def run(self):
        try:
            while not self.stopped.wait(settings.AI_TASK_HEARTBEAT_SECONDS):
                AITask.objects.filter(id=self.task_id, status="running").update(heartbeat_at=timezone.now())
        except Exception:  # a heartbeat that cannot be written only makes the task look lost later
            logger.exception("heartbeat of task %s stopped", self.task_id)
        finally:
            connection.close()

    def stop(self):
        self.stopped.set()
        self.join(timeout=30)


@shared_task(
    name="igny8_core.modules.system.tasks.run_queued_ai_function",
    acks_late=True,
    reject_on_worker_lost=True,
)
def run_queued_ai_function(task_id):
    """Run the queued AITask `task_id`; return its final status."""
    claimed = AITask.objects.filter(id=task_id, status="queued").update(
        status="running",
        heartbeat_at=timezone.now(),
        updated_at=timezone.now(),
    )
    task = AITask.objects.select_related("account").get(id=task_id)
    if not claimed:
        # a redelivered message of a run that already started (or ended): never run twice
        logger.warning("AI task %s is %s: not run again", task_id, task.status)
        return {"task_id": str(task.id), "status": task.status}
    heartbeat = None if run_queued_ai_function.request.is_eager else Heartbeat(task.id)
    if heartbeat:
        heartbeat.start()
    try:
        outcome = run_for_account(task.function_name, task.payload, task.account, task.request_id)
    except Exception:
        logger.exception("queued AI function %s failed task_id=%s", task.function_name, task_id)
        outcome = {"status": 500, "error": "Internal server error.", "error_code": "internal_error"}
    finally:
        if heartbeat:
            heartbeat.stop()
    status = "succeeded" if outcome["status"] == 200 else "failed"
    # only a running task gets the outcome: one already reported lost keeps its report
    AITask.objects.filter(id=task.id, status="running").update(
        status=status, outcome=outcome, updated_at=timezone.now()
    )
    task.refresh_from_db(fields=["status"])
    return {"task_id": str(task.id), "status": task.status}


def check_task(task):
    """Before showing a task's status: report a lost run (worker_lost), resend a message that may be lost."""
    if task.reap_if_lost() or task.status != "queued":
        return
    last_sent = task.heartbeat_at or task.created_at
    now = timezone.now()
    if now - last_sent < timedelta(seconds=settings.AI_TASK_REQUEUE_SECONDS):
        return
    resend = AITask.objects.filter(id=task.id, status="queued", heartbeat_at=task.heartbeat_at).update(heartbeat_at=now)
    if resend:
        logger.warning(
            "AI task %s still queued after %ss: its message is sent again", task.id, settings.AI_TASK_REQUEUE_SECONDS
        )
        try:
            run_queued_ai_function.apply_async(args=[str(task.id)], task_id=str(task.id))
        except Exception as exc:  # the broker is unreachable: the next read tries again
            logger.error("could not resend AI task %s: %s", task.id, exc)
        task.refresh_from_db(fields=["status", "outcome", "heartbeat_at", "updated_at"])
