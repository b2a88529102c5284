"""/healthz: one JSON answer per component (database, cache, disk); 503 only when the site
cannot serve, that is when the database is down or unusable."""

import contextlib
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.db import OperationalError, connection

from kcry_site.settings import cache_config
from tests.kcry_site.servers import RedisServer

pytestmark = pytest.mark.django_db


def health(client):
    response = client.get("/healthz")
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    return response.status_code, response.json()


@contextlib.contextmanager
def read_only(directory):
    """Make a directory read-only for this process, root included (chmod binds only other
    users; root needs the immutable attribute, which ext4 and tmpfs-less /tmp support)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    mode = directory.stat().st_mode
    directory.chmod(0o555)
    immutable = False
    if os.geteuid() == 0:
        chattr = shutil.which("chattr")
        if not chattr or subprocess.run([chattr, "+i", str(directory)]).returncode != 0:
            directory.chmod(mode)
            pytest.skip("running as root where this file system has no immutable attribute")
        immutable = True
    try:
        yield directory
    finally:
        if immutable:
            subprocess.run([shutil.which("chattr"), "-i", str(directory)], check=True)
        directory.chmod(mode)


def test_all_components_ok(client, settings):
    status, answer = health(client)
    assert status == 200
    expected_disk = {"media": "ok"}
    if connection.vendor == "sqlite":
        expected_disk["database"] = "ok"
    assert answer == {"status": "ok", "database": "ok", "cache": "ok", "disk": expected_disk}


def test_an_unreachable_database_answers_503(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    status, answer = health(client)
    assert status == 503
    assert answer["status"] == "error" and answer["database"] == "unreachable"
    # What is wrong stays in the logs: the public answer names no host, file or query.
    assert "refused" not in str(answer)


def test_a_database_without_the_sites_tables_is_unusable(client):
    # A database that answers SELECT 1 but has lost its tables (e.g. a removed SQLite file
    # that the next connection re-creates empty) serves no page: say so. The rename is
    # undone with the test's transaction.
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE catalog_work RENAME TO catalog_work_away")
    status, answer = health(client)
    assert status == 503
    assert answer["status"] == "error" and answer["database"] == "unusable"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite file")
def test_a_removed_sqlite_file_is_unusable(client, tmp_path, monkeypatch):
    gone = tmp_path / "removed.sqlite3"
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "NAME", str(gone))
    try:
        status, answer = health(client)
    finally:
        connection.close()
    assert status == 503 and answer["database"] == "unusable"


def test_a_stopped_cache_is_reported_but_the_site_serves(client, settings):
    server = RedisServer()  # its port, with nothing listening yet
    settings.CACHES = {"default": cache_config(server.url)}
    status, answer = health(client)
    assert status == 200
    assert answer["status"] == "degraded" and answer["cache"] == "unreachable"
    assert answer["database"] == "ok"

    # Redis comes back: the next check sees it, with no restart of the site.
    server.start()
    try:
        status, answer = health(client)
    finally:
        server.stop()
    assert status == 200 and answer["status"] == "ok" and answer["cache"] == "ok"


def test_a_hung_cache_is_reported_quickly(client, settings):
    server = RedisServer().start()
    settings.CACHES = {"default": cache_config(server.url)}
    server.pause()
    try:
        started = time.monotonic()
        status, answer = health(client)
        elapsed = time.monotonic() - started
    finally:
        server.stop()
    assert status == 200 and answer["cache"] == "unreachable"
    assert elapsed < 2


def test_a_read_only_media_directory_is_reported(client, settings, tmp_path):
    with read_only(tmp_path / "media"):
        status, answer = health(client)
    assert status == 200
    assert answer["status"] == "degraded" and answer["disk"]["media"] == "read-only"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite file's directory")
def test_a_read_only_sqlite_directory_is_reported(tmp_path, monkeypatch):
    from kcry_site.health import check_disk

    database = tmp_path / "db" / "kcry.sqlite3"
    monkeypatch.setitem(connection.settings_dict, "NAME", str(database))
    with read_only(database.parent):
        assert check_disk()["database"] == "read-only"
    assert check_disk()["database"] == "ok"
