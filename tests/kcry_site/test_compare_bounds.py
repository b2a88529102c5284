"""The compare page `/u/<a>/compare/<b>/`: figures from SQL aggregates, the shared list
paginated, so its queries and bytes stay the same at 20 and at 2,000 shared works; a
private diary is not compared by anyone but its owner."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import Work
from catalog.text import compact
from tests.factories import UserFactory, WorkFactory, rate
from votes.models import Rating

pytestmark = pytest.mark.django_db


def shared_ratings(first, second, count, start=0):
    """`count` works both rated, with gaps 0–5 spread over them."""
    works = [
        Work(
            title=f"Shared {index:05d}",
            slug=f"shared-{index:05d}",
            is_published=True,
            search_title=compact(f"Shared {index:05d}") + "|",
        )
        for index in range(start, start + count)
    ]
    works = Work.objects.bulk_create(works)
    now = timezone.now()
    rows = []
    for index, work in enumerate(works, start=start):
        when = now - timedelta(minutes=index)
        a, b = index % 6, (index // 6) % 6
        rows.append(Rating(member=first, work=work, tears=a, created=when, rated_at=when))
        rows.append(Rating(member=second, work=work, tears=b, created=when, rated_at=when))
    Rating.objects.bulk_create(rows)


def expected_figures(count):
    pairs = [(i % 6, (i // 6) % 6) for i in range(count)]
    mean_gap = sum(abs(a - b) for a, b in pairs) / count
    return {
        "count": count,
        "agreement": round(100 * (1 - mean_gap / 5)),
        "first_cries_more": sum(1 for a, b in pairs if a > b),
        "second_cries_more": sum(1 for a, b in pairs if a < b),
    }


def fetch(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), len(response.content), response


def test_queries_and_bytes_stay_flat_from_20_to_2000_shared_works(client):
    first, second = UserFactory(username="ara"), UserFactory(username="bom")
    shared_ratings(first, second, 20)
    small_queries, small_bytes, response = fetch(client, "/u/ara/compare/bom/")
    comparison = response.context["comparison"]
    assert {
        name: getattr(comparison, name)
        for name in ("count", "agreement", "first_cries_more", "second_cries_more")
    } == expected_figures(20)

    shared_ratings(first, second, 1980, start=20)
    big_queries, big_bytes, response = fetch(client, "/u/ara/compare/bom/")
    comparison = response.context["comparison"]
    assert {
        name: getattr(comparison, name)
        for name in ("count", "agreement", "first_cries_more", "second_cries_more")
    } == expected_figures(2000)
    assert big_queries == small_queries
    # One page of 50 rows (not 2,000), plus the pagination links.
    assert len(response.context["shared"]) == 50
    assert big_bytes < small_bytes + 6_000, (small_bytes, big_bytes)
    html = response.content.decode()
    assert "Page 1 of 40" in html and "Shared 00049" in html and "Shared 00050" not in html
    # The biggest gaps: five rows, each 5 tissues apart.
    gaps = comparison.biggest_gaps
    assert len(gaps) == 5 and {rating.gap for rating in gaps} == {5}
    assert all(abs(r.tears - r.other_tears) == 5 for r in gaps)

    last_queries, _bytes, response = fetch(client, "/u/ara/compare/bom/?page=40")
    assert last_queries == small_queries
    assert "Shared 01999" in response.content.decode()
    assert client.get("/u/ara/compare/bom/?page=41").status_code == 404
    assert client.get("/u/ara/compare/bom/?page=x").status_code == 400


def test_figures_match_the_ratings_given_one_by_one(client):
    a, b = UserFactory(username="a"), UserFactory(username="b")
    same, close, apart = (
        WorkFactory(title="Same"),
        WorkFactory(title="Close"),
        WorkFactory(title="Apart"),
    )
    rate(a, same, 3), rate(b, same, 3)
    rate(a, close, 4), rate(b, close, 3)
    rate(a, apart, 5), rate(b, apart, 0)
    rate(a, WorkFactory(), 1)
    rate(b, WorkFactory(), 2)
    comparison = client.get("/u/a/compare/b/").context["comparison"]
    assert (comparison.count, comparison.agreement) == (3, 60)
    assert [r.work.title for r in comparison.biggest_gaps] == ["Apart", "Close"]
    assert [r.work.title for r in comparison.shared] == ["Apart", "Close", "Same"]


def test_nobody_else_compares_a_private_diary(client):
    owner = UserFactory(username="hidden", diary_is_private=True)
    other = UserFactory(username="open")
    work = WorkFactory(title="Secret Sorrow")
    rate(owner, work, 5), rate(other, work, 1)
    for url in ("/u/hidden/compare/open/", "/u/open/compare/hidden/"):
        for visitor in (None, other, UserFactory()):
            if visitor is None:
                client.logout()
            else:
                client.force_login(visitor)
            response = client.get(url)
            html = response.content.decode()
            assert response.status_code == 200
            assert "hidden keeps their diary private" in html
            assert "Secret Sorrow" not in html and "comparison" not in response.context
    # The owner compares themself with anyone, from either side.
    client.force_login(owner)
    for url in ("/u/hidden/compare/open/", "/u/open/compare/hidden/"):
        html = client.get(url).content.decode()
        assert "Secret Sorrow" in html and "keeps their diary private" not in html
