"""Build a synthetic community for the benchmark with bulk inserts.

Deterministic (seeded), and split in two steps so the same run can time pages at
10,000 and at 1,000,000 ratings: `build_community()` makes works, people, lists,
members, comments and the first ratings; `add_ratings()` adds more. Stored rating
figures are then rebuilt by votes' own `recompute_all`, the same code that repairs drift.
`add_member_world()` gives one member (VIEWER) follows and an inbox, and
`add_tear_marks()` puts "I cried here" marks on one work (TEAR_WORK_SLUG).
"""

import random
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from catalog.models import Credit, EditorialList, ListEntry, Person, Work
from catalog.text import compact
from comments.models import Comment
from kcry_site.accounts.models import Follow
from kcry_site.inbox.models import Notification
from votes.models import Rating, TearBucket, TearMark
from votes.stats import recompute_all

BATCH = 5000
THREAD_WORK_SLUG = "bench-work-00001"  # the work whose page carries a 500-comment thread
THREAD_SIZE = 500
LIST_SLUG = "bench-list-01"
TEAR_WORK_SLUG = "bench-work-00002"  # the work whose page carries the tear marks
TEAR_WORK_RUNTIME = 3600  # seconds: 720 buckets of 5 s
VIEWER = "bench00000"  # the member whose diary, inbox and feed are timed


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


def add_member_world(*, member_ids, comment_ids, follows, notifications, seed=11):
    """The viewer (member_ids[0]) follows `follows` others and has `notifications`
    inbox entries (replies, "me too", new followers; the older half read)."""
    rng = random.Random(seed)
    viewer = member_ids[0]
    followed = member_ids[1 : 1 + follows]
    now = timezone.now()
    with transaction.atomic():
        _bulk(
            Follow,
            (Follow(follower_id=viewer, followed_id=other) for other in followed),
            "follows",
            len(followed),
        )
        kinds = [Notification.Kind.REPLY, Notification.Kind.METOO, Notification.Kind.FOLLOW]

        def rows():
            for i in range(notifications):
                kind = kinds[i % len(kinds)]
                yield Notification(
                    recipient_id=viewer,
                    kind=kind,
                    actor_id=rng.choice(member_ids[1:]),
                    comment_id=None
                    if kind == Notification.Kind.FOLLOW
                    else rng.choice(comment_ids),
                    count=rng.randint(2, 9) if kind == Notification.Kind.METOO else 1,
                    read_at=now if i >= notifications // 2 else None,
                )

        _bulk(Notification, rows(), "notifications", notifications)
        # auto_now_add stamped them all alike: spread them over the past weeks, an hour
        # apart, the first made the oldest.
        pks = Notification.objects.filter(recipient_id=viewer).order_by("-pk")
        for step, pk in enumerate(pks.values_list("pk", flat=True)):
            Notification.objects.filter(pk=pk).update(created=now - timedelta(hours=step))


def add_tear_marks(*, work_id, member_ids, marks, seed=13):
    """`marks` "I cried here" marks on one work, each member at most once per bucket,
    crowded around a few moments; then one TearBucket row per bucket with its count."""
    rng = random.Random(seed)
    width = settings.KCRY_TEAR_BUCKET_SECONDS
    buckets = TEAR_WORK_RUNTIME // width
    marks = min(marks, len(member_ids) * buckets)
    per_member = -(-marks // len(member_ids))
    peaks = [rng.uniform(0.1, 0.95) * TEAR_WORK_RUNTIME for _ in range(6)]
    Work.objects.filter(pk=work_id).update(runtime_seconds=TEAR_WORK_RUNTIME)

    def seconds():
        return int(min(max(rng.gauss(rng.choice(peaks), 90), 0), TEAR_WORK_RUNTIME - 1))

    counts = Counter()

    def rows():
        made = 0
        for member_id in member_ids:
            taken = set()
            while len(taken) < min(per_member, marks - made):
                at = seconds() if len(taken) < buckets // 2 else rng.randrange(TEAR_WORK_RUNTIME)
                start = at // width * width
                if start in taken:
                    continue
                taken.add(start)
                counts[start] += 1
                yield TearMark(member_id=member_id, work_id=work_id, bucket=start, at_seconds=at)
            made += len(taken)
            if made >= marks:
                return

    with transaction.atomic():
        _bulk(TearMark, rows(), "tear marks", marks)
        TearBucket.objects.bulk_create(
            TearBucket(work_id=work_id, start=start, count=count)
            for start, count in sorted(counts.items())
        )
    return marks
