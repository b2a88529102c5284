"""One click rates (each tear value is a submit button), the next page offers "Undo",
and a value picked while logged out is saved once the visitor logs in."""

import re

import pytest

from tests.factories import UserFactory, WorkFactory, rate
from votes.models import Rating

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
PASSWORD = "tissues-please-42"
SAME_SITE = {"HTTP_SEC_FETCH_SITE": "same-origin"}


@pytest.fixture
def work():
    return WorkFactory(slug="haru-haru", title="Haru Haru")


def undo_form(html):
    match = re.search(r'<form class="inline-form undo-form".*?</form>', html, re.S)
    return match and match.group(0)


def test_each_value_is_its_own_submit_button(client, work):
    client.force_login(UserFactory())
    html = client.get(work.get_absolute_url()).content.decode()
    for value in range(6):
        assert f'<button type="submit" name="tears" value="{value}"' in html
    assert 'type="radio"' not in html  # no pick-then-save


def test_the_page_after_a_rating_offers_undo_once(client, work):
    member = UserFactory()
    client.force_login(member)
    html = client.post(f"{work.get_absolute_url()}rating/", {"tears": "3"}, follow=True)
    form = undo_form(html.content.decode())
    assert 'name="tears" value=""' in form and "withdraws the rating" in form
    client.post(f"{work.get_absolute_url()}rating/", {"tears": "5"})
    form = undo_form(client.get(work.get_absolute_url()).content.decode())
    assert 'name="tears" value="3"' in form and "back to 3 – Teary" in form
    assert undo_form(client.get(work.get_absolute_url()).content.decode()) is None  # once
    client.post(f"{work.get_absolute_url()}rating/", {"tears": "3"})  # the undo itself
    assert Rating.objects.get(member=member).tears == 3


def log_in(client, username):
    return client.post(
        "/accounts/login/?next=/works/haru-haru/",
        {"username": username, "password": PASSWORD},
        follow=True,
    )


def test_a_visitor_picks_logs_in_and_the_rating_is_saved(client, work):
    UserFactory(username="mina")
    rate(UserFactory(), work, 1)
    response = client.get("/works/haru-haru/rating/later/", {"tears": "4"}, **SAME_SITE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/works/haru-haru/")
    assert not Rating.objects.filter(member__username="mina").exists()
    page = log_in(client, "mina")
    assert Rating.objects.get(member__username="mina", work=work).tears == 4
    assert "Your rating was saved: Haru Haru, 4 – Crying." in page.content.decode()
    # Only once: a later log-in saves nothing again.
    Rating.objects.filter(member__username="mina").update(tears=2)
    client.logout()
    log_in(client, "mina")
    assert Rating.objects.get(member__username="mina", work=work).tears == 2


def test_a_logged_out_post_is_kept_too(client, work):
    UserFactory(username="mina")
    response = client.post("/works/haru-haru/rating/", {"tears": "2"})
    assert response["Location"] == "/accounts/login/?next=/works/haru-haru/"
    log_in(client, "mina")
    assert Rating.objects.get(member__username="mina", work=work).tears == 2


def test_a_link_from_another_site_cannot_plant_a_rating(client, work):
    UserFactory(username="mina")
    response = client.get(
        "/works/haru-haru/rating/later/", {"tears": "0"}, HTTP_SEC_FETCH_SITE="cross-site"
    )
    assert response.status_code == 302  # still just the log-in page
    log_in(client, "mina")
    assert not Rating.objects.exists()


@pytest.mark.parametrize("value", ["", "6", "x" * 300])
def test_a_bad_pick_is_a_clear_400(client, work, value):
    response = client.get("/works/haru-haru/rating/later/", {"tears": value}, **SAME_SITE)
    assert response.status_code == 400
    assert "0 to 5" in response.content.decode()
