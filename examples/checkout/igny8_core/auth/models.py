"""
Multi-account (tenant) models.
Every business object carries an `account`; users belong to exactly one account.
"""
from django.contrib.auth.models import AbstractUser
from django.db import models


class Account(models.Model):
    """Tenant. Plans, credits etc. hang off this."""
    PLAN_CHOICES = [
        ('free', 'Free'),
        ('starter', 'Starter'),
        ('growth', 'Growth'),
    ]

    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, unique=True, null=True, blank=True)
    plan = models.CharField(max_length=20, choices=PLAN_CHOICES, default='free')
    credits = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = 'igny8_accounts'

    def __str__(self):
        return self.name


class User(AbstractUser):
    account = models.ForeignKey(
        Account,
        on_delete=models.CASCADE,
        related_name='users',
        null=True, blank=True,
    )

    class Meta:
        db_table = 'igny8_users'
