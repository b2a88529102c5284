"""`make bench`: build a synthetic community, serve it with gunicorn, load it with wrk.

Thin on purpose: the steps live in kcry_site.bench (populate, serve, measure, report).
"""

import os
import platform
from pathlib import Path

import django
from django.core.management.base import BaseCommand
from django.db import connection

from catalog.models import EditorialList, Work
from comments.models import Comment
from kcry_site.bench import populate
from kcry_site.bench.measure import bench_members, queries_per_request, write_sessions
from kcry_site.bench.report import Row, write_report
from kcry_site.bench.serve import ROOT, Gunicorn, wrk
from votes.models import Rating
from votes.stats import recompute_all


class Command(BaseCommand):
    help = "Benchmark kcry at community scale and write docs/benchmark.md."

    def add_arguments(self, parser):
        parser.add_argument("--works", type=int, default=10_000)
        parser.add_argument("--members", type=int, default=20_000)
        parser.add_argument("--ratings", type=int, default=1_000_000)
        parser.add_argument("--small-ratings", type=int, default=10_000)
        parser.add_argument("--comments", type=int, default=100_000)
        parser.add_argument("--seconds", type=int, default=10, help="wrk duration per URL")
        parser.add_argument("--connections", type=int, default=16)
        parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
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

        thread_work = Work.objects.get(slug=populate.THREAD_WORK_SLUG)
        scale_paths = {"/rankings/": "ranking", thread_work.get_absolute_url(): "work page"}
        uncached = {"KCRY_ANON_CACHE_SECONDS": "0"}
        run = dict(seconds=options["seconds"], connections=options["connections"])

        say("Timing the ranking and work pages at the small rating count…")
        server = Gunicorn(workers=options["workers"], **uncached)
        server.collect_static()
        with server:
            small = {path: wrk(server.base_url + path, **run) for path in scale_paths}

        say(f"Adding ratings up to {options['ratings']:,}…")
        populate.add_ratings(
            work_ids=work_ids,
            member_ids=member_ids,
            per_member=per_member,
            start=options["small_ratings"],
            stop=options["ratings"],
        )
        ratings_total = Rating.objects.count()

        list_path = EditorialList.objects.get(slug=populate.LIST_SLUG).get_absolute_url()
        pages = [
            ("bare Django view (baseline)", "/bench/bare"),
            ("/rankings/", "/rankings/"),
            (
                f"/works/<slug>/ ({populate.THREAD_SIZE}-comment thread)",
                thread_work.get_absolute_url(),
            ),
            ("/lists/<slug>/", list_path),
            ("/api/rankings/", "/api/rankings/"),
            ("/search/?q=", "/search/?q=tear-jerker+12"),
        ]
        rows = []
        say("Loading every page (production settings: anonymous page cache on)…")
        with Gunicorn(workers=options["workers"]) as server:
            for label, path in pages:
                figures = wrk(server.base_url + path, **run)
                queries = 0 if path == "/bench/bare" else queries_per_request(path)
                rows.append(Row(label, figures, queries, cached=True))
        say("… and with the page cache off (every request renders)…")
        with Gunicorn(workers=options["workers"], **uncached) as server:
            for label, path in pages[1:]:
                figures = wrk(server.base_url + path, **run)
                rows.append(Row(label, figures, queries_per_request(path), cached=False))
            large = {path: wrk(server.base_url + path, **run) for path in scale_paths}

            say("Rating POSTs from logged-in members…")
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
        rows.append(Row("rating POST (logged in)", figures, rating_queries, cached=False))
        drift = recompute_all(fix=False)
        rating_check = {
            "posts": figures["requests"],
            "failed": figures["errors"],
            "new_rows": Rating.objects.count() - before,
            "drift": len(drift),
        }

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
