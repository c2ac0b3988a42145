from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shaoxing_bases.core"
    label = "core"
    verbose_name = "门户"
