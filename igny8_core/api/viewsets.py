"""
Base ViewSets of the igny8 API: authentication, account scoping, the unified response
format, and running an AI function for the request's account, in the request or queued
for the Celery worker.
"""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, permissions, routers, throttling, viewsets
from rest_framework.response import Response

from igny8_core.ai.base import MAX_ID, InvalidPayload
from igny8_core.ai.registry import get_function
from igny8_core.api.ai_runner import configuration_problem, queue_for_account, run_for_account, task_status_url
from igny8_core.api.exceptions import unified_exception_handler
from igny8_core.api.responses import (
    REQUEST_ID_HEADER,
    configuration_error_response,
    error_response,
    get_request_id,
)
from igny8_core.api.serializers import AIRunSerializer

#: the OpenAPI description of the five AI actions
ai_action_schema = extend_schema(
    request=AIRunSerializer,
    responses={200: OpenApiTypes.OBJECT, 202: OpenApiTypes.OBJECT},
    parameters=[OpenApiParameter("async", OpenApiTypes.BOOL, description="1: queue the run for the worker (202)")],
)

TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


class HasAccount(permissions.BasePermission):
    """The user works inside an account."""

    message = "Your user is not linked to an account."
    code = "account_required"

    def has_permission(self, request, view):
        return getattr(request.user, "account_id", None) is not None


class UnifiedResponseMixin:
    """Every response in the unified format, with the request id echoed."""

    def initial(self, request, *args, **kwargs):
        get_request_id(request)
        super().initial(request, *args, **kwargs)

    def get_exception_handler(self):
        return unified_exception_handler

    def finalize_response(self, request, response, *args, **kwargs):
        request_id = get_request_id(request)
        if isinstance(response, Response) and not getattr(response, "igny8_envelope", False):
            data = response.data if response.status_code != 204 else None
            response.data = {"success": True, "data": data, "request_id": request_id}
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
    value = str(request.query_params.get("async", "")).strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    return bool(settings.AI_ASYNC)


def ai_outcome_response(request, outcome, **extra):
    """The unified response of an AI run's outcome (see igny8_core.api.ai_runner)."""
    if outcome["status"] == 200:
        return Response({**extra, "result": outcome["data"]} if extra else outcome["data"])
    if outcome.get("configuration_error"):
        response = configuration_error_response(request, outcome["error"], outcome["error_code"])
    else:
        response = error_response(request, outcome["error"], outcome["error_code"], outcome["status"])
    response.data.update(extra)
    return response


class AccountAIThrottle(throttling.SimpleRateThrottle):
    """
    The AI actions' rate limit, per account (all users of an account share it): the
    AI_RATE_LIMIT setting (env IGNY8_AI_RATE_LIMIT, e.g. "30/minute"), read on every request.
    """

    scope = "ai"

    def get_rate(self):
        return settings.AI_RATE_LIMIT or None

    def get_cache_key(self, request, view):
        account_id = getattr(request.user, "account_id", None)
        if account_id is None:
            return None  # refused by the permissions anyway
        return self.cache_format % {"scope": self.scope, "ident": f"account-{account_id}"}


class AccountScopedViewSet(UnifiedResponseMixin, viewsets.ReadOnlyModelViewSet):
    """Lists and retrieves the request account's objects; other accounts' ids give 404."""

    permission_classes = [permissions.IsAuthenticated, HasAccount]
    #: the AI actions of the viewset: they get the per-account rate limit
    ai_actions = ()

    def get_throttles(self):
        if self.action in self.ai_actions:
            return [AccountAIThrottle()]
        return super().get_throttles()

    def get_queryset(self):
        return self.queryset.filter(account_id=self.request.user.account_id)

    def get_object(self):
        value = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
        if not str(value).isdigit() or not 0 < int(value) <= MAX_ID:
            raise exceptions.ValidationError({"id": [f"Must be an integer between 1 and {MAX_ID}."]})
        return super().get_object()

    def run_ai_function(self, request, function_name):
        """Run an AI function on the request body for the user's account; unified response."""
        if wants_async(request):
            return self.queue_ai_function(request, function_name)
        outcome = run_for_account(function_name, request.data, request.user.account, get_request_id(request))
        return ai_outcome_response(request, outcome)

    def queue_ai_function(self, request, function_name):
        """
        Queue the run for the worker: 202 with the task id and where to follow it. The
        payload's shape and the account's configuration are checked first, so those errors
        are answered at once (400) and nothing is queued.
        """
        fn = get_function(function_name)
        if fn is None:
            return error_response(request, f"Unknown AI function: {function_name}", "unknown_function", 500)
        try:
            payload = fn.validate(request.data)
        except InvalidPayload as exc:
            return error_response(request, str(exc), "validation_error", 400)
        account = request.user.account
        problem = configuration_problem(fn.get_name(), account)
        if problem:
            return ai_outcome_response(request, problem)
        task, failure = queue_for_account(fn.get_name(), payload, account, get_request_id(request))
        if failure:
            return ai_outcome_response(request, failure)
        return Response(
            {
                "task_id": str(task.id),
                "function": fn.get_name(),
                "status": task.status,
                "status_url": task_status_url(task),
            },
            status=202,
        )


class AccountScopedModelViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    AccountScopedViewSet,
):
    """Also creates, updates and deletes the account's objects; new objects join the user's account."""

    def perform_create(self, serializer):
        serializer.save(account_id=self.request.user.account_id)
