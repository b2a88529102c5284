"""The feed's rows, order and cursor pages stay those of the plain read-time merge.

`reference_page` is the feed as first written (each source: every row of every followed
member, sorted); `feed.activity_page` reads less, so it is checked against it page by
page, through the whole feed, on seeded data with ties, private diaries, inactive
members, unpublished works and lists, hidden and deleted comments, at two sizes.
"""

import random
from datetime import timedelta
from heapq import merge
from itertools import islice

import pytest
from django.db.models import Q
from django.utils import timezone

from catalog.models import EditorialList, Work
from comments.models import Comment
from kcry_site.accounts.models import Follow
from kcry_site.inbox import feed
from tests.factories import EditorialListFactory, UserFactory, WorkFactory
from votes.models import ListReaction, Rating

pytestmark = pytest.mark.django_db


def reference_page(member, *, before=None, per_page=20):
    ids = Follow.objects.filter(
        follower=member, followed__is_active=True, followed__diary_is_private=False
    ).values("followed_id")
    limit = per_page + 1

    def older(field):
        return Q(**{f"{field}__lt": before}) if before is not None else Q()

    ratings = Rating.objects.filter(
        older("rated_at"), member__in=ids, work__is_published=True
    ).order_by("-rated_at", "-pk")[:limit]
    comments = (
        Comment.objects.visible()
        .filter(older("created"), author__in=ids)
        .filter(Q(work__is_published=True) | Q(editorial_list__is_published=True))
        .order_by("-created", "-pk")[:limit]
    )
    reactions = ListReaction.objects.filter(
        older("created"), member__in=ids, editorial_list__is_published=True
    ).order_by("-created", "-pk")[:limit]
    streams = [
        ((row.rated_at, "rating", row.pk) for row in ratings),
        ((row.created, "comment", row.pk) for row in comments),
        ((row.created, "reaction", row.pk) for row in reactions),
    ]
    merged = list(islice(merge(*streams, key=lambda a: a[0], reverse=True), limit))
    page, more = merged[:per_page], len(merged) > per_page
    return page, (page[-1][0] if more and page else None)


def new_page(member, **kwargs):
    page, next_before = feed.activity_page(member, **kwargs)
    return [(a.at, a.kind, a.row["pk"]) for a in page], next_before


def walk(page_of, member, per_page):
    pages, before = [], None
    while True:
        page, before = page_of(member, before=before, per_page=per_page)
        pages.append((page, before))
        if before is None:
            return pages


def community(*, followed, others=5, raters=None, seed=1):
    """A member following `followed` members (some private, one inactive), each with
    ratings, comments and reactions spread over a month, many sharing a time.
    `raters`: how many of the followed members rate (None: all)."""
    rng = random.Random(seed)
    viewer = UserFactory()
    members = UserFactory.create_batch(followed + others)
    for index, member in enumerate(members[:followed]):
        if index % 7 == 3:
            member.diary_is_private = True
        if index % 11 == 5:
            member.is_active = False
        member.save()
    Follow.objects.bulk_create(Follow(follower=viewer, followed=m) for m in members[:followed])
    works = [WorkFactory(is_published=i % 5 != 0) for i in range(12)]
    lists = [EditorialListFactory(is_published=i % 3 != 0) for i in range(4)]
    now = timezone.now().replace(microsecond=0)
    # Few distinct times, so rows of every source share them.
    times = [now - timedelta(hours=rng.randrange(24 * 30)) for _ in range(40)]
    ratings, comments, reactions = [], [], []
    for index, member in enumerate(members):
        rates = raters is None or index < raters or index >= followed
        for work in rng.sample(works, rng.randrange(0, 8) if rates else 0):
            when = rng.choice(times)
            ratings.append(
                Rating(
                    member=member,
                    work=work,
                    tears=rng.randrange(6),
                    created=when,
                    rated_at=when,
                )
            )
        for _ in range(rng.randrange(0, 5)):
            on_list = rng.random() < 0.3
            comments.append(
                Comment(
                    author=member,
                    work=None if on_list else rng.choice(works),
                    editorial_list=rng.choice(lists) if on_list else None,
                    body="Sniff.",
                    is_public=rng.random() > 0.15,
                    is_removed=rng.random() < 0.1,
                )
            )
        for item in rng.sample(lists, rng.randrange(0, 3)):
            reactions.append(
                ListReaction(
                    member=member,
                    editorial_list=item,
                    reaction=rng.choice(["sobbing", "moved"]),
                )
            )
    Rating.objects.bulk_create(ratings)
    # created is auto_now(_add): set the times afterwards.
    for row in Comment.objects.bulk_create(comments):
        Comment.objects.filter(pk=row.pk).update(created=rng.choice(times))
    for row in ListReaction.objects.bulk_create(reactions):
        ListReaction.objects.filter(pk=row.pk).update(created=rng.choice(times))
    return viewer


@pytest.mark.parametrize("followed", [4, 40])
@pytest.mark.parametrize("per_page", [3, 8])
def test_every_page_matches_the_plain_merge(followed, per_page):
    viewer = community(followed=followed)
    expected = walk(reference_page, viewer, per_page)
    assert sum(len(page) for page, _ in expected) > per_page  # more than one page
    assert walk(new_page, viewer, per_page) == expected


@pytest.mark.parametrize("raters", [0, 2])
def test_few_raters_still_match(raters):
    """Fewer followed members rate than a page holds: the bound comes from comments
    or reactions, or there is none."""
    viewer = community(followed=40, raters=raters, seed=3)
    expected = walk(reference_page, viewer, 5)
    assert walk(new_page, viewer, 5) == expected


def test_a_page_starting_mid_tie_matches():
    viewer = community(followed=30, seed=5)
    for page, _before in walk(reference_page, viewer, 4)[:-1]:
        # Every time that occurs in the feed, used as a cursor.
        for at, _, _ in page:
            assert new_page(viewer, before=at, per_page=4) == reference_page(
                viewer, before=at, per_page=4
            )


def test_unpublishing_the_newest_works_keeps_the_page_full():
    """The newest ratings are on works that get unpublished: the rows after them show."""
    viewer = community(followed=30, seed=7)
    newest = Rating.objects.filter(member__follower_links__follower=viewer).order_by("-rated_at")
    work_ids = set(newest.values_list("work_id", flat=True)[:10])
    Work.objects.filter(pk__in=work_ids).update(is_published=False)
    EditorialList.objects.update(is_published=False)
    expected = walk(reference_page, viewer, 6)
    assert walk(new_page, viewer, 6) == expected


def test_one_rating_each_pages_through_them_all():
    """Every followed member's newest rating is their only row: the floor is exactly
    the page's last row, and the page after it must still come."""
    viewer = UserFactory()
    members = UserFactory.create_batch(12)
    Follow.objects.bulk_create(Follow(follower=viewer, followed=m) for m in members)
    now = timezone.now()
    work = WorkFactory()
    Rating.objects.bulk_create(
        Rating(
            member=m,
            work=work,
            tears=3,
            created=now - timedelta(minutes=i),
            rated_at=now - timedelta(minutes=i),
        )
        for i, m in enumerate(members)
    )
    expected = walk(reference_page, viewer, 3)
    assert len(expected) == 4
    assert walk(new_page, viewer, 3) == expected
