"""After sign-up with no page to go back to, a new member lands on /welcome/: hello by
name and works of the founding lists to rate in one click each."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import EditorialListFactory, ListEntryFactory, UserFactory, WorkFactory
from votes.models import Rating

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "username": "newbie",
    "email": "newbie@example.com",
    "password1": "a-long-sad-ballad-77",
    "password2": "a-long-sad-ballad-77",
}


def founding_lists():
    first = EditorialListFactory(title="First List")
    second = EditorialListFactory(title="Second List")
    EditorialListFactory(title="Draft List", is_published=False)
    works = [WorkFactory(title=f"First {i}") for i in range(5)]
    works += [WorkFactory(title=f"Second {i}") for i in range(5)]
    hidden = WorkFactory(title="Withdrawn", is_published=False)
    for order, work in enumerate(works[:5]):
        ListEntryFactory(editorial_list=first, works=[work], order=order)
    ListEntryFactory(editorial_list=second, works=[hidden], order=0)
    for order, work in enumerate(works[5:], start=1):
        ListEntryFactory(editorial_list=second, works=[work], order=order)
    return works


def test_sign_up_without_next_lands_on_the_welcome_page(client):
    works = founding_lists()
    response = client.post("/accounts/signup/", SIGN_UP, follow=True)
    assert response.redirect_chain == [("/welcome/", 302)]
    html = response.content.decode()
    assert "Welcome, newbie!" in html
    shown = [work.title for work in response.context["works"]]
    assert shown == [
        "First 0",
        "First 1",
        "First 2",
        "First 3",
        "First 4",
        "Second 0",
        "Second 1",
        "Second 2",
    ]
    assert "Withdrawn" not in html
    # One click rates: each work carries its own form of six buttons.
    assert html.count('name="tears"') == 6 * 8
    action = f"/works/{works[0].slug}/rating/"
    assert f'action="{action}"' in html
    rated = client.post(action, {"tears": "4"})
    assert rated.status_code == 302
    assert Rating.objects.get(member__username="newbie", work=works[0]).tears == 4
    again = client.get("/welcome/").content.decode()
    assert "Your rating: 4 – " in again


def test_sign_up_with_next_still_goes_back(client):
    founding_lists()
    response = client.post("/accounts/signup/?next=/rankings/", {**SIGN_UP, "next": "/rankings/"})
    assert response["Location"] == "/rankings/"


def test_welcome_is_for_members_and_bounded(client):
    assert client.get("/welcome/")["Location"].startswith("/accounts/login/")
    founding_lists()
    client.force_login(UserFactory(username="jun"))
    with CaptureQueriesContext(connection) as small:
        assert client.get("/welcome/").status_code == 200
    for _ in range(30):
        founding_lists()
    with CaptureQueriesContext(connection) as big:
        response = client.get("/welcome/")
    assert len(response.context["works"]) == 8
    assert len(big) == len(small)


def test_welcome_with_no_lists_yet_still_greets(client):
    client.force_login(UserFactory(username="jun"))
    html = client.get("/welcome/").content.decode()
    assert "Welcome, jun!" in html and 'name="tears"' not in html
