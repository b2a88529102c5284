from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "kcry_site.web"
    label = "web"
    verbose_name = "Web helpers"
    default_auto_field = "django.db.models.BigAutoField"
