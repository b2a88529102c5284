from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import DetailView, ListView, TemplateView

from . import services
from .forms import NotePreferencesForm, SearchForm, SuggestionForm, WorkFilterForm, first_error
from .models import ContentNote, Credit, EditorialList, ListEntry, Person, Work
from .pagination import paginate


class WorkListView(TemplateView):
    template_name = "catalog/work_list.html"

    def get_context_data(self, **kwargs):
        form = WorkFilterForm(self.request.GET)
        if not form.is_valid():
            raise BadRequest(first_error(form))
        works = form.filter(Work.objects.published().with_artists())
        page = paginate(self.request, works, settings.KCRY_WORKS_PER_PAGE)
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            form=form,
            decades=Work.objects.published().decades(),
            page_obj=page,
            works=page.object_list,
            filter_query=query.urlencode(),
            **kwargs,
        )


class WorkDetailView(DetailView):
    template_name = "catalog/work_detail.html"
    context_object_name = "work"

    def get_queryset(self):
        return Work.objects.published().prefetch_related(
            Prefetch("credits", queryset=Credit.objects.select_related("person")),
            Prefetch(
                "list_entries",
                queryset=ListEntry.objects.filter(editorial_list__is_published=True)
                .select_related("editorial_list")
                .order_by("editorial_list__title"),
            ),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            credits_by_role=group_credits(self.object.credits.all()),
            notes=content_notes_panel(self.object, self.request.user),
            share=work_share(self.object),
            **kwargs,
        )


OPEN_GRAPH_TYPES = {
    Work.Kind.MV: "video.other",
    Work.Kind.SONG: "music.song",
    Work.Kind.FILM: "video.movie",
    Work.Kind.DRAMA: "video.tv_show",
}


def work_share(work):
    """What the OpenGraph and Twitter card tags say about a work (paths, not addresses)."""
    title = f"{work.title} ({work.title_ko})" if work.title_ko else work.title
    return {
        "type": OPEN_GRAPH_TYPES.get(work.kind, "website"),
        "title": title,
        "description": work.blurb or f"{work.get_kind_display()} on kcry: {title}",
        "path": work.get_absolute_url(),
        # No image here: the work page shares the card votes draws (see work_detail.html).
    }


def content_notes_panel(work, member):
    """The work page's content notes, from one query.

    `shown`: notes staff set or members voted on, majority first (a staff-set note counts
    as confirmed); `carried`: those the work carries (staff-set or more yes than no);
    `proposable`: the rest of the fixed list, for a member to propose; `guarded`: carried
    notes the member chose never to see unfolded (the poster and video wait behind a card).
    """
    notes = list(ContentNote.objects.for_work(work, member))
    for note in notes:
        note.is_carried = note.is_staff_set or note.yes > note.no
    shown = [note for note in notes if note.is_staff_set or note.is_locked or note.yes or note.no]
    shown.sort(
        key=lambda note: (
            0 if note.is_staff_set else 1 if note.is_carried else 2,
            note.no - note.yes,
            note.name,
        )
    )
    carried = [note for note in shown if note.is_carried]
    return {
        "shown": shown,
        "carried": carried,
        "proposable": [note for note in notes if note not in shown],
        "guarded": [note for note in carried if note.is_avoided],
    }


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


def group_credits(credits):
    """[(role label, [credit, …]), …] in the order of Credit.Role."""
    rank = {role: index for index, role in enumerate(Credit.Role.values)}
    ordered = sorted(credits, key=lambda credit: rank[credit.role])
    return [
        (Credit.Role(role).label, list(group))
        for role, group in groupby(ordered, key=lambda credit: credit.role)
    ]


class ListIndexView(ListView):
    template_name = "catalog/list_index.html"
    context_object_name = "lists"

    def get_queryset(self):
        return EditorialList.objects.published().prefetch_related(
            Prefetch("entries", queryset=ListEntry.objects.only("pk", "editorial_list_id"))
        )


def entries_with_works():
    works = Work.objects.published().with_artists().order_by("year", "title")
    return ListEntry.objects.prefetch_related(Prefetch("works", queryset=works), "people")


class ListDetailView(DetailView):
    template_name = "catalog/list_detail.html"
    context_object_name = "editorial_list"

    def get_queryset(self):
        return EditorialList.objects.published()

    def get_context_data(self, **kwargs):
        entries = list(entries_with_works().filter(editorial_list=self.object))
        return super().get_context_data(
            ranked=[entry for entry in entries if entry.is_ranked],
            honourable=[entry for entry in entries if entry.is_honourable_mention],
            also_recommended=[entry for entry in entries if entry.is_also_recommended],
            share={
                "type": "article",
                "title": self.object.title,
                "description": self.object.intro or f"An editorial list on kcry: {self.object}",
                "path": self.object.get_absolute_url(),
                "image": list_poster(entries),
                "image_alt": "Poster of a work on the list",
            },
            **kwargs,
        )


def list_poster(entries):
    """The poster of the best-ranked work that has one (from the entries already read)."""
    ranked = sorted(
        (entry for entry in entries if entry.is_ranked and entry.position),
        key=lambda entry: entry.position,
    )
    for entry in ranked:
        for work in entry.works.all():
            if work.poster:
                return work.poster.url
    return ""


class SearchView(TemplateView):
    template_name = "catalog/search.html"

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET)
        if not form.is_valid():
            raise BadRequest(first_error(form))
        query = form.cleaned_data["q"]
        limit = settings.KCRY_SEARCH_LIMIT
        works = people = []
        if query:
            works = list(Work.objects.published().with_artists().search(query)[:limit])
            people = list(Person.objects.matching(query)[:limit])
        return super().get_context_data(
            form=form, query=query, works=works, people=people, **kwargs
        )


# --- community content notes --------------------------------------------------------------

VOTES = {"yes": True, "no": False}


def write_error(request, status, message, back_url=None):
    context = {"status": status, "message": message, "back_url": back_url}
    return render(request, "write_error.html", context, status=status)


def content_note_vote(request, slug):
    if request.method != "POST":
        response = write_error(
            request, 405, _("Only POST is allowed here: use the form on the page.")
        )
        response["Allow"] = "POST"
        return response
    work = Work.objects.published().filter(slug=slug).first()
    if work is None:
        return write_error(request, 404, _("There is no work “%(slug)s”.") % {"slug": slug[:80]})
    back = work.get_absolute_url()
    if not request.user.is_authenticated:
        messages.info(request, _("Log in to vote on content notes; you will come back here."))
        return redirect_to_login(back)
    note = ContentNote.objects.filter(slug=request.POST.get("note", "")).first()
    if note is None:
        return write_error(request, 400, _("note: choose a content note from the list."), back)
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
                text = _("You voted yes on “%(note)s”.") % {"note": note.name}
            else:
                text = _("You voted no on “%(note)s”.") % {"note": note.name}
        else:
            return write_error(request, 400, _("vote: answer yes or no."), back)
    except ValidationError as error:
        return write_error(request, 400, error.messages[0], back)
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
