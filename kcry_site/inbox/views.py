"""/inbox/ (a member's notifications) and /feed/ (what the members they follow did)."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from kcry_site.web.answers import json_answer, wants_json
from kcry_site.web.decorators import members_only
from kcry_site.web.pagination import paginate

from . import feed, services
from .models import Notification

INBOX_MESSAGE = gettext_lazy("Log in to read your inbox; you will come back here.")
FEED_MESSAGE = gettext_lazy("Log in to see what the members you follow did.")


def _inbox(request, **kwargs):
    return reverse("inbox:inbox")


@require_GET
@members_only(message=INBOX_MESSAGE)
def inbox(request):
    notifications = (
        Notification.objects.filter(recipient=request.user)
        .select_related(
            "actor",
            "comment__work",
            "comment__editorial_list",
            "suggestion__work",
        )
        .order_by("-created", "-pk")
    )
    page = paginate(request, notifications, settings.KCRY_INBOX_PER_PAGE)
    context = {"page_obj": page, "notifications": page.object_list}
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
        "activities": activities,
        "next_before": next_before.isoformat() if next_before else None,
        "is_first_page": before is None,
    }
    return render(request, "inbox/feed.html", context)
