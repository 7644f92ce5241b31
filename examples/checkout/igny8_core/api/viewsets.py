"""Base viewsets: everything is scoped to the request's account."""
from rest_framework import viewsets


def request_account(request):
    """The account of the request (set by AccountContextMiddleware, else the user's)."""
    account = getattr(request, 'account', None)
    if account is None and request.user.is_authenticated:
        account = getattr(request.user, 'account', None)
    return account


class AccountModelViewSet(viewsets.ReadOnlyModelViewSet):
    def get_queryset(self):
        return self.queryset.filter(account=request_account(self.request))
