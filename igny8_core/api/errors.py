"""
Django error views (outside DRF) and the request guard middleware.

An API client (any path under /api/, or a request that does not accept text/html) gets the
unified JSON error format; a browser gets a plain HTML page with the same message and the
request id.
"""

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.shortcuts import render

from igny8_core.api.responses import REQUEST_ID_HEADER, get_request_id, json_error

TITLES = {
    400: "Bad request",
    403: "Forbidden",
    404: "Page not found",
    413: "Request too large",
    500: "Server error",
}
TOO_LARGE = "The request body is larger than {limit} bytes."
OUT_OF_RANGE = "A number in the request is out of range."


def wants_html(request):
    """A browser asking for a page (not an API path): it gets an HTML error page."""
    if request.path.startswith("/api/"):
        return False
    return "text/html" in request.META.get("HTTP_ACCEPT", "")


def error(request, message, error_code, status):
    if not wants_html(request):
        return json_error(request, message, error_code, status)
    response = render(
        request,
        "web/error.html",
        {
            "status": status,
            "title": TITLES.get(status, "Error"),
            "message": message,
            "error_code": error_code,
            "request_id": get_request_id(request),
        },
        status=status,
    )
    response[REQUEST_ID_HEADER] = get_request_id(request)
    return response


def bad_request(request, exception=None):
    if isinstance(exception, BadRequest) and str(exception):
        # raised by a view with a message for the user (e.g. an id out of range)
        return error(request, str(exception), "validation_error", 400)
    return error(request, "Bad request.", "bad_request", 400)


def permission_denied(request, exception=None):
    return error(request, "You do not have permission to perform this action.", "permission_denied", 403)


def not_found(request, exception=None):
    return error(request, "Not found.", "not_found", 404)


def server_error(request):
    return error(request, "Internal server error.", "internal_error", 500)


def csrf_failure(request, reason=""):
    return error(
        request,
        "The form has expired or did not come from this site: reload the page and try again.",
        "csrf_failed",
        403,
    )


class RequestGuardMiddleware:
    """
    Answers requests no view should see, in the unified format (or an HTML page):
    a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE (413, before it is read), a
    Content-Length that is not a number (400), and a number too large for the database
    (an id above 2**63 - 1) anywhere in a view (400 instead of a server error).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not length.isdigit():
            return error(request, "The Content-Length header is not a number.", "bad_request", 400)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and int(length) > limit:
            return error(request, TOO_LARGE.format(limit=limit), "request_too_large", 413)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError):
            return error(request, OUT_OF_RANGE, "validation_error", 400)
        if isinstance(exception, RequestDataTooBig):
            return error(
                request, TOO_LARGE.format(limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE), "request_too_large", 413
            )
        return None
