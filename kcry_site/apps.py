from django.apps import AppConfig


class KcrySiteConfig(AppConfig):
    name = "kcry_site"
    verbose_name = "kcry site"
