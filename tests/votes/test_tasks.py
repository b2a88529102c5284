"""The periodic jobs of the stored figures (votes.tasks) and who refreshes the baseline."""

import logging

import pytest
from django.core import mail

from tests.factories import UserFactory, WorkFactory
from votes import services, tasks
from votes.models import RankingBaseline, WorkStats
from votes.stats import current_baseline

pytestmark = pytest.mark.django_db


def test_the_recount_check_logs_and_mails_drift_to_staff_and_fixes_nothing(caplog):
    UserFactory(username="boss", is_staff=True)
    UserFactory(username="quiet", is_staff=True, email="")
    work = WorkFactory(slug="haru")
    services.rating_set(member=UserFactory(), work=work, tears=4)
    WorkStats.objects.filter(pk=work.pk).update(n=2, c4=2, total=8)
    with caplog.at_level(logging.WARNING, logger="votes.tasks"):
        drifts = tasks.check_stored_figures()
    assert drifts == ["haru: n 2→1, total 8→4, c4 2→1"]
    assert "haru: n 2→1, total 8→4, c4 2→1" in caplog.text
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["boss@example.com"]
    assert "haru: n 2→1, total 8→4, c4 2→1" in mail.outbox[0].body
    assert WorkStats.objects.get(pk=work.pk).n == 2  # a check only


def test_no_drift_no_mail():
    UserFactory(username="boss", is_staff=True)
    services.rating_set(member=UserFactory(), work=WorkFactory(), tears=3)
    assert tasks.check_stored_figures() == []
    assert mail.outbox == []


def test_the_baseline_task_refreshes_the_mean():
    services.rating_set(member=UserFactory(), work=WorkFactory(), tears=5)
    assert tasks.refresh_ranking_baseline() == 5.0
    assert RankingBaseline.objects.get().mean == 5.0


@pytest.mark.parametrize("eager", [True, False])
def test_requests_refresh_a_stale_baseline_only_without_a_broker(
    settings, django_capture_on_commit_callbacks, eager
):
    settings.CELERY_TASK_ALWAYS_EAGER = eager
    assert current_baseline().stale  # nothing computed yet
    with django_capture_on_commit_callbacks(execute=True):
        services.rating_set(member=UserFactory(), work=WorkFactory(), tears=1)
    assert RankingBaseline.objects.exists() is eager
