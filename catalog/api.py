"""The read-only JSON API: /api/works/, /api/works/<slug>/, /api/lists/, /api/lists/<slug>/.

Every list answer carries count, next, previous and results. Errors are JSON too
(see kcry_site.views for 400/404/500; `json_get` answers 405 itself).

Other apps add their own facts to a work's answer by appending a function to
WORK_DETAIL_SECTIONS (called with the work, returning a dict merged into the answer),
so catalog never has to import them.
"""

from functools import wraps

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt

from .forms import MAX_QUERY_LENGTH, WorkFilterForm, first_error
from .http import json_answer
from .models import EditorialList, Work
from .pagination import paginate
from .views import entries_with_works

WORK_DETAIL_SECTIONS = []


def json_get(view):
    """GET-only JSON view; client errors answer JSON even with DEBUG on."""

    # Exempt from CSRF: nothing here writes, and a stray POST should get the JSON 405
    # below rather than the HTML CSRF failure page.
    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = json_answer(
                {"error": f"Method {request.method} is not allowed here; use GET."}, status=405
            )
            response["Allow"] = "GET, HEAD"
            return response
        try:
            return json_answer(view(request, *args, **kwargs))
        except BadRequest as error:
            return json_answer({"error": str(error)}, status=400)
        except Http404 as error:
            return json_answer({"error": str(error) or "Not found."}, status=404)

    return wrapper


def page_answer(request, queryset, to_json, per_page=None):
    page = paginate(request, queryset, per_page or settings.KCRY_API_PAGE_SIZE)

    def link(number):
        query = request.GET.copy()
        query["page"] = number
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": page.paginator.count,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "results": [to_json(item) for item in page.object_list],
    }


def _work_identity(work):
    return {
        "slug": work.slug,
        "url": work.get_absolute_url(),
        "kind": work.kind,
        "title": work.title,
        "title_ko": work.title_ko,
        "year": work.year,
    }


def work_summary(work):
    return {
        **_work_identity(work),
        "artists": [credit.person.name for credit in work.headline_credits],
    }


@json_get
def work_index(request):
    form = WorkFilterForm(request.GET)
    if not form.is_valid():
        raise BadRequest(first_error(form))
    query = request.GET.get("q", "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        raise BadRequest(f"q: at most {MAX_QUERY_LENGTH} characters.")
    works = form.filter(Work.objects.published().with_artists())
    if query:
        works = works.search(query)
    return page_answer(request, works, work_summary)


@json_get
def work_detail(request, slug):
    work = get_object_or_404(
        Work.objects.published().prefetch_related(
            "content_notes", "credits__person", "list_entries__editorial_list"
        ),
        slug=slug,
    )
    answer = {
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
    for section in WORK_DETAIL_SECTIONS:
        answer.update(section(work))
    return answer


def list_summary(editorial_list):
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
    editorial_list = get_object_or_404(EditorialList.objects.published(), slug=slug)
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
