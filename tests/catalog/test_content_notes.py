"""Community content notes: yes/no votes per (work, note), locks, and notes a member avoids."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog import services
from catalog.models import NotePreference, NoteVote, WorkNote
from tests.factories import (
    ContentNoteFactory,
    CreditFactory,
    UserFactory,
    WorkFactory,
    note_vote,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def suicide():
    return ContentNoteFactory(slug="suicide", name="Suicide")


@pytest.fixture
def work():
    return WorkFactory(slug="focus", title="Focus Song", video_url="https://example.com/v")


def counts(work, note):
    row = WorkNote.objects.filter(work=work, note=note).first()
    return (row.yes, row.no) if row else None


def vote_url(work):
    return reverse("catalog:content-note-vote", args=[work.slug])


# --- services ------------------------------------------------------------------------------


def test_a_yes_on_a_note_the_work_lacks_proposes_it(work, suicide):
    note_vote(UserFactory(), work, suicide, True)
    assert counts(work, suicide) == (1, 0)


def test_a_no_on_a_note_nobody_proposed_is_refused_and_stores_nothing(work, suicide):
    with pytest.raises(ValidationError, match="vote yes to propose it"):
        note_vote(UserFactory(), work, suicide, False)
    assert not WorkNote.objects.exists() and not NoteVote.objects.exists()


def test_a_no_on_a_staff_set_note_is_counted(work, suicide):
    work.content_notes.add(suicide)
    note_vote(UserFactory(), work, suicide, False)
    assert counts(work, suicide) == (0, 1)


def test_changing_a_vote_moves_it_and_repeating_it_counts_once(work, suicide):
    member = UserFactory()
    note_vote(UserFactory(), work, suicide, True)
    note_vote(member, work, suicide, True)
    note_vote(member, work, suicide, True)
    assert counts(work, suicide) == (2, 0)
    note_vote(member, work, suicide, False)
    assert counts(work, suicide) == (1, 1)
    assert NoteVote.objects.get(member=member).present is False


def test_withdrawing_takes_the_vote_out_of_the_counts(work, suicide):
    member = UserFactory()
    note_vote(member, work, suicide, True)
    note_vote(UserFactory(), work, suicide, False)
    assert services.content_note_vote_withdraw(member=member, work=work, note=suicide) is True
    assert counts(work, suicide) == (0, 1)
    assert services.content_note_vote_withdraw(member=member, work=work, note=suicide) is False


def test_a_locked_note_refuses_votes_and_withdrawals(work, suicide):
    member = UserFactory()
    note_vote(member, work, suicide, True)
    WorkNote.objects.filter(work=work, note=suicide).update(is_locked=True)
    with pytest.raises(ValidationError, match="locked"):
        note_vote(UserFactory(), work, suicide, True)
    with pytest.raises(ValidationError, match="locked"):
        note_vote(member, work, suicide, False)
    with pytest.raises(ValidationError, match="locked"):
        services.content_note_vote_withdraw(member=member, work=work, note=suicide)
    assert counts(work, suicide) == (1, 0)
    assert NoteVote.objects.count() == 1


def test_anonymous_and_unpublished_votes_are_refused(work, suicide):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        note_vote(AnonymousUser(), work, suicide, True)
    hidden = WorkFactory(is_published=False)
    with pytest.raises(ValidationError, match="no such work"):
        note_vote(UserFactory(), hidden, suicide, True)
    with pytest.raises(ValidationError, match="yes or no"):
        note_vote(UserFactory(), work, suicide, "yes")
    assert not NoteVote.objects.exists()


def test_one_vote_per_member_and_note_is_a_database_rule(work, suicide):
    member = UserFactory()
    note_vote(member, work, suicide, True)
    row = WorkNote.objects.get()
    with pytest.raises(IntegrityError):
        NoteVote.objects.create(member=member, work_note=row, present=False)


def test_deleting_an_account_keeps_its_votes_in_the_counts(work, suicide):
    member = UserFactory()
    note_vote(member, work, suicide, True)
    member.delete()
    assert counts(work, suicide) == (1, 0)
    assert NoteVote.objects.get().member is None


# --- the work page -------------------------------------------------------------------------


def test_visitors_see_counts_folded_before_the_work_with_majority_first(client, work, suicide):
    staff_note = ContentNoteFactory(slug="terminal-illness", name="Terminal illness")
    disputed = ContentNoteFactory(slug="violence", name="Violence")
    work.content_notes.add(staff_note)
    voters = UserFactory.create_batch(3)
    note_vote(voters[0], work, disputed, True)
    note_vote(voters[1], work, disputed, False)
    note_vote(voters[2], work, disputed, False)
    for voter in voters[:2]:
        note_vote(voter, work, suicide, True)
    body = client.get(work.get_absolute_url()).content.decode()
    panel = body[body.index('<details class="content-notes"') : body.index("</details>")]
    assert '<details class="content-notes" id="content-notes">' in panel  # folded: no "open"
    assert body.index("content-notes") < body.index('id="work-title"')
    # Staff-set first (confirmed), then the community's majority yes, then the disputed one.
    assert panel.index("Terminal illness") < panel.index("Suicide") < panel.index("Violence")
    assert "confirmed by staff" in panel
    assert "2 yes · 0 no" in panel and "1 yes · 2 no" in panel
    assert "Content notes (2)" in panel  # staff-set + majority yes; the disputed one is not
    assert "Log in</a> to vote" in panel
    assert "<form" not in panel


def test_members_get_vote_forms_and_a_list_to_propose_from(client, work, suicide):
    other = ContentNoteFactory(slug="abduction", name="Abduction")
    member = UserFactory()
    note_vote(member, work, suicide, True)
    client.force_login(member)
    body = client.get(work.get_absolute_url()).content.decode()
    panel = body[body.index('<details class="content-notes"') : body.index("</details>")]
    assert 'name="csrfmiddlewaretoken"' in panel
    assert "You said yes." in panel
    assert 'value="withdraw"' in panel
    assert '<label for="propose-note">' in panel
    propose = panel[panel.index('id="propose-note"') :]
    assert f'<option value="{other.slug}">' in propose
    assert f'<option value="{suicide.slug}">' not in propose  # already on the work


def test_locked_notes_show_no_vote_buttons(client, work, suicide):
    note_vote(UserFactory(), work, suicide, True)
    WorkNote.objects.update(is_locked=True)
    client.force_login(UserFactory())
    body = client.get(work.get_absolute_url()).content.decode()
    assert "locked by staff" in body
    assert 'value="suicide"' not in body


def test_posting_a_vote_counts_it_and_comes_back_to_the_notes(client, work, suicide):
    client.force_login(UserFactory())
    response = client.post(vote_url(work), {"note": "suicide", "vote": "yes"})
    assert response.status_code == 302
    assert response["Location"] == work.get_absolute_url() + "#content-notes"
    assert counts(work, suicide) == (1, 0)
    page = client.get(response["Location"]).content.decode()
    assert "You voted yes on “Suicide”." in page
    client.post(vote_url(work), {"note": "suicide", "vote": "withdraw"})
    assert counts(work, suicide) == (0, 0)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"note": "suicide", "vote": "maybe"}, "answer yes or no"),
        ({"note": "no-such-note", "vote": "yes"}, "choose a content note"),
        ({"vote": "yes"}, "choose a content note"),
        ({"note": "suicide", "vote": "no"}, "vote yes to propose it"),
    ],
)
def test_bad_votes_get_400_with_a_message_and_store_nothing(client, work, suicide, data, message):
    client.force_login(UserFactory())
    response = client.post(vote_url(work), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not NoteVote.objects.exists()


def test_a_vote_on_a_locked_note_is_400_with_a_clear_message(client, work, suicide):
    note_vote(UserFactory(), work, suicide, True)
    WorkNote.objects.update(is_locked=True)
    client.force_login(UserFactory())
    response = client.post(vote_url(work), {"note": "suicide", "vote": "no"})
    assert response.status_code == 400
    assert "Staff have locked the note “Suicide”" in response.content.decode()
    assert counts(work, suicide) == (1, 0)


def test_anonymous_votes_go_to_log_in_and_back(client, work, suicide):
    response = client.post(vote_url(work), {"note": "suicide", "vote": "yes"})
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=" + work.get_absolute_url()
    assert not WorkNote.objects.exists()


def test_votes_are_post_only_need_csrf_and_a_real_work(client, work, suicide):
    member = UserFactory()
    client.force_login(member)
    response = client.get(vote_url(work))
    assert response.status_code == 405 and response["Allow"] == "POST"
    missing = reverse("catalog:content-note-vote", args=["no-such-work"])
    assert client.post(missing, {"note": "suicide", "vote": "yes"}).status_code == 404
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    assert strict.post(vote_url(work), {"note": "suicide", "vote": "yes"}).status_code == 403
    assert not NoteVote.objects.exists()


# --- notes a member avoids -----------------------------------------------------------------


def prefs_url():
    return reverse("catalog:note-preferences")


def test_the_preferences_page_needs_a_login_and_is_linked_from_the_header(client, suicide):
    response = client.get(prefs_url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(UserFactory())
    response = client.get(reverse("catalog:works"))
    assert f'href="{prefs_url()}"' in response.content.decode()
    page = client.get(prefs_url()).content.decode()
    assert "Suicide" in page and "<legend>" in page


def test_members_choose_the_notes_they_avoid(client, suicide):
    violence = ContentNoteFactory(slug="violence", name="Violence")
    member = UserFactory()
    client.force_login(member)
    response = client.post(prefs_url(), {"notes": [suicide.pk, violence.pk]})
    assert response.status_code == 302
    assert set(member.avoided_notes.values_list("note__slug", flat=True)) == {
        "suicide",
        "violence",
    }
    client.post(prefs_url(), {"notes": [violence.pk]})
    assert list(member.avoided_notes.values_list("note__slug", flat=True)) == ["violence"]
    assert "checked" in client.get(prefs_url()).content.decode()
    client.post(prefs_url(), {})
    assert not member.avoided_notes.exists()


def test_an_unknown_note_in_the_preferences_is_400_and_changes_nothing(client, suicide):
    member = UserFactory()
    NotePreference.objects.create(member=member, note=suicide)
    client.force_login(member)
    response = client.post(prefs_url(), {"notes": ["999999"]})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert list(member.avoided_notes.values_list("note_id", flat=True)) == [suicide.pk]


def guard(body):
    return body.index('class="note-guard"') if 'class="note-guard"' in body else None


def test_a_work_carrying_an_avoided_note_shows_a_warning_card_first(client, work, suicide):
    member = UserFactory()
    NotePreference.objects.create(member=member, note=suicide)
    work.content_notes.add(suicide)
    client.force_login(member)
    body = client.get(work.get_absolute_url()).content.decode()
    position = guard(body)
    assert position is not None
    assert "which you chose never to see unfolded" in body
    # The video link appears once, inside the card, and the card comes before the title.
    assert body.count("https://example.com/v") == 1
    assert position < body.index("https://example.com/v")
    assert position < body.index('id="work-title"')


def test_a_community_majority_yes_also_triggers_the_card(client, work, suicide):
    member = UserFactory()
    NotePreference.objects.create(member=member, note=suicide)
    note_vote(UserFactory(), work, suicide, True)
    client.force_login(member)
    assert guard(client.get(work.get_absolute_url()).content.decode()) is not None
    for _ in range(2):
        note_vote(UserFactory(), work, suicide, False)  # now 1 yes, 2 no: not carried
    body = client.get(work.get_absolute_url()).content.decode()
    assert guard(body) is None
    assert "https://example.com/v" in body


def test_no_card_for_visitors_or_members_who_avoid_other_notes(client, work, suicide):
    work.content_notes.add(suicide)
    assert guard(client.get(work.get_absolute_url()).content.decode()) is None
    member = UserFactory()
    NotePreference.objects.create(member=member, note=ContentNoteFactory())
    client.force_login(member)
    assert guard(client.get(work.get_absolute_url()).content.decode()) is None


# --- query counts --------------------------------------------------------------------------


def grow(works, notes, voters):
    """Add works, notes and voters; every voter votes on every note of every work."""
    from catalog.models import Work

    notes = [ContentNoteFactory(slug=f"n{n}", name=f"Note {n}") for n in range(notes)]
    UserFactory.create_batch(voters)
    for _ in range(works):
        work = WorkFactory(slug="focus") if not Work.objects.exists() else WorkFactory()
        CreditFactory(work=work)
    members = list(get_user_model().objects.all())
    for work in Work.objects.all():
        work.content_notes.add(notes[0])
        for note in notes[1:]:
            for number, member in enumerate(members):
                note_vote(member, work, note, number == 0 or (number + note.pk) % 3 != 0)


def work_page_queries(client):
    """(from an empty cache, with the kept fragments): both must stay the same."""
    cache.clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/works/focus/")
        assert response.status_code == 200
        counts.append(len(captured))
    return tuple(counts)


def test_the_work_page_costs_the_same_queries_with_few_and_many_notes(client):
    grow(works=2, notes=2, voters=2)
    member = get_user_model().objects.first()
    NotePreference.objects.create(member=member, note=WorkNote.objects.first().note)
    visitor_small = work_page_queries(client)
    member_client = Client()
    member_client.force_login(member)
    member_small = work_page_queries(member_client)
    grow(works=6, notes=8, voters=6)
    assert work_page_queries(client) == visitor_small
    assert work_page_queries(member_client) == member_small


def test_staff_lock_notes_from_the_admin_list_and_votes_stop(client, work, suicide):
    staff = get_user_model().objects.create_superuser("editor", "e@example.com", "pw-12345-x")
    note_vote(UserFactory(), work, suicide, True)
    client.force_login(staff)
    changelist = reverse("admin:catalog_worknote_changelist")
    assert client.get(changelist).status_code == 200
    row = WorkNote.objects.get()
    response = client.post(changelist, {"action": "lock", "_selected_action": [row.pk]})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.is_locked
    with pytest.raises(ValidationError, match="locked"):
        note_vote(UserFactory(), work, suicide, False)


# --- cards in lists ------------------------------------------------------------------------


def poster(work):
    return f"posters/thumbs/{work.slug}.jpg"


def test_cards_in_lists_fold_the_posters_of_works_carrying_an_avoided_note(client, suicide):
    by_staff, by_votes, plain = (
        WorkFactory(slug=slug, poster_thumb=f"posters/thumbs/{slug}.jpg")
        for slug in ("by-staff", "by-votes", "plain")
    )
    by_staff.content_notes.add(suicide)
    note_vote(UserFactory(), by_votes, suicide, True)
    member = UserFactory()
    NotePreference.objects.create(member=member, note=suicide)

    body = client.get("/works/").content.decode()
    assert all(poster(work) in body for work in (by_staff, by_votes, plain))
    assert "Poster folded" not in body

    client.force_login(member)
    body = client.get("/works/").content.decode()
    assert poster(plain) in body
    assert poster(by_staff) not in body and poster(by_votes) not in body
    assert body.count("Poster folded: content note") == 2


def test_folded_cards_cost_one_query_whatever_the_number_of_works(client, suicide):
    member = UserFactory()
    NotePreference.objects.create(member=member, note=suicide)
    client.force_login(member)

    def folded_works(count):
        for _ in range(count):
            work = WorkFactory()
            work.poster_thumb = poster(work)
            work.save()
            work.content_notes.add(suicide)
        with CaptureQueriesContext(connection) as captured:
            body = client.get("/works/").content.decode()
        return body.count("Poster folded"), len(captured)

    few, few_queries = folded_works(2)
    many, many_queries = folded_works(10)
    assert (few, many) == (2, 12)
    assert many_queries == few_queries
