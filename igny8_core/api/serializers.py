"""Serializer helpers: related objects are looked up in the request user's account only."""
from rest_framework import serializers


class AccountRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key of an object of the request user's account (another account's id is invalid)."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get('request')
        account_id = getattr(getattr(request, 'user', None), 'account_id', None)
        return queryset.filter(account_id=account_id)
