"""The interface in English and Korean: Django's language switch, the cookie that keeps
the choice, Accept-Language on a first visit, and the anonymous page cache per language."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory, WorkFactory, csv_upload

LOCALE = Path(settings.BASE_DIR) / "locale" / "ko" / "LC_MESSAGES"
SET_LANGUAGE = "/i18n/setlang/"
COOKIE = settings.LANGUAGE_COOKIE_NAME


def html_lang(response):
    return re.search(r'<html lang="([^"]+)">', response.content.decode())[1]


def switch(client, language, next_url="/"):
    return client.post(SET_LANGUAGE, {"language": language, "next": next_url})


def test_the_switch_is_djangos_set_language_at_the_public_address():
    assert reverse("set_language") == SET_LANGUAGE


@pytest.mark.django_db
def test_english_is_the_default(client):
    response = client.get("/")
    assert html_lang(response) == "en"
    assert response["Content-Language"] == "en"
    html = response.content.decode()
    for text in ("Lists", "Rankings", "Log in", "Sign up", "Skip to content"):
        assert text in html


@pytest.mark.django_db
def test_every_page_has_a_labelled_language_form_back_to_the_same_page(client):
    html = client.get("/works/?kind=film").content.decode()
    form = re.search(r'<form class="language-form".*?</form>', html, re.S)[0]
    assert f'action="{SET_LANGUAGE}"' in form and 'method="post"' in form
    assert '<label for="language-select">Language</label>' in form
    assert '<select id="language-select" name="language">' in form
    assert '<option value="en" lang="en" selected>English</option>' in form
    assert '<option value="ko" lang="ko">한국어</option>' in form
    assert '<input type="hidden" name="next" value="/works/?kind=film">' in form
    assert '<button type="submit">' in form


@pytest.mark.django_db
def test_switching_to_korean_makes_later_pages_korean(client):
    response = switch(client, "ko", "/lists/")
    assert response.status_code == 302
    assert response["Location"] == "/lists/"
    assert client.cookies[COOKIE].value == "ko"

    response = client.get("/lists/")
    assert html_lang(response) == "ko"
    assert response["Content-Language"] == "ko"
    html = response.content.decode()
    for text in ("목록", "작품", "순위", "로그인", "회원가입", "본문으로 건너뛰기", "에디터 목록"):
        assert text in html
    assert ">Rankings<" not in html
    assert '<option value="ko" lang="ko" selected>한국어</option>' in html


@pytest.mark.django_db
def test_the_choice_persists_across_requests_and_pages(client):
    switch(client, "ko")
    WorkFactory(title="Spring Day", kind="song")
    for url in ("/", "/works/", "/rankings/", "/search/?q=spring", "/accounts/login/"):
        response = client.get(url)
        assert html_lang(response) == "ko", url
    # Model choice labels follow the language too; content (titles) stays as it is.
    html = client.get("/works/").content.decode()
    assert "Spring Day" in html and "노래" in html


@pytest.mark.django_db
def test_switching_back_to_english(client):
    switch(client, "ko")
    assert html_lang(client.get("/")) == "ko"
    response = switch(client, "en", "/rankings/")
    assert response["Location"] == "/rankings/"
    assert client.cookies[COOKIE].value == "en"
    response = client.get("/rankings/")
    assert html_lang(response) == "en"
    assert "Community rankings" in response.content.decode()


@pytest.mark.django_db
def test_accept_language_korean_is_honoured_on_a_first_visit(client):
    response = client.get("/", headers={"accept-language": "ko-KR,ko;q=0.9,en;q=0.5"})
    assert html_lang(response) == "ko"
    assert "어떤 한국 이야기에 울었나요?" in response.content.decode()


@pytest.mark.django_db
def test_a_chosen_language_wins_over_accept_language(client):
    switch(client, "en")
    response = client.get("/", headers={"accept-language": "ko"})
    assert html_lang(response) == "en"


@pytest.mark.django_db
def test_an_unknown_language_code_is_ignored(client):
    response = switch(client, "xx", "/works/")
    assert response.status_code == 302
    assert COOKIE not in client.cookies
    assert html_lang(client.get("/works/")) == "en"

    switch(client, "ko")
    switch(client, "klingon")
    assert client.cookies[COOKIE].value == "ko"
    assert html_lang(client.get("/")) == "ko"


@pytest.mark.django_db
def test_the_switch_never_redirects_off_the_site(client):
    response = switch(client, "ko", "https://evil.example/")
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_the_switch_needs_no_token_so_anonymous_pages_stay_cacheable():
    client = Client(enforce_csrf_checks=True)
    page = client.get("/")
    assert "csrftoken" not in page.cookies
    assert "csrfmiddlewaretoken" not in page.content.decode()
    assert switch(client, "ko").status_code == 302
    assert html_lang(client.get("/")) == "ko"


@pytest.mark.django_db
def test_a_member_can_switch_and_messages_come_in_korean(client):
    member = UserFactory()
    work = WorkFactory(title="Spring Day", kind="song")
    client.force_login(member)
    switch(client, "ko")
    response = client.post(reverse("votes:rate", args=[work.slug]), {"tears": "5"}, follow=True)
    html = response.content.decode()
    assert "Spring Day 평가: 5 – 오열." in html
    assert "로그아웃" in html


@pytest.mark.django_db
def test_tear_levels_are_translated_on_the_work_page(client):
    work = WorkFactory()
    switch(client, "ko")
    html = client.get(work.get_absolute_url()).content.decode()
    for label in ("눈물 없음", "글썽", "눈물 한 방울", "촉촉", "울음", "오열"):
        assert label in html


@pytest.mark.django_db
def test_the_page_cache_keeps_one_copy_per_language(settings, django_assert_num_queries):
    settings.CACHE_MIDDLEWARE_SECONDS = 60
    WorkFactory(title="Spring Day")
    english, korean_by_header, korean_by_cookie = Client(), Client(), Client()
    switch(korean_by_cookie, "ko")

    assert html_lang(english.get("/")) == "en"  # rendered and cached in English
    first_korean = korean_by_header.get("/", headers={"accept-language": "ko"})
    assert html_lang(first_korean) == "ko"  # not the cached English page
    assert html_lang(korean_by_cookie.get("/")) == "ko"

    # Each language's copy is now served from the cache, to the right visitors.
    with django_assert_num_queries(0):
        again_english = Client().get("/")
        again_korean = Client().get("/", headers={"accept-language": "ko"})
    assert html_lang(again_english) == "en"
    assert html_lang(again_korean) == "ko"
    assert "Rankings" in again_english.content.decode()
    assert "순위" in again_korean.content.decode()


@pytest.mark.django_db
def test_a_ratings_import_reports_its_problems_in_korean(client):
    member = UserFactory(username="jisoo")
    WorkFactory(title="Spring Day")
    client.force_login(member)
    switch(client, "ko")
    url = reverse("member-data-import", args=["jisoo"])

    unreadable = csv_upload([["name", "score"], ["Spring Day", "3"]])
    response = client.post(url, {"file": unreadable})
    assert response.status_code == 400
    html = response.content.decode()
    assert "평가 CSV 파일이 아니에요." in html and "(빠진 열: title, tears)" in html
    assert "This is not a ratings CSV" not in html

    bad_rows = csv_upload([["title", "tears"], ["Spring Day", "9"], ["Nowhere", "3"]])
    html = client.post(url, {"file": bad_rows}).content.decode()
    assert "tears: 9은(는) 범위를 벗어났어요 (0에서 5)" in html
    assert "<td>Nowhere</td><td>kcry에 이 제목의 작품이 없어요</td>" in html
    assert "out of range" not in html


@pytest.mark.django_db
def test_feeds_follow_the_chosen_language(client):
    work = WorkFactory(title="Spring Day", slug="spring-day")
    switch(client, "ko")
    works_feed = client.get(reverse("catalog:feed-works")).content.decode()
    assert "<title>kcry: 새 작품</title>" in works_feed
    comments_feed = client.get(reverse("comments:work-feed", args=[work.slug])).content.decode()
    assert "<title>Spring Day 댓글 · kcry</title>" in comments_feed


def test_korean_catalog_is_complete_and_compiled():
    po = (LOCALE / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in po
    # Only the header has an empty msgstr (followed by its continuation lines).
    assert len(re.findall(r'^msgstr(\[0\])? ""\n(?!")', po, re.M)) == 0
    with (LOCALE / "django.mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog
    entries = len(re.findall(r"^msgid ", po, re.M)) - 1  # minus the header
    assert len(catalog) - 1 == entries, "django.mo is out of date: run compilemessages"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/people/nope/", "/lists/nope/", "/u/nobody/", "/works/nope/card.png"]
)
@pytest.mark.parametrize("language", ["en", "ko"])
def test_not_found_pages_never_name_code_objects(client, path, language):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    body = response.content.decode()
    for code_words in ("matches the given query", "쿼리", "EditorialList", "person가", "User"):
        assert code_words not in body
    expected = "Nothing here" if language == "en" else "없"
    assert expected in body


@pytest.mark.django_db
def test_content_notes_and_taken_usernames_read_naturally_in_korean(client, founding_lists):
    from catalog.models import ContentNote, Work
    from tests.factories import UserFactory

    work = Work.objects.filter(content_notes__isnull=False).first()
    note = work.content_notes.first()
    assert note.name_ko
    page = client.get(work.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert note.name_ko in page
    english = client.get(work.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert note.name in english and note.name_ko not in english
    assert ContentNote.objects.exclude(name_ko="").count() == ContentNote.objects.count()

    UserFactory(username="mina")
    answer = client.post(
        "/accounts/signup/",
        {
            "username": "mina",
            "email": "m@example.com",
            "password1": "a-long-sad-ballad-77",
            "password2": "a-long-sad-ballad-77",
        },
        HTTP_ACCEPT_LANGUAGE="ko",
    ).content.decode()
    assert "와/과" not in answer and "이미 쓰고 있는 사용자 이름이에요" in answer
