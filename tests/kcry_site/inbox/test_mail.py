"""Inbox e-mail: per-kind delivery (site only, e-mail at once, daily digest, off), the
mails themselves (sent by the task queue after the commit), and their unsubscribe link."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import services as comment_services
from kcry_site.accounts.models import NOTIFICATION_KINDS, Delivery, User
from kcry_site.accounts.services import follow_set
from kcry_site.inbox import tasks
from kcry_site.inbox.mail import SALT, read_unsubscribe_token, unsubscribe_token
from kcry_site.inbox.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def post(author, work, body="So sad.", parent=None):
    comment, _created = comment_services.comment_post(
        author=author, target=work, body=body, parent=parent
    )
    return comment


def choose(member, **deliveries):
    for kind, delivery in deliveries.items():
        member.set_notification_delivery(kind, delivery)
    member.save(update_fields=["notification_settings"])


def unsubscribe_link(message):
    return re.search(r"http://\S+/unsubscribe/(\S+)/", message.body).group(0)


def test_delivery_reads_old_booleans_and_defaults_to_the_site_only(alice):
    alice.notification_settings = {"reply": False, "metoo": True, "follow": "digest"}
    assert alice.notification_delivery("reply") == Delivery.OFF
    assert alice.notification_delivery("metoo") == Delivery.SITE
    assert alice.notification_delivery("follow") == Delivery.DIGEST
    assert alice.notification_delivery("moderation") == Delivery.SITE  # e-mail is opt-in
    alice.notification_settings = {"reply": "nonsense"}
    assert alice.notification_delivery("reply") == Delivery.SITE
    assert not alice.mailed_kinds(Delivery.EMAIL)


def test_settings_page_offers_the_states_and_saves_them(client, alice):
    client.force_login(alice)
    page = client.get(reverse("account-settings")).content.decode()
    assert 'name="notify_reply"' in page and 'value="digest"' in page
    data = {"display_name": "", "name_ko": "", "bio": "", "notify_reply": "email"}
    data["notify_follow"] = "digest"
    assert client.post(reverse("account-settings"), data).status_code == 302
    alice.refresh_from_db()
    assert alice.notification_delivery("reply") == Delivery.EMAIL
    assert alice.notification_delivery("follow") == Delivery.DIGEST
    assert alice.notification_delivery("metoo") == Delivery.SITE  # left out: unchanged


def test_settings_refuse_e_mail_without_an_address_and_an_unknown_state(client):
    member = UserFactory(username="mailless", email="")
    client.force_login(member)
    data = {"display_name": "", "name_ko": "", "bio": "", "notify_reply": "email"}
    response = client.post(reverse("account-settings"), data)
    assert response.status_code == 400
    assert "no e-mail address" in response.content.decode()
    response = client.post(reverse("account-settings"), {**data, "notify_reply": "fax"})
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.notification_settings == {}


def test_a_reply_is_mailed_after_the_commit_with_an_unsubscribe_link(
    work, alice, bob, django_capture_on_commit_callbacks
):
    choose(alice, reply=Delivery.EMAIL)
    parent = post(alice, work, "The ending destroyed me.")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        reply = post(bob, work, "Same here.", parent=parent)
    assert mail.outbox == []  # nothing is sent inside the request
    for callback in queued:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert "bob replied to your comment on Haru Haru" in message.subject
    assert reply.get_absolute_url() in message.body
    link = unsubscribe_link(message)
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Notification.objects.get(recipient=alice).mailed_at is not None
    # The task never mails the same entry twice.
    assert tasks.send_notification_mail(Notification.objects.get(recipient=alice).pk) is False


def test_nothing_is_mailed_on_the_site_only_default(
    work, alice, bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(bob, work, "Hi.", parent=post(alice, work))
        follow_set(follower=bob, followed=alice)
    assert Notification.objects.filter(recipient=alice).count() == 2
    assert mail.outbox == []


def test_a_mail_queued_before_the_member_changed_their_mind_is_not_sent(work, alice, bob):
    choose(alice, reply=Delivery.EMAIL)
    post(bob, work, "Hi.", parent=post(alice, work))  # its task is not run (no commit)
    choose(alice, reply=Delivery.SITE)
    assert tasks.send_notification_mail(Notification.objects.get().pk) is False
    assert mail.outbox == []


def test_the_daily_digest_lists_unread_entries_once(
    work, alice, bob, django_capture_on_commit_callbacks
):
    choose(alice, reply=Delivery.DIGEST, follow=Delivery.DIGEST)
    carol = UserFactory(username="carol")
    post(bob, work, "Hi.", parent=post(alice, work))
    follow_set(follower=carol, followed=alice)
    follow_set(follower=bob, followed=alice)
    read = Notification.objects.get(recipient=alice, actor=bob, kind="follow")
    read.read_at = timezone.now()
    read.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_daily_digests() == 1
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "bob replied to your comment on Haru Haru" in body
    assert "carol follows you now" in body
    assert "bob follows you now" not in body  # already read on the site
    assert "2 new entries" in mail.outbox[0].subject
    assert read_unsubscribe_token(unsubscribe_link(mail.outbox[0]).split("/")[-2])[1] == "digest"
    assert tasks.send_daily_digests() == 0
    assert len(mail.outbox) == 1


def test_old_entries_and_other_kinds_stay_out_of_the_digest(work, alice, bob):
    choose(alice, follow=Delivery.DIGEST)
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        follow_set(follower=bob, followed=alice)
    post(bob, work, "Hi.", parent=post(alice, work))  # replies: on the site only
    assert tasks.send_digest(alice.pk) is False
    assert mail.outbox == []


def token_for(member, kind):
    return unsubscribe_token(member.pk, kind)


def test_unsubscribe_asks_on_get_and_stops_on_post_without_logging_in(alice):
    choose(alice, reply=Delivery.EMAIL, follow=Delivery.DIGEST)
    url = reverse("inbox:unsubscribe", args=[token_for(alice, "reply")])
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert page.status_code == 200
    assert "Replies to my comments" in page.content.decode()
    assert "private" in page["Cache-Control"]
    alice.refresh_from_db()
    assert alice.notification_delivery("reply") == Delivery.EMAIL  # a GET changes nothing
    done = client.post(url)
    assert done.status_code == 200
    alice.refresh_from_db()
    assert alice.notification_delivery("reply") == Delivery.SITE  # still in the inbox
    assert alice.notification_delivery("follow") == Delivery.DIGEST  # other kinds stay


def test_one_click_unsubscribe_of_rfc_8058_stops_the_digest(alice):
    choose(alice, reply=Delivery.DIGEST, metoo=Delivery.DIGEST, follow=Delivery.EMAIL)
    url = reverse("inbox:unsubscribe", args=[token_for(alice, "digest")])
    answer = Client(enforce_csrf_checks=True).post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert answer.status_code == 200
    alice.refresh_from_db()
    assert alice.mailed_kinds(Delivery.DIGEST) == []
    assert alice.notification_delivery("metoo") == Delivery.SITE
    assert alice.notification_delivery("follow") == Delivery.EMAIL


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_token_is_refused(client, alice, bob, method):
    choose(bob, reply=Delivery.EMAIL)
    token = token_for(alice, "reply")
    rest = token.split(":", 1)[1]
    forged = signing.dumps({"member": bob.pk, "kind": "reply"}, salt=SALT).split(":", 1)[0]
    for bad in [f"{forged}:{rest}", token[:-2] + "xx", "nonsense", signing.dumps(bob.pk)]:
        answer = getattr(client, method)(reverse("inbox:unsubscribe", args=[bad]))
        assert answer.status_code == 400
        assert "not valid" in answer.content.decode()
    bob.refresh_from_db()
    assert bob.notification_delivery("reply") == Delivery.EMAIL


def test_an_unknown_kind_is_refused(client, alice):
    answer = client.post(reverse("inbox:unsubscribe", args=[token_for(alice, "everything")]))
    assert answer.status_code == 400


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_expired_token_is_refused_with_the_way_to_the_settings(client, alice, settings, method):
    choose(alice, reply=Delivery.EMAIL)
    with time_machine.travel(
        timezone.now() - timedelta(seconds=settings.KCRY_UNSUBSCRIBE_MAX_AGE + 60)
    ):
        token = token_for(alice, "reply")
    answer = getattr(client, method)(reverse("inbox:unsubscribe", args=[token]))
    assert answer.status_code == 400
    assert "expired" in answer.content.decode()
    assert reverse("account-settings") in answer.content.decode()
    alice.refresh_from_db()
    assert alice.notification_delivery("reply") == Delivery.EMAIL


def test_a_deleted_account_gets_a_404(client, alice):
    token = token_for(alice, "reply")
    alice.delete()
    assert client.get(reverse("inbox:unsubscribe", args=[token])).status_code == 404
    assert client.post(reverse("inbox:unsubscribe", args=[token])).status_code == 404


def test_the_kinds_of_the_settings_are_the_inbox_kinds():
    assert [kind for kind, _label in NOTIFICATION_KINDS] == Notification.Kind.values
    assert User().notification_delivery("reply") == Delivery.SITE
