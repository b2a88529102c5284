"""Inbox e-mail: what one entry says in a mail, the mail itself, and its unsubscribe
link, a signed token (django.core.signing, salted and timestamped) that carries the
member's id and the kind of mail, so that it works without logging in."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Notification

SALT = "kcry.inbox.unsubscribe"


def unsubscribe_token(member_id, kind):
    return signing.dumps({"member": member_id, "kind": kind}, salt=SALT)


def read_unsubscribe_token(token):
    """(member id, kind) from a token; raises signing.SignatureExpired when it is older
    than KCRY_UNSUBSCRIBE_MAX_AGE and signing.BadSignature when it was not made here."""
    data = signing.loads(token, salt=SALT, max_age=settings.KCRY_UNSUBSCRIBE_MAX_AGE)
    if not isinstance(data, dict) or not isinstance(data.get("member"), int):
        raise signing.BadSignature("not an unsubscribe token")
    return data["member"], str(data.get("kind", ""))


def absolute(path):
    return settings.KCRY_SITE_URL + path


def unsubscribe_url(member_id, kind):
    return absolute(reverse("inbox:unsubscribe", args=[unsubscribe_token(member_id, kind)]))


def describe(note):
    """One entry in a sentence of plain text (the inbox page says the same in HTML)."""
    actor = note.actor.get_username() if note.actor_id else _("A former member")
    about_a_comment = note.kind in (Notification.Kind.REPLY, Notification.Kind.METOO)
    state = note.comment_state if about_a_comment else ""
    target = note.comment.target.title if about_a_comment and not state else ""
    if note.kind == Notification.Kind.REPLY:
        if state:
            return _("%(actor)s replied to your comment.") % {"actor": actor}
        return _("%(actor)s replied to your comment on %(target)s.") % {
            "actor": actor,
            "target": target,
        }
    if note.kind == Notification.Kind.METOO:
        if state:
            return _("Members said “me too” to a comment of yours.")
        return ngettext(
            "%(count)d member said “me too” to your comment on %(target)s.",
            "%(count)d members said “me too” to your comment on %(target)s.",
            note.count,
        ) % {"count": note.count, "target": target}
    if note.kind == Notification.Kind.MODERATION:
        if note.detail == "hidden":
            return _("The moderators hid a comment of yours.")
        return _("The moderators restored a comment of yours.")
    if note.kind == Notification.Kind.SUGGESTION:
        if note.detail == "approved":
            return _("Staff added a work you suggested.")
        return _("Staff turned down a work you suggested.")
    return _("%(actor)s follows you now.") % {"actor": actor}


def link(note):
    return absolute(note.target_url() or reverse("inbox:inbox"))


def build(member, *, kind, template, context):
    """The mail to `member` from inbox/mail/<template>_subject.txt and .txt, with a
    one-click unsubscribe link in its text and in its headers (RFC 8058)."""
    stop_url = unsubscribe_url(member.pk, kind)
    context = {
        **context,
        "member": member,
        "unsubscribe_url": stop_url,
        "inbox_url": absolute(reverse("inbox:inbox")),
        "settings_url": absolute(reverse("account-settings")),
    }
    subject = loader.render_to_string(f"inbox/mail/{template}_subject.txt", context)
    body = loader.render_to_string(f"inbox/mail/{template}.txt", context)
    return EmailMultiAlternatives(
        " ".join(subject.split()),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [member.email],
        headers={
            "List-Unsubscribe": f"<{stop_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
