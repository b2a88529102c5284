"""/moments/: the moments the most members cried at, across every work."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory, WorkFactory
from votes import services
from votes.models import TearBucket

pytestmark = pytest.mark.django_db


def test_the_most_marked_moments_come_first_and_link_to_the_player_there(client):
    song = WorkFactory(title="Haru Haru", video_url="https://www.youtube.com/watch?v=abcdefghijk")
    film = WorkFactory(title="Ode to My Father", kind="film", video_url="")
    members = UserFactory.create_batch(3)
    for member in members:
        services.tear_mark_add(member=member, work=film, at_seconds=7083)
    for member in members[:2]:
        services.tear_mark_add(member=member, work=song, at_seconds=187)
    page = client.get("/moments/").content.decode()
    assert page.index("Ode to My Father") < page.index("Haru Haru")
    assert "1:58:00–1:58:05 · 3 members cried here" in page
    assert f'href="{song.get_absolute_url()}#t=185"' in page
    # Without JavaScript: the video itself, at that second.
    assert "watch?v=abcdefghijk&amp;t=185s" in page


def test_unpublished_works_and_emptied_buckets_are_left_out(client):
    gone = WorkFactory(title="Withdrawn Ballad", is_published=False)
    kept = WorkFactory(title="Kept Ballad")
    member = UserFactory()
    TearBucket.objects.create(work=gone, start=10, count=9)
    services.tear_mark_add(member=member, work=kept, at_seconds=20)
    services.tear_mark_remove(member=member, work=kept, bucket=20)
    page = client.get("/moments/").content.decode()
    assert "Withdrawn Ballad" not in page and "Kept Ballad" not in page
    assert "No tears marked yet" in page


@pytest.mark.parametrize("buckets", [5, 500])
def test_the_page_costs_the_same_queries_whatever_the_marks(client, buckets):
    works = WorkFactory.create_batch(5)
    TearBucket.objects.bulk_create(
        TearBucket(work=works[n % 5], start=5 * (n // 5), count=1 + n % 37) for n in range(buckets)
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/moments/")
    assert response.status_code == 200
    assert response.content.decode().count("members cried here") + response.content.decode().count(
        "member cried here"
    ) == min(buckets, 50)
    assert len(queries) == 1
