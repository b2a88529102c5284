"""The benchmark's report: figures rewritten on every run, the hand-written reading kept."""

from kcry_site.bench.report import ANONYMOUS, ANYONE, MEMBER, MISS, Row, write_report


def figures(rps, p50, p95):
    return {"rps": rps, "p50_ms": p50, "p95_ms": p95, "errors": 0}


def report(path, rating_p95):
    return write_report(
        path,
        machine={
            "cpu": "Test CPU",
            "cores": 2,
            "memory": "1 GiB",
            "python": "3.11",
            "django": "5.2",
            "database": "SQLite",
            "workers": 4,
            "connections": 16,
            "seconds": 1,
        },
        counts={
            "works": 10,
            "members": 20,
            "ratings": 1000,
            "comments": 100,
            "follows": 500,
            "notifications": 1000,
            "tear_marks": 100_000,
        },
        rows=[
            Row("bare Django view (baseline)", ANYONE, figures(1000, 5, 9), (0, 0), 0.5),
            Row("bare Django view (baseline)", MEMBER, figures(600, 8, 12), (2, 2), 1.0),
            Row("/rankings/ (50 rows)", ANONYMOUS, figures(800, 6, 10), (4, 1)),
            Row("/rankings/ (50 rows)", MISS, figures(40, 300, 500), (4, 1), 45.0),
            Row("/rankings/ (50 rows)", MEMBER, figures(30, 400, 650), (6, 3), 50.0),
            Row("/inbox/", MEMBER, figures(60, 200, 300), (5, 5), 20.0),
            Row("/feed/ (following 500)", MEMBER, figures(25, 500, 700), (7, 7), 62.5),
            Row("rating POST (as rating.js sends it)", MEMBER, figures(150, 90, rating_p95), (13,)),
        ],
        scale={"ranking": (figures(50, 20, 30), figures(45, 22, 33))},
        small_ratings=100,
        rating_check={"posts": 1500, "failed": 0, "new_rows": 1400, "drift": 0},
        command="make bench",
    )


def test_a_new_run_rewrites_the_figures_and_keeps_the_reading_below_them(tmp_path):
    path = tmp_path / "benchmark.md"
    report(path, rating_p95=222.2)
    assert "| /rankings/ (50 rows) | anonymous | 800 | 6.0 | 10.0 | 4 / 1 | 0.80 | – | – | 0 |" in (
        path.read_text()
    )
    path.write_text(path.read_text() + "## What the figures say\n\nWritten by hand.\n")

    report(path, rating_p95=111.1)

    text = path.read_text()
    assert "Rating POST p95 under 50 ms with 16 clients: 111.1 ms" in text
    assert "222.2" not in text
    assert text.endswith("## What the figures say\n\nWritten by hand.\n")
    assert text.count("## What the figures say") == 1


def test_each_page_has_a_line_per_visitor_with_both_ratios_to_the_bare_view(tmp_path):
    text = report(tmp_path / "benchmark.md", rating_p95=80.0)

    assert (
        "| page | who | req/s | median ms | p95 ms | SQL queries | × bare | in-process ms " in text
    )
    # Requests/s over the bare view's; in-process: the bare view's time over the page's.
    assert (
        "| /rankings/ (50 rows) | anonymous, cache miss | 40 | 300.0 | 500.0 | 4 / 1 | 0.040 "
        in text
    )
    # A member's request against the bare view requested by the same member.
    assert (
        "| /rankings/ (50 rows) | member | 30 | 400.0 | 650.0 | 6 / 3 | 0.050 | 50.0 | 0.020 | 0 |"
        in (text)
    )
    assert "| /inbox/ | member | 60 | 200.0 | 300.0 | 5 / 5 | 0.10 | 20.0 | 0.050 | 0 |" in text
    assert (
        "| /feed/ (following 500) | member | 25 | 500.0 | 700.0 | 7 / 7 | 0.042 | 62.5 "
        "| 0.016 | 0 |" in (text)
    )
    assert (
        "| bare Django view (baseline) | anyone | 1,000 | 5.0 | 9.0 | 0 / 0 | 1.00 | 0.5 | 1.00 |"
        in (text)
    )
    assert "the member follows 500 others and has 1,000 inbox entries" in text
    assert "the tear-map work has 100,000 marks" in text
    # The rating POST is a member's line, but not a page in the members' target.
    assert (
        "| rating POST (as rating.js sends it) | member | 150 | 90.0 | 80.0 | 13 | 0.25 | – | – |"
        in text
    )
    assert (
        "- Pages as a member at most 10x the cost of the bare view for the same member: under "
        "load the costliest is /feed/ (following 500) at 0.042 of its requests/s (24.0x its "
        "cost); in-process the heaviest is /feed/ (following 500) at 62.5 ms against 1.00 ms "
        "(62.5x): missed." in text
    )
    assert "(page cache on, as deployed): lowest is /rankings/ (50 rows) at 0.80: met." in text
    assert "Rating POST p95 under 50 ms with 16 clients: 80.0 ms: missed." in text
    assert "0 works drifted" in text
