"""Ranking, work, list and member pages cost the same queries at two data sizes."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    CreditFactory,
    EditorialListFactory,
    ListEntryFactory,
    UserFactory,
    WorkFactory,
    rate,
)
from votes import services
from votes.stats import refresh_scores

pytestmark = pytest.mark.django_db

PAGES = [
    "/rankings/",
    "/rankings/?order=most-rated&kind=mv",
    "/rankings/?order=newest",
    "/rankings/?order=rising",
    "/api/rankings/",
    "/api/rankings/?order=rising&decade=2010",
    "/works/focus/",
    "/api/works/focus/",
    "/lists/focus-list/",
    "/u/rater0/",
    "/u/rater0/compare/rater1/",
]


def grow(works, raters):
    """Add works (in the focus list) and raters who rate every work, then refresh scores."""
    from catalog.models import EditorialList, Work

    editorial_list = EditorialList.objects.filter(slug="focus-list").first() or (
        EditorialListFactory(slug="focus-list")
    )
    for _ in range(works):
        work = WorkFactory(slug="focus") if not Work.objects.exists() else WorkFactory()
        CreditFactory(work=work)
        ListEntryFactory(editorial_list=editorial_list, works=[work])
    from django.contrib.auth import get_user_model

    existing = get_user_model().objects.count()
    for index in range(existing, existing + raters):
        UserFactory(username=f"rater{index}")
    for number, member in enumerate(get_user_model().objects.all()):
        for work in Work.objects.all():
            rate(member, work, (number + work.pk) % 6)
        services.reaction_set(member=member, editorial_list=editorial_list, reaction="moved")
    refresh_scores()


def counts(client):
    """{url: (queries on a cold cache, queries once its fragments are cached)}."""
    found = {}
    cache.clear()
    for url in PAGES:
        measured = []
        for _attempt in ("cold", "cached"):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, url
            measured.append(len(captured))
        found[url] = tuple(measured)
    return found


def test_pages_cost_the_same_queries_for_visitors_at_two_sizes(client):
    grow(works=5, raters=5)
    small = counts(client)
    assert max(cold for cold, _cached in small.values()) <= 10, small
    grow(works=45, raters=15)  # 50 works, 20 raters, 1,000 ratings
    assert counts(client) == small


def test_rankings_never_read_the_ratings_table(client):
    grow(works=5, raters=5)
    for url in [page for page in PAGES if "rankings" in page]:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        assert not [q for q in captured.captured_queries if '"votes_rating"' in q["sql"]], url


def test_pages_cost_the_same_queries_for_members_at_two_sizes(client):
    grow(works=5, raters=5)
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="rater0"))
    small = counts(client)
    grow(works=45, raters=15)
    assert counts(client) == small


def test_work_page_adds_at_most_three_queries_for_the_rating_panel(
    client, django_assert_max_num_queries
):
    grow(works=3, raters=3)
    client.force_login(UserFactory())
    with CaptureQueriesContext(connection) as captured:
        client.get("/works/focus/")
    votes_queries = [q for q in captured.captured_queries if "votes_" in q["sql"]]
    rating_queries = [q for q in votes_queries if '"votes_tear' not in q["sql"]]
    # The work's figures, the member's own rating and whether it is on their watchlist.
    assert len(rating_queries) == 3
    # The tear map: its stored buckets, and the member's own marks.
    assert len(votes_queries) == 5
    assert not any('FROM "votes_rating"' in q["sql"] and "COUNT" in q["sql"] for q in votes_queries)
    # Once kept, the figures come from the cache: only the member's own two reads remain.
    with CaptureQueriesContext(connection) as captured:
        client.get("/works/focus/")
    rating_queries = [
        q["sql"]
        for q in captured.captured_queries
        if "votes_" in q["sql"] and '"votes_tear' not in q["sql"]
    ]
    assert len(rating_queries) == 2, rating_queries
    assert not any("votes_workstats" in sql for sql in rating_queries)


def rating_post_queries(client, tears):
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            "/works/focus/rating/", {"tears": tears}, HTTP_ACCEPT="application/json"
        )
    assert response.status_code == 200
    assert response.json()["stats"]["count"] >= 1
    # The test's own transaction turns the view's BEGIN/COMMIT into savepoints: not counted.
    return [
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


# Session, member, work; the brake (PostgreSQL: lock, then prune+insert+read in one;
# SQLite: read, insert); the rating (PostgreSQL: one upsert that returns the old value;
# SQLite: read, write); the ranking baseline; the figures (one UPDATE … RETURNING); the
# day bucket; whether the work is on the member's watchlist. The rating it replaced, for
# the "Undo" the answer offers, comes back from the write: it is not read before.
RATING_POST_STATEMENTS = {"postgresql": 10, "sqlite": 11}


def test_a_rating_write_costs_the_same_queries_at_two_sizes_and_reads_nothing_twice(client):
    grow(works=3, raters=3)
    client.force_login(UserFactory(username="newcomer"))
    first = rating_post_queries(client, 4)  # a new rating
    change = rating_post_queries(client, 1)  # a changed rating, the same day
    assert len(first) == len(change) == RATING_POST_STATEMENTS[connection.vendor], change
    # The figures are never read: their UPDATE hands them back for the answer.
    assert not any('FROM "votes_workstats"' in sql for sql in first + change)
    assert sum(sql.startswith('UPDATE "votes_workstats"') for sql in change) == 1
    assert any('UPDATE "votes_workstats"' in sql and "RETURNING" in sql for sql in change)
    grow(works=30, raters=10)  # which also rates every work as every member
    services.rating_withdraw(
        member=UserFactory._meta.model.objects.get(username="newcomer"),
        work=WorkFactory._meta.model.objects.get(slug="focus"),
    )
    assert len(rating_post_queries(client, 4)) == len(first)
    assert len(rating_post_queries(client, 1)) == len(change)


def test_a_json_rating_answer_renders_no_template(client):
    grow(works=1, raters=1)
    client.force_login(UserFactory())
    from django.test.signals import template_rendered

    rendered = []

    def seen(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(seen)
    try:
        response = client.post("/works/focus/rating/", {"tears": 3}, HTTP_ACCEPT="application/json")
    finally:
        template_rendered.disconnect(seen)
    assert response.status_code == 200
    assert rendered == []
