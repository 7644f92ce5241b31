"""Accounts: the tenant every object belongs to, and its users."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class AccountQuerySet(models.QuerySet):
    """get() of an account that does not exist raises AccountNotFound, which names the id."""

    def get(self, *args, **kwargs):
        try:
            return super().get(*args, **kwargs)
        except self.model.DoesNotExist:
            wanted = kwargs.get("id", kwargs.get("pk"))
            raise AccountNotFound(
                f"Account {wanted} does not exist." if wanted is not None else "Account does not exist."
            )
        except (ValueError, TypeError, OverflowError):
            raise AccountNotFound(f"Account id is not valid: {kwargs.get('id', kwargs.get('pk'))!r}.")


class Account(models.Model):
    """A customer account; every planner, writer and integration object belongs to one."""

    name = models.CharField(max_length=255)
    objects = AccountQuerySet.as_manager()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name


class AccountNotFound(Account.DoesNotExist, ValueError):
    """
    An account id that does not exist (e.g. run_ai_task(..., account_id=<unknown>)): still an
    Account.DoesNotExist, and a ValueError with a message that names the id.
    """


class User(AbstractUser):
    """A user of igny8; works inside exactly one account."""

    account = models.ForeignKey(
        Account,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="users",
    )
