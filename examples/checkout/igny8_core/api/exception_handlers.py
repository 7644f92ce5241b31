"""
Custom DRF exception handler: every API error in the unified format.
Wired up in settings.REST_FRAMEWORK['EXCEPTION_HANDLER'].
"""
import logging

from rest_framework.views import exception_handler

from igny8_core.api.response import get_request_id

logger = logging.getLogger(__name__)


def custom_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None
    request = context.get('request')
    detail = response.data.get('detail') if isinstance(response.data, dict) else None
    response.data = {
        'success': False,
        'error': str(detail) if detail is not None else 'Invalid input.',
        'error_code': getattr(detail, 'code', None) or 'validation_error',
        'request_id': get_request_id(request) if request is not None else None,
    }
    if detail is None:
        response.data['errors'] = getattr(exc, 'detail', None)
    return response
