"""Follows, the activity feed, private diaries and the watchlist."""

import json

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments import services as comment_services
from kcry_site.accounts.models import Follow
from kcry_site.accounts.services import follow_set
from tests.factories import UserFactory, WorkFactory
from votes import services as vote_services
from votes.models import WatchlistEntry, WorkStats

pytestmark = pytest.mark.django_db


def test_follow_and_unfollow(client, alice, bob):
    client.force_login(alice)
    response = client.post(reverse("follow", args=["bob"]), HTTP_ACCEPT="application/json")
    assert response.json()["following"] is True
    assert Follow.objects.filter(follower=alice, followed=bob).exists()
    page = client.get(reverse("member", args=["bob"])).content.decode()
    assert "1 follower" in page and "Unfollow" in page
    followers = client.get(reverse("followers", args=["bob"])).content.decode()
    assert 'href="/u/alice/"' in followers
    response = client.post(reverse("unfollow", args=["bob"]))
    assert response.status_code == 302
    assert not Follow.objects.exists()


def test_following_oneself_is_refused(client, alice):
    client.force_login(alice)
    response = client.post(reverse("follow", args=["alice"]), HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json() == {"error": "You cannot follow yourself."}
    assert not Follow.objects.exists()
    with pytest.raises(IntegrityError):
        Follow.objects.create(follower=alice, followed=alice)


def test_follow_is_post_and_members_only(client, bob):
    assert client.get(reverse("follow", args=["bob"])).status_code == 405
    response = client.post(reverse("follow", args=["bob"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Follow.objects.exists()


def test_the_feed_shows_what_followed_members_did_newest_first(client, work, alice, bob):
    carol = UserFactory(username="carol")
    follow_set(follower=alice, followed=bob)
    vote_services.rating_set(member=bob, work=work, tears=5)
    comment_services.comment_post(author=bob, target=work, body="Ugly crying.")
    vote_services.rating_set(member=carol, work=WorkFactory(title="Not followed"), tears=3)
    client.force_login(alice)
    page = client.get(reverse("inbox:feed")).content.decode()
    assert "Ugly crying." in page and "rated" in page
    assert page.index("Ugly crying.") < page.index(" rated ")
    assert "Not followed" not in page


def test_the_feed_pages_by_a_before_cursor(client, work, alice, bob, settings):
    settings.KCRY_FEED_PER_PAGE = 2
    follow_set(follower=alice, followed=bob)
    works = [WorkFactory(title=f"Work number {i}") for i in range(3)]
    for item in works:
        vote_services.rating_set(member=bob, work=item, tears=4)
    client.force_login(alice)
    first = client.get(reverse("inbox:feed"))
    assert (
        "Work number 2" in first.content.decode() and "Work number 0" not in first.content.decode()
    )
    cursor = first.context["next_before"]
    second = client.get(reverse("inbox:feed"), {"before": cursor}).content.decode()
    assert "Work number 0" in second and "Work number 2" not in second
    assert client.get(reverse("inbox:feed"), {"before": "yesterday"}).status_code == 400


def test_private_diaries_are_hidden_everywhere_but_in_the_figures(client, work, alice, bob):
    follow_set(follower=alice, followed=bob)
    vote_services.rating_set(member=bob, work=work, tears=5)
    vote_services.watchlist_toggle(member=bob, work=WorkFactory(title="Saved for later"))
    bob.diary_is_private = True
    bob.save()
    client.force_login(alice)
    member_page = client.get(reverse("member", args=["bob"])).content.decode()
    assert "This diary is private" in member_page and "Haru Haru" not in member_page
    feed = client.get(reverse("inbox:feed")).content.decode()
    assert "Haru Haru" not in feed
    watchlist = client.get(reverse("votes:watchlist", args=["bob"])).content.decode()
    assert "Saved for later" not in watchlist and "private" in watchlist
    # The rating still counts in the work's figures.
    assert WorkStats.objects.get(pk=work.pk).n == 1
    # Its owner still sees everything.
    client.force_login(bob)
    own = client.get(reverse("member", args=["bob"])).content.decode()
    assert "Haru Haru" in own and "This diary is private" not in own
    assert (
        "Saved for later" in client.get(reverse("votes:watchlist", args=["bob"])).content.decode()
    )


def feed_queries(client, member):
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("inbox:feed"))
    assert response.status_code == 200
    return len(queries), len(response.context["activities"])


def test_feed_queries_do_not_grow_with_follows(client, work, alice, settings):
    settings.KCRY_FEED_PER_PAGE = 20
    settings.KCRY_COMMENT_RATE = (1000, 60)

    def follow_many(n):
        members = UserFactory.create_batch(n)
        Follow.objects.bulk_create([Follow(follower=alice, followed=m) for m in members])
        for member in members[:10]:
            vote_services.rating_set(member=member, work=work, tears=2)
            comment_services.comment_post(author=member, target=work, body="Sniff.")

    follow_many(3)
    small, shown_small = feed_queries(client, alice)
    follow_many(400)
    large, shown_large = feed_queries(client, alice)
    assert shown_large == 20 > shown_small
    assert large == small


def test_watchlist_add_remove_and_offer_after_rating(client, work, alice):
    client.force_login(alice)
    url = reverse("votes:watchlist-toggle", args=[work.slug])
    response = client.post(url, HTTP_ACCEPT="application/json")
    assert response.json()["on_watchlist"] is True
    assert WatchlistEntry.objects.filter(member=alice, work=work).exists()
    page = client.get(reverse("work", args=[work.slug])).content.decode()
    assert "Take it off my watchlist" in page
    listing = client.get(reverse("votes:watchlist", args=["alice"])).content.decode()
    assert "Haru Haru" in listing
    # Rating a work on the list offers to take it off.
    response = client.post(reverse("votes:rate", args=[work.slug]), {"tears": "4"}, follow=True)
    text = response.content.decode()
    assert "It is on your watchlist" in text and "Take it off my watchlist" in text
    response = client.post(url, {"on": "0"})
    assert response.status_code == 302
    assert not WatchlistEntry.objects.exists()
    # A resubmitted "take off" form is harmless.
    client.post(url, {"on": "0"})
    assert not WatchlistEntry.objects.exists()
    assert client.post(url, {"on": "maybe"}).status_code == 400


def test_watchlist_is_in_the_data_export(client, work, alice):
    vote_services.watchlist_toggle(member=alice, work=work)
    client.force_login(alice)
    data = json.loads(client.get(reverse("member-data-json", args=["alice"])).content)
    assert [row["work"] for row in data["watchlist"]] == ["haru-haru"]
    csv = client.get(reverse("member-data-csv", args=["alice", "watchlist"]))
    assert csv.status_code == 200 and b"haru-haru" in b"".join(
        getattr(csv, "streaming_content", [csv.content])
    )
