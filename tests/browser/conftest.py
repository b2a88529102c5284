"""Browser tests: Debian's Chromium driven by Playwright against a live test server.

One Chromium runs for the whole browser package and each test gets fresh contexts
(cookies, JavaScript on or off, viewport, colour scheme). A failing test saves a
screenshot of every page it had open under test-artifacts/.
"""

import os
import re
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parent.parent / "test-artifacts"
NODE_MODULES = HERE / "node_modules"
CHROMIUM = os.environ.get("KCRY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
# Playwright waits this long (ms) for an element or a navigation before failing a step.
STEP_TIMEOUT = 10_000


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def _live_server_settings():
    from django.test import override_settings

    override = override_settings(CACHE_MIDDLEWARE_SECONDS=0)
    override.enable()
    return override


@pytest.fixture(scope="session")
def live_server(_live_server_settings, live_server):
    """pytest-django's live server, with the anonymous page cache off.

    The cache middleware reads its timeout once, when the server thread builds its
    handler, which happens before any per-test settings apply: switch it off around
    the start, so the public pages show each change a test makes at once.
    """
    _live_server_settings.disable()
    return live_server


@pytest.fixture(scope="package")
def browser():
    """Chromium, shared by every test in this package.

    Playwright's sync API keeps an asyncio loop running in this thread while it is
    open, and Django refuses ORM calls from a thread with a running loop. The tests
    call the ORM between browser steps (never concurrently), so the check is lifted
    for this package only, and Playwright is closed before any other package runs.
    """
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser, request):
    """Open a page in a fresh context: new_page(js=True, viewport=DESKTOP, dark=False).

    Other keyword arguments go to Playwright's Browser.new_context.
    """
    contexts = []
    request.node._kcry_contexts = contexts

    def open_page(*, js=True, viewport=DESKTOP, dark=False, **options):
        options = {"locale": "en-GB", "timezone_id": "Asia/Seoul", **options}
        context = browser.new_context(
            java_script_enabled=js,
            viewport=viewport,
            color_scheme="dark" if dark else "light",
            **options,
        )
        context.set_default_timeout(STEP_TIMEOUT)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop page with JavaScript on."""
    return new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    contexts = getattr(item, "_kcry_contexts", None)
    if report.failed and report.when == "call" and contexts:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", item.nodeid.split("::", 1)[-1])
        saved = []
        for context_number, context in enumerate(contexts):
            for page_number, open_page in enumerate(context.pages):
                path = ARTIFACTS / f"{name}-{context_number}-{page_number}.png"
                try:
                    open_page.screenshot(path=path, full_page=True)
                except Exception as error:  # a crashed page must not hide the failure
                    report.sections.append(("screenshot", f"{path}: {error}"))
                    continue
                saved.append(f"{path} ({open_page.url})")
        if saved:
            report.sections.append(("screenshots", "\n".join(saved)))
    return report


@pytest.fixture(scope="session")
def node_tools():
    """tests/browser/node_modules with vnu-jar and axe-core, installed on first use."""
    needed = [
        NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar",
        NODE_MODULES / "axe-core" / "axe.min.js",
    ]
    if not all(path.exists() for path in needed):
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--prefix", str(HERE)],
            check=True,
            cwd=HERE,
        )
    return NODE_MODULES
