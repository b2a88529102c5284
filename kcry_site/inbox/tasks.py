"""Inbox mail, written and sent by the task queue (kcry_site/celery.py): one mail at once
for a kind the member wants by e-mail, one daily digest for the kinds they want in it.

An entry is marked `mailed_at` before its mail goes out (so two workers never both send
it) and unmarked again when sending fails, for the retry."""

import logging
from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kcry_site.accounts.models import Delivery

from . import mail
from .models import Notification

logger = logging.getLogger(__name__)

# Unread entries up to this old go in a digest (a missed day is caught up the next).
DIGEST_WINDOW = timedelta(days=7)
RELATED = ("recipient", "actor", "comment__work", "comment__editorial_list", "suggestion__work")


def _send(task, message, notification_ids):
    try:
        message.send()
    except (OSError, SMTPException) as error:
        Notification.objects.filter(pk__in=notification_ids).update(mailed_at=None)
        if task.request.is_eager:
            raise
        raise task.retry(exc=error, countdown=60 * (task.request.retries + 1)) from error


@shared_task(bind=True, name="kcry_site.inbox.tasks.send_notification_mail", max_retries=5)
def send_notification_mail(self, notification_id):
    """Mail one entry to its member if they still want this kind by e-mail at once."""
    note = (
        Notification.objects.select_related(*RELATED)
        .filter(pk=notification_id, mailed_at__isnull=True)
        .first()
    )
    if note is None:
        return False
    member = note.recipient
    wanted = member.is_active and member.email
    if not wanted or member.notification_delivery(note.kind) != Delivery.EMAIL:
        return False
    claimed = Notification.objects.filter(pk=note.pk, mailed_at__isnull=True).update(
        mailed_at=timezone.now()
    )
    if not claimed:
        return False
    context = {
        "line": mail.describe(note),
        "link": mail.link(note),
        "kind_label": note.get_kind_display(),
    }
    message = mail.build(member, kind=note.kind, template="entry", context=context)
    _send(self, message, [note.pk])
    return True


@shared_task(name="kcry_site.inbox.tasks.send_daily_digests")
def send_daily_digests():
    """The daily job (beat): one digest task per member with unread, unmailed entries."""
    since = timezone.now() - DIGEST_WINDOW
    member_ids = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(
            notifications__mailed_at__isnull=True,
            notifications__read_at__isnull=True,
            notifications__created__gte=since,
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    member_ids = list(member_ids)
    for member_id in member_ids:
        # Each member's digest is its own task: one failure does not stop the others.
        send_digest.delay(member_id)
    return len(member_ids)


@shared_task(bind=True, name="kcry_site.inbox.tasks.send_digest", max_retries=5)
def send_digest(self, member_id):
    """One member's digest of their unread, unmailed entries of the kinds they chose."""
    member = get_user_model().objects.filter(pk=member_id, is_active=True).first()
    if member is None or not member.email:
        return False
    kinds = member.mailed_kinds(Delivery.DIGEST)
    if not kinds:
        return False
    with transaction.atomic():
        # The member's row, locked: two workers never pick the same entries.
        get_user_model().objects.select_for_update().filter(pk=member_id).first()
        notes = list(
            Notification.objects.select_related(*RELATED)
            .filter(
                recipient=member,
                kind__in=kinds,
                mailed_at__isnull=True,
                read_at__isnull=True,
                created__gte=timezone.now() - DIGEST_WINDOW,
            )
            .order_by("created", "pk")
        )
        ids = [note.pk for note in notes]
        Notification.objects.filter(pk__in=ids).update(mailed_at=timezone.now())
    if not notes:
        return False
    lines = [(mail.describe(note), mail.link(note)) for note in notes]
    message = mail.build(member, kind="digest", template="digest", context={"lines": lines})
    _send(self, message, ids)
    return True
