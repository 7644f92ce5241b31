"""DRF exception handler that renders every API error in the unified format."""

from rest_framework import exceptions
from rest_framework.views import exception_handler

from igny8_core.api.responses import error_response


def unified_exception_handler(exc, context):
    """DRF's handling (status, headers), with the body in the unified error format."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    request = context["request"]
    if isinstance(exc, exceptions.ValidationError):
        message, error_code = "Invalid input.", "validation_error"
        extra = {"errors": response.data}
    else:
        # response.data is {'detail': ErrorDetail}; Http404 and PermissionDenied of Django
        # arrive here already converted to DRF's NotFound / PermissionDenied
        detail = response.data.get("detail") if isinstance(response.data, dict) else None
        message = str(detail) if detail is not None else str(exc)
        error_code = getattr(detail, "code", None) or "error"
        extra = {}
    unified = error_response(request, message, error_code, response.status_code, **extra)
    for header, value in response.items():
        if header.lower() not in ("content-type", "content-length"):
            unified[header] = value
    return unified
