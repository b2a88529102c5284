"""Flag → moderation queue in admin → hide → restore, and who may do it."""

import pytest
from django.contrib.auth.models import Permission

from comments import services
from comments.models import Comment, Flag
from tests.factories import CommentFactory, FlagFactory, UserFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/comments/comment/"


def flagged(mv, body, flags=1):
    comment = CommentFactory(work=mv, body=body)
    for member in UserFactory.create_batch(flags):
        services.flag_create(member=member, comment=comment, reason=Flag.Reason.ABUSE)
    return comment


def test_queue_lists_flagged_comments_with_their_flag_counts(client, moderator, mv):
    flagged(mv, "nasty words", flags=3)
    CommentFactory(work=mv, body="kind words")
    client.force_login(moderator)
    page = client.get(CHANGELIST, {"moderation": "flagged"}).content.decode()
    assert "nasty words" in page
    assert "kind words" not in page
    assert '<td class="field-open_flags">3</td>' in page
    assert 'value="hide"' in page and 'value="dismiss_flags"' in page


def test_flag_hide_restore_through_admin_bulk_actions(client, moderator, mv, member):
    first = flagged(mv, "spoils the ending")
    second = flagged(mv, "spam link")
    client.force_login(moderator)

    response = client.post(
        CHANGELIST, {"action": "hide", "_selected_action": [first.pk, second.pk]}
    )
    assert response.status_code == 302
    assert not Comment.objects.visible().exists()
    client.force_login(member)
    page = client.get(mv.get_absolute_url()).content.decode()
    assert "spoils the ending" not in page and "spam link" not in page
    client.force_login(moderator)
    staff_page = client.get(mv.get_absolute_url()).content.decode()
    assert "spoils the ending" in staff_page and "Hidden by moderators" in staff_page
    hidden = client.get(CHANGELIST, {"moderation": "hidden"}).content.decode()
    assert "spoils the ending" in hidden

    client.post(CHANGELIST, {"action": "restore", "_selected_action": [first.pk]})
    first.refresh_from_db()
    assert first.is_public and first.flag_count == 0
    assert not Comment.objects.get(pk=second.pk).is_public
    client.force_login(member)
    assert "spoils the ending" in client.get(mv.get_absolute_url()).content.decode()


def test_dismiss_flags_in_bulk_empties_the_queue(client, moderator, mv):
    comments = [flagged(mv, f"borderline {n}", flags=2) for n in range(3)]
    client.force_login(moderator)
    client.post(
        CHANGELIST, {"action": "dismiss_flags", "_selected_action": [c.pk for c in comments]}
    )
    assert not Flag.objects.open().exists()
    assert all(c.is_public for c in Comment.objects.all())
    queue = client.get(CHANGELIST, {"moderation": "flagged"}).content.decode()
    assert "borderline" not in queue


def test_flag_admin_acts_on_the_flagged_comments(client, moderator, mv):
    moderator.user_permissions.add(Permission.objects.get(codename="change_flag"))
    flag = FlagFactory(comment=CommentFactory(work=mv))
    client.force_login(moderator)
    client.post("/admin/comments/flag/", {"action": "hide", "_selected_action": [flag.pk]})
    assert not Comment.objects.get().is_public


def test_staff_without_the_moderate_permission_get_no_actions(client, mv):
    comment = flagged(mv, "needs review")
    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.add(
        Permission.objects.get(codename="view_comment"),
        Permission.objects.get(codename="change_comment"),
    )
    client.force_login(clerk)
    page = client.get(CHANGELIST).content.decode()
    assert 'value="hide"' not in page
    client.post(CHANGELIST, {"action": "hide", "_selected_action": [comment.pk]})
    comment.refresh_from_db()
    assert comment.is_public


def test_flagging_from_the_site_puts_the_comment_in_the_queue(client, moderator, member, mv):
    comment = CommentFactory(work=mv, body="report me")
    client.force_login(member)
    client.post(f"/comments/{comment.pk}/flag/", {"reason": "abuse", "text": "insults a singer"})
    client.force_login(moderator)
    queue = client.get(CHANGELIST, {"moderation": "flagged"}).content.decode()
    assert "report me" in queue
    detail = client.get(f"{CHANGELIST}{comment.pk}/change/").content.decode()
    assert "insults a singer" in detail


def test_staff_with_only_the_moderate_permission_open_and_use_the_queue(client, mv):
    comment = flagged(mv, "needs a moderator")
    moderator = UserFactory(is_staff=True)
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_comment"))
    client.force_login(moderator)
    index = client.get("/admin/").content.decode()
    assert 'href="/admin/comments/comment/"' in index and 'href="/admin/comments/flag/"' in index
    queue = client.get(CHANGELIST, {"moderation": "flagged"})
    assert queue.status_code == 200
    assert "needs a moderator" in queue.content.decode()
    assert 'value="hide"' in queue.content.decode()
    assert client.get(f"{CHANGELIST}{comment.pk}/change/").status_code == 200  # read only
    assert client.get("/admin/comments/flag/").status_code == 200

    response = client.post(CHANGELIST, {"action": "hide", "_selected_action": [comment.pk]})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert not comment.is_public
    # Reading is all the permission adds: no editing or deleting of comments.
    edit = client.post(f"{CHANGELIST}{comment.pk}/change/", {"body": "rewritten"})
    assert edit.status_code == 403
    assert client.post(f"{CHANGELIST}{comment.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Comment.objects.get(pk=comment.pk).body == "needs a moderator"


def test_a_comments_place_and_visibility_are_read_only_in_admin(client, mv):
    """Only the actions (through comments.services) hide or restore; nobody edits the
    thread structure or the flags by hand, not even a superuser."""
    from django.contrib.auth import get_user_model

    from tests.admin_forms import admin_form_data

    top = CommentFactory(work=mv, body="first")
    reply = services.comment_post(author=UserFactory(), target=mv, body="a reply", parent=top)[0]
    flag = services.flag_create(member=UserFactory(), comment=reply, reason=Flag.Reason.ABUSE)
    boss = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw-12345-x")
    client.force_login(boss)
    url = f"{CHANGELIST}{reply.pk}/change/"
    form = client.get(url).context["adminform"].form
    for name in ("parent", "root", "depth", "is_public", "is_removed", "work", "author"):
        assert name not in form.fields
    data = admin_form_data(client.get(url))
    data.update({"parent": "", "root": "", "depth": "0", "is_removed": "on"})
    data.pop("is_public", None)  # an unticked box
    assert client.post(url, data).status_code == 302
    reply.refresh_from_db()
    assert (reply.parent_id, reply.root_id, reply.depth) == (top.pk, top.pk, 1)
    assert reply.is_public and not reply.is_removed
    assert client.get(f"{CHANGELIST}add/").status_code == 403

    flag_form = client.get(f"/admin/comments/flag/{flag.pk}/change/").context["adminform"].form
    assert "dismissed_at" not in flag_form.fields and "comment" not in flag_form.fields


QUEUE = "/admin/comments/comment/queue/"


def test_the_queue_shows_each_flagged_comment_in_its_thread(client, moderator, mv):
    from catalog.models import Suggestion
    from tests.factories import SuggestionFactory

    top = CommentFactory(work=mv, body="the parent comment")
    before = services.comment_post(author=UserFactory(), target=mv, body="said before", parent=top)
    bad = services.comment_post(author=UserFactory(), target=mv, body="the bad reply", parent=top)
    after = services.comment_post(author=UserFactory(), target=mv, body="said after", parent=top)
    assert before[1] and bad[1] and after[1]
    for member in UserFactory.create_batch(2):
        services.flag_create(
            member=member, comment=bad[0], reason=Flag.Reason.ABUSE, text="rude to a singer"
        )
    SuggestionFactory()
    client.force_login(moderator)
    response = client.get(QUEUE)
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("the bad reply", "the parent comment", "said before", "said after"):
        assert text in page
    assert "rude to a singer" in page
    assert bad[0].get_absolute_url() in page
    assert response.context["counts"] == {"flags": 2, "flagged_comments": 1, "suggestions": 1}
    assert 'value="hide"' in page and 'value="dismiss"' in page
    assert Suggestion.objects.pending().count() == 1

    index = client.get("/admin/").content.decode()
    assert "2 open flags on 1 comment" in index and "1 pending suggestion" in index
    assert f'href="{QUEUE}"' in index


def test_one_click_decisions_go_through_the_services(client, moderator, mv):
    rude = flagged(mv, "rude words", flags=2)
    fine = flagged(mv, "fine words")
    client.force_login(moderator)
    response = client.post(QUEUE, {"comment": rude.pk, "decision": "hide"})
    assert response.status_code == 302 and response["Location"] == QUEUE
    rude.refresh_from_db()
    assert not rude.is_public and rude.moderated_by == moderator
    client.post(QUEUE, {"comment": fine.pk, "decision": "dismiss"})
    fine.refresh_from_db()
    assert fine.is_public and fine.flag_count == 0
    assert not Flag.objects.open().filter(comment=fine).exists()
    page = client.get(QUEUE).content.decode()
    assert "rude words" not in page and "fine words" not in page
    assert client.post(QUEUE, {"comment": fine.pk, "decision": "delete"}).status_code == 302
    assert client.post(QUEUE, {"comment": 999999, "decision": "hide"}).status_code == 404


def test_the_queue_needs_the_moderate_permission(client, mv):
    comment = flagged(mv, "needs review")
    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(clerk)
    assert client.get(QUEUE).status_code == 403
    assert client.post(QUEUE, {"comment": comment.pk, "decision": "hide"}).status_code == 403
    assert "open flag" not in client.get("/admin/").content.decode()
    client.force_login(UserFactory())
    assert client.get(QUEUE).status_code == 302  # to the admin log-in
    comment.refresh_from_db()
    assert comment.is_public
