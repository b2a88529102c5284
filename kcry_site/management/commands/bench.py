"""`make bench`: build a synthetic community, serve it with gunicorn, load it with wrk.

Thin on purpose: the steps live in kcry_site.bench (populate, serve, measure, report).
"""

import os
import platform
from pathlib import Path

import django
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection

from catalog.models import EditorialList, Work
from comments.models import Comment
from kcry_site.accounts.models import Follow
from kcry_site.bench import populate
from kcry_site.bench.measure import (
    bench_members,
    in_process_ms,
    member_session,
    queries_per_request,
    write_sessions,
)
from kcry_site.bench.report import ANONYMOUS, ANYONE, MEMBER, MISS, Row, write_report
from kcry_site.bench.serve import ROOT, Gunicorn, check_page, wrk
from kcry_site.inbox.models import Notification
from votes.models import Rating, TearMark
from votes.stats import recompute_all

PAGE_CACHE_OFF = {"KCRY_ANON_CACHE_SECONDS": "0"}
EVERYONE = (ANONYMOUS, MISS, MEMBER)


class Command(BaseCommand):
    help = "Benchmark kcry at community scale and write docs/benchmark.md."

    def add_arguments(self, parser):
        parser.add_argument("--works", type=int, default=10_000)
        parser.add_argument("--members", type=int, default=20_000)
        parser.add_argument("--ratings", type=int, default=1_000_000)
        parser.add_argument("--small-ratings", type=int, default=10_000)
        parser.add_argument("--comments", type=int, default=100_000)
        parser.add_argument("--follows", type=int, default=500, help="members the member follows")
        parser.add_argument("--notifications", type=int, default=1000, help="the member's inbox")
        parser.add_argument("--tear-marks", type=int, default=100_000)
        parser.add_argument("--seconds", type=int, default=10, help="wrk duration per URL")
        parser.add_argument("--connections", type=int, default=16)
        # One sync worker per core: on this 2-core machine 4 workers measured worse
        # (rating POSTs: p95 117 ms at 181/s against 88 ms at 217/s with 2), as the
        # workers, PostgreSQL and wrk take turns on the same two cores.
        parser.add_argument(
            "--workers", type=int, default=os.cpu_count() or 2, help="gunicorn sync workers"
        )
        parser.add_argument(
            "--in-process-repeat", type=int, default=30, help="test Client requests per page"
        )
        parser.add_argument("--output", default=str(ROOT / "docs" / "benchmark.md"))

    def handle(self, *args, **options):
        if Work.objects.exists():
            raise SystemExit("The benchmark needs an empty database (make bench makes one).")
        say = self.stdout.write
        per_member = max(1, options["ratings"] // options["members"])
        say(
            f"Building: {options['works']:,} works, {options['members']:,} members, "
            f"{options['small_ratings']:,} ratings, {options['comments']:,} comments"
        )
        work_ids, member_ids = populate.build_community(
            works=options["works"],
            members=options["members"],
            comments=options["comments"],
            ratings=options["small_ratings"],
            per_member=per_member,
        )
        follows = min(options["follows"], len(member_ids) - 1)
        populate.add_member_world(
            member_ids=member_ids,
            comment_ids=list(Comment.objects.values_list("pk", flat=True)),
            follows=follows,
            notifications=options["notifications"],
        )
        tear_work = Work.objects.get(slug=populate.TEAR_WORK_SLUG)
        tear_marks = populate.add_tear_marks(
            work_id=tear_work.pk, member_ids=member_ids, marks=options["tear_marks"]
        )

        thread_work = Work.objects.get(slug=populate.THREAD_WORK_SLUG)
        scale_paths = {"/rankings/": "ranking", thread_work.get_absolute_url(): "work page"}
        run = dict(seconds=options["seconds"], connections=options["connections"])

        say("Timing the ranking and work pages at the small rating count…")
        server = Gunicorn(workers=options["workers"], **PAGE_CACHE_OFF)
        server.collect_static()
        with server:
            small = {path: warm_wrk(server, path, **run) for path in scale_paths}

        say(f"Adding ratings up to {options['ratings']:,}…")
        populate.add_ratings(
            work_ids=work_ids,
            member_ids=member_ids,
            per_member=per_member,
            start=options["small_ratings"],
            stop=options["ratings"],
        )
        ratings_total = Rating.objects.count()

        viewer = get_user_model().objects.get(username=populate.VIEWER)
        session = member_session(viewer)
        list_path = EditorialList.objects.get(slug=populate.LIST_SLUG).get_absolute_url()
        pages = [
            ("bare Django view (baseline)", "/bench/bare", (ANYONE, MEMBER)),
            ("/ (home)", "/", EVERYONE),
            ("/works/ (index)", "/works/", EVERYONE),
            (
                f"/works/<slug>/ ({populate.THREAD_SIZE}-comment thread)",
                thread_work.get_absolute_url(),
                EVERYONE,
            ),
            ("/lists/<slug>/", list_path, EVERYONE),
            ("/rankings/ (50 rows)", "/rankings/", EVERYONE),
            ("/api/rankings/", "/api/rankings/", (ANONYMOUS, MISS)),
            ("/search/?q=", "/search/?q=tear-jerker+12", EVERYONE),
            ("/u/<member>/ (the member's diary)", viewer.get_absolute_url(), EVERYONE),
            ("/inbox/", "/inbox/", (MEMBER,)),
            (f"/feed/ (following {follows:,})", "/feed/", (MEMBER,)),
            (
                f"/works/<slug>/ ({tear_marks:,} tear marks)",
                tear_work.get_absolute_url(),
                EVERYONE,
            ),
        ]
        repeat = options["in_process_repeat"]
        rows = []

        def measure(server, label, path, who, **wrk_options):
            member = viewer if who == MEMBER else None
            check_page(server.base_url, path, session=session if member else None)
            figures = warm_wrk(server, path, **run, **wrk_options)
            queries = queries_per_request(path, member=member)
            timed = who != ANONYMOUS  # a page cache hit is not what the test Client times
            in_process = in_process_ms(path, member=member, repeat=repeat) if timed else None
            rows.append(Row(label, who, figures, queries, in_process))

        say("Loading every page anonymously and as a member (page cache on, as deployed)…")
        as_member = dict(script="member.lua", environment={"KCRY_BENCH_SESSION": session})
        with Gunicorn(workers=options["workers"]) as server:
            for label, path, whos in pages:
                for who in whos:
                    if who == MEMBER:
                        measure(server, label, path, who, **as_member)
                    elif who != MISS:
                        measure(server, label, path, who)
        say("… and anonymously with the page cache off (every request renders)…")
        with Gunicorn(workers=options["workers"], **PAGE_CACHE_OFF) as server:
            for label, path, whos in pages:
                if MISS in whos:
                    measure(server, label, path, MISS)
            large = {path: warm_wrk(server, path, **run) for path in scale_paths}

            say("Rating POSTs from logged-in members (as rating.js sends them)…")
            members = bench_members(1000)
            sessions = write_sessions(members, ROOT / "bench-sessions.txt")
            slugs = ROOT / "bench-slugs.txt"
            slugs.write_text(
                "\n".join(
                    Work.objects.filter(pk__in=work_ids[:2000]).values_list("slug", flat=True)
                )
                + "\n"
            )
            before = Rating.objects.count()
            figures = wrk(
                server.base_url + "/",
                script="rate.lua",
                environment={"KCRY_BENCH_SESSIONS": str(sessions), "KCRY_BENCH_SLUGS": str(slugs)},
                **run,
            )
        rating_queries = queries_per_request(
            thread_work.get_absolute_url() + "rating/",
            member=members[0],
            method="post",
            data={"tears": "4"},
        )
        rows.append(Row("rating POST (as rating.js sends it)", MEMBER, figures, rating_queries))
        drift = recompute_all(fix=False)
        rating_check = {
            "posts": figures["requests"],
            "failed": figures["errors"],
            "new_rows": Rating.objects.count() - before,
            "drift": len(drift),
        }
        # One line per page, its visitors together: anonymous, cache miss, member.
        order = {label: index for index, (label, _path, _whos) in enumerate(pages)}
        rank = {ANYONE: 0, ANONYMOUS: 0, MISS: 1, MEMBER: 2}
        rows.sort(key=lambda row: (order.get(row.label, len(order)), rank[row.who]))

        machine = {
            "cpu": _cpu_model(),
            "cores": os.cpu_count(),
            "memory": _memory(),
            "python": platform.python_version(),
            "django": django.get_version(),
            "database": _database(),
            "workers": options["workers"],
            "connections": options["connections"],
            "seconds": options["seconds"],
        }
        counts = {
            "works": Work.objects.count(),
            "members": len(member_ids),
            "ratings": ratings_total,
            "comments": Comment.objects.count(),
            "follows": Follow.objects.filter(follower=viewer).count(),
            "notifications": Notification.objects.filter(recipient=viewer).count(),
            "tear_marks": TearMark.objects.filter(work=tear_work).count(),
        }
        report = write_report(
            Path(options["output"]),
            machine=machine,
            counts=counts,
            rows=rows,
            scale={scale_paths[p]: (small[p], large[p]) for p in scale_paths},
            small_ratings=options["small_ratings"],
            rating_check=rating_check,
            command=os.environ.get("KCRY_BENCH_COMMAND", "make bench"),
        )
        say(report)


def warm_wrk(server, path, *, seconds, **options):
    """wrk on a page after a second of the same load, discarded: every worker has then
    loaded its code and compiled the page's templates (a cold first line, the bare
    view's above all, would skew every ratio)."""
    wrk(server.base_url + path, seconds=1, **options)
    return wrk(server.base_url + path, seconds=seconds, **options)


def _cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _database():
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    major, minor = divmod(connection.pg_version, 10_000)
    return f"PostgreSQL {major}.{minor}"


def _memory():
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        return f"{kib / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        return "unknown"
