"""Concurrent rating writes on one work leave exact figures (SQLite and PostgreSQL)."""

import pytest

from tests.concurrency import run_at_once
from tests.factories import UserFactory, WorkFactory
from votes import services
from votes.models import Rating, TearBucket, TearMark, WorkStats
from votes.stats import recompute_all


@pytest.mark.django_db(transaction=True)
def test_many_members_rating_one_work_at_once_leave_exact_figures():
    work = WorkFactory()
    members = [UserFactory() for _ in range(12)]
    values = [index % 6 for index in range(len(members))]
    run_at_once(
        [
            (lambda m=m, v=v: services.rating_set(member=m, work=work, tears=v))
            for m, v in zip(members, values, strict=True)
        ]
    )
    stats = WorkStats.objects.get(pk=work.pk)
    assert stats.n == 12
    assert stats.total == sum(values)
    assert stats.counts == [2, 2, 2, 2, 2, 2]
    assert recompute_all(fix=False) == []


@pytest.mark.django_db(transaction=True)
def test_changes_withdrawals_and_double_submissions_at_once_stay_exact():
    work = WorkFactory()
    members = [UserFactory() for _ in range(6)]
    for member in members:
        services.rating_set(member=member, work=work, tears=1)
    jobs = []
    for member in members[:3]:  # change, twice at once (a double submission)
        jobs += [lambda m=member: services.rating_set(member=m, work=work, tears=5)] * 2
    for member in members[3:]:  # withdraw, twice at once
        jobs += [lambda m=member: services.rating_withdraw(member=m, work=work)] * 2
    run_at_once(jobs)
    stats = WorkStats.objects.get(pk=work.pk)
    assert (stats.n, stats.total, stats.counts) == (3, 15, [0, 0, 0, 0, 0, 3])
    assert Rating.objects.filter(work=work).count() == 3
    assert recompute_all(fix=False) == []


@pytest.mark.django_db(transaction=True)
def test_tear_marks_at_once_are_counted_exactly():
    work = WorkFactory(runtime_seconds=300)
    members = [UserFactory() for _ in range(10)]
    jobs = []
    for index, member in enumerate(members):
        # Each member taps twice at once near 3:07 (one mark), and once at 0:0x.
        jobs += [lambda m=member: services.tear_mark_add(member=m, work=work, at_seconds=187)]
        jobs += [lambda m=member: services.tear_mark_add(member=m, work=work, at_seconds=189)]
        jobs += [
            lambda m=member, i=index: services.tear_mark_add(member=m, work=work, at_seconds=i % 5)
        ]
    run_at_once(jobs)
    counts = dict(TearBucket.objects.filter(work=work).values_list("start", "count"))
    assert counts == {0: 10, 185: 10}
    assert TearMark.objects.filter(work=work).count() == 20
    run_at_once(
        [
            (lambda m=m: services.tear_mark_remove(member=m, work=work, bucket=185))
            for m in members[:4]
        ]
        * 2
    )
    assert TearBucket.objects.get(work=work, start=185).count == 6
    assert TearMark.objects.filter(work=work, bucket=185).count() == 6
