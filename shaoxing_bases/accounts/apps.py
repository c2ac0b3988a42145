from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shaoxing_bases.accounts"
    label = "accounts"
    verbose_name = "账号与区划"
