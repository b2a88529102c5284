"""Screenshots of kcry's main pages for the README, taken in Chromium.

    .venv/bin/python -m tests.browser.screenshots [--out docs/screenshots]

Builds a throw-away SQLite database with the founding lists plus a small community
(the same data the page validators use), serves it on a local port and saves each page
at desktop (1280 px) and phone (375 px) width. Nothing outside the output folder is
touched.
"""

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
THIRD_PARTY = re.compile(r"^https?://(?!127\.0\.0\.1|localhost)")
MAX_HEIGHT = {"desktop": 1500, "phone": 2200}  # px of page kept, from the top
# The work shown with its click-to-load player (before the click) and its tear map.
PLAYER_WORK = "wedding-dress"
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}
# name → (path, logged in as the member?, dark colour scheme?)
SHOTS = {
    "home": ("/", False, False),
    "list": ("/lists/top-10-saddest-kpop-mvs/", False, False),
    "work": ("/works/haru-haru/", True, False),
    "work-dark": ("/works/haru-haru/", True, True),
    "rankings": ("/rankings/", False, False),
    "search": ("/search/?q=눈", False, False),
    "member": ("/u/mina/", False, False),
    "player": (f"/works/{PLAYER_WORK}/", True, False),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kcry-shots-") as scratch:
        os.environ.update(
            DATABASE_URL=f"sqlite:///{scratch}/shots.sqlite3",
            MEDIA_ROOT=f"{scratch}/media",
            CACHE_URL="locmemcache://shots",
            KCRY_ANON_CACHE_SECONDS="0",
            DEBUG="1",
            DJANGO_SETTINGS_MODULE="kcry_site.settings",
        )
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        take(args.out)


def take(out: Path):
    from django.core.management import call_command
    from playwright.sync_api import sync_playwright
    from pytest_django.live_server_helper import LiveServer

    from catalog.seeding import load_founding_lists

    from .conftest import CHROMIUM, CHROMIUM_ARGS
    from .pages import make_site_data, session_cookie

    call_command("migrate", verbosity=0)
    make_site_data(load_founding_lists())
    paint_posters()
    watch_and_cry()
    server = LiveServer("localhost")
    cookie = session_cookie(server)  # before Playwright: its event loop forbids the ORM
    out.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            for device, viewport in SIZES.items():
                for name, (path, as_member, dark) in SHOTS.items():
                    context = browser.new_context(
                        viewport=viewport,
                        device_scale_factor=1,
                        color_scheme="dark" if dark else "light",
                        locale="en-GB",
                        timezone_id="Asia/Seoul",
                    )
                    if as_member:
                        context.add_cookies([cookie])
                    # Nothing third-party loads before the player's click; if it did,
                    # it would fail here rather than reach the network.
                    context.route(THIRD_PARTY, lambda route: route.abort())
                    page = context.new_page()
                    page.goto(server.url + path)
                    page.wait_for_load_state("networkidle")
                    height = min(
                        page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT[device]
                    )
                    target = out / f"{name}-{device}.png"
                    page.screenshot(
                        path=target,
                        full_page=True,
                        clip={"x": 0, "y": 0, "width": viewport["width"], "height": height},
                    )
                    print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
                    context.close()
            browser.close()
    finally:
        server.stop()


def watch_and_cry():
    """A video and a realistic tear map for PLAYER_WORK: marks from 40 members gathered
    around the bridge and the last chorus, a few scattered, one comment with its moment."""
    import random

    from catalog.models import Work
    from comments.services import comment_post
    from tests.factories import UserFactory
    from votes.services import tear_mark_add

    work = Work.objects.get(slug=PLAYER_WORK)
    work.video_url = "https://www.youtube.com/watch?v=kcry-sample"  # a link only, never loaded
    work.runtime_seconds = 4 * 60 + 13
    work.save()
    chance = random.Random(7)
    for number in range(40):
        member = UserFactory(username=f"viewer{number:02d}")
        moments = [chance.gauss(188, 9)]
        if chance.random() < 0.35:
            moments.append(chance.gauss(72, 6))
        if chance.random() < 0.15:
            moments.append(chance.uniform(10, 250))
        for at in moments:
            tear_mark_add(member=member, work=work, at_seconds=round(min(max(at, 0), 252)))
    from django.contrib.auth import get_user_model

    mina = get_user_model().objects.get(username="mina")  # the member the shot is taken as
    tear_mark_add(member=mina, work=work, at_seconds=189)
    comment_post(
        author=UserFactory(username="yuna"),
        target=work,
        body="When the bridge drops I'm gone, every single time.",
        moment_seconds=187,
    )


def paint_posters():
    """Stand-in posters (a gradient and the title) for every work."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw, ImageFont

    from catalog.models import Work
    from catalog.posters import make_thumbnail

    fonts = [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ]
    font_path = next((font for font in fonts if Path(font).exists()), None)
    palette = [
        ((32, 58, 110), (150, 190, 230)),
        ((70, 30, 80), (230, 150, 170)),
        ((20, 70, 70), (160, 220, 200)),
        ((90, 50, 20), (240, 200, 140)),
    ]
    works = Work.objects.order_by("pk")
    for number, work in enumerate(works):
        top, bottom = palette[number % len(palette)]
        image = Image.new("RGB", (400, 600))
        draw = ImageDraw.Draw(image)
        for y in range(600):
            mix = y / 599
            draw.line(
                [(0, y), (400, y)],
                fill=tuple(round(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True)),
            )
        if font_path:
            font = ImageFont.truetype(font_path, 44)
            draw.multiline_text(
                (30, 380),
                work.title.replace(" ", "\n", 2),
                font=font,
                fill=(255, 255, 255),
                spacing=8,
            )
        buffer = BytesIO()
        image.save(buffer, format="PNG")
        work.poster = SimpleUploadedFile(f"{work.slug}.png", buffer.getvalue(), "image/png")
        make_thumbnail(work)
        work.save()


if __name__ == "__main__":
    main()
