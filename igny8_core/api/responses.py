"""
The unified API format of every igny8 response.

Success: {"success": true, "data": ..., "request_id": ...}
Error:   {"success": false, "error": "...", "error_code": "...", "request_id": ...}
The request id echoes the X-Request-ID request header when it is usable, else it is a
new uuid; it is also sent back as the X-Request-ID response header.
"""

import re
import uuid

from django.conf import settings
from django.http import JsonResponse
from rest_framework.response import Response

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
_SECRET = re.compile(r"(sk-[A-Za-z0-9_\-]{6,}|Bearer\s+\S+)")

# seed error message (start) -> error_code; all are fixed in the integration settings
CONFIGURATION_ERRORS = (
    ("OpenAI IntegrationSettings not configured", "integration_not_configured"),
    ("Model not configured in IntegrationSettings", "model_not_configured"),
    ("Model is required", "model_not_configured"),
    ("OpenAI API key not configured", "api_key_not_configured"),
    ("Account is required", "account_required"),
    ("account_id is required", "account_required"),
)


def get_request_id(request):
    """The request's id: set once per request, from X-Request-ID or a new uuid."""
    request_id = getattr(request, "request_id", None)
    if request_id:
        return request_id
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    request_id = given if _REQUEST_ID.match(given) else str(uuid.uuid4())
    try:
        request.request_id = request_id
    except AttributeError:
        pass
    return request_id


def redact_secrets(text, secrets=()):
    """`text` with API keys and bearer tokens replaced by [redacted]."""
    text = str(text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    return _SECRET.sub("[redacted]", text)


def configuration_error_code(message):
    """The error_code of one of the seed's configuration errors, or None for other messages."""
    for prefix, code in CONFIGURATION_ERRORS:
        if message.startswith(prefix):
            return code
    return None


def envelope_error(request, message, error_code, **extra):
    body = {"success": False, "error": message, "error_code": error_code, **extra}
    body["request_id"] = get_request_id(request)
    return body


def error_response(request, message, error_code, status, **extra):
    """A DRF Response in the unified error format."""
    response = Response(envelope_error(request, message, error_code, **extra), status=status)
    response.igny8_envelope = True
    return response


def configuration_error_response(request, message, error_code):
    """400 for a configuration error, with the page where the account fixes it."""
    return error_response(
        request,
        message,
        error_code,
        400,
        integration_settings_url=settings.INTEGRATION_SETTINGS_URL,
    )


def json_error(request, message, error_code, status):
    """A plain Django JsonResponse in the unified error format (outside DRF views)."""
    response = JsonResponse(envelope_error(request, message, error_code), status=status)
    response[REQUEST_ID_HEADER] = get_request_id(request)
    return response
