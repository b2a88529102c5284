from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _


def member_delete(*, member):
    """Delete a member's account and everything that is theirs.

    Each app takes its own rows out of its stored figures first, through its pre_delete
    receiver on the user model, so this works from admin and a shell alike.
    """
    if member is None or not member.is_authenticated:
        raise PermissionDenied(_("Log in to do that."))
    with transaction.atomic():
        member.delete()


def follow_set(*, follower, followed, follow=True):
    """Start (or with follow=False stop) following a member; returns True if it changed.

    Following oneself is refused. A new follow sends signals.member_followed inside the
    transaction, so the followed member's inbox entry commits with it.
    """
    from .models import Follow
    from .signals import member_followed

    if follower is None or not follower.is_authenticated:
        raise PermissionDenied(_("Log in to do that."))
    if follower.pk == followed.pk:
        raise ValidationError(_("You cannot follow yourself."))
    with transaction.atomic():
        if not follow:
            deleted, _rows = Follow.objects.filter(follower=follower, followed=followed).delete()
            return bool(deleted)
        try:
            with transaction.atomic():
                Follow.objects.create(follower=follower, followed=followed)
        except IntegrityError:
            return False  # already following
        member_followed.send(sender=Follow, follower=follower, followed=followed)
    return True
