"""
manage.py createaccount NAME --user USERNAME [--user USERNAME ...]

Creates an account and links existing users to it, so that they can use the API and the
pages (a user without an account gets 403 "Your user is not linked to an account.").
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from igny8_core.accounts.models import Account, User


class Command(BaseCommand):
    help = "Create an account and link existing users to it."

    def add_arguments(self, parser):
        parser.add_argument("name", help='the account name, e.g. "Acme"')
        parser.add_argument(
            "--user",
            dest="usernames",
            action="append",
            default=[],
            metavar="USERNAME",
            help="an existing user to link to the account (repeatable)",
        )
        parser.add_argument(
            "--move",
            action="store_true",
            help="also move users that are already linked to another account",
        )

    def handle(self, *args, name, usernames, move, **options):
        name = name.strip()
        if not name:
            raise CommandError("createaccount: the account name is empty")
        users = []
        for username in usernames:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(
                    f"createaccount: user '{username}' does not exist "
                    f"(create it first, e.g. with `manage.py createsuperuser`)"
                )
            if user.account_id is not None and not move:
                raise CommandError(
                    f"createaccount: user '{username}' is already linked to account "
                    f"{user.account_id} ({user.account}); pass --move to move it"
                )
            users.append(user)
        with transaction.atomic():
            account = Account.objects.create(name=name)
            for user in users:
                user.account = account
                user.save(update_fields=["account"])
        linked = ", ".join(user.username for user in users) or "none"
        self.stdout.write(f"Created account {account.id} '{account.name}'; linked users: {linked}")
