from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import pre_delete


class VotesConfig(AppConfig):
    name = "votes"
    verbose_name = "Tear ratings"

    def ready(self):
        # However an account is deleted, its ratings leave the stored figures first.
        pre_delete.connect(
            _forget_member, sender=settings.AUTH_USER_MODEL, dispatch_uid="votes-forget"
        )


def _forget_member(sender, instance, **kwargs):
    from .services import member_forget

    member_forget(member=instance)
