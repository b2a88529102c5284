"""Measurements for the benchmark table: SQL queries per request, wrk figures, sessions."""

import secrets
import statistics
import time
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.core.cache import cache
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils.module_loading import import_string


def _client(member, method):
    client = Client(HTTP_ACCEPT="application/json" if method == "post" else "text/html")
    if member is not None:
        client.force_login(member)
    return client


def _in_process():
    # The page cache would hide the work; count and time what a cache miss costs. DEBUG
    # off as gunicorn serves it (`make bench` sets DEBUG=1 for its own process, which
    # would log every query and keep template debug information).
    return override_settings(
        DEBUG=False, CACHE_MIDDLEWARE_SECONDS=0, ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=False
    )


def queries_per_request(path, *, member=None, method="get", data=None):
    """SQL queries one request makes, measured in-process against the same database:
    (with an empty cache, once its fragments are kept). Only this process's cache is
    emptied (gunicorn's workers keep their own)."""
    client = _client(member, method)
    counts = []
    with _in_process():
        cache.clear()
        for _attempt in ("empty cache", "fragments kept"):
            # The connection's query log is capped; an emptied log keeps the count honest.
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                response = getattr(client, method)(path, data or {})
            if response.status_code != 200:
                raise RuntimeError(f"{method.upper()} {path} answered {response.status_code}")
            counts.append(len(captured))
            if method != "get":
                break  # a write is measured once
    return tuple(counts)


def in_process_ms(path, *, member=None, repeat=30):
    """Median milliseconds of one GET through Django's whole stack in this process
    (test Client: middleware, view, templates, SQL; no HTTP server, no other load
    from the benchmark). A few warm-up requests first fill the template and URL caches."""
    client = _client(member, "get")
    times = []
    with _in_process():
        for attempt in range(repeat + 3):
            start = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - start
            if response.status_code != 200:
                raise RuntimeError(f"GET {path} answered {response.status_code}")
            if attempt >= 3:
                times.append(elapsed * 1000)
    return statistics.median(times)


def write_sessions(members, path: Path):
    """Log members in (sessions stored as the site stores them) for wrk's rating POSTs.

    Each line: session key and a CSRF secret, which wrk sends both as the csrftoken
    cookie and as the X-CSRFToken header, as the site's own JavaScript does.
    """
    lines = [f"{member_session(member)} {secrets.token_hex(16)}" for member in members]
    path.write_text("\n".join(lines) + "\n")
    return path


def member_session(member):
    """A logged-in session for `member`, stored as the site stores sessions; its key."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = _login_backend()
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.create()
    return session.session_key


def _login_backend():
    """The backend a password log-in records: the first that can load a user (the
    throttle's backend, listed first, only refuses locked-out attempts)."""
    for path in settings.AUTHENTICATION_BACKENDS:
        if hasattr(import_string(path), "get_user"):
            return path
    raise RuntimeError("no authentication backend can load a user")


def bench_members(count):
    return list(
        get_user_model().objects.filter(username__startswith="bench").order_by("pk")[:count]
    )
