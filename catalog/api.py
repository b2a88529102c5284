"""The catalog's read-only JSON API: /api/works/, /api/lists/, /api/lists/<slug>/.

A work's own answer (/api/works/<slug>/) carries its rating figures too, so the site
composes it on top (kcry_site/pages/api.py) from `work_facts` and votes' figures.
"""

from django.http import Http404
from django.utils.translation import gettext as _

from kcry_site.web.api import json_get, page_answer
from kcry_site.web.forms import valid_query

from .forms import WorkQueryForm
from .models import EditorialList, Work
from .selectors import entries_with_works


def _work_identity(work):
    return {
        "slug": work.slug,
        "url": work.get_absolute_url(),
        "kind": work.kind,
        "title": work.title,
        "title_ko": work.title_ko,
        "year": work.year,
    }


def work_summary(work, position=None):
    return {
        **_work_identity(work),
        "artists": [credit.person.name for credit in work.headline_credits],
    }


@json_get
def work_index(request):
    form = valid_query(WorkQueryForm(request.GET))
    query = form.cleaned_data["q"]
    works = form.filter(Work.objects.published().with_artists())
    if query:
        works = works.search(query)
    return page_answer(request, works, work_summary)


def work_facts(slug):
    """A published work's facts, credits and lists for its API answer (or 404)."""
    work = (
        Work.objects.published()
        .prefetch_related("content_notes", "credits__person", "list_entries__editorial_list")
        .filter(slug=slug)
        .first()
    )
    if work is None:
        raise Http404(_("There is no work “%(slug)s”.") % {"slug": slug[:80]})
    return work, {
        **_work_identity(work),
        "release_date": work.release_date.isoformat() if work.release_date else None,
        "blurb": work.blurb,
        "video_url": work.video_url or None,
        "ost_of": work.ost_of or None,
        "album": work.album or None,
        "poster": work.poster.url if work.poster else None,
        "content_notes": [note.name for note in work.content_notes.all()],
        "credits": [
            {"person": credit.person.name, "slug": credit.person.slug, "role": credit.role}
            for credit in work.credits.all()
        ],
        "lists": [
            {
                "slug": entry.editorial_list.slug,
                "title": entry.editorial_list.title,
                "rank": entry.position,
                "honourable_mention": entry.is_honourable_mention,
                "also_recommended": entry.is_also_recommended,
            }
            for entry in work.list_entries.all()
            if entry.editorial_list.is_published
        ],
    }


def list_summary(editorial_list, position=None):
    return {
        "slug": editorial_list.slug,
        "url": editorial_list.get_absolute_url(),
        "title": editorial_list.title,
        "source_name": editorial_list.source_name or None,
        "source_kind": editorial_list.source_kind,
        "is_countdown": editorial_list.is_countdown,
    }


@json_get
def list_index(request):
    return page_answer(request, EditorialList.objects.published(), list_summary)


@json_get
def list_detail(request, slug):
    editorial_list = EditorialList.objects.published().filter(slug=slug).first()
    if editorial_list is None:
        raise Http404(_("There is no list “%(slug)s”.") % {"slug": slug[:80]})
    entries = entries_with_works().filter(editorial_list=editorial_list)
    return {
        **list_summary(editorial_list),
        "intro": editorial_list.intro,
        "entries": [
            {
                "rank": entry.position,
                "honourable_mention": entry.is_honourable_mention,
                "also_recommended": entry.is_also_recommended,
                "note": entry.note,
                "works": [work_summary(work) for work in entry.works.all()],
                "people": [{"name": p.name, "slug": p.slug} for p in entry.people.all()],
            }
            for entry in entries
        ],
    }
