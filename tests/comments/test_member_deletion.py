import pytest

from comments.models import Comment, Flag, MeToo
from comments.services import comment_post, flag_create, metoo_toggle
from kcry_site.accounts.services import member_delete
from tests.factories import UserFactory, WorkFactory

pytestmark = pytest.mark.django_db


def test_deleting_an_account_keeps_others_replies_and_exact_counts():
    leaving, staying, third = UserFactory(), UserFactory(), UserFactory()
    work = WorkFactory()
    answered, _ = comment_post(author=leaving, target=work, body="Cried at the piano scene.")
    reply, _ = comment_post(author=staying, target=work, body="Same here.", parent=answered)
    lonely, _ = comment_post(author=leaving, target=work, body="Nobody answered this one.")
    others, _ = comment_post(author=third, target=work, body="Not sad at all.")
    metoo_toggle(member=leaving, comment=reply, mark=True)
    flag_create(member=leaving, comment=others, reason=Flag.Reason.OFF_TOPIC)

    member_delete(member=leaving)

    kept = Comment.objects.get(pk=answered.pk)
    assert kept.is_removed and kept.body == "" and kept.author is None
    assert not Comment.objects.filter(pk=lonely.pk).exists()
    reply.refresh_from_db()
    others.refresh_from_db()
    assert reply.body == "Same here." and reply.parent_id == answered.pk
    assert reply.metoo_count == 0 and others.flag_count == 0
    assert not MeToo.objects.exists() and not Flag.objects.exists()


def test_the_thread_shows_deleted_for_a_departed_author(client):
    leaving, staying = UserFactory(username="leaver"), UserFactory()
    work = WorkFactory()
    answered, _ = comment_post(author=leaving, target=work, body="Goodbye, everyone.")
    comment_post(author=staying, target=work, body="We will miss you.", parent=answered)
    member_delete(member=leaving)
    body = client.get(work.get_absolute_url()).content.decode()
    assert "[deleted]" in body and "We will miss you." in body
    assert "Goodbye, everyone." not in body and "leaver" not in body
