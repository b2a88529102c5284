"""Every write to the inbox. Called by the receivers inside the writer's transaction,
and by the inbox views; `User.unread_notifications` changes with F() in the same
transaction as the entries it counts."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from kcry_site.accounts.models import NOTIFICATION_KINDS, Delivery

from . import tasks
from .models import Notification

User = get_user_model()


def _wants(recipient, kind, actor):
    if recipient is None or not recipient.is_active:
        return False
    if actor is not None and actor.pk == recipient.pk:
        return False  # nobody is told about their own actions
    return recipient.wants_notification(kind)


def notify(*, recipient, kind, actor=None, comment=None, suggestion=None, detail=""):
    """Add an unread entry; returns it, or None when the member does not want it."""
    if not _wants(recipient, kind, actor):
        return None
    with transaction.atomic():
        notification = Notification.objects.create(
            recipient=recipient,
            kind=kind,
            actor=actor,
            comment=comment,
            suggestion=suggestion,
            detail=detail,
        )
        User.objects.filter(pk=recipient.pk).update(
            unread_notifications=F("unread_notifications") + 1
        )
        if recipient.notification_delivery(kind) == Delivery.EMAIL and recipient.email:
            pk = notification.pk
            transaction.on_commit(lambda: tasks.send_notification_mail.delay(pk))
    return notification


def notify_metoo(*, comment, member):
    """One unread "me too" entry per comment: a new mark adds to its count."""
    recipient = comment.author
    if not _wants(recipient, Notification.Kind.METOO, member):
        return None
    with transaction.atomic():
        unread = (
            Notification.objects.select_for_update()
            .filter(
                recipient=recipient,
                kind=Notification.Kind.METOO,
                comment=comment,
                read_at__isnull=True,
            )
            .first()
        )
        if unread is None:
            return notify(
                recipient=recipient, kind=Notification.Kind.METOO, actor=member, comment=comment
            )
        Notification.objects.filter(pk=unread.pk).update(
            count=F("count") + 1, actor=member, created=timezone.now()
        )
    unread.refresh_from_db()
    return unread


def mark_read(*, member, notification):
    """Mark one of `member`'s entries read; returns True if it was unread."""
    with transaction.atomic():
        changed = Notification.objects.filter(
            pk=notification.pk, recipient=member, read_at__isnull=True
        ).update(read_at=timezone.now())
        _discount(member, changed)
    return bool(changed)


def mark_all_read(*, member):
    """Mark every unread entry of `member` read; returns how many."""
    with transaction.atomic():
        changed = Notification.objects.filter(recipient=member, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        _discount(member, changed)
    return changed


def _discount(member, changed):
    if changed:
        User.objects.filter(pk=member.pk).update(
            unread_notifications=Greatest(F("unread_notifications") - changed, 0)
        )
        member.unread_notifications = max(0, member.unread_notifications - changed)


# The token kind of a digest mail's link: it stops the digest for every kind.
DIGEST = "digest"


def unsubscribe(*, member_id, kind):
    """Stop e-mail for `kind` (or, for DIGEST, every kind in the daily digest): those
    kinds stay on the site. Returns the member and the kinds changed (None if gone)."""
    with transaction.atomic():
        member = User.objects.select_for_update().filter(pk=member_id, is_active=True).first()
        if member is None:
            return None, []
        if kind == DIGEST:
            changed = member.mailed_kinds(Delivery.DIGEST)
        else:
            mailed = (Delivery.EMAIL, Delivery.DIGEST)
            changed = [kind] if member.notification_delivery(kind) in mailed else []
        for each in changed:
            member.set_notification_delivery(each, Delivery.SITE)
        if changed:
            member.save(update_fields=["notification_settings"])
    return member, changed


def kind_label(kind):
    """What a token's kind is called on the unsubscribe pages."""
    labels = dict(NOTIFICATION_KINDS)
    return labels.get(kind) or Delivery.DIGEST.label
