import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_sign_up_logs_in_and_returns_to_the_page(client):
    response = client.post(
        "/accounts/signup/?next=/rankings/",
        {
            "username": "newbie",
            "email": "newbie@example.com",
            "password1": "a-long-sad-ballad-77",
            "password2": "a-long-sad-ballad-77",
            "next": "/rankings/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/rankings/"
    assert client.get("/rankings/").wsgi_request.user.get_username() == "newbie"


def test_sign_up_refuses_an_unsafe_next_and_bad_passwords(client):
    data = {
        "username": "newbie",
        "email": "newbie@example.com",
        "password1": "a-long-sad-ballad-77",
        "password2": "a-long-sad-ballad-77",
        "next": "https://evil.example/",
    }
    assert client.post("/accounts/signup/", data)["Location"] == "/welcome/"
    client.logout()
    bad = client.post(
        "/accounts/signup/", {**data, "username": "other", "password2": "different-one-88"}
    )
    assert bad.status_code == 200
    assert not get_user_model().objects.filter(username="other").exists()


def test_log_in_brings_the_member_back(client):
    UserFactory(username="mina")
    response = client.post(
        "/accounts/login/",
        {"username": "mina", "password": "tissues-please-42", "next": "/works/"},
    )
    assert response["Location"] == "/works/"


def test_failed_log_ins_are_throttled_per_account_and_address(client, settings):
    settings.KCRY_LOGIN_MAX_FAILURES = 3
    UserFactory(username="mina")
    for _ in range(2):
        assert (
            client.post("/accounts/login/", {"username": "mina", "password": "no"}).status_code
            == 200
        )
    # The third failure pauses log-ins; even the right password is refused now.
    third = client.post("/accounts/login/", {"username": "mina", "password": "no"})
    assert third.status_code == 429
    blocked = client.post("/accounts/login/", {"username": "mina", "password": "tissues-please-42"})
    assert blocked.status_code == 429
    assert "Too many failed log-ins" in blocked.content.decode()
    # Another address is not locked out.
    other = client.post(
        "/accounts/login/",
        {"username": "mina", "password": "tissues-please-42"},
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 302


def test_a_successful_log_in_resets_the_failure_count(client, settings):
    settings.KCRY_LOGIN_MAX_FAILURES = 2
    UserFactory(username="mina")
    client.post("/accounts/login/", {"username": "mina", "password": "no"})
    client.post("/accounts/login/", {"username": "mina", "password": "tissues-please-42"})
    client.logout()
    client.post("/accounts/login/", {"username": "mina", "password": "no"})
    ok = client.post("/accounts/login/", {"username": "mina", "password": "tissues-please-42"})
    assert ok.status_code == 302


def test_password_reset_sends_a_link_that_sets_a_new_password(
    client, django_capture_on_commit_callbacks
):
    UserFactory(username="mina", email="mina@example.com")
    # The mail is queued once the request's work commits, then written by the task.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password_reset/", {"email": "mina@example.com"})
    # (Counting the queued callbacks would be flaky: the brakes' occasional sweep of old
    # events is queued after the commit too.)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand-new-tears-9", "new_password2": "brand-new-tears-9"},
    )
    assert done.status_code == 302
    logged_in = client.post(
        "/accounts/login/", {"username": "mina", "password": "brand-new-tears-9"}
    )
    assert logged_in.status_code == 302


def test_password_change_page_uses_the_site_layout(client):
    client.force_login(UserFactory())
    html = client.get("/accounts/password_change/").content.decode()
    assert "Change your password" in html
    assert "kcry" in html and "Django administration" not in html


def test_header_offers_sign_up_and_rankings(client):
    html = client.get("/").content.decode()
    assert "/accounts/signup/?next=/" in html
    assert 'href="/rankings/"' in html


def test_behind_a_proxy_the_throttle_keys_on_the_address_the_proxy_saw(client, settings):
    settings.KCRY_LOGIN_MAX_FAILURES = 2
    settings.KCRY_TRUSTED_PROXIES = 1
    UserFactory(username="mina")
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(2):
        # The client forges a first entry; only the one the proxy appended counts.
        client.post(
            "/accounts/login/",
            {"username": "mina", "password": "no"},
            HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7",
            **proxy,
        )
    right = {"username": "mina", "password": "tissues-please-42"}
    forged = client.post(
        "/accounts/login/", right, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7", **proxy
    )
    assert forged.status_code == 429
    # Another visitor behind the same proxy is not locked out.
    other = client.post("/accounts/login/", right, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)
    assert other.status_code == 302


def test_logging_out_says_so_on_the_page_you_land_on(client):
    client.force_login(UserFactory())
    response = client.post("/accounts/logout/", follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert "You are logged out." in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_the_reset_mail_is_written_by_a_task_from_ids_and_strings(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    from kcry_site.accounts import tasks

    member = UserFactory(username="mina", email="mina@example.com")
    queued = []
    monkeypatch.setattr(tasks.send_password_reset, "delay", lambda **kw: queued.append(kw))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post("/accounts/password_reset/", {"email": "mina@example.com"})
    assert mail.outbox == []  # not sent inside the request
    for callback in callbacks:
        callback()
    [arguments] = queued
    assert arguments["member_id"] == member.pk
    assert all(isinstance(value, (int, str, type(None))) for value in arguments.values())
    monkeypatch.undo()
    assert tasks.send_password_reset(**arguments) is True
    assert "/accounts/reset/" in mail.outbox[0].body
