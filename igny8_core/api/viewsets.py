"""
Base ViewSet of the igny8 API: authentication, account scoping, the unified response
format, and running an AI function for the request's account.
"""
import logging

from rest_framework import permissions, viewsets
from rest_framework.response import Response

from igny8_core.ai import AIEngine
from igny8_core.ai.ai_core import AIProviderError
from igny8_core.ai.base import InvalidPayload, ObjectsNotFound
from igny8_core.ai.registry import get_function
from igny8_core.api.exceptions import unified_exception_handler
from igny8_core.api.responses import (
    REQUEST_ID_HEADER,
    configuration_error_code,
    configuration_error_response,
    error_response,
    get_request_id,
    redact_secrets,
)

logger = logging.getLogger(__name__)


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
            response.data = {'success': True, 'data': response.data, 'request_id': request_id}
            response.igny8_envelope = True
        response = super().finalize_response(request, response, *args, **kwargs)
        response[REQUEST_ID_HEADER] = request_id
        return response


class AccountScopedViewSet(UnifiedResponseMixin, viewsets.ReadOnlyModelViewSet):
    """Lists and retrieves the request account's objects; other accounts' ids give 404."""

    permission_classes = [permissions.IsAuthenticated, HasAccount]

    def get_queryset(self):
        return self.queryset.filter(account_id=self.request.user.account_id)

    def run_ai_function(self, request, function_name):
        """Run an AI function on the request body for the user's account; unified response."""
        account = request.user.account
        fn = get_function(function_name)
        if fn is None:
            return error_response(request, f"Unknown AI function: {function_name}", 'unknown_function', 500)
        request_id = get_request_id(request)
        try:
            result = AIEngine(account=account).execute(fn, request.data)
        except InvalidPayload as exc:
            return error_response(request, str(exc), 'validation_error', 400)
        except ObjectsNotFound as exc:
            return error_response(request, str(exc), 'not_found', 404)
        except AIProviderError as exc:
            message = redact_secrets(exc, secrets=[fn.get_api_key(account)])
            status = 504 if exc.error_code == 'ai_provider_timeout' else 502
            logger.warning(
                "AI function %s failed request_id=%s error_code=%s: %s",
                function_name, request_id, exc.error_code, message,
            )
            return error_response(request, message, exc.error_code, status)
        except ValueError as exc:
            message = redact_secrets(exc, secrets=[fn.get_api_key(account)])
            error_code = configuration_error_code(message)
            if error_code is None:
                logger.exception("AI function %s failed request_id=%s", function_name, request_id)
                return error_response(request, 'Internal server error.', 'internal_error', 500)
            logger.warning(
                "AI function %s not configured request_id=%s error_code=%s: %s",
                function_name, request_id, error_code, message,
            )
            return configuration_error_response(request, message, error_code)
        logger.info("AI function %s done request_id=%s", function_name, request_id)
        return Response(result)
