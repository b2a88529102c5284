"""`/rankings/?order=rising` reads only the works with per-day rows in the window: the
candidates come from WorkDay through its (day, stats) index, never a GROUP BY over every
work's figures. Set KCRY_MEASURE_RISING=1 to also time it on 20,000 works (-s shows it)."""

import os
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import Work
from catalog.text import compact
from votes.models import WorkDay, WorkStats
from votes.rankings import Order, RankingForm
from votes.stats import rising_since

pytestmark = pytest.mark.django_db


def build(works, recent_works, start=0):
    """`works` works with 10 ratings each; the first `recent_works` of them also rated
    on a few days of the window (one to three days, 1–4 ratings a day)."""
    made = Work.objects.bulk_create(
        Work(
            title=f"Rising {i:06d}",
            slug=f"rising-{i:06d}",
            is_published=True,
            search_title=compact(f"Rising {i:06d}") + "|",
        )
        for i in range(start, start + works)
    )
    stats = []
    for i, work in enumerate(made, start=start):
        tears = i % 6
        histogram = {f"c{value}": 10 if value == tears else 0 for value in range(6)}
        stats.append(WorkStats(work=work, n=10, total=10 * tears, score=tears, **histogram))
    WorkStats.objects.bulk_create(stats)
    today = timezone.localdate()
    days = []
    for i, work in enumerate(made[:recent_works], start=start):
        for back in range(1 + i % 3):
            n = 1 + (i + back) % 4
            day = today - timedelta(days=back * 7)
            days.append(WorkDay(stats_id=work.pk, day=day, n=n, total=n * ((i + back) % 6)))
    # Buckets older than the window (not pruned yet) are no candidates.
    days += [
        WorkDay(stats_id=work.pk, day=today - timedelta(days=settings.KCRY_RISING_DAYS + 5), n=3)
        for work in made[recent_works : recent_works + 50]
    ]
    WorkDay.objects.bulk_create(days, batch_size=5000)


def rising_rows():
    form = RankingForm({"order": Order.RISING})
    assert form.is_valid()
    return form.rows_queryset()


def page_queries(client):
    # The rows as rendered (a fragment miss): bulk_create bumps no page version.
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/rankings/", {"order": "rising"})
    assert response.status_code == 200
    return captured, response


def test_rising_queries_stay_flat_and_read_only_the_window(client):
    build(40, 10)
    small, response = page_queries(client)
    assert len(response.context["page_obj"].object_list) == 10
    build(2000, 300, start=40)
    big, response = page_queries(client)
    assert len(big) == len(small)
    assert response.context["page_obj"].paginator.count == 310
    # The rows and the count read the candidates from the window's buckets, and do not
    # group every work's figures (the old query's GROUP BY over WorkStats and Work).
    rows_sql = [q["sql"] for q in big if "rising_score" in q["sql"]]
    assert rows_sql
    for sql in rows_sql + [q["sql"] for q in big if "COUNT(" in q["sql"] and "workday" in q["sql"]]:
        # Only the per-work subqueries over the buckets (alias U0) group rows.
        assert sql.count("GROUP BY") == sql.count('GROUP BY U0."stats_id"'), sql
        assert '"votes_workday"' in sql and '"day" >=' in sql


def test_rising_figures_match_the_buckets():
    build(60, 30)
    since = rising_since()
    expected = {
        row["stats_id"]: (row["n"], row["total"])
        for row in WorkDay.objects.filter(day__gte=since)
        .values("stats_id")
        .annotate(n=Sum("n"), total=Sum("total"))
    }
    rows = list(rising_rows())
    assert {row.pk: (row.recent_n, row.recent_total) for row in rows} == expected
    scores = [row.rising_score for row in rows]
    assert scores == sorted(scores, reverse=True)


def old_rising(queryset, *, since, weight, mean, m):
    """The query before the change, for the timing only."""
    from django.db import models
    from django.db.models import F, Value
    from django.db.models.functions import Cast

    extra = weight - 1
    recent = queryset.filter(days__day__gte=since).annotate(
        recent_n=Sum("days__n"), recent_total=Sum("days__total")
    )
    weighted_n = Cast(F("n") + extra * F("recent_n"), models.FloatField())
    weighted_total = Cast(F("total") + extra * F("recent_total"), models.FloatField())
    return (
        recent.filter(recent_n__gt=0)
        .annotate(
            rising_score=(weighted_total + Value(float(m * mean))) / (weighted_n + Value(float(m)))
        )
        .order_by("-rising_score", "-recent_n", "work__title", "pk")
    )


@pytest.mark.skipif(not os.environ.get("KCRY_MEASURE_RISING"), reason="timing run only")
def test_measure_rising_on_20000_works(client):
    from django.core.paginator import Paginator

    build(20_000, 3_000)  # 200,000 ratings in all, ~18,000 of them in the window
    base = WorkStats.objects.published().with_at_least(1)
    args = {"since": rising_since(), "weight": 3, "mean": 3.0, "m": 10.0}

    def first_page(queryset):
        queryset = queryset.select_related("work")
        start = time.perf_counter()
        for _ in range(5):
            page = Paginator(queryset, 50).page(1)
            list(page.object_list)
        return (time.perf_counter() - start) / 5 * 1000, page.paginator.count

    old_ms, old_count = first_page(old_rising(base, **args))
    new_ms, new_count = first_page(base.rising(**args))
    assert old_count == new_count
    start = time.perf_counter()
    client.get("/rankings/", {"order": "rising"})
    page_ms = (time.perf_counter() - start) * 1000
    print(
        f"\nrising, 20,000 works, {new_count} candidates: count + first page "
        f"old {old_ms:.1f} ms, new {new_ms:.1f} ms; whole page {page_ms:.1f} ms"
    )


@pytest.mark.skipif(not os.environ.get("KCRY_MEASURE_RISING"), reason="timing run only")
def test_measure_rising_queries(client, settings):
    settings.DEBUG = True
    build(20_000, 3_000)
    client.get("/rankings/", {"order": "rising"})
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        client.get("/rankings/", {"order": "rising"})
        total = (time.perf_counter() - start) * 1000
    for query in sorted(captured, key=lambda q: -float(q["time"]))[:4]:
        print(f"\n{float(query['time']) * 1000:.1f} ms {query['sql'][:160]}")
    print(f"\nsecond request {total:.1f} ms")
