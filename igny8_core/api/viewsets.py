"""
Base ViewSets of the igny8 API: authentication, account scoping, the unified response
format, and running an AI function for the request's account, in the request or queued
for the Celery worker.
"""
import logging

from django.conf import settings
from django.urls import reverse
from rest_framework import mixins, permissions, routers, viewsets
from rest_framework.response import Response

from igny8_core.ai.base import InvalidPayload
from igny8_core.ai.registry import get_function
from igny8_core.api.ai_runner import run_for_account
from igny8_core.api.exceptions import unified_exception_handler
from igny8_core.api.responses import (
    REQUEST_ID_HEADER,
    configuration_error_response,
    error_response,
    get_request_id,
)

logger = logging.getLogger(__name__)

TRUE_WORDS = ('1', 'true', 'yes', 'on')
FALSE_WORDS = ('0', 'false', 'no', 'off')


class HasAccount(permissions.BasePermission):
    """The user works inside an account."""

    message = 'Your user is not linked to an account.'
    code = 'account_required'

    def has_permission(self, request, view):
        return getattr(request.user, 'account_id', None) is not None


class UnifiedResponseMixin:
    """Every response in the unified format, with the request id echoed."""

    def initial(self, request, *args, **kwargs):
        get_request_id(request)
        super().initial(request, *args, **kwargs)

    def get_exception_handler(self):
        return unified_exception_handler

    def finalize_response(self, request, response, *args, **kwargs):
        request_id = get_request_id(request)
        if isinstance(response, Response) and not getattr(response, 'igny8_envelope', False):
            data = response.data if response.status_code != 204 else None
            response.data = {'success': True, 'data': data, 'request_id': request_id}
            response.igny8_envelope = True
            if response.status_code == 204:
                # a deletion still answers with the envelope, so it needs a body
                response.status_code = 200
        response = super().finalize_response(request, response, *args, **kwargs)
        response[REQUEST_ID_HEADER] = request_id
        return response


class UnifiedAPIRootView(UnifiedResponseMixin, routers.APIRootView):
    """The router root (`/api/v1/planner/`), in the unified format."""


class UnifiedRouter(routers.DefaultRouter):
    APIRootView = UnifiedAPIRootView


def wants_async(request):
    """?async=1 queues the run, ?async=0 runs it in the request; else the AI_ASYNC setting."""
    value = str(request.query_params.get('async', '')).strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    return bool(settings.AI_ASYNC)


def ai_outcome_response(request, outcome, **extra):
    """The unified response of an AI run's outcome (see igny8_core.api.ai_runner)."""
    if outcome['status'] == 200:
        return Response({**extra, 'result': outcome['data']} if extra else outcome['data'])
    if outcome.get('configuration_error'):
        response = configuration_error_response(request, outcome['error'], outcome['error_code'])
    else:
        response = error_response(request, outcome['error'], outcome['error_code'], outcome['status'])
    response.data.update(extra)
    return response


class AccountScopedViewSet(UnifiedResponseMixin, viewsets.ReadOnlyModelViewSet):
    """Lists and retrieves the request account's objects; other accounts' ids give 404."""

    permission_classes = [permissions.IsAuthenticated, HasAccount]

    def get_queryset(self):
        return self.queryset.filter(account_id=self.request.user.account_id)

    def run_ai_function(self, request, function_name):
        """Run an AI function on the request body for the user's account; unified response."""
        if wants_async(request):
            return self.queue_ai_function(request, function_name)
        outcome = run_for_account(function_name, request.data, request.user.account, get_request_id(request))
        return ai_outcome_response(request, outcome)

    def queue_ai_function(self, request, function_name):
        """Queue the run for the worker: 202 with the task id and where to follow it."""
        from igny8_core.modules.system.models import AITask
        from igny8_core.modules.system.tasks import run_queued_ai_function

        fn = get_function(function_name)
        if fn is None:
            return error_response(request, f"Unknown AI function: {function_name}", 'unknown_function', 500)
        try:
            payload = fn.validate(request.data)
        except InvalidPayload as exc:
            return error_response(request, str(exc), 'validation_error', 400)
        request_id = get_request_id(request)
        task = AITask.objects.create(
            account_id=request.user.account_id, function_name=fn.get_name(),
            payload=payload, request_id=request_id,
        )
        try:
            run_queued_ai_function.apply_async(args=[str(task.id)], task_id=str(task.id))
        except Exception as exc:  # the broker refused or is unreachable
            logger.error("could not queue AI function %s request_id=%s: %s", function_name, request_id, exc)
            task.status = 'failed'
            task.outcome = {'status': 503, 'error': 'The task queue is unavailable.', 'error_code': 'queue_unavailable'}
            task.save(update_fields=['status', 'outcome', 'updated_at'])
            return error_response(request, 'The task queue is unavailable.', 'queue_unavailable', 503)
        logger.info("AI function %s queued task_id=%s request_id=%s", fn.get_name(), task.id, request_id)
        task.refresh_from_db(fields=['status'])
        return Response(
            {
                'task_id': str(task.id),
                'function': fn.get_name(),
                'status': task.status,
                'status_url': reverse('ai-task', kwargs={'task_id': task.id}),
            },
            status=202,
        )


class AccountScopedModelViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, AccountScopedViewSet,
):
    """Also creates, updates and deletes the account's objects; new objects join the user's account."""

    def perform_create(self, serializer):
        serializer.save(account_id=self.request.user.account_id)
