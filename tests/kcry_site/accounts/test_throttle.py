"""One throttle for every password form: site log-in, admin log-in, password change and
account deletion, counted per account and address, per address, and per account."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RIGHT = "tissues-please-42"


@pytest.fixture
def limits(settings):
    settings.KCRY_LOGIN_MAX_FAILURES = 3
    settings.KCRY_LOGIN_MAX_FAILURES_PER_ADDRESS = 6
    settings.KCRY_LOGIN_MAX_FAILURES_PER_ACCOUNT = 9
    return settings


def test_admin_log_in_is_throttled_like_the_site_log_in(client, limits):
    UserFactory(username="editor", is_staff=True, is_superuser=True)
    for _ in range(3):
        client.post("/admin/login/", {"username": "editor", "password": "guess"})
    blocked = client.post("/admin/login/?next=/admin/", {"username": "editor", "password": RIGHT})
    assert blocked.status_code == 429
    assert "Too many failed log-ins" in blocked.content.decode()
    # The same pause holds on the site's own log-in form: one throttle.
    site = client.post("/accounts/login/", {"username": "editor", "password": RIGHT})
    assert site.status_code == 429


def test_password_change_counts_wrong_old_passwords(client, limits):
    member = UserFactory(username="mina")
    client.force_login(member)
    form = {
        "old_password": "guess",
        "new_password1": "n3w-sad-song!",
        "new_password2": "n3w-sad-song!",
    }
    for _ in range(2):
        assert client.post("/accounts/password_change/", form).status_code == 200
    assert client.post("/accounts/password_change/", form).status_code == 429
    right = {**form, "old_password": RIGHT}
    assert client.post("/accounts/password_change/", right).status_code == 429
    member.refresh_from_db()
    assert member.check_password(RIGHT)


def test_account_deletion_counts_wrong_passwords(client, limits):
    member = UserFactory(username="mina")
    client.force_login(member)
    for _ in range(2):
        assert client.post("/accounts/delete/", {"password": "guess"}).status_code == 400
    assert client.post("/accounts/delete/", {"password": "guess"}).status_code == 429
    assert client.post("/accounts/delete/", {"password": RIGHT}).status_code == 429
    assert type(member).objects.filter(username="mina").exists()


def test_spraying_one_password_across_accounts_is_stopped_per_address(client, limits):
    for number in range(8):
        UserFactory(username=f"member{number}")
    answers = [
        client.post("/accounts/login/", {"username": f"member{n}", "password": "password1"})
        for n in range(8)
    ]
    assert [answer.status_code for answer in answers[:5]] == [200] * 5
    assert answers[5].status_code == 429
    # Another address may still log in to those accounts.
    other = client.post(
        "/accounts/login/", {"username": "member7", "password": RIGHT}, REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 302


def test_guessing_one_account_from_many_addresses_is_stopped_per_account(client, limits):
    UserFactory(username="mina")
    for number in range(9):
        client.post(
            "/accounts/login/",
            {"username": "mina", "password": "guess"},
            REMOTE_ADDR=f"10.0.1.{number}",
        )
    fresh_address = client.post(
        "/accounts/login/", {"username": "mina", "password": RIGHT}, REMOTE_ADDR="10.0.2.1"
    )
    assert fresh_address.status_code == 429


def test_a_success_does_not_clear_the_address_count(client, limits):
    UserFactory(username="mine")
    for number in range(5):
        UserFactory(username=f"victim{number}")
        client.post("/accounts/login/", {"username": f"victim{number}", "password": "guess"})
    assert (
        client.post("/accounts/login/", {"username": "mine", "password": RIGHT}).status_code == 302
    )
    client.logout()
    # The sixth failure from this address pauses it, whatever the sprayer's own log-in.
    sixth = client.post("/accounts/login/", {"username": "victim0", "password": "guess"})
    assert sixth.status_code == 429


def test_an_overlong_username_is_counted_not_a_server_error(client, limits):
    # Django's log-in form limits the username only in the browser; the throttle's
    # column would overflow on PostgreSQL.
    answer = client.post("/accounts/login/", {"username": "9" * 5000, "password": "guess"})
    assert answer.status_code == 200
    assert "Please enter a correct username and password" in answer.content.decode()
