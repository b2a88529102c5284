import pytest

from tests.factories import CommentFactory, UserFactory, WorkFactory

pytestmark = pytest.mark.django_db


def test_a_comment_author_links_to_the_member_page(client):
    work = WorkFactory(slug="haru-haru")
    CommentFactory(work=work, author=UserFactory(username="mina"), body="So sad.")
    html = client.get("/works/haru-haru/").content.decode()
    assert '<a class="comment-author" href="/u/mina/">mina</a>' in html
