"""/api/rankings/: the rankings page's rows as JSON; /api/works/<slug>/tears/: a tear map."""

from django.conf import settings
from django.shortcuts import get_object_or_404

from catalog.api import work_summary
from catalog.models import Work
from kcry_site.web.api import json_get, page_answer

from .rankings import ranking_form, to_row
from .selectors import stats_json, tear_map, tear_map_json


def ranking_json(row):
    answer = {"position": row.position, **work_summary(row.work)}
    answer["rating"] = stats_json(row.stats) if row.stats else None
    if row.recent_n is not None:
        answer["recent_ratings"] = row.recent_n
        answer["rising_score"] = round(row.rising_score, 3)
    return answer


@json_get
def rankings(request):
    form = ranking_form(request)
    answer = page_answer(
        request,
        form.rows_queryset(),
        lambda item, position: ranking_json(to_row(item, position)),
        per_page=settings.KCRY_API_PAGE_SIZE,
    )
    return {"order": form.chosen_order, "min_ratings": form.chosen_min_ratings, **answer}


@json_get
def work_tears(request, slug):
    """The work's tear map: a bar per non-empty bucket, the bucket width, total and peak."""
    work = get_object_or_404(Work.objects.published(), slug=slug)
    return {"work": work.slug, **tear_map_json(tear_map(work))}
