"""Accounts: the tenant every object belongs to, and its users."""
from django.contrib.auth.models import AbstractUser
from django.db import models


class Account(models.Model):
    """A customer account; every planner, writer and integration object belongs to one."""

    name = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ['id']

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A user of igny8; works inside exactly one account."""

    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.CASCADE, related_name='users',
    )
