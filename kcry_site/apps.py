from django.apps import AppConfig


class KcrySiteConfig(AppConfig):
    name = "kcry_site"
    verbose_name = "kcry site"

    def ready(self):
        from . import receivers  # noqa: F401 - connects the site's signal receivers
