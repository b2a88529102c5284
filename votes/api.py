"""/api/rankings/ and the rating figures added to /api/works/<slug>/."""

from itertools import count

from django.conf import settings

from catalog.api import json_get, page_answer, work_summary

from . import panels
from .rankings import to_row
from .views import ranking_form


def ranking_json(row):
    answer = {"position": row.position, **work_summary(row.work)}
    answer["rating"] = panels.stats_json(row.stats) if row.stats else None
    if row.recent_n is not None:
        answer["recent_ratings"] = row.recent_n
        answer["rising_score"] = round(row.rising_score, 3)
    return answer


@json_get
def rankings(request):
    form = ranking_form(request)
    per_page = settings.KCRY_API_PAGE_SIZE
    raw_page = request.GET.get("page", "1")

    def positions():
        # A generator starts on the first row, by when page_answer's Paginator has read
        # the page number with this same int() or refused it ("²", 5,000 digits) as 400.
        yield from count((int(raw_page) - 1) * per_page + 1)

    position = positions()
    answer = page_answer(
        request,
        form.rows_queryset(),
        lambda item: ranking_json(to_row(item, next(position))),
        per_page=per_page,
    )
    return {"order": form.chosen_order, "min_ratings": form.chosen_min_ratings, **answer}


def work_rating_section(work):
    """Appended to catalog.api.WORK_DETAIL_SECTIONS by VotesConfig.ready()."""
    return {"rating": panels.stats_json(panels.stats_for(work))}
