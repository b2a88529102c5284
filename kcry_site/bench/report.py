"""The benchmark's Markdown report: one table of figures, the scale check, the targets."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path


@dataclass
class Row:
    label: str
    figures: dict  # from serve.wrk
    queries: int
    cached: bool


def _fmt(row, baseline_rps):
    f = row.figures
    ratio = f["rps"] / baseline_rps if baseline_rps else 0
    return (
        f"| {row.label} | {'on' if row.cached else 'off'} | {f['rps']:,.0f} | {f['p50_ms']:.1f} "
        f"| {f['p95_ms']:.1f} | {row.queries} | {ratio:.2f} | {f['errors']} |"
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
        f"{counts['ratings']:,} ratings, {counts['comments']:,} comments.",
        "- Queries: SQL queries of one request, counted in-process on the same database "
        "(a cache miss). Ratio: requests/s over the bare view's.",
        "",
        "| page | page cache | req/s | median ms | p95 ms | SQL queries | × bare | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(_fmt(row, baseline_rps) for row in rows),
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
            f"| {large['p50_ms']:.1f} | {large['p50_ms'] / small['p50_ms']:.2f} |"
        )
    anonymous = [row for row in rows if row.cached and row is not baseline]
    worst = min(anonymous, key=lambda row: row.figures["rps"])
    rating = next(row for row in rows if row.label.startswith("rating"))
    ranking_small, ranking_large = scale["ranking"]
    lines += [
        "",
        "## Targets",
        "",
        f"- Anonymous pages at least 0.5 of the bare view: lowest is {worst.label} at "
        f"{worst.figures['rps'] / baseline_rps:.2f} (page cache on, as deployed).",
        f"- Rating POST p95 under 50 ms with {machine['connections']} clients: "
        f"{rating.figures['p95_ms']:.1f} ms. Every rating counted: "
        f"{rating_check['posts']:,} POSTs, {rating_check['failed']} failed, "
        f"{rating_check['new_rows']:,} new rating rows (the rest changed an existing rating); "
        f"stored figures against a recount: {rating_check['drift']} works drifted.",
        f"- Ranking at {counts['ratings']:,} ratings within 1.5x of {small_ratings:,}: median "
        f"{ranking_large['p50_ms']:.1f} ms vs {ranking_small['p50_ms']:.1f} ms "
        f"({ranking_large['p50_ms'] / ranking_small['p50_ms']:.2f}x).",
        "",
    ]
    text = "\n".join(lines)
    path.parent.mkdir(parents=True, exist_ok=True)
    commentary = _commentary(path)
    path.write_text(text + ("\n" + commentary if commentary else ""))
    return text


COMMENTARY = "## What the figures say"


def _commentary(path: Path) -> str:
    """The hand-written reading of the figures in the existing report, kept across runs."""
    if not path.exists():
        return ""
    old = path.read_text()
    start = old.find(COMMENTARY)
    return old[start:] if start >= 0 else ""
