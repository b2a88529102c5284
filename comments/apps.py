from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import pre_delete


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"

    def ready(self):
        # The accounts code (votes, admin) cannot import comments, so comments tidies
        # its own figures when any member account is deleted, wherever that happens.
        pre_delete.connect(
            _forget_member, sender=settings.AUTH_USER_MODEL, dispatch_uid="comments-forget"
        )


def _forget_member(sender, instance, **kwargs):
    from .services import member_forget

    member_forget(member=instance)
