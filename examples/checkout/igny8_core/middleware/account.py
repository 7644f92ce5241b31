"""
Sets request.account for every request (the account of the logged-in user).
Views read request.account instead of going through request.user every time.
"""


class AccountContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.account = None
        user = getattr(request, 'user', None)
        if user is not None and user.is_authenticated:
            request.account = getattr(user, 'account', None)
        return self.get_response(request)
