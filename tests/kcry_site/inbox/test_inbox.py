"""The inbox: replies, "me too" (batched), moderation, suggestion decisions, follows."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog import services as catalog_services
from comments import services as comment_services
from kcry_site.accounts.models import NOTIFICATION_KINDS, User
from kcry_site.accounts.services import follow_set
from kcry_site.inbox.models import Notification
from tests.factories import SuggestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def post(author, work, body="So sad.", parent=None, spoiler=False):
    comment, _created = comment_services.comment_post(
        author=author, target=work, body=body, parent=parent, spoiler=spoiler
    )
    return comment


def unread(member):
    return User.objects.get(pk=member.pk).unread_notifications


def test_a_reply_notifies_the_parents_author_and_the_badge_shows(client, work, alice, bob):
    parent = post(alice, work, "The ending destroyed me.")
    reply = post(bob, work, "The bridge is worse, spoiler: he dies.", parent=parent, spoiler=True)
    note = Notification.objects.get(recipient=alice)
    assert (note.kind, note.actor, note.comment) == ("reply", bob, reply)
    assert unread(alice) == 1
    client.force_login(alice)
    page = client.get(reverse("home")).content.decode()
    assert "Inbox (1)" in page
    inbox = client.get(reverse("inbox:inbox")).content.decode()
    assert "bob replied to your comment on Haru Haru" in inbox
    # A spoiler reply stays folded, as in the thread.
    assert '<details class="spoiler">' in inbox and "he dies" in inbox


def test_no_notification_for_my_own_actions(work, alice):
    parent = post(alice, work)
    post(alice, work, "Replying to myself.", parent=parent)
    assert not Notification.objects.exists()
    assert unread(alice) == 0


def test_reading_one_and_all(client, work, alice, bob):
    parent = post(alice, work)
    reply = post(bob, work, "Me as well.", parent=parent)
    post(bob, work, "And again.", parent=parent)
    client.force_login(alice)
    first = Notification.objects.filter(recipient=alice).order_by("pk").first()
    response = client.post(reverse("inbox:read", args=[first.pk]))
    assert response.status_code == 302
    assert response["Location"] == reply.get_absolute_url()
    assert unread(alice) == 1
    # Reading it again changes nothing.
    client.post(reverse("inbox:read", args=[first.pk]))
    assert unread(alice) == 1
    response = client.post(reverse("inbox:read-all"), HTTP_ACCEPT="application/json")
    assert response.json() == {"marked": 1, "unread": 0}
    assert unread(alice) == 0
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert "Inbox (" not in client.get(reverse("home")).content.decode()


def test_someone_elses_notification_is_a_404_and_reads_are_post_only(client, work, alice, bob):
    parent = post(alice, work)
    post(bob, work, "Hi.", parent=parent)
    note = Notification.objects.get()
    client.force_login(bob)
    assert client.post(reverse("inbox:read", args=[note.pk])).status_code == 404
    assert client.get(reverse("inbox:read-all")).status_code == 405
    assert unread(alice) == 1


def test_the_inbox_is_for_members_only(client):
    response = client.get(reverse("inbox:inbox"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_metoo_is_batched_into_one_unread_notification_per_comment(work, alice, bob):
    comment = post(alice, work)
    others = [bob, UserFactory(username="carol"), UserFactory(username="dan")]
    for member in others:
        comment_services.metoo_toggle(member=member, comment=comment)
    note = Notification.objects.get(recipient=alice, kind="metoo")
    assert note.count == 3 and note.actor.username == "dan"
    assert unread(alice) == 1
    # Taking a mark back and giving it again is not a new mark for the inbox count.
    comment_services.metoo_toggle(member=bob, comment=comment)
    assert Notification.objects.filter(kind="metoo").count() == 1
    # Once read, the next mark starts a new entry.
    from kcry_site.inbox import services

    services.mark_all_read(member=User.objects.get(pk=alice.pk))
    comment_services.metoo_toggle(member=UserFactory(username="eve"), comment=comment)
    assert Notification.objects.filter(kind="metoo").count() == 2
    assert unread(alice) == 1


def test_metoo_batch_shows_the_count(client, work, alice):
    comment = post(alice, work)
    for name in ("bob", "carol", "dan"):
        comment_services.metoo_toggle(member=UserFactory(username=name), comment=comment)
    client.force_login(alice)
    page = client.get(reverse("inbox:inbox")).content.decode()
    assert "3 members said “me too” to your comment on Haru Haru." in page


def test_moderation_notifies_and_the_hidden_comment_is_not_linked(client, work, alice):
    moderator = UserFactory(username="mod", is_staff=True)
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_comment"))
    moderator = User.objects.get(pk=moderator.pk)
    comment = post(alice, work)
    comment_services.comment_hide(comments=comment, moderator=moderator)
    note = Notification.objects.get(recipient=alice)
    assert (note.kind, note.detail) == ("moderation", "hidden")
    assert note.target_url() is None
    client.force_login(alice)
    page = client.get(reverse("inbox:inbox")).content.decode()
    assert "The moderators hid your comment on Haru Haru" in page
    assert comment.get_absolute_url() not in page
    response = client.post(reverse("inbox:read", args=[note.pk]))
    assert response["Location"] == reverse("inbox:inbox")


def test_a_reply_deleted_later_says_so_instead_of_linking(client, work, alice, bob):
    parent = post(alice, work)
    reply = post(bob, work, "Oops.", parent=parent)
    comment_services.comment_delete(comment=reply, member=bob)
    client.force_login(alice)
    page = client.get(reverse("inbox:inbox")).content.decode()
    assert "the reply was deleted" in page
    assert reply.get_absolute_url() not in page


@pytest.mark.parametrize("approve", [True, False])
def test_suggestion_decisions_notify_the_member(approve):
    staff = UserFactory(username="staff", is_staff=True)
    suggestion = SuggestionFactory(title="Snow Flower")
    if approve:
        catalog_services.suggestion_approve(suggestion=suggestion, staff=staff)
    else:
        catalog_services.suggestion_reject(suggestion=suggestion, reason="Not sad.", staff=staff)
    note = Notification.objects.get(recipient=suggestion.member)
    assert (note.kind, note.detail) == ("suggestion", "approved" if approve else "rejected")
    assert unread(suggestion.member) == 1


def test_a_new_follower_notifies_once(alice, bob):
    follow_set(follower=bob, followed=alice)
    follow_set(follower=bob, followed=alice)
    assert Notification.objects.get(recipient=alice).kind == "follow"
    assert unread(alice) == 1


def test_settings_switch_a_kind_off(client, work, alice, bob):
    client.force_login(alice)
    data = {"display_name": "", "name_ko": "", "bio": ""}
    data |= {f"notify_{kind}": "site" for kind, _label in NOTIFICATION_KINDS}
    data["notify_reply"] = "off"
    assert client.post(reverse("account-settings"), data).status_code == 302
    alice.refresh_from_db()
    assert alice.notification_settings["reply"] == "off"
    post(bob, work, "Hi.", parent=post(alice, work))
    follow_set(follower=bob, followed=alice)
    assert list(Notification.objects.values_list("kind", flat=True)) == ["follow"]
    page = client.get(reverse("account-settings")).content.decode()
    assert 'name="notify_reply"' in page


def test_kinds_in_settings_match_the_inbox():
    assert [kind for kind, _label in NOTIFICATION_KINDS] == Notification.Kind.values


def inbox_queries(client, member):
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("inbox:inbox"))
    assert response.status_code == 200
    return len(queries)


def test_inbox_queries_do_not_grow(client, work, alice, settings):
    settings.KCRY_COMMENT_RATE = (1000, 60)

    def add(n):
        for i in range(n):
            member = UserFactory()
            parent = post(alice, work, f"Comment {i}")
            post(member, work, f"Reply {i}", parent=parent)
            comment_services.metoo_toggle(member=member, comment=parent)
            follow_set(follower=member, followed=alice)

    add(2)
    small = inbox_queries(client, alice)
    add(15)
    assert inbox_queries(client, alice) == small
