"""CACHE_URL=redis://… works: the Redis cache, sessions shared by app servers, and a site
that keeps serving (slower) while Redis is stopped or hangs, and recovers by itself."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import caches

from comments.models import Comment
from kcry_site.settings import cache_config
from tests.factories import UserFactory, WorkFactory
from tests.kcry_site.servers import RedisServer
from votes.models import Rating

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def redis_url():
    """A throw-away redis-server on loopback (installed by `make test` when missing)."""
    server = RedisServer().start()
    yield server.url
    server.stop()


@pytest.fixture
def redis_cache(settings, redis_url):
    settings.CACHES = {"default": cache_config(redis_url)}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield caches["default"]
    caches["default"].clear()


def test_cache_url_selects_django_redis_with_short_timeouts_and_errors_ignored(redis_cache):
    assert type(redis_cache).__module__ == "django_redis.cache"
    options = cache_config("redis://127.0.0.1:6379/1")["OPTIONS"]
    assert options["IGNORE_EXCEPTIONS"] is True
    assert options["SOCKET_CONNECT_TIMEOUT"] < 1 and options["SOCKET_TIMEOUT"] < 1
    # The URL may set its own.
    assert cache_config("redis://127.0.0.1:6379/1?socket_timeout=0.5")["OPTIONS"] == {
        **options,
        "SOCKET_TIMEOUT": 0.5,
    }
    redis_cache.set("tissues", {"work": "haru-haru", "count": 5}, timeout=30)
    assert redis_cache.get("tissues") == {"work": "haru-haru", "count": 5}
    redis_cache.set("counter", 0)
    redis_cache.incr("counter")
    assert redis_cache.get("counter") == 1


@pytest.mark.django_db
def test_a_session_made_on_one_app_server_is_read_by_another(client, redis_cache, redis_url):
    member = UserFactory()
    client.force_login(member)
    session_key = client.cookies["sessionid"].value

    # A second app server: another process with the same CACHE_URL and no access to
    # this test's database, so it can only find the session in Redis.
    environment = {
        **os.environ,
        "CACHE_URL": redis_url,
        "DATABASE_URL": "sqlite:////nonexistent/no.sqlite3",
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    script = (
        "from django.conf import settings; from importlib import import_module;"
        f"store = import_module(settings.SESSION_ENGINE).SessionStore({session_key!r});"
        "print(settings.SESSION_ENGINE, store.get('_auth_user_id'))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.contrib.sessions.backends.cached_db", str(member.pk)]


# --- a Redis outage -----------------------------------------------------------------------
# The cache only speeds things up: with Redis stopped or hung, pages, log-ins, sessions and
# writes still work (from the database), each cache call gives up within a fraction of a
# second, and the cache is used again as soon as Redis is back.

JSON = {"HTTP_ACCEPT": "application/json"}
PASSWORD = "tissues-please-42"  # UserFactory's


@pytest.fixture
def outage_redis(settings):
    """The site's cache and sessions on a Redis of this test's own, which it may break."""
    server = RedisServer().start()
    settings.CACHES = {"default": cache_config(server.url)}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    # The anonymous page cache is on, as in production, so its reads and writes are tried.
    settings.CACHE_MIDDLEWARE_SECONDS = 60
    yield server
    server.stop()


def visit_as_a_member(client, work, member, body):
    """Everything a member does in one visit; each step must answer as usual."""
    assert client.get("/").status_code == 200
    assert client.get(work.get_absolute_url()).status_code == 200
    assert client.get("/healthz").status_code == 200
    logged_in = client.post("/accounts/login/", {"username": member.username, "password": PASSWORD})
    assert logged_in.status_code == 302, logged_in.content.decode()[:500]
    page = client.get(work.get_absolute_url())
    assert page.status_code == 200 and member.username in page.content.decode()
    rated = client.post(f"/works/{work.slug}/rating/", {"tears": "4"}, **JSON)
    assert rated.status_code == 200, rated.content
    commented = client.post(f"/works/{work.slug}/comments/", {"body": body}, **JSON)
    assert commented.status_code == 201, commented.content
    assert client.post("/accounts/logout/").status_code == 302


@pytest.mark.django_db
def test_the_site_serves_pages_log_ins_and_writes_with_redis_stopped(client, outage_redis):
    work, member = WorkFactory(), UserFactory()
    outage_redis.stop()
    visit_as_a_member(client, work, member, "Redis is down and I still cried")
    assert Rating.objects.get(work=work, member=member).tears == 4
    assert Comment.objects.filter(author=member).count() == 1


@pytest.mark.django_db
def test_a_hung_redis_costs_a_fraction_of_a_second_not_a_failure(client, outage_redis):
    work, member = WorkFactory(), UserFactory()
    outage_redis.pause()
    started = time.monotonic()
    visit_as_a_member(client, work, member, "Redis hangs and I still cried")
    elapsed = time.monotonic() - started
    # Eight requests, each with a few cache calls that each wait for their short timeout
    # (a few seconds in all). Before, each request hung 5 s, 40 s for the visit; the bound
    # sits well between, so a busy CI machine does not make it flaky.
    assert elapsed < 20, f"the visit took {elapsed:.1f} s"
    assert Rating.objects.get(work=work, member=member).tears == 4


@pytest.mark.django_db
def test_sessions_and_the_cache_recover_by_themselves_when_redis_returns(client, outage_redis):
    member = UserFactory()
    outage_redis.stop()
    client.post("/accounts/login/", {"username": member.username, "password": PASSWORD})
    # The session was written to the database only; it still holds once Redis is back
    # (empty, as after a restart), and the cache is used again without any restart of ours.
    outage_redis.start()
    response = client.get("/u/" + member.username + "/")
    assert response.status_code == 200 and response.wsgi_request.user == member
    caches["default"].set("tissues", 5)
    assert caches["default"].get("tissues") == 5
    session_key = client.cookies["sessionid"].value
    assert any(session_key in key.decode() for key in redis_keys(outage_redis))


def redis_keys(server):
    import redis

    return redis.Redis.from_url(server.url).keys("*")
