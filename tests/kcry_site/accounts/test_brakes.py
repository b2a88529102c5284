"""Sign-ups per address and password-reset mails per address and per e-mail address."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, TestCase
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-sad-ballad-77"


def sign_up(client, n):
    client.logout()
    return client.post(
        "/accounts/signup/",
        {
            "username": f"newbie{n}x",
            "email": f"newbie{n}@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def test_sign_ups_per_address_are_braked_in_a_sliding_window(client, settings):
    settings.KCRY_RATE_SIGNUPS = (3, 3600)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for n in range(3):
            assert sign_up(client, n).status_code == 302
        refused = sign_up(client, 3)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert "Too many accounts were made from your network" in refused.content.decode()
    assert get_user_model().objects.count() == 3
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert sign_up(elsewhere, 4).status_code == 302
    with time_machine.travel(start + timedelta(hours=1, seconds=1), tick=False):
        assert sign_up(client, 5).status_code == 302


def test_a_refused_sign_up_form_does_not_use_up_the_allowance(client, settings):
    settings.KCRY_RATE_SIGNUPS = (1, 3600)
    for _ in range(3):
        bad = client.post("/accounts/signup/", {"username": "x", "email": "nope"})
        assert bad.status_code == 200
    assert sign_up(client, 0).status_code == 302
    assert sign_up(client, 1).status_code == 429


def reset(client, email):
    # The mail goes out through the task queue once the request's work commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/accounts/password_reset/", {"email": email})


def test_reset_mails_per_e_mail_address_stop_without_telling(settings):
    settings.KCRY_RATE_RESET_EMAIL = (2, 3600)
    UserFactory(username="mina", email="mina@example.com")
    answers = [reset(Client(REMOTE_ADDR=f"203.0.113.{n}"), "Mina@Example.com ") for n in range(4)]
    assert [a.status_code for a in answers] == [302] * 4
    assert {a["Location"] for a in answers} == {"/accounts/password_reset/done/"}
    assert len(mail.outbox) == 2
    # An address nobody has gets exactly the same answers.
    unknown = [reset(Client(REMOTE_ADDR=f"203.0.113.{n}"), "ghost@example.com") for n in range(4)]
    assert [(a.status_code, a["Location"]) for a in unknown] == [
        (a.status_code, a["Location"]) for a in answers
    ]
    assert len(mail.outbox) == 2


def test_reset_requests_per_address_are_429(client, settings):
    settings.KCRY_RATE_RESET_ADDRESS = (3, 3600)
    for n in range(3):
        assert reset(client, f"someone{n}@example.com").status_code == 302
    refused = client.post(
        "/accounts/password_reset/", {"email": "more@example.com"}, HTTP_ACCEPT="application/json"
    )
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many password reset requests" in refused.json()["error"]
