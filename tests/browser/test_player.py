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


# --- the tear map seeks; "I cried here" marks the player's second ------------------------

# A stand-in for the embed (served for any third-party URL): it keeps every message the
# page posts to it, and answers YouTube's {"event":"listening"} with the documented
# {"event":"infoDelivery","info":{"currentTime":…}} when `now` is given.
ECHO_STUB = """<!doctype html><title>stub player</title><p>stub</p><script>
window.received = [];
window.addEventListener("message", function (event) {
  var data = JSON.parse(event.data);
  window.received.push(data);
  if (data.event === "listening" && NOW !== null) {
    parent.postMessage(JSON.stringify(
      {event: "infoDelivery", id: data.id, channel: "widget", info: {currentTime: NOW}}
    ), "*");
  }
});
</script>"""


def stub_player(page, now=None):
    body = ECHO_STUB.replace("NOW", "null" if now is None else repr(now))
    page.context.route(
        re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"),
        lambda route: route.fulfill(status=200, content_type="text/html", body=body),
    )


def player_frame(page):
    frame = page.frame_locator("figure[data-player] iframe")
    expect(frame.locator("p")).to_have_text("stub")
    return next(f for f in page.frames if f.url.startswith("https://www.youtube-nocookie.com/"))


def test_a_tear_map_bar_loads_the_player_there_then_seeks_it(live_server, page):
    from votes.services import tear_mark_add

    work = WorkFactory(
        slug="haru-haru-map",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        runtime_seconds=300,
    )
    tear_mark_add(member=UserFactory(), work=work, at_seconds=185)
    tear_mark_add(member=UserFactory(), work=work, at_seconds=62)
    stub_player(page)
    page.goto(live_server.url + "/works/haru-haru-map/")
    bars = page.locator("rect.tear-bar[data-seek]")
    expect(bars).to_have_count(2)
    expect(page.locator("iframe")).to_have_count(0)

    start = int(bars.nth(1).get_attribute("data-seek"))
    assert start <= 185
    bars.nth(1).click()
    src = page.locator("figure[data-player] iframe").get_attribute("src")
    assert f"start={start}&" in src
    frame = player_frame(page)

    # Once loaded, a bar seeks through the player's postMessage interface.
    bars.nth(0).focus()
    page.keyboard.press("Enter")
    other = int(bars.nth(0).get_attribute("data-seek"))
    expect_received = {"event": "command", "func": "seekTo", "args": [other, True]}
    for _ in range(50):
        if expect_received in frame.evaluate("window.received"):
            break
        page.wait_for_timeout(100)
    assert expect_received in frame.evaluate("window.received")
    assert page.locator("figure[data-player] iframe").get_attribute("src") == src  # no reload


def test_i_cried_here_marks_the_second_the_player_reports(live_server, new_page):
    from tests.browser.pages import log_in
    from votes.models import TearMark

    member = UserFactory(username="minji")
    WorkFactory(
        slug="haru-haru-now",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        runtime_seconds=300,
    )
    page = new_page()
    log_in(page.context, live_server, "minji")
    stub_player(page, now=187.4)
    page.goto(live_server.url + "/works/haru-haru-now/")
    cry = page.get_by_role("button", name="I cried here")
    expect(cry).to_have_count(0)  # hidden until the player is loaded

    page.locator("[data-player-start]").click()
    frame = player_frame(page)
    expect(cry).to_be_visible()
    cry.click()
    expect(page.locator("[data-tear-status]")).to_have_text("Marked: you cried at 3:07.")
    # The map is redrawn in place: one bar, the summary, and one's own mark.
    expect(page.locator("rect.tear-bar")).to_have_count(1)
    expect(page.locator(".own-tears")).to_contain_text("3:07")
    assert list(TearMark.objects.filter(member=member).values_list("at_seconds", flat=True)) == [
        187
    ]
    assert {"event": "listening", "id": "kcry-player", "channel": "widget"} in frame.evaluate(
        "window.received"
    )
    assert page.url.endswith("/works/haru-haru-now/")  # no navigation
    expect(page.get_by_role("button", name="I cried here")).to_be_visible()


def test_i_cried_here_trusts_only_the_player_frame(live_server, new_page):
    """A message from elsewhere (here our own page) claiming a time is ignored."""
    from tests.browser.pages import log_in
    from votes.models import TearMark

    UserFactory(username="minji")
    WorkFactory(
        slug="haru-haru-trust",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        runtime_seconds=300,
    )
    page = new_page()
    log_in(page.context, live_server, "minji")
    stub_player(page)  # the stand-in never says where it is
    page.goto(live_server.url + "/works/haru-haru-trust/")
    page.locator("[data-player-start]").click()
    player_frame(page)
    page.evaluate(
        """window.postMessage(JSON.stringify(
             {event: "infoDelivery", info: {currentTime: 42}}), "*")"""
    )
    page.wait_for_timeout(200)
    page.get_by_role("button", name="I cried here").click()
    expect(page.locator("[data-tear-status]")).to_contain_text("Play the video first")
    assert not TearMark.objects.exists()


def test_jump_to_a_moment_is_a_plain_link_without_javascript(live_server, new_page):
    work = WorkFactory(
        slug="haru-haru-nojs",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        runtime_seconds=300,
    )
    comment_post(author=UserFactory(), target=work, body="Here.", moment_seconds=187)
    page = new_page(js=False)
    page.goto(live_server.url + "/works/haru-haru-nojs/")
    jump = page.get_by_role("link", name="jump to 3:07")
    href = jump.get_attribute("href")
    assert urlsplit(href).hostname == "www.youtube.com" and "t=187" in href
    expect(page.get_by_role("button", name="I cried here")).to_have_count(0)


def test_a_moment_from_the_moments_page_starts_the_player_there(live_server, page):
    from votes import services

    work = WorkFactory(
        slug="haru-haru-moment",
        title="Haru Haru Moment",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        runtime_seconds=300,
    )
    services.tear_mark_add(member=UserFactory(), work=work, at_seconds=187)
    stub_player(page)
    page.goto(live_server.url + "/moments/")
    page.get_by_role("link", name="Haru Haru Moment").click()
    page.wait_for_url("**/works/haru-haru-moment/#t=185")
    page.wait_for_load_state("load")  # the player's script is in place (it is deferred)
    expect(page.locator("iframe")).to_have_count(0)  # still nothing loaded before the click
    page.locator("[data-player-start]").click()
    src = page.locator("figure[data-player] iframe").get_attribute("src")
    assert "start=185&" in src
