"""The community rankings: one form of filters, four orders, rows for pages and the API."""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from catalog.forms import WorkFilterForm
from catalog.models import Credit, Work
from kcry_site.web.forms import QueryChoiceField, valid_query

from .models import WorkStats, stored_stats
from .stats import current_baseline, rising_since


class Order:
    SCORE = "score"
    MOST_RATED = "most-rated"
    NEWEST = "newest"
    RISING = "rising"
    CHOICES = [
        (SCORE, _("Top tear score")),
        (MOST_RATED, _("Most rated")),
        (NEWEST, _("Newest additions")),
        (RISING, _("Rising (last 30 days count more)")),
    ]


def _headline_credits(prefix=""):
    return Prefetch(
        f"{prefix}credits",
        queryset=Credit.objects.filter(role__in=Credit.HEADLINE_ROLES).select_related("person"),
        to_attr="headline_credits",
    )


class RankingForm(WorkFilterForm):
    order = QueryChoiceField(label=_("Order"), choices=Order.CHOICES, required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2099)
    min_ratings = forms.IntegerField(
        label=_("At least … ratings"), required=False, min_value=0, max_value=1_000_000
    )

    @property
    def chosen_order(self):
        return self.cleaned_data.get("order") or Order.SCORE

    @property
    def is_filtered(self):
        """Whether the visitor narrowed the rows (an order alone narrows nothing)."""
        return any(
            self.cleaned_data.get(name) not in (None, "")
            for name in ("kind", "decade", "year", "min_ratings")
        )

    @property
    def chosen_min_ratings(self):
        value = self.cleaned_data.get("min_ratings")
        if value is None:
            return 0 if self.chosen_order == Order.NEWEST else 1
        return value

    def filter(self, rows):
        rows = super().filter(rows)
        if self.cleaned_data.get("year") is not None:
            rows = rows.of_year(self.cleaned_data["year"])
        return rows

    def rows_queryset(self):
        """The ordered queryset for the chosen order and filters (valid form only)."""
        if self.chosen_order == Order.NEWEST:
            works = self.filter(Work.objects.published().select_related("tear_stats"))
            if self.chosen_min_ratings:
                works = works.filter(tear_stats__n__gte=self.chosen_min_ratings)
            return works.prefetch_related(_headline_credits()).order_by("-created", "-pk")

        stats = self.filter(
            WorkStats.objects.published().with_at_least(max(self.chosen_min_ratings, 1))
        )
        if self.chosen_order == Order.MOST_RATED:
            stats = stats.most_rated()
        elif self.chosen_order == Order.RISING:
            baseline = current_baseline()
            stats = stats.rising(
                since=rising_since(),
                weight=settings.KCRY_RISING_WEIGHT,
                mean=baseline.mean,
                m=baseline.weight,
            )
        else:
            stats = stats.by_score()
        return stats.select_related("work").prefetch_related(_headline_credits("work__"))


@dataclass
class Row:
    position: int
    work: Work
    stats: WorkStats | None

    @property
    def recent_n(self):
        return getattr(self.stats, "recent_n", None)

    @property
    def rising_score(self):
        return getattr(self.stats, "rising_score", None)


def to_row(item, position):
    if isinstance(item, Work):
        return Row(position, item, stored_stats(item))
    return Row(position, item.work, item)


def rows_of(page):
    return [
        to_row(item, position)
        for position, item in enumerate(page.object_list, start=page.start_index())
    ]


def ranking_form(request):
    """The filters of the rankings page and API, or a 400 naming the bad one."""
    return valid_query(RankingForm(request.GET))
