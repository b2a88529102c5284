"""Votes' reads for pages: rating panels, list community ranks, member diaries, comparisons.

Each returns data (no HTML); the site's pages (kcry_site/pages) and votes' own views
compose them."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, Count, F, Q, Sum
from django.db.models.functions import Abs, TruncMonth
from django.middleware.csrf import get_token
from django.template.defaultfilters import urlencode
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from catalog.models import ListEntry
from catalog.text import format_moment, moment_url
from kcry_site.web import versions
from kcry_site.web.fragments import cached_fragment, kept_in_process

from .models import (
    ListReaction,
    ListReactionCounts,
    Rating,
    Reaction,
    TearBucket,
    TearMark,
    Tears,
    WatchlistEntry,
    WorkStats,
    stored_stats,
)

HISTOGRAM_BAR_WIDTH = 160  # px, the longest bar


def stats_for(work):
    """The work's figures, or empty ones before its first rating."""
    return stored_stats(work) or WorkStats(work=work)


def stats_json(stats):
    return {
        "count": stats.n,
        "tissues": stats.total,
        "mean": round(stats.mean, 3) if stats.n else None,
        "score": round(stats.score, 3) if stats.n else None,
        "histogram": {str(value): count for value, count in enumerate(stats.counts)},
    }


def histogram_bars(stats):
    top = max(stats.counts) or 1
    return [
        {
            "tears": tears,
            "count": count,
            "percent": percent,
            "width": round(HISTOGRAM_BAR_WIDTH * count / top),
        }
        for tears, count, percent in reversed(stats.histogram)
    ]


UNREAD = object()
RATING_UNDO = "rating_undo"  # session key: what the next page's "Undo" button restores


def _undo_offer(request, work):
    """{"previous": tears or None} once, on the page right after a rating changed
    without JavaScript; else None."""
    session = getattr(request, "session", None)
    offer = session.get(RATING_UNDO) if session is not None else None
    if not offer or offer.get("work") != work.slug:
        return None
    del session[RATING_UNDO]
    return {"previous": offer.get("previous")}


def rating_figures_html(work):
    """The panel's figures and histogram (votes/_work_rating_figures.html), the same for
    everyone: the work page keeps them under the site's and the work's versions (a rating
    or its withdrawal bumps both, a staff removal the site's)."""
    stats = stats_for(work)
    context = {"stats": stats, "bars": histogram_bars(stats), "bar_width": HISTOGRAM_BAR_WIDTH}
    return render_to_string("votes/_work_rating_figures.html", context)


def rating_panel(request, work, own=UNREAD, figures_html=None):
    """The context of votes/_work_rating.html; a write view passes the rating it just
    wrote, a page the figures it kept (rendered here when None). The member's own rating,
    watchlist and forms are read live."""
    user = request.user
    if own is UNREAD:
        own = None
        if user.is_authenticated:
            mine = Rating.objects.filter(member_id=user.pk, work_id=work.pk)  # one at most
            own = next(iter(mine.only("tears", "rated_at")[:1]), None)
    on_watchlist = (
        user.is_authenticated
        and WatchlistEntry.objects.filter(member_id=user.pk, work_id=work.pk).exists()
    )
    csrf_input = ""
    if user.is_authenticated:
        csrf_input = format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
        )
    return {
        "undo": _undo_offer(request, work) if user.is_authenticated else None,
        "on_watchlist": on_watchlist,
        "work": work,
        "figures_html": mark_safe(figures_html or rating_figures_html(work)),
        "own": own,
        "rated_html": render_to_string("votes/_rated_on.html", {"own": own}) if own else "",
        "choices": list(Tears),
        "user": user,
        "login_next": "" if user.is_authenticated else urlencode(request.get_full_path()),
        "csrf_input": csrf_input,
    }


# Stand-ins for the per-request parts of a kept rating panel (rating_panel_html). Escaped
# text never contains "<!--"; the slug and the address stand-ins are no work's slug and
# no translation's words, and each is replaced before anything of the request goes in.
FIGURES_SLOT = "<!--kcry-rating-figures-->"
CSRF_SLOT = "<!--kcry-csrf-->"
RATED_SLOT = "<!--kcry-rated-->"
SLUG_SLOT = "kcry-work-slot-0"
NEXT_SLOT = "kcry-next-slot-0"
SLOTS = re.compile(
    "|".join(
        re.escape(slot) for slot in (FIGURES_SLOT, CSRF_SLOT, RATED_SLOT, SLUG_SLOT, NEXT_SLOT)
    )
)


def rating_panel_html(request, work, figures_html=None):
    """The rating panel's HTML for the work page.

    Around the figures the panel is the same for every member who gave the same rating
    and has the work on their watchlist or not, and for every visitor: kept once per
    language and those few values, with stand-ins for the figures, the work's addresses,
    the member's CSRF token and rating date, and a visitor's way back after logging in,
    filled in per request. The page right after a rating without JavaScript ("Undo") is
    rendered whole.
    """
    context = rating_panel(request, work, figures_html=figures_html)
    if context["undo"] is not None:
        return mark_safe(render_to_string("votes/_work_rating.html", context))
    user, own = context["user"], context["own"]
    # Kept in process memory per language and these few values: a few dozen at most.
    key = (
        "rating-panel",
        user.is_authenticated,
        own.tears if own else None,
        bool(context["on_watchlist"]),
    )
    shell = kept_in_process(
        key,
        lambda: render_to_string(
            "votes/_work_rating.html",
            context
            | {
                "work": {"slug": SLUG_SLOT},
                "figures_html": mark_safe(FIGURES_SLOT),
                "csrf_input": mark_safe(CSRF_SLOT) if user.is_authenticated else "",
                "rated_html": mark_safe(RATED_SLOT) if own else "",
                "login_next": NEXT_SLOT,
            },
        ),
    )
    # One pass, so nothing filled in is read again for a stand-in.
    values = {
        SLUG_SLOT: work.slug,
        NEXT_SLOT: escape(context["login_next"]),
        CSRF_SLOT: context["csrf_input"],
        RATED_SLOT: context["rated_html"],
        FIGURES_SLOT: context["figures_html"],
    }
    html = SLOTS.sub(lambda found: values[found.group(0)], shell)
    return mark_safe(html)


def reaction_counts(editorial_list):
    """{Reaction: count}, from the list's stored counts (one read)."""
    stored = ListReactionCounts.objects.filter(pk=editorial_list.pk).first()
    return stored.as_dict() if stored else dict.fromkeys(Reaction, 0)


def table_place(entry, countdown):
    """Where an entry's rows go in the table: ranked entries first in rank order (a
    countdown from its last place to #1), then honourable mentions, then the also
    recommended, each group in the list's own order. The sort is stable, so the works
    of one entry keep theirs."""
    if entry.is_ranked and entry.position:
        return (0, -entry.position if countdown else entry.position, entry.order)
    group = 1 if entry.is_ranked else 2 if entry.is_honourable_mention else 3
    return (group, 0, entry.order)


def list_community_table(editorial_list):
    """Editors' rank beside the community's rank of each work in the list (the context of
    votes/_list_community_table.html, the same for everyone: pages keep it cached)."""
    # One query: every (entry, work) link of the list with the work's figures.
    links = list(
        ListEntry.works.through.objects.filter(
            listentry__editorial_list=editorial_list, work__is_published=True
        )
        .select_related("listentry", "work", "work__tear_stats")
        .order_by("listentry__order", "listentry__pk", "work__year", "work__title")
    )
    rows = []
    for link in links:
        stats = stored_stats(link.work)
        shown = stats if stats and stats.n else None
        rows.append({"entry": link.listentry, "work": link.work, "stats": shown})
    rows.sort(key=lambda row: table_place(row["entry"], editorial_list.is_countdown))
    rated = sorted(
        (row for row in rows if row["stats"]),
        key=lambda row: (-row["stats"].score, -row["stats"].n, row["work"].title),
    )
    for place, row in enumerate(rated, start=1):
        row["community"] = place
    # Where both orders can be compared (ranked by the editors and rated by members),
    # how many places the community moves a work up (+) or down (-).
    both = [row for row in rated if row["entry"].position and row["entry"].is_ranked]
    by_editors = sorted(both, key=lambda row: row["entry"].position)
    for place, row in enumerate(by_editors, start=1):
        row["shift"] = place - both.index(row) - 1
        row["shift_abs"] = abs(row["shift"])
    return {"editorial_list": editorial_list, "rows": rows}


def list_reactions(request, editorial_list):
    """The list's reaction counts and the member's own reaction (two small reads: they
    change with every reaction, so they stay live beside the cached table)."""
    counts = reaction_counts(editorial_list)
    own = None
    if request.user.is_authenticated:
        own = (
            ListReaction.objects.filter(member=request.user, editorial_list=editorial_list)
            .values_list("reaction", flat=True)
            .first()
        )
    return {
        "editorial_list": editorial_list,
        "reactions": [
            {
                "value": choice.value,
                "label": choice.label,
                "count": counts[choice],
                "mine": own == choice.value,
            }
            for choice in Reaction
        ],
        "own_reaction": own,
        "reaction_total": sum(counts.values()),
        "user": request.user,
        "request": request,
        # Anonymous pages carry no form (and no token), so they stay cacheable.
        "csrf_token": get_token(request) if request.user.is_authenticated else None,
    }


# --- member pages ----------------------------------------------------------------------

CHART_HEIGHT = 120
CHART_BAR = 28
CHART_GAP = 8


def totals(member):
    figures = Rating.objects.filter(member=member).aggregate(
        works=Count("pk"), tissues=Sum("tears"), average=Avg("tears")
    )
    figures["tissues"] = figures["tissues"] or 0
    return figures


def _month_starts(count, today):
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return months[::-1]


def tears_per_month(member, months=12):
    """The last `months` months (this one included): tissues and ratings given in each.

    A changed rating counts in the month it was last changed. Returns the bars of an
    SVG chart: label, values and geometry.
    """
    zone = timezone.get_current_timezone()
    starts = _month_starts(months, timezone.localdate())
    first = timezone.make_aware(datetime(starts[0].year, starts[0].month, 1), zone)
    rows = (
        Rating.objects.filter(member=member, rated_at__gte=first)
        .annotate(month=TruncMonth("rated_at", tzinfo=zone))
        .values("month")
        .annotate(tissues=Sum("tears"), ratings=Count("pk"))
        .order_by()
    )
    found = {}
    for row in rows:
        month = row["month"]
        month = month.date() if hasattr(month, "date") else month
        found[month.replace(day=1)] = row
    top = max((row["tissues"] for row in found.values()), default=0) or 1
    bars = []
    for index, start in enumerate(starts):
        row = found.get(start, {"tissues": 0, "ratings": 0})
        height = round(CHART_HEIGHT * row["tissues"] / top)
        x = index * (CHART_BAR + CHART_GAP)
        bars.append(
            {
                "month": start,
                "tissues": row["tissues"],
                "ratings": row["ratings"],
                "x": x,
                "text_x": x + CHART_BAR // 2,
                "height": height,
                "y": 20 + CHART_HEIGHT - height,
            }
        )
    return {
        "bars": bars,
        "width": months * (CHART_BAR + CHART_GAP),
        "height": CHART_HEIGHT + 40,
        "bar": CHART_BAR,
        "base": 20 + CHART_HEIGHT,
        "label_y": 20 + CHART_HEIGHT + 16,
    }


@dataclass
class Comparison:
    shared: object  # queryset: the first member's ratings of works both rated, by title
    count: int  # works both rated
    agreement: int | None  # percent, 100 = identical ratings on every shared work
    first_cries_more: int  # shared works the first member rated higher
    second_cries_more: int
    biggest_gaps: list  # up to COMPARE_GAPS ratings, widest gap first


COMPARE_GAPS = 5


def compare(first, second):
    """Two members' agreement over the works both rated, from SQL aggregates.

    Three queries whatever the number of shared works: the figures (count, summed gap,
    who cried more) in one aggregate, the widest gaps in one limited query; `shared` is
    an unevaluated queryset, ordered by title, for the page to paginate.
    """
    pairs = Rating.objects.filter(member=first, work__tear_ratings__member=second)
    other_tears = F("work__tear_ratings__tears")
    figures = pairs.aggregate(
        count=Count("pk"),
        gap_total=Sum(Abs(F("tears") - other_tears)),
        first_more=Count("pk", filter=Q(tears__gt=other_tears)),
        second_more=Count("pk", filter=Q(tears__lt=other_tears)),
    )
    count = figures["count"]
    if not count:
        return Comparison(pairs.none(), 0, None, 0, 0, [])
    with_other = pairs.annotate(
        other_tears=other_tears, gap=Abs(F("tears") - other_tears)
    ).select_related("work")
    gaps = list(with_other.filter(gap__gt=0).order_by("-gap", "work__title", "pk")[:COMPARE_GAPS])
    return Comparison(
        shared=with_other.order_by("work__title", "pk"),
        count=count,
        agreement=round(100 * (1 - figures["gap_total"] / count / 5)),
        first_cries_more=figures["first_more"],
        second_cries_more=figures["second_more"],
        biggest_gaps=gaps,
    )


# --- the tear map -------------------------------------------------------------------------

TEAR_MAP_WIDTH = 600  # SVG user units
TEAR_MAP_HEIGHT = 100


def tear_map(work):
    """The work's tear map from its stored buckets (one query, whatever the marks).

    Bars are placed over the work's runtime, or, when none is set, over the end of the
    last marked bucket. Returns data only; votes/_tear_map.html draws it.
    """
    width = settings.KCRY_TEAR_BUCKET_SECONDS
    rows = list(
        TearBucket.objects.filter(work=work, count__gt=0)
        .order_by("start")
        .values_list("start", "count")
    )
    last_end = rows[-1][0] + width if rows else 0
    span = max(work.runtime_seconds or 0, last_end, width)
    peak_count = max((count for _start, count in rows), default=0)
    scale = TEAR_MAP_WIDTH / span
    bars = []
    peak = None
    for start, count in rows:
        end = start + width
        bar = {
            "start": start,
            "end": end,
            "count": count,
            "label": f"{format_moment(start)}–{format_moment(end)}",
            "x": round(start * scale, 2),
            "width": round(max(width * scale, 1.5), 2),
            "height": round(max(count / peak_count * TEAR_MAP_HEIGHT, 2), 2),
        }
        bar["y"] = round(TEAR_MAP_HEIGHT - bar["height"], 2)
        bar["is_peak"] = peak is None and count == peak_count
        if bar["is_peak"]:
            peak = bar
        bars.append(bar)
    return {
        "work": work,
        "bucket_seconds": width,
        "span": span,
        "span_display": format_moment(span),
        "runtime_known": bool(work.runtime_seconds),
        "bars": bars,
        "total": sum(count for _start, count in rows),
        "peak": peak,
        "svg_width": TEAR_MAP_WIDTH,
        "svg_height": TEAR_MAP_HEIGHT,
    }


def tear_map_json(data):
    peak = data["peak"]
    return {
        "bucket_seconds": data["bucket_seconds"],
        "span_seconds": data["span"],
        "runtime_seconds": data["work"].runtime_seconds,
        "total": data["total"],
        "peak": {"start": peak["start"], "end": peak["end"], "count": peak["count"]}
        if peak
        else None,
        "buckets": [
            {"start": bar["start"], "end": bar["end"], "count": bar["count"]}
            for bar in data["bars"]
        ],
    }


def tear_panel(request, work):
    """The work page's tear map with the viewer's own marks and the form to add one.

    The chart (a bar per stored bucket, hundreds on a long work) is the same for everyone:
    rendered once and kept under the work's version (every tear mark added or taken back
    bumps it), the language and what of the work it shows (title, runtime). The viewer's
    own marks and the form stay live.
    """
    member = request.user if request.user.is_authenticated else None
    chart = cached_fragment(
        "tear-chart",
        [versions.work(work.slug)],
        [work.title, work.runtime_seconds or 0],
        lambda: render_to_string("votes/_tear_chart.html", tear_map(work)),
    )
    marks = []
    if member is not None:
        width = settings.KCRY_TEAR_BUCKET_SECONDS
        marks = [
            {
                "bucket": bucket,
                "at": at,
                "at_display": format_moment(at),
                "label": f"{format_moment(bucket)}–{format_moment(bucket + width)}",
            }
            for bucket, at in TearMark.objects.filter(member=member, work=work)
            .order_by("bucket")
            .values_list("bucket", "at_seconds")
        ]
    return {
        "work": work,
        "chart_html": chart,
        "member": member,
        "own_marks": marks,
        # One address for every mark's "Remove" form, worked out once.
        "remove_url": reverse("votes:tear-remove", args=[work.slug]) if marks else "",
        "request": request,
        "csrf_token": get_token(request) if member is not None else None,
    }


COMPARE_CANDIDATES = 20


def compare_candidates(member, limit=COMPARE_CANDIDATES):
    """Usernames of up to `limit` members who rated works `member` rated, most works in
    common first: the choices offered by the compare form. Members whose diary is
    private, or who left, are not offered.

    The query groups every rating of every work the member rated (tens of thousands of
    rows at a million ratings), so its answer is kept for KCRY_COMPARE_CANDIDATES_SECONDS
    per member: these are suggestions, and the compare page checks the name it is given.
    """

    def read():
        return list(
            Rating.objects.filter(
                work__tear_ratings__member=member,
                member__is_active=True,
                member__diary_is_private=False,
            )
            .exclude(member=member)
            .values("member__username")
            .annotate(shared=Count("pk"))
            .order_by("-shared", "member__username")
            .values_list("member__username", flat=True)[:limit]
        )

    key = f"kcry:compare-candidates:{member.pk}:{limit}"
    return cache.get_or_set(key, read, settings.KCRY_COMPARE_CANDIDATES_SECONDS)


def own_tears(member, works):
    """{work id: tears} of `member`'s ratings of `works` (one query)."""
    return dict(
        Rating.objects.filter(member=member, work__in=[work.pk for work in works]).values_list(
            "work_id", "tears"
        )
    )


# --- the moments that made the most members cry ---------------------------------------------

MOMENTS_SHOWN = 50


def top_moments(limit=MOMENTS_SHOWN):
    """The site's most-marked tear-map buckets, most members first: one query on the stored
    bucket counts (index tear_bucket_most_marked), whatever the number of marks."""
    width = settings.KCRY_TEAR_BUCKET_SECONDS
    buckets = (
        TearBucket.objects.filter(count__gt=0, work__is_published=True)
        .select_related("work")
        .order_by("-count", "work__title", "start")[:limit]
    )
    return [
        {
            "work": bucket.work,
            "start": bucket.start,
            "label": f"{format_moment(bucket.start)}–{format_moment(bucket.start + width)}",
            "count": bucket.count,
            "video_at": moment_url(bucket.work.video_url, bucket.start)
            if bucket.work.video_url
            else "",
        }
        for bucket in buckets
    ]
