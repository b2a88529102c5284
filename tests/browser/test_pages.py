"""Every public page, checked by real validators in Chromium.

- the Nu Html Checker (vnu.jar) on the HTML the server sent: zero errors;
- axe-core in the rendered page, light and dark colour schemes: no serious or
  critical violations (colour contrast included);
- no horizontal scrolling at phone (375 px) and desktop (1280 px) widths.

The last tests break a template on purpose and show that each check then fails.
"""

import re
from pathlib import Path

import pytest

import catalog

from .checks import (
    axe_violations,
    describe_violations,
    horizontal_overflow,
    unlabelled_controls,
    vnu_errors,
)
from .conftest import DESKTOP, PHONE
from .pages import Page, log_in, make_site_data, public_pages


@pytest.fixture
def pages(founding_lists):
    return public_pages(make_site_data(founding_lists))


def fetch(page, url, expected_status=200):
    response = page.goto(url)
    assert response.status == expected_status, f"{url}: HTTP {response.status}"
    return response


@pytest.fixture
def visit(live_server, new_page):
    """visit(spec, **context options) → (page, response), as a visitor or as the member."""
    opened = {}

    def visit(spec: Page, **options):
        options = {"locale": spec.locale, **options}
        key = (spec.as_member, repr(sorted(options.items())))
        if key not in opened:
            opened[key] = new_page(**options)
            if spec.as_member:
                log_in(opened[key].context, live_server)
        page = opened[key]
        return page, fetch(page, live_server.url + spec.path, spec.status)

    return visit


def test_every_public_page_is_valid_html(pages, visit, node_tools, tmp_path):
    files = {}
    for spec in pages:
        # The HTML as the server sent it, before any script ran.
        _, response = visit(spec, js=False)
        html = response.text()
        language = spec.locale.split("-")[0]
        assert f'<html lang="{language}"' in html, f"{spec.name}: not served in {language}"
        files[spec] = tmp_path / f"{spec.name}.html"
        files[spec].write_text(html, encoding="utf-8")

    errors = vnu_errors(node_tools, list(files.values()))

    report = [
        f"{spec.name} ({spec.path}):\n    " + "\n    ".join(errors[path.resolve()])
        for spec, path in files.items()
        if errors[path.resolve()]
    ]
    assert not report, "Nu Html Checker errors:\n" + "\n".join(report)


def test_every_public_page_passes_axe_in_light_and_dark(pages, visit, node_tools):
    report = []
    for spec in pages:
        page, _ = visit(spec, bypass_csp=True)  # axe goes in as a script the CSP would refuse
        unlabelled = unlabelled_controls(page)
        if unlabelled:
            report.append(
                f"{spec.name} ({spec.path}): fields without a label:\n    "
                + "\n    ".join(unlabelled)
            )
        for scheme, rules in (("light", None), ("dark", ["color-contrast"])):
            # Every rule in the default (light) theme; in dark mode, what it changes: colours.
            page.emulate_media(color_scheme=scheme)
            violations = axe_violations(page, node_tools, rules=rules)
            if violations:
                report.append(
                    f"{spec.name} ({spec.path}), {scheme}:\n" + describe_violations(violations)
                )
        page.emulate_media(color_scheme="light")
    assert not report, "accessibility problems (axe-core serious/critical, labels):\n" + "\n".join(
        report
    )


def test_dark_mode_follows_the_system_setting(pages, visit):
    work = next(spec for spec in pages if spec.name == "work")
    colours = {}
    for dark in (False, True):
        page, _ = visit(work, dark=dark)
        colours[dark] = [
            int(n)
            for n in re.findall(
                r"\d+", page.evaluate("getComputedStyle(document.body).backgroundColor")
            )[:3]
        ]
    assert sum(colours[False]) > 600 and sum(colours[True]) < 150, colours


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_no_page_scrolls_sideways(pages, visit, viewport):
    report = []
    for spec in pages:
        page, _ = visit(spec, viewport=viewport)
        overflow = horizontal_overflow(page)
        if overflow:
            report.append(f"{spec.name} ({spec.path}): {overflow}")
    assert not report, f"pages wider than {viewport['width']}px:\n" + "\n".join(report)


# --- the checks can fail ------------------------------------------------------------------


@pytest.fixture
def broken_search_template(settings, tmp_path):
    """catalog/search.html with its field's label removed and a tag left unclosed."""
    source = Path(catalog.__file__).parent / "templates" / "catalog" / "search.html"
    html = source.read_text(encoding="utf-8")
    label = re.search(r"\s*<label for=\"search-q\">.*?</label>", html)
    assert label and "</form>" in html, "search.html changed: update this test"
    html = html.replace(label.group(0), "").replace("</form>", "", 1)
    broken = tmp_path / "templates" / "catalog" / "search.html"
    broken.parent.mkdir(parents=True)
    broken.write_text(html, encoding="utf-8")
    templates = [dict(engine) for engine in settings.TEMPLATES]
    templates[0]["DIRS"] = [tmp_path / "templates"]
    settings.TEMPLATES = templates
    return "/search/?q=눈"


def test_a_broken_template_fails_the_html_check(
    live_server, transactional_db, broken_search_template, new_page, node_tools, tmp_path
):
    page = new_page(js=False)
    saved = tmp_path / "broken.html"
    saved.write_text(fetch(page, live_server.url + broken_search_template).text())

    errors = vnu_errors(node_tools, [saved])[saved.resolve()]

    assert any("Unclosed element “form”" in error for error in errors), errors


def test_a_broken_template_fails_the_accessibility_check(
    live_server, transactional_db, broken_search_template, new_page, node_tools
):
    page = new_page(bypass_csp=True)
    fetch(page, live_server.url + broken_search_template)

    violations = axe_violations(page, node_tools)

    assert "label" in {violation["id"] for violation in violations}, violations
    assert [html for html in unlabelled_controls(page) if 'id="search-q"' in html]


def test_a_page_too_wide_for_a_phone_fails_the_layout_check(
    live_server, transactional_db, new_page
):
    page = new_page(viewport=PHONE)
    fetch(page, live_server.url + "/")
    assert horizontal_overflow(page) is None
    page.add_style_tag(content=".hero h1 { width: 500px; }")
    overflow = horizontal_overflow(page)
    assert overflow and overflow["scrollWidth"] > 375, overflow
