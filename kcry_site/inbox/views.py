"""/inbox/ (a member's notifications), /feed/ (what the members they follow did) and the
unsubscribe link of every inbox mail."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import BadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kcry_site.web.answers import error_answer, json_answer, wants_json
from kcry_site.web.decorators import members_only
from kcry_site.web.pagination import paginate

from . import feed, mail, services
from .models import Notification
from .rows import feed_rows, inbox_rows

INBOX_MESSAGE = gettext_lazy("Log in to read your inbox; you will come back here.")
FEED_MESSAGE = gettext_lazy("Log in to see what the members you follow did.")


def _inbox(request, **kwargs):
    return reverse("inbox:inbox")


# What an inbox row shows (rows.inbox_rows): values, not model instances.
INBOX_FIELDS = (
    "pk",
    "kind",
    "created",
    "read_at",
    "detail",
    "count",
    "actor__username",
    "comment_id",
    "comment__is_removed",
    "comment__is_public",
    "comment__is_spoiler",
    "comment__body",
    "comment__work_id",
    "comment__work__title",
    "comment__editorial_list__title",
    "suggestion_id",
    "suggestion__title",
    "suggestion__staff_reason",
    "suggestion__work__slug",
    "suggestion__work__is_published",
)


@require_GET
@members_only(message=INBOX_MESSAGE)
def inbox(request):
    notifications = Notification.objects.filter(recipient=request.user).order_by("-created", "-pk")
    # Counted without the joins of the rows' values (a count over them reads them all).
    page = paginate(request, notifications, settings.KCRY_INBOX_PER_PAGE)
    rows = inbox_rows(page.object_list.values(*INBOX_FIELDS))
    context = {"page_obj": page, "notifications": rows}
    return render(request, "inbox/inbox.html", context)


@require_POST
@members_only(back=_inbox, message=INBOX_MESSAGE)
def mark_read(request, pk):
    notification = get_object_or_404(
        Notification.objects.select_related("comment", "suggestion__work", "actor"),
        pk=pk,
        recipient=request.user,
    )
    services.mark_read(member=request.user, notification=notification)
    url = notification.target_url() or reverse("inbox:inbox")
    if wants_json(request):
        return json_answer({"read": True, "unread": request.user.unread_notifications, "url": url})
    return redirect(url)


@require_POST
@members_only(back=_inbox, message=INBOX_MESSAGE)
def mark_all_read(request):
    count = services.mark_all_read(member=request.user)
    if wants_json(request):
        return json_answer({"marked": count, "unread": request.user.unread_notifications})
    return redirect("inbox:inbox")


@require_GET
@members_only(message=FEED_MESSAGE)
def activity_feed(request):
    raw = request.GET.get("before", "").strip()
    before = None
    if raw:
        before = parse_datetime(raw.replace(" ", "+"))
        if before is None:
            raise BadRequest(_("before: “%(raw)s” is not a date and time.") % {"raw": raw[:40]})
        if timezone.is_naive(before):
            before = timezone.make_aware(before)
    activities, next_before = feed.activity_page(
        request.user, before=before, per_page=settings.KCRY_FEED_PER_PAGE
    )
    context = {
        "activities": feed_rows(activities),
        "next_before": next_before.isoformat() if next_before else None,
        "is_first_page": before is None,
    }
    return render(request, "inbox/feed.html", context)


# The token is the proof: the link works without logging in, and a mail provider's
# RFC 8058 one-click POST (List-Unsubscribe-Post) carries no CSRF cookie.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET: say what the link stops and ask to confirm. POST: stop it."""
    try:
        member_id, kind = mail.read_unsubscribe_token(token)
    except signing.SignatureExpired:
        message = _(
            "This unsubscribe link has expired. Log in and choose what kcry sends you in "
            "your settings."
        )
        return error_answer(request, 400, message, reverse("account-settings"))
    except signing.BadSignature:
        message = _("This unsubscribe link is not valid. Copy the whole link from the mail.")
        return error_answer(request, 400, message)
    valid_kinds = {*Notification.Kind.values, services.DIGEST}
    if kind not in valid_kinds:
        return error_answer(request, 400, _("This unsubscribe link is not valid."))
    context = {"kind": kind, "label": services.kind_label(kind)}
    if request.method == "GET":
        member = get_user_model().objects.filter(pk=member_id, is_active=True).first()
        if member is None:
            return error_answer(request, 404, GONE_MESSAGE)
        return render(request, "inbox/unsubscribe.html", {**context, "member": member})
    member, changed = services.unsubscribe(member_id=member_id, kind=kind)
    if member is None:
        return error_answer(request, 404, GONE_MESSAGE)
    if wants_json(request):
        return json_answer({"unsubscribed": kind, "changed": changed})
    return render(request, "inbox/unsubscribed.html", {**context, "member": member})


GONE_MESSAGE = gettext_lazy("This account no longer exists, so kcry sends it no mail.")
