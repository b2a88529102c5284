"""The one sliding-window limiter (kcry_site.web.ratelimit), on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from kcry_site.web import ratelimit
from kcry_site.web.models import RateEvent
from kcry_site.web.ratelimit import RateLimited, hit
from tests.concurrency import run_at_once

pytestmark = pytest.mark.django_db


def test_lets_limit_through_then_refuses_with_the_wait_until_the_oldest_leaves():
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        hit("k", 3, 60)
    with time_machine.travel(start + timedelta(seconds=20), tick=False):
        hit("k", 3, 60)
        hit("k", 3, 60)
        with pytest.raises(RateLimited) as refused:
            hit("k", 3, 60)
    assert refused.value.retry_after == 40
    assert "40 seconds" in refused.value.message
    assert RateEvent.objects.filter(key="k").count() == 3  # the refused hit left no row
    hit("other", 3, 60)  # another key has its own allowance


def test_the_window_slides_so_a_burst_across_a_minute_boundary_gets_no_more():
    # Five at 11:59:59.5 and five at 12:00:00.5: a fixed window lets all ten through.
    boundary = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=2)
    with time_machine.travel(boundary - timedelta(seconds=0.5), tick=False):
        for _ in range(5):
            hit("burst", 5, 60)
    with time_machine.travel(boundary + timedelta(seconds=0.5), tick=False):
        with pytest.raises(RateLimited) as refused:
            hit("burst", 5, 60)
    assert refused.value.retry_after == 59
    with time_machine.travel(boundary + timedelta(seconds=60), tick=False):
        hit("burst", 5, 60)


def test_each_hit_prunes_its_keys_old_events_and_a_sweep_prunes_every_key(settings):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        hit("a", 5, 60)
        hit("b", 5, 60)
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        hit("a", 5, 60)
    assert RateEvent.objects.filter(key="a").count() == 1
    settings.KCRY_RATE_EVENT_MAX_AGE = 3600
    assert ratelimit.sweep(start + timedelta(seconds=3601)) == 1
    assert not RateEvent.objects.filter(key="b").exists()


def test_a_refused_hit_inside_a_transaction_takes_its_row_back():
    hit("t", 1, 60)
    with transaction.atomic(), pytest.raises(RateLimited):
        hit("t", 1, 60)
    assert RateEvent.objects.filter(key="t").count() == 1


@pytest.mark.django_db(transaction=True)
def test_thirty_requests_at_once_let_exactly_the_limit_through():
    passed, refused = [], []

    def job():
        try:
            hit("crowd", 7, 60)
        except RateLimited:
            refused.append(1)
        else:
            passed.append(1)

    run_at_once([job] * 30)
    assert (len(passed), len(refused)) == (7, 23)
    assert RateEvent.objects.filter(key="crowd").count() == 7
