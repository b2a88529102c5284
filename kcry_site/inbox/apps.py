from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "kcry_site.inbox"
    label = "inbox"
    verbose_name = "Inbox"

    def ready(self):
        from . import receivers

        receivers.connect()
