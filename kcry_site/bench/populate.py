"""Build a synthetic community for the benchmark with bulk inserts.

Deterministic (seeded), and split in two steps so the same run can time pages at
10,000 and at 1,000,000 ratings: `build_community()` makes works, people, lists,
members, comments and the first ratings; `add_ratings()` adds more. Stored rating
figures are then rebuilt by votes' own `recompute_all`, the same code that repairs drift.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from catalog.models import Credit, EditorialList, ListEntry, Person, Work
from catalog.text import compact
from comments.models import Comment
from votes.models import Rating
from votes.stats import recompute_all

BATCH = 5000
THREAD_WORK_SLUG = "bench-work-00001"  # the work whose page carries a 500-comment thread
THREAD_SIZE = 500
LIST_SLUG = "bench-list-01"


def _bulk(model, rows, label, total):
    with tqdm(total=total, desc=label, unit="row", leave=True) as bar:
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                model.objects.bulk_create(batch)
                bar.update(len(batch))
                batch = []
        if batch:
            model.objects.bulk_create(batch)
            bar.update(len(batch))


def rating_pairs(*, members, works, per_member, seed=7):
    """Distinct (member index, work index) pairs, popular works favoured.

    Each member gets `per_member` distinct works, handed out round by round (everyone's
    first, then everyone's second …), so any prefix of the sequence is a valid smaller
    community and a later call can continue where an earlier one stopped.
    """
    rng = random.Random(seed)
    picks = []
    for _ in range(members):
        chosen = set()
        while len(chosen) < per_member:
            # Squaring a uniform draw skews towards low indexes: a few works are rated a lot.
            chosen.add(int(works * rng.random() ** 2))
        picks.append(rng.sample(sorted(chosen), per_member))
    for round_number in range(per_member):
        for member in range(members):
            yield member, picks[member][round_number]


def build_community(*, works, members, comments, ratings, per_member):
    rng = random.Random(42)
    kinds = [kind for kind, _ in Work.Kind.choices]

    with transaction.atomic():
        _bulk(
            Person,
            (
                Person(
                    name=f"Bench Artist {i}",
                    slug=f"bench-artist-{i:05d}",
                    search_name=compact(f"Bench Artist {i}") + "|",
                )
                for i in range(works // 5)
            ),
            "people",
            works // 5,
        )
        _bulk(
            Work,
            (
                Work(
                    kind=kinds[i % 4],
                    title=f"Bench Tear-jerker {i}",
                    title_ko=f"눈물 {i}",
                    slug=f"bench-work-{i:05d}",
                    year=1990 + i % 35,
                    blurb="A synthetic work for the benchmark.",
                    video_url="https://video.invalid/watch" if i % 4 < 2 else "",
                    search_title=compact(f"Bench Tear-jerker {i}") + "|" + compact(f"눈물 {i}"),
                )
                for i in range(1, works + 1)
            ),
            "works",
            works,
        )
        work_ids = list(
            Work.objects.filter(slug__startswith="bench-work-")
            .order_by("slug")
            .values_list("pk", flat=True)
        )
        person_ids = list(
            Person.objects.filter(slug__startswith="bench-artist-")
            .order_by("slug")
            .values_list("pk", flat=True)
        )
        _bulk(
            Credit,
            (
                Credit(work_id=w, person_id=person_ids[i % len(person_ids)], role="artist")
                for i, w in enumerate(work_ids)
            ),
            "credits",
            len(work_ids),
        )
        for list_number in range(1, 21):
            editorial_list = EditorialList.objects.create(
                slug=f"bench-list-{list_number:02d}",
                title=f"Bench list {list_number}",
                source_kind=EditorialList.SourceKind.ARTICLE,
                is_countdown=list_number % 2 == 0,
                intro="A synthetic list.",
            )
            entries = ListEntry.objects.bulk_create(
                ListEntry(editorial_list=editorial_list, order=rank, position=rank)
                for rank in range(1, 51)
            )
            picks = rng.sample(work_ids[:2000], 50)
            ListEntry.works.through.objects.bulk_create(
                ListEntry.works.through(listentry_id=entry.pk, work_id=work_id)
                for entry, work_id in zip(entries, picks, strict=True)
            )

        password = make_password("bench-password-1")
        User = get_user_model()
        _bulk(
            User,
            (User(username=f"bench{i:05d}", password=password) for i in range(members)),
            "members",
            members,
        )
    member_ids = list(
        User.objects.filter(username__startswith="bench")
        .order_by("username")
        .values_list("pk", flat=True)
    )
    _add_comments(rng, work_ids, member_ids, comments)
    add_ratings(
        work_ids=work_ids, member_ids=member_ids, per_member=per_member, start=0, stop=ratings
    )
    return work_ids, member_ids


def _add_comments(rng, work_ids, member_ids, count):
    """Top-level comments and replies; the thread work gets THREAD_SIZE of them."""

    def comment(work_id, parent=None):
        return Comment(
            work_id=work_id,
            author_id=rng.choice(member_ids),
            parent=parent,
            root=(parent.root or parent) if parent else None,
            depth=min(parent.depth + 1, 3) if parent else 0,
            body="I was not ready for this one. " * rng.randint(1, 4),
            is_spoiler=rng.random() < 0.1,
            moment_seconds=rng.randint(10, 240) if rng.random() < 0.2 else None,
        )

    thread_work = work_ids[0]
    top_count = count // 2
    with transaction.atomic():
        tops = [comment(thread_work) for _ in range(THREAD_SIZE // 2)]
        tops += [comment(rng.choice(work_ids[:3000])) for _ in range(top_count - len(tops))]
        _bulk(Comment, tops, "comments", len(tops))
        saved_tops = list(Comment.objects.filter(parent=None).order_by("pk"))
        thread_tops = [c for c in saved_tops if c.work_id == thread_work]
        replies = [
            comment(thread_work, parent=rng.choice(thread_tops))
            for _ in range(THREAD_SIZE - len(thread_tops))
        ]
        replies += [
            comment(parent.work_id, parent=parent)
            for parent in rng.choices(saved_tops, k=count - top_count - len(replies))
        ]
        _bulk(Comment, replies, "replies", len(replies))


def add_ratings(*, work_ids, member_ids, per_member, start, stop):
    """Insert pairs [start, stop) of the deterministic rating sequence, then rebuild figures."""
    rng = random.Random(start)
    now = timezone.now()
    pairs = rating_pairs(members=len(member_ids), works=len(work_ids), per_member=per_member)

    def rows():
        for index, (member, work) in enumerate(pairs):
            if index < start:
                continue
            if index >= stop:
                return
            when = now - timedelta(days=rng.random() ** 3 * 365)  # many recent ones
            # Popular works (low index) lean sadder, so rankings have a shape.
            tears = min(5, max(0, round(rng.gauss(3.6 - work / len(work_ids) * 2, 1.2))))
            yield Rating(
                member_id=member_ids[member],
                work_id=work_ids[work],
                tears=tears,
                created=when,
                rated_at=when,
            )

    with transaction.atomic():
        _bulk(Rating, rows(), "ratings", stop - start)
    with tqdm(total=len(work_ids), desc="rating figures", unit="work") as bar:
        recompute_all(fix=True, progress=lambda index, total: bar.update(1))
