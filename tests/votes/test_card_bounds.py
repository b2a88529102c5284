"""Share cards cannot be mass-rendered: a per-address brake on renders that miss the
cache, rating cards kept in the cache only briefly, private diaries without cards."""

import pytest
from django.core.cache import cache

from tests.factories import UserFactory, WorkFactory, rate
from votes import cards

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    calls = []
    real = cards._png

    def counting(image):
        calls.append(1)
        return real(image)

    monkeypatch.setattr(cards, "_png", counting)
    return calls


def test_an_address_drawing_many_cards_is_braked_with_429(client, settings, renders):
    settings.KCRY_RATE_CARDS = (3, 60)
    for index in range(4):
        WorkFactory(slug=f"work-{index}")
    answers = [client.get(f"/works/work-{index}/card.png").status_code for index in range(4)]
    assert answers == [200, 200, 200, 429]
    assert len(renders) == 3
    # Cached cards are still served to that address: only renders are braked.
    assert client.get("/works/work-0/card.png").status_code == 200
    # Another address is not braked.
    response = client.get("/works/work-3/card.png", REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 200


def test_rating_cards_are_cached_only_briefly(client, settings, renders, monkeypatch):
    settings.KCRY_CARD_RATING_CACHE_SECONDS = 600
    rate(UserFactory(username="jisoo"), WorkFactory(slug="rain"), 5)
    timeouts = []
    real_set = cache.set

    def recording_set(key, value, timeout=None):
        timeouts.append(timeout)
        return real_set(key, value, timeout)

    monkeypatch.setattr(cards.cache, "set", recording_set)
    assert client.get("/u/jisoo/cards/rain.png").status_code == 200
    assert timeouts == [600]
    settings.KCRY_CARD_RATING_CACHE_SECONDS = 0
    rate(UserFactory(username="minho"), WorkFactory(slug="snow"), 3)
    assert client.get("/u/minho/cards/snow.png").status_code == 200
    assert timeouts == [600]  # not kept at all


def test_a_private_diary_has_no_rating_cards_for_others(client):
    member = UserFactory(username="jisoo", diary_is_private=True)
    rate(member, WorkFactory(slug="rain"), 5)
    assert client.get("/u/jisoo/cards/rain.png").status_code == 404
    client.force_login(member)
    response = client.get("/u/jisoo/cards/rain.png")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
