"""Django error views (outside DRF) in the unified format: unknown URLs and server errors."""
from igny8_core.api.responses import json_error


def not_found(request, exception=None):
    return json_error(request, 'Not found.', 'not_found', 404)


def server_error(request):
    return json_error(request, 'Internal server error.', 'internal_error', 500)
