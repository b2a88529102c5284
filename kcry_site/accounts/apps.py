from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kcry_site.accounts"
    label = "accounts"
    verbose_name = "Members"
