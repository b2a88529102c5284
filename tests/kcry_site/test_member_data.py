import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from comments.services import comment_hide, comment_post
from tests.factories import (
    EditorialListFactory,
    UserFactory,
    WorkFactory,
    csv_upload,
    rate,
    react,
)
from tests.images import image_upload
from votes.models import Rating, WorkStats
from votes.services import rating_withdraw

pytestmark = pytest.mark.django_db


def read_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def figures():
    return sorted(WorkStats.objects.values_list("pk", "n", "total", "c0", "c3", "c5"))


URLS = [
    "/u/jisoo/data/",
    "/u/jisoo/data/ratings.csv",
    "/u/jisoo/data/comments.csv",
    "/u/jisoo/data/reactions.csv",
    "/u/jisoo/data/all.json",
]


@pytest.mark.parametrize("url", URLS)
def test_data_is_for_its_owner_only(client, member, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


def test_import_is_for_its_owner_only(client, member):
    WorkFactory(title="Sad")
    upload = csv_upload([["title", "tears"], ["Sad", "5"]])
    response = client.post("/u/jisoo/data/import/", {"file": upload})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(UserFactory())
    upload = csv_upload([["title", "tears"], ["Sad", "5"]])
    assert client.post("/u/jisoo/data/import/", {"file": upload}).status_code == 403
    assert not Rating.objects.exists()


def test_the_member_page_links_to_the_data_page(owner_client, member):
    assert "/u/jisoo/data/" in owner_client.get("/u/jisoo/").content.decode()


def test_data_page_offers_every_download_and_the_import_form(owner_client, member):
    rate(member, WorkFactory(), 4)
    response = owner_client.get("/u/jisoo/data/")
    html = response.content.decode()
    assert response.status_code == 200
    for url in URLS[1:]:
        assert f'href="{url}"' in html
    assert 'enctype="multipart/form-data"' in html
    assert '<label for="id_file">' in html
    assert response.context["counts"] == {
        "ratings": 1,
        "comments": 0,
        "reactions": 0,
        "watchlist": 0,
    }


def test_csv_downloads_hold_ratings_comments_and_reactions(owner_client, member):
    work = WorkFactory(slug="rain", title="Rain", title_ko="비")
    rate(member, work, 5)
    rate(UserFactory(), WorkFactory(), 2)  # someone else's
    comment_post(author=member, target=work, body='=HYPERLINK("x") cried', spoiler=True)
    hidden, _ = comment_post(author=member, target=work, body="Hidden one")
    comment_hide(comments=hidden, moderator=UserFactory(is_staff=True, is_superuser=True))
    comment_post(author=UserFactory(), target=work, body="Not mine")
    editorial_list = EditorialListFactory(slug="saddest", title="Saddest")
    react(member, editorial_list, "sobbing")

    ratings = read_csv(owner_client.get("/u/jisoo/data/ratings.csv"))
    assert [(r["work"], r["title_ko"], r["tears"]) for r in ratings] == [("rain", "비", "5")]

    response = owner_client.get("/u/jisoo/data/comments.csv")
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"].startswith("private")
    comments = read_csv(response)
    assert len(comments) == 2
    by_body = {row["body"]: row for row in comments}
    spoiler = by_body['\'=HYPERLINK("x") cried']  # not run as a formula
    assert (spoiler["on"], spoiler["target"], spoiler["spoiler"]) == ("work", "rain", "True")
    assert by_body["Hidden one"]["status"] == "hidden by moderators"

    reactions = read_csv(owner_client.get("/u/jisoo/data/reactions.csv"))
    assert [(r["list"], r["reaction"]) for r in reactions] == [("saddest", "sobbing")]


def test_unknown_download_is_404(owner_client, member):
    assert owner_client.get("/u/jisoo/data/passwords.csv").status_code == 404


def test_json_holds_everything_in_one_document(owner_client, member):
    work = WorkFactory(slug="rain", title="Rain", title_ko="비")
    rate(member, work, 3)
    comment_post(author=member, target=work, body="비가 오면 생각나")
    react(member, EditorialListFactory(slug="saddest"), "moved")
    response = owner_client.get("/u/jisoo/data/all.json")
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert "비가 오면" in response.content.decode()  # readable, not \uXXXX
    data = json.loads(response.content)
    assert set(data) == {
        "member",
        "exported_at",
        "ratings",
        "comments",
        "reactions",
        "watchlist",
    }
    assert data["member"] == "jisoo"
    assert [(r["work"], r["tears"], r["year"]) for r in data["ratings"]] == [("rain", 3, 2012)]
    assert [c["body"] for c in data["comments"]] == ["비가 오면 생각나"]
    assert [r["reaction"] for r in data["reactions"]] == ["moved"]


def test_export_then_import_round_trips(owner_client, member):
    works = [WorkFactory(title=f"Song {n}") for n in range(3)]
    for tears, work in enumerate(works):
        rate(member, work, tears)
    exported = owner_client.get("/u/jisoo/data/ratings.csv").content
    rating_withdraw(member=member, work=works[2])
    upload = SimpleUploadedFile("back.csv", exported, content_type="text/csv")
    response = owner_client.post("/u/jisoo/data/import/", {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "Imported 3 ratings: 1 new, 0 changed, 2 already as in the file." in (
        response.content.decode()
    )
    assert dict(Rating.objects.filter(member=member).values_list("work", "tears")) == {
        work.pk: tears for tears, work in enumerate(works)
    }


def test_import_stores_ratings_and_figures(owner_client, member):
    first, second = WorkFactory(title="First Tears"), WorkFactory(title="Second Tears")
    rate(UserFactory(), first, 1)
    upload = csv_upload(
        [
            ["title", "artist", "year", "tears"],
            ["first tears", "", "2012", "5"],
            ["Second Tears", "", "", "3"],
        ]
    )
    response = owner_client.post("/u/jisoo/data/import/", {"file": upload})
    assert response.status_code == 302 and response["Location"] == "/u/jisoo/data/"
    stats = WorkStats.objects.get(pk=first.pk)
    assert (stats.n, stats.total, stats.counts) == (2, 6, [0, 1, 0, 0, 0, 1])
    assert WorkStats.objects.get(pk=second.pk).n == 1


def test_a_malformed_file_stores_nothing(owner_client, member):
    work = WorkFactory(title="Sad")
    rate(UserFactory(), work, 3)
    before = (Rating.objects.count(), figures())
    fake = image_upload(name="ratings.csv")  # a PNG calling itself a CSV
    response = owner_client.post("/u/jisoo/data/import/", {"file": fake})
    assert response.status_code == 400
    assert "This is not a CSV file" in response.content.decode()
    assert (Rating.objects.count(), figures()) == before


def test_one_bad_row_stores_nothing_and_reports_every_problem(owner_client, member):
    good, other = WorkFactory(title="Good"), WorkFactory(title="Other")
    rate(member, other, 2)
    before = (Rating.objects.count(), figures())
    upload = csv_upload(
        [
            ["title", "tears"],
            ["Good", "5"],
            ["Nowhere Song", "3"],
            ["Other", "9"],
        ]
    )
    response = owner_client.post("/u/jisoo/data/import/", {"file": upload})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported: 2 of 3 rows could not be used." in html
    assert '<th scope="row">3</th><td>Nowhere Song</td><td>no work with this title on kcry' in html
    assert "tears: 9 is out of range (0 to 5)" in html
    assert (Rating.objects.count(), figures()) == before
    assert not Rating.objects.filter(work=good).exists()


def test_non_utf8_and_oversized_files_get_a_clear_error(owner_client, member, settings):
    WorkFactory(title="Sad")
    upload = csv_upload([["title", "tears"], ["슬픈", "3"]], encoding="cp949")
    response = owner_client.post("/u/jisoo/data/import/", {"file": upload})
    assert response.status_code == 400
    assert "not UTF-8" in response.content.decode()
    settings.KCRY_IMPORT_MAX_BYTES = 10
    upload = csv_upload([["title", "tears"], ["Sad", "3"]])
    response = owner_client.post("/u/jisoo/data/import/", {"file": upload})
    assert response.status_code == 400
    assert "an import can be at most 10 bytes" in response.content.decode()
    assert not Rating.objects.exists()


def test_import_needs_a_file_and_post(owner_client, member):
    response = owner_client.post("/u/jisoo/data/import/", {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert owner_client.get("/u/jisoo/data/import/").status_code == 405


def test_import_needs_the_csrf_token(member):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    WorkFactory(title="Sad")
    upload = csv_upload([["title", "tears"], ["Sad", "5"]])
    assert client.post("/u/jisoo/data/import/", {"file": upload}).status_code == 403
    assert not Rating.objects.exists()


def test_exports_need_a_bounded_number_of_queries(
    owner_client, member, settings, django_assert_max_num_queries
):
    settings.KCRY_COMMENT_RATE = (1000, 60)
    lists = [EditorialListFactory() for _ in range(3)]
    for n in range(30):
        work = WorkFactory()
        rate(member, work, n % 6)
        comment_post(author=member, target=work if n % 2 else lists[n % 3], body=f"Comment {n}")
    for editorial_list in lists:
        react(member, editorial_list, "moved")
    with django_assert_max_num_queries(8):
        data = owner_client.get("/u/jisoo/data/all.json").json()
    assert (len(data["ratings"]), len(data["comments"]), len(data["reactions"])) == (30, 30, 3)
    with django_assert_max_num_queries(8):
        assert owner_client.get("/u/jisoo/data/").status_code == 200


def test_an_oversized_upload_is_refused_in_korean_too(owner_client, member, settings):
    settings.KCRY_IMPORT_MAX_BYTES = 10
    owner_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    upload = csv_upload([["title", "tears"], ["Sad", "3"]])
    response = owner_client.post("/u/jisoo/data/import/", {"file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "an import can be at most" not in html
    assert "10" in html and "바이트" in html


@pytest.mark.parametrize(
    "path,name",
    [
        ("/u/지수/data/ratings.csv", "ratings.csv"),
        ("/u/지수/data/comments.csv", "comments.csv"),
        ("/u/지수/data/all.json", "all.json"),
    ],
)
def test_downloads_of_a_hangul_username_are_named_per_rfc_6266(client, path, name):
    from urllib.parse import unquote

    from django.utils import timezone

    client.force_login(UserFactory(username="지수"))
    header = client.get(path)["Content-Disposition"]
    assert header.isascii()
    # RFC 6266: an ASCII filename first for old clients, then the UTF-8 filename*.
    disposition, fallback, extended = header.split("; ")
    assert disposition == "attachment"
    what, extension = name.split(".")
    stamp = timezone.localdate().isoformat()
    assert fallback == f'filename="kcry-_-{what}-{stamp}.{extension}"'
    charset, encoded = extended.split("''")
    assert charset.lower() == "filename*=utf-8"
    assert unquote(encoded) == f"kcry-지수-{what}-{stamp}.{extension}"


def test_ascii_usernames_keep_a_plain_filename(owner_client):
    header = owner_client.get("/u/jisoo/data/all.json")["Content-Disposition"]
    assert header.startswith('attachment; filename="kcry-jisoo-all-') and "filename*" not in header


def test_importing_one_rating_says_rating_not_ratings(owner_client, member):
    WorkFactory(title="First Tears")
    upload = csv_upload([["title", "tears"], ["First Tears", "4"]])
    response = owner_client.post("/u/jisoo/data/import/", {"file": upload}, follow=True)
    assert "Imported 1 rating: 1 new, 0 changed, 0 already as in the file." in (
        response.content.decode()
    )
