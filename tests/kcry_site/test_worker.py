"""The scale-out path of the task queue, for real: a redis-server as the broker, a
Celery worker process (`celery -A kcry_site worker`) on the test database, and mail
written by that worker to files. Proves that an inbox mail queued by a request's commit
and a periodic job named in the beat schedule both run in the worker, not here.

The worker shares the test database: rows are committed (transaction=True) and its
DATABASE_URL names the test database (pytest-django's NAME differs from the settings')."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from email import message_from_bytes
from email.policy import default as email_policy
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from kombu import pools

from comments import services as comment_services
from kcry_site import celery_app
from kcry_site.accounts.models import Delivery
from kcry_site.inbox.models import Notification
from tests.factories import UserFactory, WorkFactory
from tests.kcry_site.servers import RedisServer
from votes import services as vote_services
from votes.models import RankingBaseline, WorkStats

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def database_url():
    """The test database as a DATABASE_URL, for the worker."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{quote(db['NAME'], safe='')}"


@pytest.fixture
def redis():
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(tmp_path):
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def worker(redis, mailbox, tmp_path):
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": redis.url,
        # django-environ drops one slash: an absolute path needs four (filemail:////tmp/…).
        "EMAIL_URL": f"filemail:///{mailbox}",
        "KCRY_SITE_URL": "http://kcry.test",
    }
    command = [sys.executable, "-m", "celery", "-A", "kcry_site", "worker", "--pool=solo"]
    command += ["--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    wait_until(lambda: b"ready." in log.read_bytes(), what="the worker to start", log=log)
    yield log
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def wait_until(condition, *, what, log, timeout=20):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {what}; worker log:\n{log.read_text()}")
        time.sleep(0.1)


@contextmanager
def queued_to(url):
    """This process sends tasks to the broker, as a site with CELERY_BROKER_URL does."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.broker_url
    conf.task_always_eager, conf.broker_url = False, url
    celery_app._pool = celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        pools.reset()  # closes the connections and forgets kombu's shared pools
        celery_app._pool = celery_app.amqp._producer_pool = None
        conf.task_always_eager, conf.broker_url = saved


def mails(mailbox):
    return [
        message_from_bytes(path.read_bytes(), policy=email_policy)
        for path in sorted(mailbox.iterdir())
    ]


def text_of(message):
    return message.get_content()


def test_a_worker_sends_the_mail_and_runs_a_periodic_job(worker, redis, mailbox, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    alice = UserFactory(username="alice")
    alice.set_notification_delivery("reply", Delivery.EMAIL)
    alice.save()
    bob = UserFactory(username="bob")
    work = WorkFactory(slug="haru-haru", title="Haru Haru")
    parent, _ = comment_services.comment_post(author=alice, target=work, body="So sad.")

    with queued_to(redis.url):
        # The reply commits, its mail is queued on commit, and the worker sends it.
        comment_services.comment_post(author=bob, target=work, body="Me too.", parent=parent)
    assert list(mailbox.iterdir()) == []  # not written here
    wait_until(lambda: mails(mailbox), what="the reply mail", log=worker)
    [message] = mails(mailbox)
    assert message["To"] == "alice@example.com"
    assert "bob replied to your comment on Haru Haru" in message["Subject"]
    assert message["List-Unsubscribe"].strip().startswith("<http://kcry.test/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "http://kcry.test/unsubscribe/" in text_of(message)
    assert Notification.objects.get(recipient=alice).mailed_at is not None

    # The nightly recount check, by the name beat uses: the worker finds the drift and
    # mails it to staff.
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"votes.tasks.check_stored_figures", "votes.tasks.refresh_ranking_baseline"} <= scheduled
    assert "kcry_site.inbox.tasks.send_daily_digests" in scheduled
    UserFactory(username="boss", is_staff=True)
    vote_services.rating_set(member=bob, work=work, tears=4)
    WorkStats.objects.filter(pk=work.pk).update(n=2, c4=2, total=8)
    assert not RankingBaseline.objects.exists()  # no request refreshes it with a broker
    with queued_to(redis.url):
        celery_app.send_task("votes.tasks.check_stored_figures")
        celery_app.send_task("votes.tasks.refresh_ranking_baseline")
    wait_until(lambda: len(mails(mailbox)) == 2, what="the drift mail", log=worker)
    [drift] = [message for message in mails(mailbox) if message["To"] == "boss@example.com"]
    assert "haru-haru: n 2→1" in text_of(drift)
    wait_until(RankingBaseline.objects.exists, what="the baseline refresh", log=worker)
    assert WorkStats.objects.get(pk=work.pk).n == 2  # the check changed nothing
