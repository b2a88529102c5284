"""Ratings and list reactions share one per-member sliding-window brake (429 past it)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import EditorialListFactory, UserFactory, WorkFactory
from votes.models import ListReaction, Rating

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def member(client, db):
    user = UserFactory(username="mina")
    client.force_login(user)
    return user


def test_rating_changes_past_the_allowance_are_429_with_retry_after(client, member, settings):
    settings.KCRY_RATE_REACTIONS = (4, 60)
    work = WorkFactory(slug="haru-haru")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for tears in (1, 2, 3, 4):
            assert client.post("/works/haru-haru/rating/", {"tears": tears}).status_code == 302
        refused = client.post("/works/haru-haru/rating/", {"tears": "5"}, **JSON)
        page = client.post("/works/haru-haru/rating/", {"tears": "5"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "too fast" in refused.json()["error"]
    assert page.status_code == 429 and "too fast" in page.content.decode()
    assert Rating.objects.get(member=member, work=work).tears == 4
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert client.post("/works/haru-haru/rating/", {"tears": "5"}).status_code == 302
    assert Rating.objects.get(member=member, work=work).tears == 5


def test_list_reactions_count_in_the_same_allowance(client, member, settings):
    settings.KCRY_RATE_REACTIONS = (3, 60)
    WorkFactory(slug="haru-haru")
    EditorialListFactory(slug="feel")
    with time_machine.travel(timezone.now(), tick=False):
        assert client.post("/works/haru-haru/rating/", {"tears": "3"}).status_code == 302
        for reaction in ("sobbing", ""):
            response = client.post("/lists/feel/reaction/", {"reaction": reaction})
            assert response.status_code == 302
        refused = client.post("/lists/feel/reaction/", {"reaction": "sobbing"}, **JSON)
    assert refused.status_code == 429
    assert not ListReaction.objects.filter(member=member).exists()
    other = UserFactory(username="jun")
    client.force_login(other)
    assert client.post("/lists/feel/reaction/", {"reaction": "sobbing"}).status_code == 302
