from django.core.exceptions import PermissionDenied
from django.db import transaction
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
