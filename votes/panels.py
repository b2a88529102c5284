"""What the votes parts on other apps' pages show (used by votes_tags and the write views)."""

from django.middleware.csrf import get_token

from catalog.models import ListEntry

from .models import (
    REACTION_EMOJI,
    ListReaction,
    ListReactionCounts,
    Rating,
    Reaction,
    Tears,
    WorkStats,
)

HISTOGRAM_BAR_WIDTH = 160  # px, the longest bar


def stats_for(work):
    """The work's figures: those a write (or select_related) left on it, else read now."""
    try:
        return work.tear_stats
    except WorkStats.DoesNotExist:
        return WorkStats(work=work)


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


def rating_panel(request, work, own=UNREAD):
    """The panel's context; a write view passes the rating it just wrote."""
    stats = stats_for(work)
    user = request.user
    if own is UNREAD:
        own = None
        if user.is_authenticated:
            own = Rating.objects.filter(member=user, work=work).only("tears", "rated_at").first()
    return {
        "work": work,
        "stats": stats,
        "bars": histogram_bars(stats),
        "bar_width": HISTOGRAM_BAR_WIDTH,
        "own": own,
        "choices": list(Tears),
        "user": user,
        "request": request,
        "csrf_token": get_token(request) if user.is_authenticated else None,
    }


def reaction_counts(editorial_list, links=()):
    """{Reaction: count}; read through `links` when they joined it (no extra query)."""
    for link in links:
        stored = getattr(link.listentry.editorial_list, "reaction_counts", None)
        if stored is not None:
            return stored.as_dict()
        return dict.fromkeys(Reaction, 0)
    stored = ListReactionCounts.objects.filter(pk=editorial_list.pk).first()
    return stored.as_dict() if stored else dict.fromkeys(Reaction, 0)


def list_community(request, editorial_list):
    """Editors' rank beside the community's rank of each work in the list, and reactions."""
    # One query: every (entry, work) link of the list with the work's figures.
    links = list(
        ListEntry.works.through.objects.filter(
            listentry__editorial_list=editorial_list, work__is_published=True
        )
        .select_related("listentry__editorial_list__reaction_counts", "work", "work__tear_stats")
        .order_by("listentry__order", "listentry__pk", "work__year", "work__title")
    )
    rows = []
    for link in links:
        try:
            stats = link.work.tear_stats
        except WorkStats.DoesNotExist:
            stats = None
        shown = stats if stats and stats.n else None
        rows.append({"entry": link.listentry, "work": link.work, "stats": shown})
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
    counts = reaction_counts(editorial_list, links)
    own = None
    if request.user.is_authenticated:
        own = (
            ListReaction.objects.filter(member=request.user, editorial_list=editorial_list)
            .values_list("reaction", flat=True)
            .first()
        )
    return {
        "editorial_list": editorial_list,
        "rows": rows,
        "reactions": [
            {
                "value": choice.value,
                "label": choice.label,
                "emoji": REACTION_EMOJI[choice],
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
