"""The rows of /inbox/ and /feed/, built in Python once per page.

Each row is a dict the page template prints as it is: its sentence already translated
(the template tags' msgids, so locale/ applies unchanged) with its values escaped as
{% blocktranslate %} escapes them, its links from one reverse() per URL name and page,
its dates formatted as the `date` filter formats them. A page of 30 rows then costs a
few template lookups per row instead of a blocktranslate, reverse() and date filter
each (rows.py is the only place that knows the wording; the templates print it).
"""

from urllib.parse import quote

from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import DateFormat, re_escaped, re_formatchars
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from comments.text import render_body
from votes.models import Reaction

# reverse()'s own quoting of an argument (RFC 3986 pchar), so a URL built from a
# reversed prefix and suffix is the one reverse() gives (usernames may be non-ASCII).
_SAFE = "!$&'()*+,;=" + "/~:@"
_PLACEHOLDER = {"slug": "kcry-placeholder-slug", "int": 987654321}


def url_maker(name, kind="slug"):
    """A function of one argument giving reverse(name, args=[argument]), with one
    reverse() in all."""
    placeholder = _PLACEHOLDER[kind]
    prefix, suffix = reverse(name, args=[placeholder]).rsplit(str(placeholder), 1)
    return lambda value: f"{prefix}{quote(str(value), safe=_SAFE)}{suffix}"


def date_maker(fmt):
    """A function formatting an aware datetime in local time as the `date` filter does
    with `fmt` (the format string split once per page, not once per date)."""
    pieces = []
    for index, piece in enumerate(re_formatchars.split(str(fmt))):
        if index % 2:
            pieces.append((True, piece))
        elif piece:
            pieces.append((False, re_escaped.sub(r"\1", piece)))

    def format_date(value):
        formatter = DateFormat(timezone.localtime(value))
        return "".join(str(getattr(formatter, p)()) if spec else p for spec, p in pieces)

    return format_date


ISO = "Y-m-d\\TH:i:sO"


def _sentence(message, **values):
    """`message` (translated) with `values` escaped: what {% blocktranslate %} gives."""
    return mark_safe(message % {k: conditional_escape(localize(v)) for k, v in values.items()})


def _body(text):
    return render_body(truncatechars(text, 300))


def inbox_rows(notes):
    """The inbox page's rows from Notification values() rows (see views.INBOX_FIELDS)."""
    iso, when = date_maker(ISO), date_maker(_("j M Y, H:i"))
    comment_url = url_maker("comments:permalink", "int")
    member_url, work_url = url_maker("member"), url_maker("work")
    read_url = url_maker("inbox:read", "int")
    former = _("A former member")
    rows = []
    for note in notes:
        kind, actor = note["kind"], note["actor__username"] or former
        state = ""
        if kind in ("reply", "metoo", "moderation"):
            if note["comment_id"] is None or note["comment__is_removed"]:
                state = "deleted"
            elif not note["comment__is_public"]:
                state = "hidden"
        target = (
            note["comment__work__title"]
            if note["comment__work_id"]
            else note["comment__editorial_list__title"]
        )
        target = target if target is not None else ""
        url = body = None
        spoiler = False
        if kind == "reply":
            if state == "deleted":
                sentence = _sentence(
                    _("%(actor)s replied to your comment, but the reply was deleted."),
                    actor=actor,
                )
            elif state == "hidden":
                sentence = _sentence(
                    _("%(actor)s replied to your comment, but the moderators hid the reply."),
                    actor=actor,
                )
            else:
                sentence = _sentence(
                    _("%(actor)s replied to your comment on %(target)s:"),
                    actor=actor,
                    target=target,
                )
                body, spoiler = _body(note["comment__body"]), note["comment__is_spoiler"]
        elif kind == "metoo":
            if state == "deleted":
                sentence = _("Members said “me too” to a comment of yours that is deleted now.")
            elif note["count"] > 1:
                sentence = _sentence(
                    ngettext(
                        "%(counter)s member said “me too” to your comment on %(target)s.",
                        "%(counter)s members said “me too” to your comment on %(target)s.",
                        note["count"],
                    ),
                    counter=note["count"],
                    target=target,
                )
            else:
                sentence = _sentence(
                    _("%(actor)s said “me too” to your comment on %(target)s."),
                    actor=actor,
                    target=target,
                )
        elif kind == "moderation":
            if state == "deleted":
                sentence = _("The moderators acted on a comment of yours that is deleted now.")
            elif note["detail"] == "hidden":
                sentence = _sentence(
                    _(
                        "The moderators hid your comment on %(target)s; only you and staff "
                        "still see it."
                    ),
                    target=target,
                )
            else:
                sentence = _sentence(
                    _("The moderators restored your comment on %(target)s."), target=target
                )
        elif kind == "suggestion":
            if note["suggestion_id"] is None:
                sentence = _("Staff decided on a work you suggested.")
            elif note["detail"] == "approved":
                sentence = _sentence(
                    _("Your suggestion “%(title)s” is in the catalog now."),
                    title=note["suggestion__title"],
                )
            else:
                sentence = _sentence(
                    _("Your suggestion “%(title)s” was not added: %(reason)s"),
                    title=note["suggestion__title"],
                    reason=note["suggestion__staff_reason"],
                )
            if note["suggestion__work__slug"] and note["suggestion__work__is_published"]:
                url = work_url(note["suggestion__work__slug"])
        elif kind == "follow":
            sentence = _sentence(_("%(actor)s follows you now."), actor=actor)
            if note["actor__username"] is not None:
                url = member_url(note["actor__username"])
        else:
            sentence = ""
        if kind not in ("suggestion", "follow") and not state and note["comment_id"]:
            url = comment_url(note["comment_id"])
        rows.append(
            {
                "pk": note["pk"],
                "unread": note["read_at"] is None,
                "iso": iso(note["created"]),
                "when": when(note["created"]),
                "sentence": sentence,
                "body": body,
                "spoiler": spoiler,
                "url": url,
                "read_url": read_url(note["pk"]),
            }
        )
    return rows


def feed_rows(activities):
    """The feed page's rows from feed.activity_page's activities."""
    iso, when = date_maker(ISO), date_maker(_("j M Y, H:i"))
    member_url, work_url = url_maker("member"), url_maker("work")
    list_url = url_maker("list")
    comment_url = url_maker("comments:permalink", "int")
    reactions = {value: str(label) for value, label in Reaction.choices}
    rows = []
    for item in activities:
        row, name = item.row, item.member
        url = member_url(name)
        body = marks = None
        spoiler = False
        if item.kind == "rating":
            sentence = _sentence(
                _(
                    '<a href="%(url)s">%(name)s</a> rated <a href="%(work_url)s">%(title)s</a>: '
                    "%(tears)s tissues"
                ),
                url=url,
                name=name,
                work_url=work_url(row["work__slug"]),
                title=row["work__title"],
                tears=row["tears"],
            )
            tears = row["tears"]
            marks = "●" * tears + "○" * (5 - tears)
        elif item.kind == "comment":
            title = row["work__title"] if row["work_id"] else row["editorial_list__title"]
            sentence = _sentence(
                _(
                    '<a href="%(url)s">%(name)s</a> commented on '
                    '<a href="%(comment_url)s">%(title)s</a>:'
                ),
                url=url,
                name=name,
                comment_url=comment_url(row["pk"]),
                title=title if title is not None else "",
            )
            body, spoiler = _body(row["body"]), row["is_spoiler"]
        else:
            sentence = _sentence(
                _(
                    '<a href="%(url)s">%(name)s</a> reacted to <a href="%(list_url)s">'
                    "%(title)s</a>: %(reaction)s"
                ),
                url=url,
                name=name,
                list_url=list_url(row["editorial_list__slug"]),
                title=row["editorial_list__title"],
                reaction=reactions.get(row["reaction"], row["reaction"]),
            )
        rows.append(
            {
                "kind": item.kind,
                "iso": iso(item.at),
                "when": when(item.at),
                "sentence": sentence,
                "marks": marks,
                "body": body,
                "spoiler": spoiler,
            }
        )
    return rows
