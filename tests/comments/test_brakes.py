"""Flags and "me too" marks have sliding-window brakes per member (429 past them)."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import Comment, Flag, MeToo
from tests.factories import CommentFactory

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def logged_in(client, member):
    client.force_login(member)
    return client


def test_flags_past_the_allowance_are_refused_and_not_stored(member, other, mv, settings):
    settings.KCRY_RATE_FLAGS = (2, 3600)
    comments = [CommentFactory(work=mv, author=other) for _ in range(4)]
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for comment in comments[:2]:
            services.flag_create(member=member, comment=comment, reason="spam")
        with pytest.raises(services.RateLimited) as refused:
            services.flag_create(member=member, comment=comments[2], reason="spam")
    assert refused.value.retry_after == 3600
    assert "Please wait 60 minutes before flagging another." in refused.value.message
    assert Flag.objects.count() == 2
    assert Comment.objects.get(pk=comments[2].pk).flag_count == 0
    with time_machine.travel(start + timedelta(hours=1, seconds=1), tick=False):
        services.flag_create(member=member, comment=comments[3], reason="spam")


def test_a_repeated_flag_does_not_use_up_the_allowance(member, other, mv, settings):
    settings.KCRY_RATE_FLAGS = (1, 3600)
    comment, second = CommentFactory(work=mv, author=other), CommentFactory(work=mv, author=other)
    services.flag_create(member=member, comment=comment, reason="spam")
    for _ in range(3):
        with pytest.raises(services.ValidationError):
            services.flag_create(member=member, comment=comment, reason="spam")
    with pytest.raises(services.RateLimited):
        services.flag_create(member=member, comment=second, reason="spam")


def test_the_flag_page_answers_429_with_retry_after(logged_in, other, mv, settings):
    settings.KCRY_RATE_FLAGS = (1, 3600)
    first, second = CommentFactory(work=mv, author=other), CommentFactory(work=mv, author=other)
    with time_machine.travel(timezone.now(), tick=False):
        logged_in.post(reverse("comments:flag", args=[first.pk]), {"reason": "spam"})
        page = logged_in.post(reverse("comments:flag", args=[second.pk]), {"reason": "spam"})
        data = logged_in.post(
            reverse("comments:flag", args=[second.pk]), {"reason": "spam"}, **JSON
        )
    assert page.status_code == 429 and page["Retry-After"] == "3600"
    assert "before flagging another" in page.content.decode()
    assert data.status_code == 429 and "before flagging another" in data.json()["error"]
    assert Flag.objects.count() == 1


def test_metoo_toggles_share_the_reactions_allowance(logged_in, other, mv, settings):
    settings.KCRY_RATE_REACTIONS = (3, 60)
    comment = CommentFactory(work=mv, author=other)
    url = reverse("comments:metoo", args=[comment.pk])
    with time_machine.travel(timezone.now(), tick=False):
        for mark in ("1", "0", "1"):
            assert logged_in.post(url, {"mark": mark}, **JSON).status_code == 200
        refused = logged_in.post(url, {"mark": "0"}, **JSON)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "too fast" in refused.json()["error"]
    assert MeToo.objects.filter(comment=comment).count() == 1
