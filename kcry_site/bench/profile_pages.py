"""Time members' pages in-process against a bare view, and profile them.

    DEBUG=1 KCRY_BENCH_VIEW=1 DATABASE_URL=sqlite:////tmp/kcry-profile.sqlite3 \\
        python -m kcry_site.bench.profile_pages [--build] [--profile rankings]

--build migrates and fills the database (2,000 works, 2,000 members, 50,000 ratings).
The measured member is populate.VIEWER when the database has it (the full benchmark's:
500 follows, 1,000 inbox entries). Every run also makes sure the measured member
follows 50 members and has 30 inbox entries (replies, "me too", followers) if they have
none, so /inbox/ and /feed/ show a full page.
Each page is requested by a signed-in member through Django's test client (middleware,
session, the member read, the view and the template), page cache off as for members;
the figure is the median of the runs, in milliseconds of this process's CPU time
(--clock wall for elapsed time; on a machine shared with other jobs the CPU time is the
steadier figure, and SQLite runs in the process, so its work is counted). The ratio is
to /bench/bare requested the same way.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time

import django


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kcry_site.settings")
    django.setup()


def build():
    from django.core.management import call_command

    from kcry_site.bench.populate import build_community

    call_command("migrate", verbosity=0)
    build_community(works=2000, members=2000, comments=3000, ratings=50_000, per_member=25)


FOLLOWS = 50
NOTIFICATIONS = 30


def member_extras(member):
    """The member's follows and inbox entries (idempotent: added once)."""
    from django.contrib.auth import get_user_model

    from comments.models import Comment
    from kcry_site.accounts.models import Follow
    from kcry_site.inbox.models import Notification

    others = list(
        get_user_model()
        .objects.filter(username__startswith="bench")
        .exclude(pk=member.pk)
        .order_by("pk")
        .values_list("pk", flat=True)[: FOLLOWS * 2]
    )
    if not Follow.objects.filter(follower=member).exists():
        Follow.objects.bulk_create(
            Follow(follower=member, followed_id=pk) for pk in others[:FOLLOWS]
        )
    if not Notification.objects.filter(recipient=member).exists():
        comments = list(Comment.objects.order_by("pk").values_list("pk", flat=True)[:NOTIFICATIONS])
        kinds = [Notification.Kind.REPLY, Notification.Kind.METOO, Notification.Kind.FOLLOW]
        Notification.objects.bulk_create(
            Notification(
                recipient=member,
                kind=kinds[i % 3],
                actor_id=others[FOLLOWS + i],
                comment_id=None if kinds[i % 3] == Notification.Kind.FOLLOW else comments[i],
                count=1 + i % 2,
            )
            for i in range(NOTIFICATIONS)
        )


def pages():
    from django.contrib.auth import get_user_model

    from catalog.models import Work
    from kcry_site.bench.populate import LIST_SLUG, TEAR_WORK_SLUG, THREAD_WORK_SLUG, VIEWER

    members = get_user_model().objects.filter(username__startswith="bench")
    # The full benchmark's member (populate.VIEWER) when there is one, so the figures
    # are those of `make bench`; else the first bench member.
    member = members.filter(username=VIEWER).first() or members.order_by("pk").first()
    query = Work.objects.filter(is_published=True).order_by("pk").values_list("title", flat=True)
    word = query.first().split()[0]
    member_extras(member)
    return member, {
        "bare": "/bench/bare",
        "home": "/",
        "rankings": "/rankings/",
        "works index": "/works/",
        "work (500 comments)": f"/works/{THREAD_WORK_SLUG}/",
        "work (100,000 tear marks)": f"/works/{TEAR_WORK_SLUG}/",
        "list": f"/lists/{LIST_SLUG}/",
        "search": f"/search/?q={word}",
        "member diary": f"/u/{member.get_username()}/",
        "inbox": "/inbox/",
        "feed": "/feed/",
    }


CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}


def timed(client, path, runs, clock=time.process_time):
    times = []
    for _ in range(runs):
        start = clock()
        response = client.get(path)
        times.append((clock() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
    return statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--profile", help="a page name to profile with cProfile")
    parser.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        default="cpu",
        help="cpu: this process's CPU time (steady on a shared machine); wall: elapsed time",
    )
    args = parser.parse_args(argv)
    setup()
    from django.test import Client
    from django.test.utils import override_settings

    if args.build:
        build()
    member, paths = pages()
    client = Client()
    client.force_login(member)
    with override_settings(
        ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=False, DEBUG=False, CACHE_MIDDLEWARE_SECONDS=0
    ):
        if args.profile:
            path = paths[args.profile]
            client.get(path)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(5):
                client.get(path)
            profiler.disable()
            stats = pstats.Stats(profiler, stream=sys.stdout)
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(25)
            return
        for path in paths.values():
            client.get(path)  # warm up: templates loaded, caches filled
        clock = CLOCKS[args.clock]
        bare = timed(client, paths["bare"], args.runs * 4, clock)
        print(f"{'page':<26} {'ms':>8} {'× bare':>8}")
        for name, path in paths.items():
            ms = bare if name == "bare" else timed(client, path, args.runs, clock)
            print(f"{name:<26} {ms:8.2f} {ms / bare:8.1f}")


if __name__ == "__main__":
    main()
