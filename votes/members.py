"""Reads behind member pages: totals, tears per month, comparing two members."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Avg, Count, F, Sum
from django.db.models.functions import Abs, TruncMonth
from django.utils import timezone

from .models import Rating

CHART_HEIGHT = 120
CHART_BAR = 28
CHART_GAP = 8


def totals(member):
    figures = Rating.objects.filter(member=member).aggregate(
        works=Count("pk"), tissues=Sum("tears"), average=Avg("tears")
    )
    figures["tissues"] = figures["tissues"] or 0
    return figures


def _month_starts(count, today):
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return months[::-1]


def tears_per_month(member, months=12):
    """The last `months` months (this one included): tissues and ratings given in each.

    A changed rating counts in the month it was last changed. Returns the bars of an
    SVG chart: label, values and geometry.
    """
    zone = timezone.get_current_timezone()
    starts = _month_starts(months, timezone.localdate())
    first = timezone.make_aware(datetime(starts[0].year, starts[0].month, 1), zone)
    rows = (
        Rating.objects.filter(member=member, rated_at__gte=first)
        .annotate(month=TruncMonth("rated_at", tzinfo=zone))
        .values("month")
        .annotate(tissues=Sum("tears"), ratings=Count("pk"))
        .order_by()
    )
    found = {}
    for row in rows:
        month = row["month"]
        month = month.date() if hasattr(month, "date") else month
        found[month.replace(day=1)] = row
    top = max((row["tissues"] for row in found.values()), default=0) or 1
    bars = []
    for index, start in enumerate(starts):
        row = found.get(start, {"tissues": 0, "ratings": 0})
        height = round(CHART_HEIGHT * row["tissues"] / top)
        x = index * (CHART_BAR + CHART_GAP)
        bars.append(
            {
                "month": start,
                "tissues": row["tissues"],
                "ratings": row["ratings"],
                "x": x,
                "text_x": x + CHART_BAR // 2,
                "height": height,
                "y": 20 + CHART_HEIGHT - height,
            }
        )
    return {
        "bars": bars,
        "width": months * (CHART_BAR + CHART_GAP),
        "height": CHART_HEIGHT + 40,
        "bar": CHART_BAR,
        "base": 20 + CHART_HEIGHT,
        "label_y": 20 + CHART_HEIGHT + 16,
    }


@dataclass
class Comparison:
    shared: list  # Ratings of the first member with `other_tears` and `gap`
    agreement: int | None  # percent, 100 = identical ratings on every shared work
    first_cries_more: int  # shared works the first member rated higher
    second_cries_more: int

    @property
    def biggest_gaps(self):
        return [rating for rating in self.shared if rating.gap][:5]


def compare(first, second):
    shared = list(
        Rating.objects.filter(member=first, work__tear_ratings__member=second)
        .annotate(
            other_tears=F("work__tear_ratings__tears"),
            gap=Abs(F("tears") - F("work__tear_ratings__tears")),
        )
        .select_related("work")
        .order_by("-gap", "work__title")
    )
    if not shared:
        return Comparison(shared, None, 0, 0)
    mean_gap = sum(rating.gap for rating in shared) / len(shared)
    return Comparison(
        shared=shared,
        agreement=round(100 * (1 - mean_gap / 5)),
        first_cries_more=sum(1 for r in shared if r.tears > r.other_tears),
        second_cries_more=sum(1 for r in shared if r.tears < r.other_tears),
    )
