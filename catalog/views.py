from itertools import groupby

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db.models import Prefetch
from django.views.generic import DetailView, ListView, TemplateView

from .forms import SearchForm, WorkFilterForm, first_error
from .models import Credit, EditorialList, ListEntry, Person, Work
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
            "content_notes",
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
            credits_by_role=group_credits(self.object.credits.all()), **kwargs
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
            **kwargs,
        )


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
