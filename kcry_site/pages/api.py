"""/api/works/<slug>/: a work's facts (catalog) with its rating figures (votes)."""

from django.http import Http404
from django.utils.translation import gettext as _

from catalog.api import work_facts
from kcry_site.web.api import json_get
from votes.selectors import stats_for, stats_json


@json_get
def work_detail(request, slug):
    work, answer = work_facts(slug)
    return {**answer, "rating": stats_json(stats_for(work))}


@json_get
def not_found(request, rest):
    """Any other address under /api/: the API's JSON 404, not the site's HTML page."""
    raise Http404(_("Nothing here: the page or item does not exist."))
