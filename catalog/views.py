"""Catalog pages (works, people, lists, search) and catalog's own writes.

The work and list pages show other apps' parts too, so the site composes them on top
(kcry_site/pages); the selectors they use are in catalog/selectors.py.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, TemplateView

from kcry_site.web import versions
from kcry_site.web.answers import error_answer
from kcry_site.web.decorators import members_only
from kcry_site.web.forms import valid_query
from kcry_site.web.fragments import cached_fragment
from kcry_site.web.pagination import paginate, requested_page, strict_page

from . import services
from .forms import NotePreferencesForm, SearchForm, SuggestionForm, WorkFilterForm
from .models import ContentNote, EditorialList, ListEntry, Person, Work
from .selectors import (
    card_context,
    fold_key,
    group_credits,
    guarded_work_ids,
    published_decades,
)


class WorkListView(TemplateView):
    template_name = "catalog/work_list.html"

    def get_context_data(self, **kwargs):
        form = valid_query(WorkFilterForm(self.request.GET))
        number = requested_page(self.request)
        query = self.request.GET.copy()
        query.pop("page", None)
        filters = query.urlencode()
        member = self.request.user

        def render():
            works = form.filter(Work.objects.published().with_artists())
            page = strict_page(Paginator(works, settings.KCRY_WORKS_PER_PAGE), number)
            works = list(page.object_list)
            context = card_context(works, guarded_work_ids(member, works), card_heading=2)
            context |= {"page_obj": page, "filter_query": filters}
            return render_to_string("catalog/_work_index.html", context)

        # The count, cards and pagination are the same for every member who folds the
        # same content notes: one fragment under the site version (bumped by every
        # catalog edit and rating); a hit reads no work. A page past the last is a 404.
        results = cached_fragment(
            "works-index", [versions.SITE], [filters, number, fold_key(member)], render
        )
        return super().get_context_data(
            form=form, decades=published_decades(), results_html=results, **kwargs
        )


class PersonDetailView(DetailView):
    template_name = "catalog/person_detail.html"
    context_object_name = "person"
    queryset = Person.objects.all()

    def get_context_data(self, **kwargs):
        credits = (
            self.object.credits.filter(work__is_published=True)
            .select_related("work")
            .order_by("role", "-work__year", "work__title")
        )
        return super().get_context_data(credits_by_role=group_credits(credits), **kwargs)


class ListIndexView(ListView):
    template_name = "catalog/list_index.html"
    context_object_name = "lists"

    def get_queryset(self):
        return EditorialList.objects.published().prefetch_related(
            Prefetch("entries", queryset=ListEntry.objects.only("pk", "editorial_list_id"))
        )


class SearchView(TemplateView):
    template_name = "catalog/search.html"

    def get_context_data(self, **kwargs):
        form = valid_query(SearchForm(self.request.GET))
        query = form.cleaned_data["q"]
        member = self.request.user

        def render():
            limit = settings.KCRY_SEARCH_LIMIT
            works = list(Work.objects.published().with_artists().search(query)[:limit])
            context = card_context(works, guarded_work_ids(member, works))
            context |= {"query": query, "people": list(Person.objects.matching(query)[:limit])}
            return render_to_string("catalog/_search_results.html", context)

        # Works and people found, kept per query and folded content notes under the site
        # version (every catalog edit bumps it): a repeated search reads nothing.
        results = (
            cached_fragment("search", [versions.SITE], [query, fold_key(member)], render)
            if query
            else ""
        )
        return super().get_context_data(form=form, query=query, results_html=results, **kwargs)


# --- community content notes --------------------------------------------------------------

VOTES = {"yes": True, "no": False}


def _work_page(request, slug):
    return reverse("work", args=[slug])


@require_POST
@members_only(
    back=_work_page,
    message=gettext_lazy("Log in to vote on content notes; you will come back here."),
)
def content_note_vote(request, slug):
    work = get_object_or_404(Work.objects.published(), slug=slug)
    back = work.get_absolute_url()
    note = ContentNote.objects.filter(slug=request.POST.get("note", "")).first()
    if note is None:
        return error_answer(request, 400, _("note: choose a content note from the list."), back)
    vote = request.POST.get("vote", "")
    try:
        if vote == "withdraw":
            removed = services.content_note_vote_withdraw(member=request.user, work=work, note=note)
            text = (
                _("Your vote was withdrawn.") if removed else _("You had not voted on this note.")
            )
        elif vote in VOTES:
            services.content_note_vote(
                member=request.user, work=work, note=note, present=VOTES[vote]
            )
            if VOTES[vote]:
                text = _("You voted yes on “%(note)s”.") % {"note": note.shown_name}
            else:
                text = _("You voted no on “%(note)s”.") % {"note": note.shown_name}
        else:
            return error_answer(request, 400, _("vote: answer yes or no."), back)
    except ValidationError as error:
        return error_answer(request, 400, error.messages[0], back)
    messages.success(request, text)
    return redirect(f"{back}#content-notes")


@login_required
def note_preferences(request):
    chosen = ContentNote.objects.filter(avoided_by__member=request.user)
    data = request.POST if request.method == "POST" else None
    form = NotePreferencesForm(data, initial={"notes": chosen})
    if request.method == "POST":
        if form.is_valid():
            kept = services.note_preferences_set(
                member=request.user, notes=form.cleaned_data["notes"]
            )
            messages.success(
                request,
                ngettext(
                    "Saved: %(count)d note will stay folded behind a warning card.",
                    "Saved: %(count)d notes will stay folded behind a warning card.",
                    len(kept),
                )
                % {"count": len(kept)},
            )
            return redirect("catalog:note-preferences")
        return render(request, "catalog/note_preferences.html", {"form": form}, status=400)
    return render(request, "catalog/note_preferences.html", {"form": form})


# --- suggestions ----------------------------------------------------------------------------


@login_required
def suggest(request):
    form = SuggestionForm(request.POST if request.method == "POST" else None)
    existing = None
    if request.method == "POST":
        if form.is_valid():
            try:
                services.suggestion_submit(member=request.user, **form.cleaned_data)
            except services.AlreadyInCatalog as error:
                existing = error.work
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Thank you: your suggestion is waiting for staff. Its status is here."),
                )
                return redirect("catalog:my-suggestions")
        context = {"form": form, "existing": existing}
        return render(request, "catalog/suggest.html", context, status=400)
    return render(request, "catalog/suggest.html", {"form": form})


@login_required
def my_suggestions(request):
    suggestions = request.user.work_suggestions.select_related("work")
    page = paginate(request, suggestions, settings.KCRY_WORKS_PER_PAGE)
    return render(
        request,
        "catalog/my_suggestions.html",
        {"page_obj": page, "suggestions": page.object_list},
    )
