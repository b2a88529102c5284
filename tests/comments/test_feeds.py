import html
import xml.etree.ElementTree as ET

import pytest
import time_machine

from catalog.models import Work
from comments.models import Comment
from comments.services import comment_delete, comment_hide, comment_post
from tests.factories import CommentFactory, WorkFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_items(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    return channel, channel.findall("item")


def test_rss_feed_lists_visible_comments_newest_first(client, film, member, other, moderator):
    with time_machine.travel("2025-03-01 12:00 +09:00", tick=False):
        old, _ = comment_post(author=member, target=film, body="The first time I saw it…")
    with time_machine.travel("2025-03-02 12:00 +09:00", tick=False):
        new, _ = comment_post(author=other, target=film, body="Saw it again <b>today</b>.")
        reply, _ = comment_post(author=member, target=film, body="Same here", parent=new)
    hidden, _ = comment_post(author=other, target=film, body="Rude words")
    comment_hide(comments=hidden, moderator=moderator)
    gone, _ = comment_post(author=member, target=film, body="Never mind")
    comment_delete(comment=gone, member=member)
    CommentFactory(work=WorkFactory(), body="Another work's thread")

    channel, items = rss_items(client.get("/works/ode-to-my-father/comments/feed/"))
    assert channel.findtext("title") == "Comments on Ode to My Father · kcry"
    assert channel.findtext("link").endswith("/works/ode-to-my-father/#comments")
    descriptions = [item.findtext("description") for item in items]
    assert len(items) == 3
    assert "Same here" in descriptions[0] and "The first time" in descriptions[2]
    assert not any("Rude words" in text or "Never mind" in text for text in descriptions)
    assert items[0].findtext("title") == "jiwoo replied"
    # Member text reaches feed readers as escaped HTML, never as markup.
    assert "&lt;b&gt;today&lt;/b&gt;" in descriptions[1]
    # Each item links to the comment's permalink.
    assert items[1].findtext("link").endswith(f"/comments/{new.pk}/")


def test_spoilers_stay_closed_in_the_feed(client, film, member):
    comment_post(author=member, target=film, body="He dies at the end.", spoiler=True)
    response = client.get("/works/ode-to-my-father/comments/feed/")
    _, items = rss_items(response)
    assert "He dies" not in response.content.decode()
    assert "Spoiler — open the thread to read" in items[0].findtext("description")
    assert items[0].findtext("title") == "jiwoo commented (spoiler)"


def test_atom_feed(client, mv, member):
    comment, _ = comment_post(
        author=member, target=mv, body="Tears at the chorus", moment_seconds=75
    )
    response = client.get("/works/haru-haru/comments/feed/atom/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    assert entries[0].find(f"{ATOM}link").get("href").endswith(f"/comments/{comment.pk}/")
    assert entries[0].find(f"{ATOM}author").findtext(f"{ATOM}name") == "jiwoo"
    summary = entries[0].findtext(f"{ATOM}summary")
    assert "Tears at 1:15" in summary and "Tears at the chorus" in summary


def test_feed_size_is_bounded(client, film, settings, django_assert_max_num_queries):
    settings.KCRY_COMMENT_FEED_ITEMS = 5
    for _ in range(8):
        CommentFactory(work=film)
    with django_assert_max_num_queries(2):
        _, items = rss_items(client.get("/works/ode-to-my-father/comments/feed/"))
    assert len(items) == 5


def test_feeds_of_unknown_or_unpublished_works_are_404(client):
    WorkFactory(slug="draft", is_published=False)
    assert client.get("/works/draft/comments/feed/").status_code == 404
    assert client.get("/works/nothing/comments/feed/atom/").status_code == 404


def test_work_page_links_its_comment_feeds(client, film):
    html = client.get("/works/ode-to-my-father/").content.decode()
    assert (
        '<a href="/works/ode-to-my-father/comments/feed/" rel="alternate" '
        'type="application/rss+xml">RSS</a>'
    ) in html
    assert 'href="/works/ode-to-my-father/comments/feed/atom/" rel="alternate"' in html


def test_list_threads_have_no_comment_feed_link(client):
    from tests.factories import EditorialListFactory

    EditorialListFactory(slug="saddest")
    assert "comments/feed/" not in client.get("/lists/saddest/").content.decode()


def test_feed_links_tag_gives_head_links(film):
    from django.template import Context, Template

    html = Template("{% load comments_tags %}{% comment_feed_links work %}").render(
        Context({"work": film})
    )
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Comments on Ode to My Father '
        '(RSS)" href="/works/ode-to-my-father/comments/feed/">'
    ) in html
    assert 'type="application/atom+xml"' in html


def test_a_former_members_comments_keep_a_sentence_of_their_own(client, film, member):
    top, _ = comment_post(author=member, target=film, body="Still crying")
    comment_post(author=member, target=film, body="Me as well", parent=top)
    Comment.objects.filter(author=member).update(author=None)
    _, items = rss_items(client.get("/works/ode-to-my-father/comments/feed/"))
    titles = sorted(item.findtext("title") for item in items)
    assert titles == ["A former member commented", "A former member replied"]


def test_the_feed_speaks_korean_to_a_korean_reader(client, mv, member, other):
    with time_machine.travel("2025-03-01 12:00 +09:00", tick=False):
        top, _ = comment_post(author=member, target=mv, body="후렴에서 울었어요", moment_seconds=75)
    with time_machine.travel("2025-03-02 12:00 +09:00", tick=False):
        comment_post(author=other, target=mv, body="저도요", parent=top, spoiler=True)

    response = client.get("/works/haru-haru/comments/feed/", headers={"accept-language": "ko"})
    channel, items = rss_items(response)
    title = mv.title
    assert channel.findtext("title") == f"{title} 댓글 · kcry"
    assert (
        channel.findtext("description")
        == f"kcry 회원들이 {title}에 남긴 댓글을 최신순으로 모았어요."
    )
    assert channel.findtext("language") == "ko"
    assert [item.findtext("title") for item in items] == [
        "minseo 님이 답글을 달았어요 (스포일러)",
        "jiwoo 님이 댓글을 남겼어요",
    ]
    assert "스포일러 — 스레드에서 펼쳐서 읽기" in items[0].findtext("description")
    assert "눈물 포인트: 1:15" in items[1].findtext("description")

    atom = client.get("/works/haru-haru/comments/feed/atom/", headers={"accept-language": "ko"})
    feed = ET.fromstring(atom.content)
    assert feed.findtext(f"{ATOM}title") == f"{title} 댓글 · kcry"
    assert feed.findtext(f"{ATOM}subtitle").startswith("kcry 회원들이")


def test_a_work_title_with_markup_reaches_feed_readers_as_text(client, member):
    # RSS readers render the channel's title and description as HTML; Atom's are text.
    WorkFactory(slug="marked", title="<script>alert(1)</script>")
    comment_post(author=member, target=Work.objects.get(slug="marked"), body="<b>wow</b>")
    rss = client.get("/works/marked/comments/feed/")
    channel, items = rss_items(rss)
    for text in [channel.findtext("title"), channel.findtext("description")]:
        assert "<script" not in text
        assert "<script>alert(1)</script>" in html.unescape(text)
    assert "<b>" not in items[0].findtext("description")
    atom = ET.fromstring(client.get("/works/marked/comments/feed/atom/").content)
    assert atom.findtext(f"{ATOM}title") == "Comments on <script>alert(1)</script> · kcry"
    assert atom.find(f"{ATOM}entry").find(f"{ATOM}summary").get("type") == "html"
    assert "<b>" not in atom.find(f"{ATOM}entry").findtext(f"{ATOM}summary")
