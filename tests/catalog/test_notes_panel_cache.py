"""The work page's content-notes panel: what is the same for everyone (the notes, their
counts and order) is kept under the work's and the site's versions; each member's votes
and folded notes are read live beside it."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog import services
from catalog.models import NotePreference
from tests.factories import ContentNoteFactory, UserFactory, WorkFactory, note_vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def work():
    return WorkFactory(slug="focus", title="Focus")


@pytest.fixture
def grief():
    return ContentNoteFactory(slug="grief", name="Grief", name_ko="슬픔")


def member_client(member=None):
    client = Client()
    client.force_login(member or UserFactory())
    return client


def page(client, **headers):
    response = client.get("/works/focus/", **headers)
    assert response.status_code == 200
    return response.content.decode()


def notes_html(body):
    return body.split('id="content-notes"', 1)[1].split("</details>", 1)[0]


def panel_read(captured):
    """The read of the notes as they stand for the work (the shared part)."""
    return [q for q in captured if 'FROM "catalog_contentnote"' in q["sql"]]


def test_the_second_request_takes_the_notes_from_the_cache(client, work, grief):
    note_vote(UserFactory(), work, grief, True)
    with CaptureQueriesContext(connection) as first:
        page(client)
    with CaptureQueriesContext(connection) as second:
        body = page(client)
    assert len(panel_read(first)) == 1
    assert panel_read(second) == []
    assert "1 yes · 0 no" in notes_html(body)
    # A member after the visitor reads their own vote, not the notes again.
    with CaptureQueriesContext(connection) as member:
        page(member_client())
    assert panel_read(member) == []


def test_a_vote_by_another_member_shows_at_once(work, grief):
    viewer = member_client()
    note_vote(UserFactory(), work, grief, True)
    assert "1 yes · 0 no" in notes_html(page(viewer))
    note_vote(UserFactory(), work, grief, False)
    assert "1 yes · 1 no" in notes_html(page(viewer))
    note_vote(UserFactory(), work, grief, False)
    html = notes_html(page(viewer))
    assert "1 yes · 2 no" in html and "not confirmed" in html


def test_staff_edits_show_at_once(client, work, grief):
    from catalog.models import WorkNote

    assert "No content notes for this work yet." in notes_html(page(client))
    work.content_notes.add(grief)  # as the admin's form saves it
    html = notes_html(page(client))
    assert "confirmed by staff" in html and "Grief" in html
    # Locking from the admin's list (a bulk update, which sends no signal).
    note_vote(UserFactory(), work, grief, True)
    assert "locked by staff" not in notes_html(page(client))
    staff = member_client(UserFactory(is_staff=True, is_superuser=True))
    row = WorkNote.objects.get(work=work, note=grief)
    answer = staff.post(
        reverse("admin:catalog_worknote_changelist"),
        {"action": "lock", "_selected_action": [row.pk]},
    )
    assert answer.status_code == 302
    assert "locked by staff" in notes_html(page(client))


def test_each_member_sees_their_own_vote_whoever_filled_the_cache(work, grief):
    said_yes, said_no, silent = UserFactory(), UserFactory(), UserFactory()
    note_vote(said_yes, work, grief, True)
    note_vote(said_no, work, grief, False)
    # The shared part comes from the silent member's request.
    silent_html = notes_html(page(member_client(silent)))
    assert "You said" not in silent_html and "Withdraw my vote" not in silent_html
    yes_html = notes_html(page(member_client(said_yes)))
    no_html = notes_html(page(member_client(said_no)))
    assert "You said yes." in yes_html and "You said no." not in yes_html
    assert "You said no." in no_html and "You said yes." not in no_html
    assert "Withdraw my vote" in yes_html and "Withdraw my vote" in no_html
    # A visitor gets no vote forms, only the invitation to log in.
    visitor_html = notes_html(page(Client()))
    assert "note-vote-form" not in visitor_html and "to vote on content notes" in visitor_html
    assert "note-vote-form" in silent_html


def test_a_members_own_vote_shows_at_once(work, grief):
    member = UserFactory()
    client = member_client(member)
    note_vote(UserFactory(), work, grief, True)
    assert "You said" not in notes_html(page(client))
    note_vote(member, work, grief, False)
    assert "You said no." in notes_html(page(client))
    services.content_note_vote_withdraw(member=member, work=work, note=grief)
    html = notes_html(page(client))
    assert "You said" not in html and "1 yes · 0 no" in html


def test_only_the_member_who_folds_a_note_gets_the_guard(work, grief):
    work.content_notes.add(grief)
    folder = UserFactory()
    NotePreference.objects.create(member=folder, note=grief)
    other_body = page(member_client())  # fills the shared part
    folder_body = page(member_client(folder))
    assert "note-guard" not in other_body
    assert 'class="note-guard"' in folder_body and "“Grief”" in folder_body


def test_the_notes_follow_the_language(client, work, grief):
    work.content_notes.add(grief)
    english = notes_html(page(client, HTTP_ACCEPT_LANGUAGE="en"))
    korean = notes_html(page(client, HTTP_ACCEPT_LANGUAGE="ko"))
    assert "Grief" in english and "슬픔" not in english
    assert "슬픔" in korean and re.search(r">\s*Grief\s*<", korean) is None
    assert "운영진 확인" in korean
    # and back: the English copy is still English
    assert "Grief" in notes_html(page(client, HTTP_ACCEPT_LANGUAGE="en"))
