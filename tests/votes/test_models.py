import pytest
from django.db import IntegrityError, transaction

from tests.factories import RatingFactory, UserFactory, WorkFactory
from votes.models import Rating, WorkStats, bayesian_score

pytestmark = pytest.mark.django_db


def test_one_rating_per_member_and_work_is_enforced_by_the_database():
    member, work = UserFactory(), WorkFactory()
    RatingFactory(member=member, work=work, tears=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        RatingFactory(member=member, work=work, tears=4)
    assert Rating.objects.filter(member=member, work=work).count() == 1


@pytest.mark.parametrize("tears", [-1, 6, 40])
def test_tears_outside_0_to_5_are_refused_by_the_database(tears):
    with pytest.raises(IntegrityError), transaction.atomic():
        RatingFactory(tears=tears)
    assert not Rating.objects.exists()


def test_the_same_member_may_rate_other_works_and_others_the_same_work():
    member, work = UserFactory(), WorkFactory()
    RatingFactory(member=member, work=work)
    RatingFactory(member=member, work=WorkFactory())
    RatingFactory(member=UserFactory(), work=work)
    assert Rating.objects.count() == 3


def test_stored_histogram_must_add_up_to_the_count():
    work = WorkFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkStats.objects.create(work=work, n=2, total=5, c5=1)


def test_bayesian_score_pulls_a_small_sample_towards_the_mean():
    # One 5 with m=5 and C=3: (5 + 15) / 6
    assert bayesian_score(total=5, count=1, mean=3, weight=5) == pytest.approx(20 / 6)
    # Many ratings: close to the work's own mean.
    assert bayesian_score(total=400, count=100, mean=3, weight=5) == pytest.approx(415 / 105)
