"""Feeds of new works and lists, the sitemap, and share tags on work and list pages."""

import html
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog.models import EditorialList, Work
from tests.factories import (
    CreditFactory,
    EditorialListFactory,
    ListEntryFactory,
    PersonFactory,
    WorkFactory,
)
from tests.images import image_upload

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def aged(model, obj, days):
    model.objects.filter(pk=obj.pk).update(created=timezone.now() - timedelta(days=days))


@pytest.fixture
def works():
    old = WorkFactory(title="Old Tears", slug="old-tears")
    new = WorkFactory(title="New Tears", title_ko="새 눈물", slug="new-tears", blurb="Fresh grief.")
    CreditFactory(work=new, person=PersonFactory(name="Lee Sora"))
    WorkFactory(title="Hidden Tears", slug="hidden-tears", is_published=False)
    aged(Work, old, 10)
    return old, new


def test_the_works_rss_feed_lists_published_works_newest_first(client, works):
    response = client.get(reverse("catalog:feed-works"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == ["New Tears (새 눈물) – Music video", "Old Tears – Music video"]
    first = channel.find("item")
    assert first.findtext("link") == "http://testserver/works/new-tears/"
    assert "Lee Sora" in first.findtext("description")
    assert "Fresh grief." in first.findtext("description")


def test_the_works_atom_feed_has_the_same_entries(client, works):
    response = client.get(reverse("catalog:feed-works-atom"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries][0].startswith("New Tears")
    assert len(entries) == 2
    assert entries[0].find(f"{ATOM}link").get("href") == "http://testserver/works/new-tears/"
    self_link = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link[0].get("href") == "http://testserver/feeds/works/atom/"


def test_the_list_feeds_show_published_lists_newest_first(client):
    old = EditorialListFactory(title="Old List", intro="From long ago.")
    EditorialListFactory(title="New List")
    EditorialListFactory(title="Draft List", is_published=False)
    aged(EditorialList, old, 3)
    rss = ET.fromstring(client.get(reverse("catalog:feed-lists")).content)
    items = rss.find("channel").findall("item")
    assert [item.findtext("title") for item in items] == ["New List", "Old List"]
    assert items[1].findtext("description") == "From long ago."
    atom = ET.fromstring(client.get(reverse("catalog:feed-lists-atom")).content)
    assert len(atom.findall(f"{ATOM}entry")) == 2


def test_feeds_cost_the_same_queries_with_more_works(client):
    def cost():
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("catalog:feed-works"))
        return len(captured)

    for _ in range(2):
        CreditFactory(work=WorkFactory())
    small = cost()
    for _ in range(12):
        CreditFactory(work=WorkFactory())
    assert cost() == small


def test_every_page_links_the_feeds_in_its_head(client):
    body = client.get(reverse("catalog:works")).content.decode()
    head = body[: body.index("</head>")]
    for name, kind in [
        ("catalog:feed-works", "rss"),
        ("catalog:feed-works-atom", "atom"),
        ("catalog:feed-lists", "rss"),
        ("catalog:feed-lists-atom", "atom"),
    ]:
        assert (
            f'<link rel="alternate" type="application/{kind}+xml"' in head
            and f'href="{reverse(name)}"' in head
        )


def test_the_sitemap_has_works_people_lists_and_pages_but_nothing_hidden(client, works):
    person = PersonFactory(slug="lee-sora-2")
    EditorialListFactory(slug="sad-list")
    EditorialListFactory(slug="draft-list", is_published=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urls = []
    for section in ET.fromstring(response.content).iter(f"{SITEMAP}loc"):
        page = client.get(section.text.removeprefix("http://testserver"))
        assert page.status_code == 200
        urls += [loc.text for loc in ET.fromstring(page.content).iter(f"{SITEMAP}loc")]
    base = "http://testserver"
    for path in [
        "/",
        "/works/",
        "/lists/",
        "/rankings/",
        "/works/new-tears/",
        "/works/old-tears/",
        "/lists/sad-list/",
        person.get_absolute_url(),
    ]:
        assert base + path in urls, path
    assert base + "/works/hidden-tears/" not in urls
    assert base + "/lists/draft-list/" not in urls


# --- share tags ----------------------------------------------------------------------------


def meta(body, key):
    """The content of <meta property|name="key">, or None."""
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', body)
    return found.group(1) if found else None


def test_a_work_page_has_open_graph_and_twitter_tags(client, works):
    _, work = works
    body = client.get(work.get_absolute_url()).content.decode()
    head = body[: body.index("</head>")]
    assert meta(head, "og:title") == "New Tears (새 눈물)"
    assert meta(head, "og:description") == "Fresh grief."
    assert meta(head, "og:type") == "video.other"
    assert meta(head, "og:url") == "http://testserver/works/new-tears/"
    # The share card (drawn by votes) is the image, poster or not.
    assert meta(head, "og:image") == "http://testserver/works/new-tears/card.png"
    assert meta(head, "twitter:card") == "summary_large_image"
    assert client.get("/works/new-tears/card.png")["Content-Type"] == "image/png"


def test_a_work_with_a_poster_still_shares_its_card(client):
    work = WorkFactory(kind="film", slug="with-poster", poster=image_upload())
    head = client.get(work.get_absolute_url()).content.decode().split("</head>")[0]
    assert meta(head, "og:image") == "http://testserver/works/with-poster/card.png"
    assert meta(head, "og:image:alt") == f"Share card of {work.title}"
    assert meta(head, "og:type") == "video.movie"


def test_a_list_page_has_share_tags_with_its_top_poster(client):
    editorial_list = EditorialListFactory(slug="share-me", title="Share Me", intro="Cry with us.")
    plain = WorkFactory()
    with_poster = WorkFactory(poster=image_upload())
    ListEntryFactory(editorial_list=editorial_list, position=2, works=[with_poster])
    ListEntryFactory(editorial_list=editorial_list, position=1, works=[plain])
    head = client.get(editorial_list.get_absolute_url()).content.decode().split("</head>")[0]
    assert meta(head, "og:title") == "Share Me"
    assert meta(head, "og:type") == "article"
    assert meta(head, "og:description") == "Cry with us."
    assert meta(head, "og:url") == "http://testserver/lists/share-me/"
    assert meta(head, "og:image") == f"http://testserver{with_poster.poster.url}"


def test_share_tags_escape_titles(client):
    work = WorkFactory(title='Tears "and" <Rain>', slug="escaped")
    head = client.get(work.get_absolute_url()).content.decode().split("</head>")[0]
    assert meta(head, "og:title") == "Tears &quot;and&quot; &lt;Rain&gt;"


def test_the_feeds_are_titled_in_the_readers_language(client, works):
    korean = {"accept-language": "ko"}
    channel = ET.fromstring(client.get(reverse("catalog:feed-works"), headers=korean).content)
    channel = channel.find("channel")
    assert channel.findtext("title") == "kcry: 새 작품"
    assert (
        channel.findtext("description")
        == "kcry에 새로 들어온 한국 뮤직비디오, 노래, 영화, 드라마예요."
    )
    # Item titles carry the kind's label, which follows the language too.
    assert channel.find("item").findtext("title") == "New Tears (새 눈물) – 뮤직비디오"
    atom = ET.fromstring(client.get(reverse("catalog:feed-lists-atom"), headers=korean).content)
    assert atom.findtext(f"{ATOM}title") == "kcry: 새 목록"
    assert (
        atom.findtext(f"{ATOM}subtitle")
        == "가장 슬픈 한국 작품을 모은 에디터 목록을 최신순으로 보여 줘요."
    )
    # The class-level titles are lazy, so English readers still get English afterwards.
    english = ET.fromstring(client.get(reverse("catalog:feed-lists")).content).find("channel")
    assert english.findtext("title") == "kcry: new lists"
    assert english.findtext("description").startswith("Editorial lists of the saddest")


# --- markup from staff never reaches a feed reader as HTML ----------------------------------

MARKUP = "<script>alert(1)</script>"
HEADLINE = '<img src=x onerror="alert(2)">'


def html_parts(response):
    """Every piece of a feed a reader renders as HTML, with what it must read as text.

    RSS titles and descriptions are HTML to most readers; in Atom, titles are plain text
    (no type: "text") and summaries say type="html"."""
    root = ET.fromstring(response.content)
    if root.tag == "rss":
        channel = root.find("channel")
        for element in [channel, *channel.findall("item")]:
            yield element.findtext("title")
            yield element.findtext("description")
    else:
        for entry in root.findall(f"{ATOM}entry"):
            assert entry.find(f"{ATOM}title").get("type", "text") == "text"
            summary = entry.find(f"{ATOM}summary")
            assert summary.get("type") == "html"
            yield summary.text


@pytest.mark.parametrize(
    "feed",
    [
        "catalog:feed-works",
        "catalog:feed-works-atom",
        "catalog:feed-lists",
        "catalog:feed-lists-atom",
    ],
)
def test_titles_and_descriptions_reach_feed_readers_as_text_not_markup(client, feed):
    work = WorkFactory(title=f"Tears {MARKUP}", blurb=f"Sad & {MARKUP}")
    CreditFactory(work=work, person=PersonFactory(name=HEADLINE))
    EditorialListFactory(title=f"List {MARKUP}", intro=f"Intro {MARKUP}")
    response = client.get(reverse(feed))
    parts = list(html_parts(response))
    assert parts
    for part in parts:
        assert "<script" not in part and "<img" not in part, part
    text = "\n".join(html.unescape(part) for part in parts)
    assert MARKUP in text
    if "works" in feed:
        assert HEADLINE in text and "Sad & " in text
    root = ET.fromstring(response.content)
    if root.tag != "rss":
        # Atom titles are plain text, so they carry the title exactly as typed.
        titles = [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")]
        assert any(MARKUP in title for title in titles)


@pytest.mark.parametrize("count", [12, 30])
def test_sitemap_pages_are_bounded_in_urls_and_queries(client, settings, count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalog.models import Work

    settings.KCRY_SITEMAP_LIMIT = 10
    Work.objects.bulk_create(
        Work(title=f"W{i}", slug=f"w-{i}", is_published=True) for i in range(count)
    )
    index = client.get("/sitemap.xml")
    sections = [loc.text for loc in ET.fromstring(index.content).iter(f"{SITEMAP}loc")]
    work_pages = [url for url in sections if "sitemap-works.xml" in url]
    assert len(work_pages) == -(-count // 10)
    for url in work_pages:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url.removeprefix("http://testserver"))
        urls = list(ET.fromstring(page.content).iter(f"{SITEMAP}loc"))
        assert 0 < len(urls) <= 10
        assert len(captured) <= 3  # a count and one page of rows, whatever the size
        assert len(page.content) < 3000
