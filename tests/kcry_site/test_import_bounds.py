"""Ratings imports: set-based matching and writing (bounded queries), a per-member brake,
and the explicit second step that stores only the rows that matched."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import Work
from catalog.text import compact
from tests.factories import UserFactory, WorkFactory, rate
from votes import importing
from votes.models import Rating, WorkDay, WorkStats
from votes.stats import recompute_all

pytestmark = pytest.mark.django_db


def csv_upload(rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile("ratings.csv", buffer.getvalue().encode(), "text/csv")


def bulk_works(count, prefix="Song"):
    works = [
        Work(title=f"{prefix} {index}", slug=f"{prefix.lower()}-{index}", is_published=True)
        for index in range(count)
    ]
    for work in works:
        work.search_title = compact(work.title) + "|"
    return Work.objects.bulk_create(works)


def figures():
    return sorted(WorkStats.objects.values_list("pk", "n", "total", "c0", "c3", "c5", "score"))


def queries(function):
    with CaptureQueriesContext(connection) as captured:
        result = function()
    return len(captured), result


@pytest.mark.parametrize("matched", [True, False])
def test_checking_a_file_takes_the_same_queries_for_40_and_400_rows(matched):
    bulk_works(400)
    counts = []
    for size in (40, 400):
        titles = [f"Song {i}" if matched else f"Nowhere {i}" for i in range(size)]
        data = "title,tears\n" + "".join(f"{title},3\n" for title in titles)
        count, plan = queries(lambda data=data: importing.plan_import(data.encode()))
        assert len(plan.ratings if matched else plan.problems) == size
        counts.append(count)
    assert counts[0] == counts[1]


def test_storing_an_import_takes_the_same_queries_for_40_and_400_ratings(member):
    works = bulk_works(800)
    counts = []
    for batch in (works[:40], works[400:800]):
        # Half the works already rated by the member (changed), half new.
        for work in batch[::2]:
            rate(member, work, 1)
        pairs = [(work.pk, 4) for work in batch]
        count, result = queries(
            lambda pairs=pairs: importing.apply_pairs(member=member, pairs=pairs)
        )
        assert (result.added, result.changed) == (len(batch) // 2, len(batch) // 2)
        counts.append(count)
    # Constant, but for the batches of multi-row INSERTs that SQLite's 999-parameter
    # limit makes (about 100 figures rows a batch); one query per rating would be 400+.
    assert counts[1] <= counts[0] + 400 // 90 + 1
    assert counts[1] < 40


def test_a_bulk_import_leaves_the_figures_exact(member):
    works = bulk_works(12)
    other = UserFactory()
    for index, work in enumerate(works[:8]):
        rate(other, work, index % 6)
    rate(member, works[0], 2)  # changed
    rate(member, works[1], 5)  # unchanged
    rate(member, works[2], 0)  # changed
    # One old rating, outside today's bucket.
    Rating.objects.filter(member=member, work=works[2]).update(
        rated_at=timezone.now() - timedelta(days=3)
    )
    recompute_all()
    pairs = [(works[0].pk, 4), (works[1].pk, 5), (works[2].pk, 3)]
    pairs += [(work.pk, index % 6) for index, work in enumerate(works[3:], start=3)]
    result = importing.apply_pairs(member=member, pairs=pairs)
    assert (result.added, result.changed, result.unchanged) == (9, 2, 1)
    assert dict(Rating.objects.filter(member=member).values_list("work_id", "tears")) == dict(pairs)
    assert recompute_all(fix=False) == []  # count, sum and histogram of every work
    # The old day's bucket is emptied (kept at 0, as rating_set leaves it), today's filled.
    days = WorkDay.objects.filter(n__gt=0).values_list("stats_id", "day", "n", "total")
    stored = sorted(days)
    assert WorkDay.objects.filter(stats_id=works[2].pk, n=0).exists()
    recompute_all()
    assert sorted(days) == stored


def test_an_unpublished_work_stores_nothing(member):
    works = bulk_works(3)
    before = figures()
    Work.objects.filter(pk=works[1].pk).update(is_published=False)
    with pytest.raises(Exception, match="no such work"):
        importing.apply_pairs(member=member, pairs=[(work.pk, 3) for work in works])
    assert not Rating.objects.exists()
    assert figures() == before


def test_imports_are_braked_per_member(owner_client, member, settings):
    settings.KCRY_RATE_IMPORTS = (2, 3600)
    work = WorkFactory(title="Sad")
    for tears in (1, 2):
        response = owner_client.post(
            "/u/jisoo/data/import/", {"file": csv_upload([["title", "tears"], ["Sad", tears]])}
        )
        assert response.status_code == 302
    response = owner_client.post(
        "/u/jisoo/data/import/", {"file": csv_upload([["title", "tears"], ["Sad", "5"]])}
    )
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 3000
    assert "nothing was imported" in response.content.decode()
    assert Rating.objects.get(member=member, work=work).tears == 2
    # Another member is not braked by jisoo's imports.
    owner_client.force_login(UserFactory(username="minho"))
    response = owner_client.post(
        "/u/minho/data/import/", {"file": csv_upload([["title", "tears"], ["Sad", "5"]])}
    )
    assert response.status_code == 302


def test_a_failed_import_does_not_count_against_the_brake(owner_client, member, settings):
    settings.KCRY_RATE_IMPORTS = (1, 3600)
    work = WorkFactory(title="Sad")
    Work.objects.filter(pk=work.pk).update(is_published=False)
    token = importing.sign_pairs(member=member, pairs=[(work.pk, 3)])
    response = owner_client.post("/u/jisoo/data/import/matched/", {"matched": token})
    assert response.status_code == 400
    Work.objects.filter(pk=work.pk).update(is_published=True)
    response = owner_client.post("/u/jisoo/data/import/matched/", {"matched": token})
    assert response.status_code == 302


# --- importing the rows that matched ----------------------------------------------------


def report(owner_client):
    rows = [["title", "tears"]] + [[f"Good {i}", str(i % 6)] for i in range(8)]
    rows.insert(4, ["Unknown Song", "3"])
    return owner_client.post("/u/jisoo/data/import/", {"file": csv_upload(rows)})


def matched_token(html):
    start = html.index('name="matched" value="') + len('name="matched" value="')
    return html[start : html.index('"', start)]


def test_a_report_offers_to_import_the_rows_that_matched_and_stores_nothing_yet(
    owner_client, member
):
    works = {work.title: work for work in (WorkFactory(title=f"Good {i}") for i in range(8))}
    response = report(owner_client)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Import the 8 that matched" in html
    assert 'action="/u/jisoo/data/import/matched/"' in html
    assert not Rating.objects.exists() and not WorkStats.objects.filter(n__gt=0).exists()

    response = owner_client.post("/u/jisoo/data/import/matched/", {"matched": matched_token(html)})
    assert response.status_code == 302 and response["Location"] == "/u/jisoo/data/"
    assert dict(Rating.objects.filter(member=member).values_list("work_id", "tears")) == {
        works[f"Good {i}"].pk: i % 6 for i in range(8)
    }
    assert recompute_all(fix=False) == []


def test_no_offer_when_nothing_matched(owner_client, member):
    response = owner_client.post(
        "/u/jisoo/data/import/", {"file": csv_upload([["title", "tears"], ["Nowhere", "3"]])}
    )
    assert response.status_code == 400
    assert 'name="matched"' not in response.content.decode()


def test_a_tampered_or_foreign_confirmation_stores_nothing(owner_client, member):
    work = WorkFactory(title="Good")
    other = UserFactory(username="minho")
    foreign = importing.sign_pairs(member=other, pairs=[(work.pk, 5)])
    good = importing.sign_pairs(member=member, pairs=[(work.pk, 5)])
    for token in (foreign, good[:-2] + "xx", "", "garbage"):
        response = owner_client.post("/u/jisoo/data/import/matched/", {"matched": token})
        assert response.status_code == 400
        assert "could not be confirmed" in response.content.decode()
    assert not Rating.objects.exists()


def test_an_old_confirmation_has_expired(owner_client, member, settings):
    work = WorkFactory(title="Good")
    token = importing.sign_pairs(member=member, pairs=[(work.pk, 5)])
    settings.KCRY_IMPORT_CONFIRM_SECONDS = -1
    response = owner_client.post("/u/jisoo/data/import/matched/", {"matched": token})
    assert response.status_code == 400
    assert "has expired" in response.content.decode()
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    "flat", [[1, 9], [1], [], [1, 2, 1, 3], ["1", 2], [True, 2], {"a": 1}, [1, 2] * 6]
)
def test_a_confirmation_is_checked_even_when_signed(owner_client, member, settings, flat):
    settings.KCRY_IMPORT_MAX_ROWS = 5
    WorkFactory(title="Good")
    token = signing.dumps(flat, salt=f"votes.importing.matched:{member.pk}", compress=True)
    response = owner_client.post("/u/jisoo/data/import/matched/", {"matched": token})
    assert response.status_code == 400
    assert not Rating.objects.exists()


def test_the_confirmation_is_for_its_owner_only(client, member):
    client.force_login(UserFactory(username="minho"))
    assert client.post("/u/jisoo/data/import/matched/", {"matched": "x"}).status_code == 403
    assert client.get("/u/minho/data/import/matched/").status_code == 405
