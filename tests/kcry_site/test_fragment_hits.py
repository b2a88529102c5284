"""Members' pages served from their cached fragments read none of the rows they show.

The cards, rows and pagination of home, the works index, search, the rankings, a list
and a diary are kept per content notes a member folds (catalog.selectors.fold_key), not
per folded poster, so picking the cached copy needs no read of its works; what each
member folds still differs, and follows a vote on a note at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import NotePreference
from tests.factories import (
    ContentNoteFactory,
    EditorialListFactory,
    ListEntryFactory,
    UserFactory,
    WorkFactory,
    note_vote,
    rate,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    user = UserFactory(username="minji")
    client.force_login(user)
    return user


@pytest.fixture
def community(member):
    works = [WorkFactory(title=f"Rain Letter {i}", year=2000 + i) for i in range(6)]
    ListEntryFactory(editorial_list=EditorialListFactory(slug="rain"), works=works[:3])
    for number, work in enumerate(works):
        rate(member, work, number % 6)
        rate(UserFactory(), work, (number + 2) % 6)
    return works


# Per page, the tables a cached copy must not read again.
PAGES = [
    ("/", ["catalog_work"]),
    ("/works/", ["catalog_work"]),
    ("/works/?kind=mv&page=1", ["catalog_work"]),
    ("/search/?q=rain", ["catalog_work", "catalog_person"]),
    ("/rankings/", ["catalog_work", "votes_workstats", "votes_rankingbaseline"]),
    ("/lists/rain/", ["catalog_listentry", "catalog_work", "votes_workstats"]),
    ("/u/minji/", ["votes_rating"]),
]


@pytest.mark.parametrize(("path", "tables"), PAGES)
def test_a_cached_page_reads_none_of_its_rows(client, member, community, path, tables):
    first = client.get(path)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        again = client.get(path)
    assert again.status_code == 200
    read = [q["sql"] for q in captured.captured_queries]
    for table in tables:
        assert not [sql for sql in read if f'"{table}"' in sql], (table, read)


@pytest.mark.parametrize("path", ["/works/", "/", "/search/?q=rain", "/rankings/", "/lists/rain/"])
def test_members_who_fold_different_notes_each_see_their_own_cards(client, community, path):
    note = ContentNoteFactory(slug="suicide", name="Suicide")
    shown = community[0]
    shown.poster_thumb = "posters/thumbs/rain.jpg"
    shown.save()
    shown.content_notes.add(note)
    careful, relaxed = UserFactory(), UserFactory()
    NotePreference.objects.create(member=careful, note=note)

    client.force_login(relaxed)  # fills the cache first
    assert "posters/thumbs/rain.jpg" in client.get(path).content.decode()
    client.force_login(careful)
    body = client.get(path).content.decode()
    assert "posters/thumbs/rain.jpg" not in body and "Poster folded: content note" in body
    client.force_login(relaxed)
    body = client.get(path).content.decode()
    assert "posters/thumbs/rain.jpg" in body and "Poster folded" not in body


def test_a_vote_that_gives_a_work_a_note_folds_its_poster_at_once(client, member, community):
    note = ContentNoteFactory(slug="suicide", name="Suicide")
    work = community[0]
    work.poster_thumb = "posters/thumbs/rain.jpg"
    work.save()
    NotePreference.objects.create(member=member, note=note)
    note_vote(UserFactory(), work, note, True)
    note_vote(UserFactory(), work, note, False)  # a tie: the work does not carry it
    assert "posters/thumbs/rain.jpg" in client.get("/works/").content.decode()

    note_vote(UserFactory(), work, note, True)  # now more members say it does

    body = client.get("/works/").content.decode()
    assert "posters/thumbs/rain.jpg" not in body and "Poster folded: content note" in body


@pytest.mark.parametrize("path", ["/works/", "/rankings/", "/u/minji/"])
def test_a_page_past_the_last_is_not_found_beside_a_cached_first_page(
    client, member, community, path
):
    assert client.get(path).status_code == 200
    assert client.get(path, {"page": "99"}).status_code == 404
    assert client.get(path, {"page": "abc"}).status_code == 400


def test_compare_suggestions_are_read_once_per_member(client, member, community):
    other = UserFactory(username="jiwoo")
    rate(other, community[0], 5)
    first = client.get("/u/minji/").content.decode()
    assert '<option value="jiwoo">' in first
    with CaptureQueriesContext(connection) as captured:
        client.get("/u/minji/")
    grouped = [q["sql"] for q in captured.captured_queries if "GROUP BY" in q["sql"]]
    assert not grouped, grouped
