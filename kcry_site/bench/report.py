"""The benchmark's Markdown report: one table of figures, the scale check, the targets."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

ANONYMOUS = "anonymous"  # page cache on, as deployed
MISS = "anonymous, cache miss"  # page cache off: every request renders
MEMBER = "member"  # logged in: never served from the page cache
ANYONE = "anyone"  # the bare view without a session

# The targets of the performance issue.
ANONYMOUS_AT_LEAST = 0.8  # of the bare view's requests/s, page cache on
MEMBER_AT_MOST = 10  # times the bare view's cost for the same member


@dataclass
class Row:
    label: str
    who: str  # ANONYMOUS, MISS or MEMBER; the bare view's rows: ANYONE and MEMBER
    figures: dict  # from serve.wrk
    queries: tuple  # (with an empty cache, with the page's fragments kept); a write: (n,)
    in_process_ms: float | None = None  # median of one request through the test Client


def _ratio(numerator, denominator):
    """Two decimals, three below 0.1 (a member's page can be 0.004 of the bare view)."""
    if not numerator or not denominator:
        return "–"
    ratio = numerator / denominator
    return f"{ratio:.2f}" if ratio >= 0.095 else f"{ratio:.3f}"


def _baseline_of(row, baselines):
    """A member's request is compared with the bare view requested by the same member
    (their session and member row read), anyone else's with the bare view without one."""
    return baselines[MEMBER] if row.who == MEMBER else baselines[ANYONE]


def _fmt(row, baselines):
    baseline = _baseline_of(row, baselines)
    f = row.figures
    in_process = "–" if row.in_process_ms is None else f"{row.in_process_ms:.1f}"
    return (
        f"| {row.label} | {row.who} | {f['rps']:,.0f} | {f['p50_ms']:.1f} "
        f"| {f['p95_ms']:.1f} | {' / '.join(map(str, row.queries))} "
        f"| {_ratio(f['rps'], baseline.figures['rps'])} "
        f"| {in_process} | {_ratio(baseline.in_process_ms, row.in_process_ms)} "
        f"| {f['errors']} |"
    )


def write_report(path: Path, *, machine, counts, rows, scale, small_ratings, rating_check, command):
    baselines = {row.who: row for row in rows if row.label.startswith("bare")}
    baseline_rps = baselines[ANYONE].figures["rps"]
    lines = [
        "# Benchmark",
        "",
        f"Measured {date.today().isoformat()} with `{command}`.",
        "",
        f"- Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory']} memory; "
        f"Python {machine['python']}, Django {machine['django']}, {machine['database']}.",
        f"- Server: gunicorn, {machine['workers']} sync workers, DEBUG off, settings from the "
        "environment as in production; load: wrk from a second process on loopback, "
        f"{machine['connections']} connections, {machine['seconds']} s per line.",
        f"- Data: {counts['works']:,} works, {counts['members']:,} members, "
        f"{counts['ratings']:,} ratings, {counts['comments']:,} comments; the member "
        f"follows {counts.get('follows', 0):,} others and has "
        f"{counts.get('notifications', 0):,} inbox entries; the tear-map work has "
        f"{counts.get('tear_marks', 0):,} marks.",
        f"- Who: {ANONYMOUS} (page cache on, as deployed), {MISS} (page cache off: every "
        f"request renders the page, from its kept fragments), {MEMBER} (logged in, one "
        "session; members are never served from the page cache).",
        "- Queries: SQL queries of one request, counted in-process on the same database "
        "(page cache off): with an empty cache / with the page's fragments kept (a rating "
        "POST: once). × bare: requests/s over the bare view's in the same run (a member's "
        "request over the bare view requested by the same member, which reads their session "
        "and member row as every page must). In-process: median time of one request through "
        "Django's whole stack with the test Client in the benchmark's own process (no HTTP "
        "server, no concurrent load); its × bare is the bare view's time over the page's "
        "(1.00 = as fast as the bare view, 0.10 = ten times its cost).",
        "",
        "| page | who | req/s | median ms | p95 ms | SQL queries | × bare | in-process ms "
        "| in-process × bare | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(_fmt(row, baselines) for row in rows),
        "",
        f"## Cost against data size ({small_ratings:,} vs {counts['ratings']:,} ratings, "
        "page cache off)",
        "",
        "| page | req/s small | req/s large | median ms small | median ms large "
        "| large / small median |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, (small, large) in scale.items():
        lines.append(
            f"| {label} | {small['rps']:,.0f} | {large['rps']:,.0f} | {small['p50_ms']:.1f} "
            f"| {large['p50_ms']:.1f} | {_ratio(large['p50_ms'], small['p50_ms'])} |"
        )
    anonymous = [row for row in rows if row.who == ANONYMOUS]
    worst = min(anonymous, key=lambda row: row.figures["rps"])
    rating = next(row for row in rows if row.label.startswith("rating"))
    member_pages = [row for row in rows if row.who == MEMBER and row is not rating]
    ranking_small, ranking_large = scale["ranking"]
    lines += [
        "",
        "## Targets",
        "",
        f"- Anonymous pages at least {ANONYMOUS_AT_LEAST} of the bare view's requests/s "
        f"(page cache on, as deployed): lowest is {worst.label} at "
        f"{_ratio(worst.figures['rps'], baseline_rps)}: "
        f"{_met(worst.figures['rps'] >= ANONYMOUS_AT_LEAST * baseline_rps)}.",
        *_member_target(member_pages, baselines[MEMBER]),
        f"- Rating POST p95 under 50 ms with {machine['connections']} clients: "
        f"{rating.figures['p95_ms']:.1f} ms: {_met(rating.figures['p95_ms'] < 50)}. "
        "Every rating counted: "
        f"{rating_check['posts']:,} POSTs, {rating_check['failed']} failed, "
        f"{rating_check['new_rows']:,} new rating rows (the rest changed an existing rating); "
        f"stored figures against a recount: {rating_check['drift']} works drifted.",
        f"- Ranking at {counts['ratings']:,} ratings within 1.5x of {small_ratings:,}: median "
        f"{ranking_large['p50_ms']:.1f} ms vs {ranking_small['p50_ms']:.1f} ms "
        f"({_ratio(ranking_large['p50_ms'], ranking_small['p50_ms'])}x).",
        "",
    ]
    text = "\n".join(lines)
    path.parent.mkdir(parents=True, exist_ok=True)
    commentary = _commentary(path)
    path.write_text(text + ("\n" + commentary if commentary else ""))
    return text


def _met(met):
    return "met" if met else "missed"


def _member_target(member_pages, baseline):
    """The members' target: every page at most MEMBER_AT_MOST times the cost of the bare
    view for the same member, in requests/s under load and in time in-process."""
    if not member_pages:
        return []
    worst = min(member_pages, key=lambda row: row.figures["rps"])
    under_load = baseline.figures["rps"] / worst.figures["rps"]
    line = (
        f"- Pages as a member at most {MEMBER_AT_MOST}x the cost of the bare view for the same "
        f"member: under load the costliest is {worst.label} at "
        f"{_ratio(worst.figures['rps'], baseline.figures['rps'])} of its requests/s "
        f"({under_load:.1f}x its cost)"
    )
    met = under_load <= MEMBER_AT_MOST
    timed = [row for row in member_pages if row.in_process_ms]
    if timed and baseline.in_process_ms:
        heaviest = max(timed, key=lambda row: row.in_process_ms)
        in_process = heaviest.in_process_ms / baseline.in_process_ms
        line += (
            f"; in-process the heaviest is {heaviest.label} at {heaviest.in_process_ms:.1f} ms "
            f"against {baseline.in_process_ms:.2f} ms ({in_process:.1f}x)"
        )
        met = met and in_process <= MEMBER_AT_MOST
    return [f"{line}: {_met(met)}."]


COMMENTARY = "## What the figures say"


def _commentary(path: Path) -> str:
    """The hand-written reading of the figures in the existing report, kept across runs."""
    if not path.exists():
        return ""
    old = path.read_text()
    start = old.find(COMMENTARY)
    return old[start:] if start >= 0 else ""
