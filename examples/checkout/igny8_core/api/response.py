"""
Unified API response helpers.

    {"success": true, "data": ..., "request_id": "..."}
    {"success": false, "error": "...", "error_code": "...", "request_id": "..."}
"""
import uuid

from rest_framework import status as http_status
from rest_framework.response import Response

INTEGRATION_SETTINGS_URL = '/settings/integration'


def get_request_id(request):
    rid = getattr(request, 'request_id', None)
    if not rid:
        rid = request.META.get('HTTP_X_REQUEST_ID') or str(uuid.uuid4())
        try:
            request.request_id = rid
        except AttributeError:
            pass
    return rid


def success_response(data=None, request=None, status=http_status.HTTP_200_OK):
    body = {'success': True, 'data': data}
    if request is not None:
        body['request_id'] = get_request_id(request)
    return Response(body, status=status)


def error_response(error, error_code='error', status=http_status.HTTP_400_BAD_REQUEST, request=None, **extra):
    body = {'success': False, 'error': error, 'error_code': error_code, **extra}
    if request is not None:
        body['request_id'] = get_request_id(request)
    return Response(body, status=status)


def configuration_error(error, request=None):
    """A missing or incomplete AI configuration: send the user to the integration page."""
    return error_response(error, 'integration_not_configured', request=request,
                          integration_settings_url=INTEGRATION_SETTINGS_URL)
