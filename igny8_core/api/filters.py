"""
The list filters of the API (django-filter): the related-object filters offer the request
account's objects only, so another account's id is refused exactly like an id that does
not exist (nothing tells them apart).
"""

import django_filters
from django.db import models


def _own_objects(model):
    def queryset(request):
        account_id = getattr(getattr(request, "user", None), "account_id", None)
        return model.objects.filter(account_id=account_id)

    return queryset


def account_filterset(model, fields):
    """A FilterSet of `model` on `fields` (exact match) whose foreign keys are account scoped."""
    attrs = {}
    for name in fields:
        field = model._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            attrs[name] = django_filters.ModelChoiceFilter(queryset=_own_objects(field.related_model))
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": list(fields)})
    return type(f"{model.__name__}FilterSet", (django_filters.FilterSet,), attrs)
