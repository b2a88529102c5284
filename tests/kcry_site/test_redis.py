"""CACHE_URL=redis://… works: Django's Redis cache, and sessions shared by app servers."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import caches

from kcry_site.settings import cache_config
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url():
    """A throw-away redis-server on loopback (installed by `make test` when missing)."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is not installed: run `make test`, which installs it"
    port = free_port()
    server = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/1"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def redis_cache(settings, redis_url):
    settings.CACHES = {"default": cache_config(redis_url)}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield caches["default"]
    caches["default"].clear()


def test_cache_url_selects_djangos_redis_backend(redis_cache):
    assert type(redis_cache).__name__ == "RedisCache"
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
