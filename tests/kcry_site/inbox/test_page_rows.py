"""The inbox's and the feed's rows, built in Python (kcry_site.inbox.rows), say what the
row templates they replaced said: every notification kind and state and every activity
kind, in English and Korean, sentence, link, unread marker, spoiler folding and dates.

old_inbox_row.html and old_feed_row.html are the per-row template markup as first written
(a {% blocktranslate %}, {% url %} and `date` filter per row), rendered here with model
instances as the reference; each <li> of the page must equal it, whitespace aside.
"""

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from comments.models import Comment
from kcry_site.accounts.models import Follow
from kcry_site.inbox import feed
from kcry_site.inbox.models import Notification
from tests.factories import (
    CommentFactory,
    EditorialListFactory,
    SuggestionFactory,
    UserFactory,
    WorkFactory,
)
from votes.models import ListReaction, Rating

pytestmark = pytest.mark.django_db

HERE = Path(__file__).parent

OLD_INBOX_ROW = (HERE / "old_inbox_row.html").read_text()

OLD_FEED_ROW = (HERE / "old_feed_row.html").read_text()


def squeeze(html):
    html = re.sub(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]+">', "CSRF", html)
    html = re.sub(r"\s+", " ", html)
    return re.sub(r">\s+<", "><", html).strip()


def items(page, css):
    return [squeeze(li) for li in re.findall(rf'<li class="{css}.*?</li>', page, re.S)]


# Escaping, non-ASCII usernames (their URLs quoted as reverse() quotes them), long bodies.
TRICKY = 'Tears & "fears" <b>'


def inbox_of_every_kind():
    me = UserFactory(username="minji")
    actor = UserFactory(username="지훈")
    work = WorkFactory(title=TRICKY, slug="tears-and-fears")
    a_list = EditorialListFactory(title="Rainy <days>")
    mine = CommentFactory(author=me, work=work)

    def reply(**kwargs):
        return CommentFactory(author=actor, parent=mine, **kwargs)

    long_body = "Line one\nhttps://example.com/sad & more " + "sob " * 120
    on_list = CommentFactory(author=actor, editorial_list=a_list, work=None, body="On a list.")
    hidden = reply(is_public=False)
    removed = reply(is_removed=True)
    suggestion = SuggestionFactory(
        member=me, title="Snow <Flower>", staff_reason="Too happy & bright"
    )
    approved = SuggestionFactory(member=me, work=WorkFactory(slug="snow-flower"))
    unpublished = SuggestionFactory(member=me, work=WorkFactory(is_published=False))
    kinds = Notification.Kind
    rows = [
        dict(kind=kinds.REPLY, actor=actor, comment=reply(body=long_body)),
        dict(kind=kinds.REPLY, actor=actor, comment=reply(is_spoiler=True, body="He dies.")),
        dict(kind=kinds.REPLY, actor=actor, comment=on_list),
        dict(kind=kinds.REPLY, actor=actor, comment=hidden),
        dict(kind=kinds.REPLY, actor=actor, comment=removed),
        dict(kind=kinds.REPLY, actor=None, comment=None),
        dict(kind=kinds.METOO, actor=actor, comment=mine),
        dict(kind=kinds.METOO, actor=actor, comment=mine, count=3),
        dict(kind=kinds.METOO, actor=None, comment=None, count=2),
        dict(kind=kinds.METOO, actor=actor, comment=on_list, count=1001),
        dict(kind=kinds.MODERATION, comment=mine, detail="hidden"),
        dict(kind=kinds.MODERATION, comment=mine, detail="restored"),
        dict(kind=kinds.MODERATION, comment=removed, detail="hidden"),
        dict(kind=kinds.MODERATION, comment=hidden, detail="hidden"),
        dict(kind=kinds.SUGGESTION, suggestion=approved, detail="approved"),
        dict(kind=kinds.SUGGESTION, suggestion=unpublished, detail="approved"),
        dict(kind=kinds.SUGGESTION, suggestion=suggestion, detail="rejected"),
        dict(kind=kinds.SUGGESTION, suggestion=None, detail="approved"),
        dict(kind=kinds.FOLLOW, actor=None),
        dict(kind=kinds.FOLLOW, actor=actor),  # read: its link shows
    ]
    notes = [Notification.objects.create(recipient=me, **row) for row in rows]
    # Half of them read; some at the same time (the order then goes by pk).
    now = timezone.now()
    for index, note in enumerate(notes):
        Notification.objects.filter(pk=note.pk).update(
            created=now - timezone.timedelta(minutes=index // 2, hours=index * 7),
            read_at=now if index % 2 else None,
        )
    return me


@pytest.mark.parametrize("language", ["en", "ko"])
def test_every_inbox_row_says_what_the_old_row_template_said(client, settings, language):
    settings.KCRY_INBOX_PER_PAGE = 50
    me = inbox_of_every_kind()
    client.force_login(me)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("inbox:inbox")).content.decode()
    notes = Notification.objects.filter(recipient=me).select_related(
        "actor", "comment__work", "comment__editorial_list", "suggestion__work"
    )
    template = Template(OLD_INBOX_ROW)
    with translation.override(language):
        expected = [squeeze(template.render(Context({"note": note}))) for note in notes]
    assert len(expected) == 20
    assert items(page, "notification") == expected
    # The reference itself says what it should (so a broken reference cannot pass).
    if language == "ko":
        assert "답글" in page or "댓글" in page
    else:
        assert "1,001 members" in page or "1001 members" in page
        assert "Tears &amp; &quot;fears&quot; &lt;b&gt;" in page
        assert "/u/%EC%A7%80%ED%9B%88/" in page
        assert '<details class="spoiler">' in page


def followed_activity():
    me = UserFactory(username="minji")
    friend = UserFactory(username="지훈")
    Follow.objects.create(follower=me, followed=friend)
    work = WorkFactory(title=TRICKY, slug="tears-and-fears")
    a_list = EditorialListFactory(title="Rainy <days>", slug="rainy-days")
    for tears, other in enumerate([work, WorkFactory(), WorkFactory(), WorkFactory()]):
        when = timezone.now() - timezone.timedelta(minutes=tears)
        Rating.objects.create(
            member=friend, work=other, tears=tears + 2, created=when, rated_at=when
        )
    CommentFactory(author=friend, work=work, body="Line\nhttps://example.com/x " + "sob " * 100)
    CommentFactory(author=friend, work=work, body="He dies.", is_spoiler=True)
    CommentFactory(author=friend, work=None, editorial_list=a_list, body="On a list.")
    for reaction, other in zip(
        ["sobbing", "moved", "unmoved"],
        [a_list, EditorialListFactory(), EditorialListFactory()],
        strict=True,
    ):
        ListReaction.objects.create(member=friend, editorial_list=other, reaction=reaction)
    return me


@pytest.mark.parametrize("language", ["en", "ko"])
def test_every_feed_row_says_what_the_old_row_template_said(client, settings, language):
    me = followed_activity()
    client.force_login(me)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("inbox:feed")).content.decode()
    activities, _ = feed.activity_page(me, per_page=settings.KCRY_FEED_PER_PAGE)
    models = {"rating": Rating, "comment": Comment, "reaction": ListReaction}
    template = Template(OLD_FEED_ROW)
    expected = []
    with translation.override(language):
        for activity in activities:
            row = models[activity.kind].objects.get(pk=activity.row["pk"])
            item = {
                "kind": activity.kind,
                "at": activity.at,
                "member": row.author if activity.kind == "comment" else row.member,
                "row": row,
            }
            expected.append(squeeze(template.render(Context({"item": item}))))
    assert len(expected) == 10
    assert {a.kind for a in activities} == {"rating", "comment", "reaction"}
    assert items(page, "activity") == expected
    if language == "en":
        assert "Tears &amp; &quot;fears&quot; &lt;b&gt;" in page
        assert '<a href="/u/%EC%A7%80%ED%9B%88/">지훈</a>' in page
        assert '<details class="spoiler">' in page and "Sobbing" in page
