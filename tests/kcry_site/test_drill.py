"""The fault and load drill: kcry served by gunicorn on PostgreSQL and Redis while members
keep rating and commenting; Redis and then PostgreSQL are stopped in the middle and
brought back. Afterwards it must hold that:

- no request failed with a 5xx (or no answer) except while PostgreSQL was really down,
- every acknowledged rating and comment is stored, and stored once,
- the stored figures (votes.WorkStats) equal a recount (`recompute_rating_stats --check`).

The drill runs its own PostgreSQL cluster and Redis on free loopback ports, so stopping
them disturbs nothing else. It runs in the PostgreSQL pass of `make test` and is skipped
on SQLite; `pytest -m drill` runs it alone. The figures go to the file named by
KCRY_DRILL_REPORT (to refresh the committed docs/drill.md, point it there), else to
pytest's temporary directory, so that a test run leaves the checkout unchanged.
"""

import collections
import http.cookiejar
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from kcry_site.bench.serve import Gunicorn
from tests.kcry_site.servers import PostgresServer, RedisServer

ROOT = Path(__file__).resolve().parents[2]
REPORT = os.environ.get("KCRY_DRILL_REPORT")

pytestmark = [
    pytest.mark.drill,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the drill runs in the PostgreSQL pass of make test (it stops a PostgreSQL)",
    ),
]

MEMBERS = 6
WORKS = 4
PASSWORD = "drill-tissues-42"
# Seconds of each phase: calm, Redis down, calm, PostgreSQL down, calm.
PHASES = {"calm": 3, "redis down": 4, "calm again": 3, "postgres down": 3, "recovery": 4}
REQUEST_TIMEOUT = 10


@dataclass
class Request:
    kind: str
    started: float
    ended: float
    status: object  # an HTTP status, or the name of the exception when nothing came back


class Drill:
    def __init__(self, base_url):
        self.base_url = base_url
        self.requests = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        # (member, slug) -> [(tears or None for a withdrawal, acknowledged), ...] in order
        self.ratings = collections.defaultdict(list)
        # token -> (member, acknowledged)
        self.comments = {}
        self.health = []  # (time, status, answer)

    def record(self, kind, started, status):
        with self.lock:
            self.requests.append(Request(kind, started, time.monotonic(), status))


class Visitor:
    """One browser: its own cookies; JSON answers asked for with the Accept header."""

    def __init__(self, drill):
        self.drill = drill
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), "")

    def send(self, kind, path, data=None, accept="application/json"):
        """(status, body) for one request, recorded; status is the exception's name when
        no answer came."""
        headers = {"Accept": accept}
        body = None
        if data is not None:
            headers["X-CSRFToken"] = self.cookie("csrftoken")
            body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.drill.base_url + path, data=body, headers=headers)
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                status, content = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, content = error.code, error.read()
        except OSError as error:  # refused, reset, timed out: no answer at all
            status, content = type(error).__name__, b""
        self.drill.record(kind, started, status)
        return status, content


class Member(Visitor):
    def __init__(self, drill, username, slugs, seed):
        super().__init__(drill)
        self.username = username
        self.slugs = slugs
        self.random = random.Random(seed)

    def log_in(self):
        status, page = self.send("log-in page", "/accounts/login/", accept="text/html")
        assert status == 200, status
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, _ = self.send(
            "log-in",
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            accept="text/html",
        )
        assert status == 200 and self.cookie("sessionid"), status  # redirected home

    def rate(self):
        slug = self.random.choice(self.slugs)
        tears = None if self.random.random() < 0.1 else self.random.randint(0, 5)
        status, _ = self.send(
            "rating", f"/works/{slug}/rating/", {"tears": "" if tears is None else tears}
        )
        self.drill.ratings[(self.username, slug)].append((tears, status == 200))

    def comment(self):
        """Post one comment; on failure send the same form (same token) again, as the
        page's script would, until it is acknowledged or the drill is over."""
        slug = self.random.choice(self.slugs)
        token = str(uuid.uuid4())
        data = {"body": f"cried again ({token[:8]})", "token": token}
        self.drill.comments[token] = (self.username, False)
        give_up = None
        while True:
            status, _ = self.send("comment", f"/works/{slug}/comments/", data)
            if status in (200, 201):
                self.drill.comments[token] = (self.username, True)
                return
            if self.drill.stop.is_set():
                give_up = give_up or time.monotonic() + 5
                if time.monotonic() > give_up:
                    return
            time.sleep(0.2)

    def run(self):
        while not self.drill.stop.is_set():
            self.rate() if self.random.random() < 0.6 else self.comment()
            time.sleep(0.03)


def reader(drill, slugs):
    """An anonymous visitor reading pages, and a load balancer polling /healthz."""
    visitor = Visitor(drill)
    paths = ["/", "/works/", "/rankings/", *(f"/works/{slug}/" for slug in slugs)]
    turn = 0
    while not drill.stop.is_set():
        visitor.send("page", paths[turn % len(paths)], accept="text/html")
        if turn % 4 == 0:
            status, content = visitor.send("healthz", "/healthz")
            answer = json.loads(content) if content.startswith(b"{") else None
            drill.health.append((time.monotonic(), status, answer))
        turn += 1
        time.sleep(0.05)


def manage(environment, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


SEED = f"""
from django.contrib.auth import get_user_model
from catalog.models import Work
for n in range({WORKS}):
    Work.objects.create(kind="mv", title=f"Drill Song {{n}}", slug=f"drill-song-{{n}}", year=2012)
for n in range({MEMBERS}):
    get_user_model().objects.create_user(f"crier{{n}}", f"crier{{n}}@example.com", {PASSWORD!r})
"""

DUMP = """
import json
from comments.models import Comment
from votes.models import Rating
print(json.dumps({
    "ratings": list(Rating.objects.values_list("member__username", "work__slug", "tears")),
    "comments": [
        [author, str(token)]
        for author, token in Comment.objects.values_list("author__username", "form_token")
    ],
}))
"""


@pytest.fixture
def site(tmp_path):
    """Its own PostgreSQL and Redis, migrated and seeded, served by gunicorn."""
    postgres = PostgresServer()
    redis = RedisServer()
    log = tmp_path / "gunicorn.log"  # kept by pytest for the last few runs
    try:
        postgres.create()
        redis.start()
        server = Gunicorn(
            workers=2,
            log_path=log,
            DATABASE_URL=postgres.url,
            CACHE_URL=redis.url,
            # Members post and rate as fast as the drill can make them: lift those limits.
            KCRY_COMMENT_RATE_COUNT="1000000",
            KCRY_RATE_REACTIONS_COUNT="1000000",
            LOG_LEVEL="ERROR",
        )
        for step in (["migrate", "--no-input", "-v0"], ["shell", "--no-imports", "-c", SEED]):
            result = manage(server.environment, *step)
            assert result.returncode == 0, result.stderr
        server.collect_static()
        with server:
            yield server, postgres, redis, log
    finally:
        redis.stop()
        postgres.destroy()


def test_the_site_holds_up_while_redis_and_postgres_go_away_and_come_back(site):
    server, postgres, redis, log = site
    drill = Drill(server.base_url)
    slugs = [f"drill-song-{n}" for n in range(WORKS)]
    members = [Member(drill, f"crier{n}", slugs, seed=n) for n in range(MEMBERS)]
    for member in members:
        member.log_in()
    threads = [threading.Thread(target=member.run) for member in members]
    threads.append(threading.Thread(target=reader, args=(drill, slugs)))

    began = time.monotonic()
    outages = {}
    for thread in threads:
        thread.start()
    try:
        time.sleep(PHASES["calm"])
        outages["redis"] = [time.monotonic()]
        redis.stop()
        time.sleep(PHASES["redis down"])
        redis.start()
        outages["redis"].append(time.monotonic())
        time.sleep(PHASES["calm again"])
        outages["postgres"] = [time.monotonic()]
        postgres.stop()
        time.sleep(PHASES["postgres down"])
        postgres.start()
        outages["postgres"].append(time.monotonic())
        time.sleep(PHASES["recovery"])
    finally:
        drill.stop.set()
        for thread in threads:
            thread.join(timeout=60)
    ended = time.monotonic()

    # A restart while the site is quiet: the workers' kept-open database connections died
    # unseen, and the next requests must not fail on them.
    postgres.stop()
    postgres.start()
    quiet = [members[n % MEMBERS].send("page", "/works/", accept="text/html")[0] for n in range(6)]

    # --- what was stored -------------------------------------------------------------
    dump = manage(server.environment, "shell", "--no-imports", "-c", DUMP)
    assert dump.returncode == 0, dump.stderr
    stored = json.loads(dump.stdout)
    check = manage(server.environment, "recompute_rating_stats", "--check")

    figures = tally(drill, stored, outages, began)
    figures["answers after a quiet restart"] = quiet
    figures["stats check"] = (check.returncode, check.stdout.strip().splitlines()[-1:])
    write_report(figures, drill, outages, began, ended)

    assert figures["failures outside the database outage"] == [], figures
    assert quiet == [200] * 6, quiet
    assert figures["lost ratings"] == 0 and figures["lost comments"] == 0, figures
    assert figures["doubled ratings"] == 0 and figures["doubled comments"] == 0, figures
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No drift" in check.stdout
    # The drill really exercised the outages: writes were acknowledged in every phase.
    assert figures["acknowledged writes during the redis outage"] > 0, figures
    assert figures["acknowledged writes after postgres came back"] > 0, figures
    assert figures["healthz"]["redis down"] & {(200, "degraded")}, figures["healthz"]


def tally(drill, stored, outages, began):
    down, back = outages["postgres"]
    redis_down, redis_back = outages["redis"]

    def during_database_outage(request):
        return request.started <= back and request.ended >= down

    def failed(request):
        return not isinstance(request.status, int) or request.status >= 500

    by_status = collections.Counter(str(request.status) for request in drill.requests)
    by_kind = collections.Counter(request.kind for request in drill.requests)
    outside = [
        (request.kind, request.status, round(request.started - began, 2))
        for request in drill.requests
        if failed(request) and not during_database_outage(request)
    ]

    # Ratings: the stored value must be the last acknowledged one, or one sent after it
    # whose answer was lost (the write may have committed just before the outage).
    rows = collections.Counter((member, slug) for member, slug, _ in stored["ratings"])
    values = {(member, slug): tears for member, slug, tears in stored["ratings"]}
    lost_ratings = 0
    for pair, attempts in drill.ratings.items():
        acknowledged = [i for i, (_, ok) in enumerate(attempts) if ok]
        if not acknowledged:
            continue
        allowed = {tears for tears, _ in attempts[acknowledged[-1] :]}
        if values.get(pair) not in allowed:
            lost_ratings += 1

    tokens = collections.Counter(token for _, token in stored["comments"])
    acknowledged_comments = [t for t, (_, ok) in drill.comments.items() if ok]
    writes = [
        r for r in drill.requests if r.kind in ("rating", "comment") and r.status in (200, 201)
    ]
    return {
        "requests": len(drill.requests),
        "by kind": dict(by_kind),
        "by status": dict(by_status),
        "failures during the database outage": sum(
            1 for r in drill.requests if failed(r) and during_database_outage(r)
        ),
        "failures outside the database outage": outside,
        "ratings acknowledged": sum(ok for a in drill.ratings.values() for _, ok in a),
        "comments acknowledged": len(acknowledged_comments),
        "comments sent again after a failure": by_kind["comment"] - len(drill.comments),
        "lost ratings": lost_ratings,
        "doubled ratings": sum(1 for count in rows.values() if count > 1),
        "lost comments": sum(1 for token in acknowledged_comments if tokens[token] == 0),
        "doubled comments": sum(1 for count in tokens.values() if count > 1),
        "stored but unacknowledged comments": sum(
            1 for t, (_, ok) in drill.comments.items() if not ok and tokens[t]
        ),
        "acknowledged writes during the redis outage": sum(
            1 for r in writes if redis_down <= r.started and r.ended <= redis_back
        ),
        "acknowledged writes after postgres came back": sum(1 for r in writes if r.started > back),
        "healthz": health_by_phase(drill, outages),
    }


def health_by_phase(drill, outages):
    phases = collections.defaultdict(set)
    for at, status, answer in drill.health:
        phase = "calm"
        for name, (down, back) in outages.items():
            if down <= at <= back:
                phase = f"{name} down"
        phases[phase].add((status, answer["status"] if answer else None))
    return dict(phases)


def write_report(figures, drill, outages, began, ended):
    def at(moment):
        return f"{moment - began:.1f} s"

    def latency(kind, start, end):
        times = sorted(
            r.ended - r.started
            for r in drill.requests
            if r.kind == kind and start <= r.started <= end and r.status in (200, 201)
        )
        if not times:
            return "–"
        return f"{times[len(times) // 2] * 1000:.0f} ms / {times[-1] * 1000:.0f} ms"

    redis_down, redis_back = outages["redis"]
    lines = [
        "# The fault and load drill",
        "",
        "Written by `tests/kcry_site/test_drill.py` (`pytest -m drill` on PostgreSQL; it runs",
        "in the PostgreSQL pass of `make test`). kcry served by gunicorn (2 sync workers) on",
        f"a PostgreSQL cluster and a Redis of the drill's own, on loopback; {MEMBERS} members",
        "rate and comment from their own threads (JSON, CSRF token of their session; a failed",
        "comment is sent again with the same token) while an anonymous reader loads pages and",
        "polls `/healthz`.",
        "",
        "## Timeline",
        "",
        f"- Redis stopped (SIGKILL) at {at(redis_down)}, back (empty) at {at(redis_back)}",
        f"- PostgreSQL stopped (immediate) at {at(outages['postgres'][0])}, "
        f"back at {at(outages['postgres'][1])}",
        f"- load stopped at {at(ended)}",
        "",
        "## Figures",
        "",
        "| figure | value |",
        "| --- | --- |",
        f"| requests | {figures['requests']} |",
        "| by kind | "
        + ", ".join(f"{k} {v}" for k, v in sorted(figures["by kind"].items()))
        + " |",
        "| by status | "
        + ", ".join(f"{k}: {v}" for k, v in sorted(figures["by status"].items()))
        + " |",
        f"| failed (5xx or no answer) while PostgreSQL was down | "
        f"{figures['failures during the database outage']} |",
        f"| failed at any other time | {len(figures['failures outside the database outage'])} |",
        f"| ratings acknowledged | {figures['ratings acknowledged']} |",
        f"| comments acknowledged | {figures['comments acknowledged']} |",
        f"| comment requests sent again after a failure | "
        f"{figures['comments sent again after a failure']} |",
        f"| lost ratings / comments | {figures['lost ratings']} / {figures['lost comments']} |",
        f"| doubled ratings / comments | {figures['doubled ratings']} / "
        f"{figures['doubled comments']} |",
        f"| comments stored whose answer was lost | "
        f"{figures['stored but unacknowledged comments']} |",
        f"| writes acknowledged while Redis was down | "
        f"{figures['acknowledged writes during the redis outage']} |",
        f"| rating latency, median / max, Redis up (first phase) | "
        f"{latency('rating', began, redis_down)} |",
        f"| rating latency, median / max, Redis down | "
        f"{latency('rating', redis_down, redis_back)} |",
        f"| page latency, median / max, Redis down | {latency('page', redis_down, redis_back)} |",
        f"| pages after a restart of PostgreSQL while the site was quiet | "
        f"{', '.join(map(str, figures['answers after a quiet restart']))} |",
        f"| `recompute_rating_stats --check` | exit {figures['stats check'][0]}: "
        f"{' '.join(figures['stats check'][1])} |",
        "",
        "`/healthz` answers seen in each phase (HTTP status, `status` field): "
        + "; ".join(
            f"{phase}: " + ", ".join(f"{s} {a}" for s, a in sorted(seen, key=str))
            for phase, seen in sorted(figures["healthz"].items())
        )
        + ".",
        "",
    ]
    report = Path(REPORT) if REPORT else Path(tempfile.gettempdir()) / "kcry-drill.md"
    report.write_text("\n".join(lines))
    print(f"Drill figures written to {report}")
