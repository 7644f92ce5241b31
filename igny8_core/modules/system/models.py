"""System: per-account integration settings (the only source of AI model configuration)."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from igny8_core.accounts.models import Account


class IntegrationSettings(models.Model):
    """
    One integration's configuration for one account.

    For `integration_type='openai'` the `config` holds `apiKey`, `model`,
    `max_tokens`, `temperature` and optionally `image_model` and `image_size`.
    """

    INTEGRATION_TYPES = [
        ("openai", "OpenAI"),
    ]

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="integration_settings")
    integration_type = models.CharField(max_length=50, choices=INTEGRATION_TYPES)
    config = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "integration settings"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "integration_type"],
                condition=models.Q(is_active=True),
                name="one_active_integration_per_account_and_type",
            ),
        ]

    def __str__(self):
        # never include the config: it holds the API key
        return f"{self.integration_type} settings of account {self.account_id}"

    @classmethod
    def current(cls, account_id, integration_type="openai"):
        """
        The account's active row, else its most recently saved inactive one: turning an
        integration off and on again keeps one row, with its key.
        """
        rows = cls.objects.filter(account_id=account_id, integration_type=integration_type)
        return rows.filter(is_active=True).first() or rows.order_by("-updated_at", "-id").first()


class AITask(models.Model):
    """
    An AI function run queued for the Celery worker; its id is the Celery task id.

    The worker records the outcome here (the same outcome a synchronous call answers
    with), so the status endpoint needs no Celery result backend and shows each run to
    its own account only.

    While it runs, the worker refreshes `heartbeat_at` every AI_TASK_HEARTBEAT_SECONDS. A
    running task whose heartbeat is older than AI_TASK_STALE_SECONDS has lost its worker
    (killed, out of memory, machine gone): reading its status (reap_if_lost) records it as
    failed with error_code `worker_lost`. A terminal status never changes afterwards.
    """

    WORKER_LOST_MESSAGE = (
        "The worker running this task stopped before it finished (no heartbeat for {seconds} seconds). "
        "Nothing was saved; run the function again."
    )

    STATUSES = [("queued", "Queued"), ("running", "Running"), ("succeeded", "Succeeded"), ("failed", "Failed")]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="ai_tasks")
    function_name = models.CharField(max_length=100)
    payload = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=128, blank=True, default="")
    status = models.CharField(max_length=20, choices=STATUSES, default="queued")
    outcome = models.JSONField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = "AI task"

    def __str__(self):
        return f"{self.function_name} {self.status} ({self.id})"

    @property
    def finished(self):
        return self.status in ("succeeded", "failed")

    def reap_if_lost(self):
        """Record a running task whose worker stopped heartbeating as failed (worker_lost); True if it was."""
        if self.status != "running":
            return False
        stale = settings.AI_TASK_STALE_SECONDS
        last_sign = self.heartbeat_at or self.updated_at
        if last_sign is None or timezone.now() - last_sign < timedelta(seconds=stale):
            return False
        outcome = {
            "status": 500,
            "error": self.WORKER_LOST_MESSAGE.format(seconds=stale),
            "error_code": "worker_lost",
        }
        # conditional: a worker that finishes at this very moment keeps its own outcome
        reaped = AITask.objects.filter(id=self.id, status="running", heartbeat_at=self.heartbeat_at).update(
            status="failed",
            outcome=outcome,
            updated_at=timezone.now(),
        )
        self.refresh_from_db(fields=["status", "outcome", "updated_at"])
        return bool(reaped)
