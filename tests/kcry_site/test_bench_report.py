"""The benchmark's report: figures rewritten on every run, the hand-written reading kept."""

from kcry_site.bench.report import Row, write_report


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
        counts={"works": 10, "members": 20, "ratings": 1000, "comments": 100},
        rows=[
            Row("bare Django view (baseline)", figures(1000, 5, 9), 0, cached=True),
            Row("/rankings/", figures(800, 6, 10), 4, cached=True),
            Row("rating POST (logged in)", figures(150, 90, rating_p95), 13, cached=False),
        ],
        scale={"ranking": (figures(50, 20, 30), figures(45, 22, 33))},
        small_ratings=100,
        rating_check={"posts": 1500, "failed": 0, "new_rows": 1400, "drift": 0},
        command="make bench",
    )


def test_a_new_run_rewrites_the_figures_and_keeps_the_reading_below_them(tmp_path):
    path = tmp_path / "benchmark.md"
    report(path, rating_p95=222.2)
    assert "| /rankings/ | on | 800 | 6.0 | 10.0 | 4 | 0.80 | 0 |" in path.read_text()
    path.write_text(path.read_text() + "## What the figures say\n\nWritten by hand.\n")

    report(path, rating_p95=111.1)

    text = path.read_text()
    assert "Rating POST p95 under 50 ms with 16 clients: 111.1 ms" in text
    assert "222.2" not in text
    assert text.endswith("## What the figures say\n\nWritten by hand.\n")
    assert text.count("## What the figures say") == 1
