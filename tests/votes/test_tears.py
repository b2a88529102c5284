"""“I cried here” marks, their stored buckets, the tear map (SVG and API) and the player."""

import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.text import format_moment, parse_moment
from comments.services import comment_post
from kcry_site.accounts.services import member_delete
from kcry_site.web import versions
from tests.factories import UserFactory, WorkFactory
from votes import services
from votes.models import TearBucket, TearMark

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
VIMEO = "https://vimeo.com/76979871"


@pytest.fixture
def member(client):
    user = UserFactory(username="mina")
    client.force_login(user)
    return user


@pytest.fixture
def work():
    return WorkFactory(slug="haru-haru", title="Haru Haru", runtime_seconds=300, video_url=YOUTUBE)


def buckets(work):
    return dict(TearBucket.objects.filter(work=work, count__gt=0).values_list("start", "count"))


# --- parsing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "seconds"), [("187", 187), ("3:07", 187), ("03:07", 187), ("1:03:07", 3787), ("0", 0)]
)
def test_moments_parse_as_seconds_m_ss_or_h_mm_ss(raw, seconds):
    assert parse_moment(raw) == seconds


@pytest.mark.parametrize("raw", ["", "-3", "3:7", "3:75", "1:60:00", "3.5", "abc", "1:2:3:4", "٣"])
def test_other_moments_are_refused(raw):
    with pytest.raises(ValueError):
        parse_moment(raw)


def test_moments_format_back():
    assert (format_moment(187), format_moment(3787)) == ("3:07", "1:03:07")


# --- marking ------------------------------------------------------------------------------


def test_a_mark_is_stored_in_its_bucket(client, member, work):
    response = client.post("/works/haru-haru/tears/", {"at": "3:07"}, **JSON)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["created"] is True
    assert data["mark"] == {"bucket": 185, "at": 187}
    assert data["map"]["buckets"] == [{"start": 185, "end": 190, "count": 1}]
    assert TearMark.objects.get().bucket == 185
    assert buckets(work) == {185: 1}


def test_the_plain_form_redirects_back_to_the_map(client, member, work):
    response = client.post("/works/haru-haru/tears/", {"at": "12"})
    assert response.status_code == 302
    assert response["Location"] == "/works/haru-haru/#tear-map"


@pytest.mark.parametrize("raw", ["-1", "5:01", "garbage", "", "3:75", "99999999999"])
def test_bad_marks_are_refused_and_nothing_is_stored(client, member, work, raw):
    response = client.post("/works/haru-haru/tears/", {"at": raw}, **JSON)
    assert response.status_code == 400
    assert response.json()["error"].startswith("at:")
    assert not TearMark.objects.exists()
    assert not TearBucket.objects.exists()


def test_without_a_runtime_marks_may_go_to_four_hours(client, member):
    WorkFactory(slug="long-film", kind="film", runtime_seconds=None)
    assert client.post("/works/long-film/tears/", {"at": "4:00:00"}, **JSON).status_code == 200
    assert client.post("/works/long-film/tears/", {"at": "4:00:01"}, **JSON).status_code == 400
    assert TearMark.objects.count() == 1


def test_anonymous_visitors_are_asked_to_log_in(client, work):
    response = client.post("/works/haru-haru/tears/", {"at": "3:07"}, **JSON)
    assert response.status_code == 401
    assert not TearMark.objects.exists()


def test_a_second_tap_in_the_same_bucket_is_the_same_mark(client, member, work):
    client.post("/works/haru-haru/tears/", {"at": "3:06"}, **JSON)
    again = client.post("/works/haru-haru/tears/", {"at": "3:08"}, **JSON).json()
    assert again["created"] is False
    assert again["mark"] == {"bucket": 185, "at": 186}
    assert TearMark.objects.count() == 1
    assert buckets(work) == {185: 1}
    client.post("/works/haru-haru/tears/", {"at": "3:10"}, **JSON)  # the next bucket
    assert buckets(work) == {185: 1, 190: 1}


def test_a_mark_can_be_removed(client, member, work):
    client.post("/works/haru-haru/tears/", {"at": "3:07"}, **JSON)
    other = UserFactory()
    services.tear_mark_add(member=other, work=work, at_seconds=186)
    response = client.post("/works/haru-haru/tears/remove/", {"bucket": "185"}, **JSON)
    assert response.json()["removed"] is True
    assert buckets(work) == {185: 1}
    assert list(TearMark.objects.values_list("member", flat=True)) == [other.pk]
    again = client.post("/works/haru-haru/tears/remove/", {"bucket": "185"}, **JSON)
    assert again.json()["removed"] is False
    assert buckets(work) == {185: 1}
    bad = client.post("/works/haru-haru/tears/remove/", {"bucket": "x"}, **JSON)
    assert bad.status_code == 400


def test_a_member_sees_and_can_remove_their_own_marks_on_the_page(client, member, work):
    services.tear_mark_add(member=member, work=work, at_seconds=65)
    services.tear_mark_add(member=UserFactory(), work=work, at_seconds=200)
    html = client.get("/works/haru-haru/").content.decode()
    own = html.split('class="own-tears"')[1].split("</ul>")[0]
    assert "1:05" in own and "3:20" not in own
    assert 'action="/works/haru-haru/tears/remove/"' in own
    assert 'name="bucket" value="65"' in own


def test_a_comment_with_a_moment_is_a_mark_by_its_author(work):
    author = UserFactory()
    comment_post(author=author, target=work, body="Right here.", moment_seconds=187)
    comment_post(author=author, target=work, body="And here again.", moment_seconds=188)
    assert list(TearMark.objects.values_list("member", "bucket")) == [(author.pk, 185)]
    assert buckets(work) == {185: 1}
    # A moment past the runtime is refused with the comment: nothing is marked.
    with pytest.raises(ValidationError):
        comment_post(
            author=author, target=work, body="Late.", moment_seconds=work.runtime_seconds + 1
        )
    assert TearMark.objects.count() == 1


def test_forgetting_a_member_takes_their_marks_out_of_the_buckets(work):
    gone, stays = UserFactory(), UserFactory()
    services.tear_mark_add(member=gone, work=work, at_seconds=10)
    services.tear_mark_add(member=stays, work=work, at_seconds=11)
    member_delete(member=gone)
    assert buckets(work) == {10: 1}


# --- the map --------------------------------------------------------------------------------


def mark_many(work, per_bucket):
    """per_bucket: {start: count}; bulk-created marks and their buckets (and the work's
    version bumped, as tear_mark_add does: its page keeps the chart under it)."""
    versions.bump(versions.work(work.slug))
    members = UserFactory.create_batch(max(per_bucket.values()))
    TearMark.objects.bulk_create(
        TearMark(member=members[i], work=work, bucket=start, at_seconds=start)
        for start, count in per_bucket.items()
        for i in range(count)
    )
    TearBucket.objects.bulk_create(
        TearBucket(work=work, start=start, count=count) for start, count in per_bucket.items()
    )


def test_svg_and_api_agree_with_the_stored_buckets(client, work):
    mark_many(work, {0: 2, 185: 7, 240: 3})
    api = client.get("/api/works/haru-haru/tears/").json()
    assert api["buckets"] == [
        {"start": 0, "end": 5, "count": 2},
        {"start": 185, "end": 190, "count": 7},
        {"start": 240, "end": 245, "count": 3},
    ]
    assert (api["bucket_seconds"], api["total"]) == (5, 12)
    assert api["peak"] == {"start": 185, "end": 190, "count": 7}
    html = client.get("/works/haru-haru/").content.decode()
    svg = html.split('<svg class="tear-map-chart"')[1].split("</svg>")[0]
    bars = re.findall(r'data-start="(\d+)" data-count="(\d+)"', svg)
    assert [(int(s), int(c)) for s, c in bars] == [(0, 2), (185, 7), (240, 3)]
    assert "<title" in svg and "<desc" in svg
    # Over the runtime (300 s) in 600 units: 3:05 is at x=370, and the peak is full height.
    assert re.search(r'class="tear-bar tear-bar-peak" x="370.0" y="0.0" width="10.0"', svg)
    assert "most tears at 3:05–3:10 · 7 members" in html


def test_without_a_runtime_the_map_spans_to_the_last_marked_second(client):
    work = WorkFactory(slug="no-runtime", kind="film")
    mark_many(work, {95: 1})
    api = client.get("/api/works/no-runtime/tears/").json()
    assert api["span_seconds"] == 100 and api["runtime_seconds"] is None


def test_a_work_without_a_video_still_has_a_map(client):
    film = WorkFactory(slug="a-film", kind="film", video_url="", runtime_seconds=7200)
    html = client.get("/works/a-film/").content.decode()
    assert 'id="tear-map"' in html and "<svg" in html
    assert "data-player" not in html
    mark_many(film, {3600: 4})
    assert (
        "most tears at 1:00:00–1:00:05 · 4 members" in client.get("/works/a-film/").content.decode()
    )


def test_the_api_needs_no_login_and_404s_unknown_works(client, work):
    assert client.get("/api/works/haru-haru/tears/").status_code == 200
    assert client.get("/api/works/nope/tears/").status_code == 404


def test_the_work_page_costs_the_same_queries_with_10_and_100000_marks(client, work):
    member = UserFactory()
    client.force_login(member)
    services.tear_mark_add(member=member, work=work, at_seconds=3)

    def page_queries():
        # From an empty cache: the kept tear chart and thread would hide what rendering
        # them costs (and the marks below are written behind the services' backs).
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/works/haru-haru/").status_code == 200
        return len(captured)

    others = UserFactory.create_batch(2)
    TearMark.objects.bulk_create(
        TearMark(member=others[i % 2], work=work, bucket=b * 5, at_seconds=b * 5)
        for i, b in enumerate(range(1, 10))
    )
    TearBucket.objects.bulk_create(
        TearBucket(work=work, start=b * 5, count=1) for b in range(1, 10)
    )
    small = page_queries()
    # 100,000 marks: 60 buckets of the 300 s runtime, 1,667 members.
    crowd = UserFactory._meta.model.objects.bulk_create(
        UserFactory.build(username=f"crowd{i}") for i in range(1667)
    )
    TearMark.objects.bulk_create(
        (
            TearMark(member=crowd[i % 1667], work=work, bucket=(i // 1667) * 5, at_seconds=0)
            for i in range(100_000)
        ),
        batch_size=5000,
    )
    TearBucket.objects.filter(work=work).delete()
    TearBucket.objects.bulk_create(
        TearBucket(work=work, start=s * 5, count=1667) for s in range(60)
    )
    assert TearMark.objects.count() > 100_000
    assert page_queries() == small


# --- the player -------------------------------------------------------------------------------


def test_the_page_before_the_click_loads_nothing_from_a_third_party(client, work):
    html = client.get("/works/haru-haru/").content.decode()
    assert "<iframe" not in html.lower()
    assert 'data-provider="youtube" data-video-id="dQw4w9WgXcQ"' in html
    urls = re.findall(r"""(?:src|href|action|srcset|data)=["']?([^"' >]+)""", html)
    third_party = [u for u in urls if u.startswith(("http:", "https:", "//"))]
    assert third_party and all(u == YOUTUBE.replace("&", "&amp;") for u in third_party)
    # Any other mention of a third-party host would be outside a link's href.
    assert html.count("youtube.com") == html.count(YOUTUBE)
    assert "youtube-nocookie" not in html and "vimeo" not in html


def test_the_player_script_is_our_own(client, work):
    html = client.get("/works/haru-haru/").content.decode()
    scripts = re.findall(r"<script[^>]*src=\"([^\"]+)\"", html)
    assert any(s.endswith("player.js") for s in scripts)
    assert all(s.startswith("/") and not s.startswith("//") for s in scripts)


def test_csp_allows_exactly_the_two_privacy_enhanced_frame_origins(client, work):
    policy = client.get("/works/haru-haru/")["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert sorted(directives["frame-src"]) == [
        "https://player.vimeo.com",
        "https://www.youtube-nocookie.com",
    ]
    assert directives["script-src"] == ["'self'"]
    assert "child-src" not in directives


def test_vimeo_works_get_the_vimeo_player(client):
    WorkFactory(slug="vimeo-mv", video_url=VIMEO)
    html = client.get("/works/vimeo-mv/").content.decode()
    assert 'data-provider="vimeo" data-video-id="76979871"' in html


def test_a_guarded_work_offers_the_player_only_inside_the_guard(client, member, work):
    from catalog.models import ContentNote, NotePreference

    note = ContentNote.objects.create(name="Self-harm", slug="self-harm")
    work.content_notes.add(note)
    NotePreference.objects.create(member=member, note=note)
    html = client.get("/works/haru-haru/").content.decode()
    guard = html.split('<details class="note-guard">')[1].split("</details>")[0]
    assert "data-player data-provider" in guard
    assert html.count("data-player data-provider") == 1


def test_comment_moment_links_carry_the_second_to_seek(client, member, work):
    comment_post(author=member, target=work, body="Here.", moment_seconds=187)
    html = client.get("/works/haru-haru/").content.decode()
    assert 'data-seek="187"' in html
    assert "t=187s" in html  # without JavaScript the link opens the video at that second


def test_the_tear_chart_is_kept_until_a_mark_changes_it(client, work):
    member = UserFactory()
    client.force_login(member)

    def chart_rendered():
        page = client.get("/works/haru-haru/")
        return "votes/_tear_chart.html" in [t.name for t in page.templates], page

    assert chart_rendered()[0]
    assert not chart_rendered()[0]
    client.post("/works/haru-haru/tears/", {"at": "1:05"})
    fresh, page = chart_rendered()
    assert fresh and "1 tear mark in all" in page.content.decode()
    # The member's own marks stay live below the kept chart.
    assert 'name="bucket" value="65"' in page.content.decode()
    leaving = UserFactory()
    services.tear_mark_add(member=leaving, work=work, at_seconds=70)
    assert "2 tear marks in all" in chart_rendered()[1].content.decode()
    member_delete(member=leaving)
    assert "1 tear mark in all" in chart_rendered()[1].content.decode()
