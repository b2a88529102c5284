"""The benchmark's Markdown report: one table of figures, the scale check, the targets."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

ANONYMOUS = "anonymous"  # page cache on, as deployed
MISS = "anonymous, cache miss"  # page cache off: every request renders
MEMBER = "member"  # logged in: never served from the page cache


@dataclass
class Row:
    label: str
    who: str  # ANONYMOUS, MISS or MEMBER ("anyone" for the bare view)
    figures: dict  # from serve.wrk
    queries: int
    in_process_ms: float | None = None  # median of one request through the test Client


def _ratio(numerator, denominator):
    """Two decimals, three below 0.1 (a member's page can be 0.004 of the bare view)."""
    if not numerator or not denominator:
        return "–"
    ratio = numerator / denominator
    return f"{ratio:.2f}" if ratio >= 0.095 else f"{ratio:.3f}"


def _fmt(row, baseline):
    f = row.figures
    in_process = "–" if row.in_process_ms is None else f"{row.in_process_ms:.1f}"
    return (
        f"| {row.label} | {row.who} | {f['rps']:,.0f} | {f['p50_ms']:.1f} "
        f"| {f['p95_ms']:.1f} | {row.queries} | {_ratio(f['rps'], baseline.figures['rps'])} "
        f"| {in_process} | {_ratio(baseline.in_process_ms, row.in_process_ms)} "
        f"| {f['errors']} |"
    )


def write_report(path: Path, *, machine, counts, rows, scale, small_ratings, rating_check, command):
    baseline = next(row for row in rows if row.label.startswith("bare"))
    baseline_rps = baseline.figures["rps"]
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
        f"- Who: {ANONYMOUS} (page cache on, as deployed), {MISS} (page cache off, every "
        f"request renders), {MEMBER} (logged in, one session; members are never served "
        "from the page cache).",
        "- Queries: SQL queries of one request, counted in-process on the same database "
        "(a cache miss). × bare: requests/s over the bare view's in the same run. "
        "In-process: median time of one request through Django's whole stack with the test "
        "Client in the benchmark's own process (no HTTP server, no concurrent load); "
        "its × bare is the bare view's time over the page's (1.00 = as fast as the bare view).",
        "",
        "| page | who | req/s | median ms | p95 ms | SQL queries | × bare | in-process ms "
        "| in-process × bare | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(_fmt(row, baseline) for row in rows),
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
        f"- Anonymous pages at least 0.5 of the bare view: lowest is {worst.label} at "
        f"{_ratio(worst.figures['rps'], baseline_rps)} (page cache on, as deployed).",
        *_member_target(member_pages, baseline),
        f"- Rating POST p95 under 50 ms with {machine['connections']} clients: "
        f"{rating.figures['p95_ms']:.1f} ms. Every rating counted: "
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


def _member_target(member_pages, baseline):
    if not member_pages:
        return []
    worst = min(member_pages, key=lambda row: row.figures["rps"])
    slowest = max(member_pages, key=lambda row: row.figures["p95_ms"])
    line = (
        f"- Pages as a member: lowest is {worst.label} at "
        f"{_ratio(worst.figures['rps'], baseline.figures['rps'])} of the bare view's requests/s; "
        f"highest p95 {slowest.figures['p95_ms']:.1f} ms ({slowest.label})"
    )
    timed = [row for row in member_pages if row.in_process_ms]
    if timed and baseline.in_process_ms:
        heaviest = max(timed, key=lambda row: row.in_process_ms)
        line += (
            f"; in-process the heaviest is {heaviest.label} at {heaviest.in_process_ms:.1f} ms "
            f"against {baseline.in_process_ms:.2f} ms for the bare view"
        )
    return [line + "."]


COMMENTARY = "## What the figures say"


def _commentary(path: Path) -> str:
    """The hand-written reading of the figures in the existing report, kept across runs."""
    if not path.exists():
        return ""
    old = path.read_text()
    start = old.find(COMMENTARY)
    return old[start:] if start >= 0 else ""
