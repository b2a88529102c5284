"""The click-to-load player: nothing third-party until the click, then the
privacy-enhanced embed; a comment's tear moment seeks it."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from comments.services import comment_post
from tests.factories import UserFactory, WorkFactory

pytestmark = pytest.mark.django_db(transaction=True)

STUB = "<!doctype html><title>stub player</title><p>stub</p>"


def test_nothing_third_party_loads_until_the_click_then_the_nocookie_embed(live_server, page):
    work = WorkFactory(
        slug="haru-haru-player",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        runtime_seconds=300,
    )
    comment_post(author=UserFactory(), target=work, body="Here.", moment_seconds=187)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    # No network beyond loopback: any third-party request is answered by a stub.
    page.context.route(
        re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"),
        lambda route: route.fulfill(status=200, content_type="text/html", body=STUB),
    )
    page.goto(live_server.url + "/works/haru-haru-player/")
    page.wait_for_load_state("networkidle")
    before = [u for u in requests if urlsplit(u).hostname not in {"127.0.0.1", "localhost"}]
    assert before == []
    expect(page.locator("iframe")).to_have_count(0)

    # A comment's tear moment loads the player at that second.
    page.locator(".tear-moment a[data-seek]").click()
    frame = page.locator("figure[data-player] iframe")
    expect(frame).to_have_count(1)
    src = frame.get_attribute("src")
    assert (
        urlsplit(src).scheme + "://" + urlsplit(src).hostname == "https://www.youtube-nocookie.com"
    )
    assert "/embed/dQw4w9WgXcQ?" in src and "enablejsapi=1" in src and "start=187" in src
    assert page.url.endswith("/works/haru-haru-player/")  # stayed on our page
    after = {urlsplit(u).hostname for u in requests} - {"127.0.0.1", "localhost"}
    assert after == {"www.youtube-nocookie.com"}
