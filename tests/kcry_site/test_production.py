"""Production serving: deploy checks, security headers, health, logging, page cache."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import UserFactory, WorkFactory

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "-production-secret-" + "x1y2z3" * 5,
    "ALLOWED_HOSTS": "kcry.example",
}


def manage(*args, **extra_env):
    environment = {**os.environ, **PRODUCTION_ENV, **extra_env}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_deploy_check_catches_a_development_setup():
    result = manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="1")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_debug_is_off_unless_the_environment_turns_it_on():
    result = manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)")
    environment = {**os.environ, **PRODUCTION_ENV}
    environment.pop("DEBUG")
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    unset = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.stdout.splitlines()[-1] == "False"
    assert unset.stdout.splitlines()[-1] == "False", unset.stderr


def make_the_wsgi_application(**extra_env):
    """What gunicorn does first: import kcry_site.wsgi, with production settings."""
    environment = {**os.environ, **PRODUCTION_ENV, **extra_env}
    environment["DJANGO_SETTINGS_MODULE"] = "kcry_site.settings"
    return subprocess.run(
        [sys.executable, "-c", "import kcry_site.wsgi"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("key", ["", "dev-only-insecure-key-change-me-0123456789abcdef"])
def test_without_debug_the_site_refuses_to_serve_on_a_missing_or_development_key(key):
    served = make_the_wsgi_application(SECRET_KEY=key)
    assert served.returncode != 0
    assert "Set SECRET_KEY" in served.stderr
    deploy_check = manage("check", "--deploy", SECRET_KEY=key)
    assert deploy_check.returncode != 0 and "Set SECRET_KEY" in deploy_check.stderr


def test_a_real_key_serves():
    served = make_the_wsgi_application()
    assert served.returncode == 0, served.stderr


def test_commands_that_sign_nothing_run_without_a_key():
    result = manage("makemigrations", "--check", "--dry-run", SECRET_KEY="")
    assert result.returncode == 0, result.stderr


def test_a_garbled_database_url_is_refused_with_a_clear_message():
    result = manage("check", DATABASE_URL="Removed stale pid file.\npostgres://u:p@h/db")
    assert result.returncode != 0
    assert "DATABASE_URL is not a database URL" in result.stderr


def test_json_logging_writes_one_object_per_line():
    result = manage(
        "shell",
        "-c",
        "import logging; logging.getLogger('kcry.test').warning('tissues %s', 3)",
        LOG_FORMAT="json",
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stderr.strip().splitlines()[-1])
    assert record["message"] == "tissues 3"
    assert record["level"] == "WARNING" and record["logger"] == "kcry.test"


@pytest.fixture
def production(settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_SSL_REDIRECT = True
    return settings


@pytest.mark.django_db
def test_responses_carry_the_security_headers(client, production):
    response = client.get(reverse("catalog:lists"), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert "unsafe-inline" not in policy["default-src"]
    assert policy["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(client, production):
    response = client.get(reverse("catalog:lists"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@pytest.mark.django_db
def test_anonymous_pages_are_cached_and_everyone_sees_changes_at_once(
    client, settings, django_assert_num_queries
):
    settings.CACHE_MIDDLEWARE_SECONDS = 60
    work = WorkFactory(title="First Title")
    assert "First Title" in client.get(work.get_absolute_url()).content.decode()
    with django_assert_num_queries(0):
        cached = client.get(work.get_absolute_url())
    assert "First Title" in cached.content.decode()
    work.title = "Second Title"
    work.save()
    assert "Second Title" in client.get(work.get_absolute_url()).content.decode()

    client.force_login(UserFactory())
    assert "Second Title" in client.get(work.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_baseline_view_is_off_unless_benchmarking(client):
    assert client.get("/bench/bare").status_code == 404
