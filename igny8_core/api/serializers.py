"""Serializer helpers: related objects are looked up in the request user's account only."""

from rest_framework import serializers

from igny8_core.ai.base import MAX_ID


class AccountRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key of an object of the request user's account (another account's id is invalid)."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        account_id = getattr(getattr(request, "user", None), "account_id", None)
        return queryset.filter(account_id=account_id)

    def to_internal_value(self, data):
        if isinstance(data, int) and not isinstance(data, bool) and data > MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        if isinstance(data, str) and data.isdigit() and int(data) > MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class AIRunSerializer(serializers.Serializer):
    """The body of the five AI actions (documentation of the OpenAPI schema; the functions validate it)."""

    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=False)
