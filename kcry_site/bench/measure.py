"""Measurements for the benchmark table: SQL queries per request, wrk figures, sessions."""

import secrets
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils.module_loading import import_string


def queries_per_request(path, *, member=None, method="get", data=None):
    """SQL queries one request makes, measured in-process against the same database."""
    client = Client(HTTP_ACCEPT="application/json" if method == "post" else "text/html")
    if member is not None:
        client.force_login(member)
    # The page cache would hide the queries; count what a cache miss costs.
    with override_settings(
        CACHE_MIDDLEWARE_SECONDS=0, ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=False
    ):
        # The connection's query log is capped; an emptied log keeps the count honest.
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            response = getattr(client, method)(path, data or {})
    if response.status_code != 200:
        raise RuntimeError(f"{method.upper()} {path} answered {response.status_code}")
    return len(captured)


def write_sessions(members, path: Path):
    """Log members in (sessions stored as the site stores them) for wrk's rating POSTs.

    Each line: session key and a CSRF secret, which wrk sends both as the csrftoken
    cookie and as the X-CSRFToken header, as the site's own JavaScript does.
    """
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    lines = []
    for member in members:
        session = store_class()
        session[SESSION_KEY] = str(member.pk)
        session[BACKEND_SESSION_KEY] = _login_backend()
        session[HASH_SESSION_KEY] = member.get_session_auth_hash()
        session.create()
        lines.append(f"{session.session_key} {secrets.token_hex(16)}")
    path.write_text("\n".join(lines) + "\n")
    return path


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
