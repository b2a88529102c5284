from django.apps import AppConfig


class KcrySiteConfig(AppConfig):
    name = "kcry_site"
    verbose_name = "kcry site"

    def ready(self):
        from . import checks, receivers  # noqa: F401 - registers the check, connects receivers
