"""A thread renders with a fixed number of queries, whatever its size."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from comments.models import Comment, MeToo
from comments.selectors import thread_panel
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def build_thread(work, *, total, top_level, viewer):
    """`total` comments: `top_level` of them top-level, the rest in reply chains five deep."""
    authors = UserFactory.create_batch(12)
    tops = Comment.objects.bulk_create(
        Comment(work=work, author=authors[n % 12], body=f"top {n}", is_spoiler=n % 5 == 0)
        for n in range(top_level)
    )
    layer, made = tops, len(tops)
    while made < total:
        layer = Comment.objects.bulk_create(
            Comment(
                work=work,
                author=authors[(made + n) % 12],
                body=f"reply {made + n} https://example.com/{n}",
                parent=parent,
                root_id=parent.root_id or parent.pk,
                depth=parent.depth + 1,
                moment_seconds=n % 300,
            )
            for n, parent in enumerate(layer[: total - made])
        )
        made += len(layer)
        if layer[0].depth == 5:
            layer = tops
    MeToo.objects.bulk_create(MeToo(member=viewer, comment=c) for c in tops[::3])
    assert Comment.objects.filter(work=work).count() == total


def render_thread(work, viewer):
    request = RequestFactory().get(work.get_absolute_url())
    request.user = viewer
    panel = thread_panel(request, work)
    return render_to_string("comments/thread.html", panel, request=request)


@pytest.mark.parametrize("total", [50, 1000])
def test_thread_panel_uses_a_fixed_number_of_queries(mv, member, total, django_assert_num_queries):
    build_thread(mv, total=total, top_level=total // 10, viewer=member)
    # page count, page of top-level comments, their replies, the reader's marks, total
    with django_assert_num_queries(5):
        html = render_thread(mv, member)
    assert html.count('class="comment"') > 20


def test_work_page_queries_do_not_grow_with_the_thread(client, member):
    from tests.factories import WorkFactory

    small, large = (
        WorkFactory(video_url="https://youtu.be/x"),
        WorkFactory(video_url="https://youtu.be/y"),
    )
    build_thread(small, total=50, top_level=5, viewer=member)
    build_thread(large, total=1000, top_level=100, viewer=member)
    client.force_login(member)
    counts = []
    for work in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(work.get_absolute_url())
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
