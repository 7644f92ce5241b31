from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "igny8_core.accounts"
    label = "accounts"
    verbose_name = "Accounts"
