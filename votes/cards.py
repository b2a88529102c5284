"""Share cards: 1200×630 PNG images of a work's tear figures or of one member's rating.

A card shows the poster thumbnail (or a drawn placeholder), the title in Latin script
and in Hangul, and the stored figures ("4.6 tissues from 1,203 members"). Text is set
in KCRY_CARD_FONT, which must have Hangul glyphs (Debian: fonts-noto-cjk); without it
the card falls back to Pillow's built-in font, which draws Latin letters only — Korean
titles then show as empty boxes, and a warning is logged.

Cards are cached (default cache) under a key made from exactly what they show, so a
new rating, a retitled work or a new poster makes a new card, and anything else is
served from the cache. The same key is the card's ETag.

Bounds: a card exists only for a published work, or for an existing rating of one by an
active member (votes.views). Work cards are at most one live entry per work (older
figures' entries expire after KCRY_CARD_CACHE_SECONDS). Rating cards could be one per
rating, so they are kept only KCRY_CARD_RATING_CACHE_SECONDS (a share's burst of link
previews, not a crawl of every member × work). Every render that misses the cache first
passes `before_render`, the per-address brake on renders (KCRY_RATE_CARDS).
"""

import hashlib
import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from .models import Tears, stored_stats

logger = logging.getLogger(__name__)

# Bump when the drawing changes, so cached cards of the old design are not reused.
CARD_VERSION = 1
WIDTH, HEIGHT = 1200, 630
POSTER_BOX = (60, 75, 380, 555)  # 320×480, the poster's 2:3
TEXT_LEFT, TEXT_RIGHT = 430, 1140

BACKGROUND = (20, 24, 33)
PANEL = (31, 42, 58)
TEXT = (236, 238, 242)
MUTED = (179, 184, 194)
ACCENT = (140, 188, 255)


@dataclass
class Card:
    png: bytes
    etag: str


# --- fonts -------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _load_font(path, index, size):
    try:
        return ImageFont.truetype(path, size, index=index)
    except OSError:
        return None


@lru_cache(maxsize=8)
def _warn_missing(path):
    logger.warning(
        "Share card font %s not found: using Pillow's default font, which has no Hangul "
        "glyphs (Korean titles show as boxes). Install fonts-noto-cjk or set KCRY_CARD_FONT.",
        path,
    )


def font(size, *, bold=False):
    """The card font at `size` px (the bold face when there is one)."""
    regular = settings.KCRY_CARD_FONT
    index = settings.KCRY_CARD_FONT_INDEX
    if bold and settings.KCRY_CARD_FONT_BOLD:
        found = _load_font(settings.KCRY_CARD_FONT_BOLD, index, size)
        if found is not None:
            return found
    found = _load_font(regular, index, size)
    if found is not None:
        return found
    _warn_missing(regular)
    return ImageFont.load_default(size)


def _font_identity():
    return [settings.KCRY_CARD_FONT, settings.KCRY_CARD_FONT_BOLD, settings.KCRY_CARD_FONT_INDEX]


# --- figures and text ------------------------------------------------------------------


def tissues_line(n, total):
    """(“4.6 tissues”, “from 1,203 members”), or a first-rating invitation."""
    if not n:
        return "No tears yet", "be the first to rate it"
    mean = total / n
    return f"{mean:.1f} tissues", f"from {n:,} member{'' if n == 1 else 's'}"


def _poster_name(work):
    return work.poster_thumb.name or work.poster.name or ""


def _wrap(draw, text, face, width, max_lines):
    """Split `text` into at most `max_lines` lines that fit `width` (… when cut)."""
    words = text.split()
    lines, current = [], ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if draw.textlength(candidate, font=face) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        # A single word wider than the line (a long Hangul run): break it by letters.
        while draw.textlength(current, font=face) > width and len(current) > 1:
            cut = len(current)
            while cut > 1 and draw.textlength(current[:cut], font=face) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and draw.textlength(last + "…", font=face) > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


def _text_block(draw, boxes, name, lines, face, top, fill, gap=8):
    """Draw `lines` from `top`; record their joint bounding box; return the next top."""
    box = None
    for line in lines:
        draw.text((TEXT_LEFT, top), line, font=face, fill=fill)
        left, upper, right, lower = draw.textbbox((TEXT_LEFT, top), line, font=face)
        box = (
            (left, upper, right, lower)
            if box is None
            else (min(box[0], left), min(box[1], upper), max(box[2], right), max(box[3], lower))
        )
        top += face.size + gap
    if box is not None:
        boxes[name] = box
    return top


# --- drawing -----------------------------------------------------------------------------


def _poster(canvas, poster_file):
    left, top, right, bottom = POSTER_BOX
    draw = ImageDraw.Draw(canvas)
    if poster_file is not None:
        try:
            with Image.open(poster_file) as image:
                image = ImageOps.contain(image.convert("RGB"), (right - left, bottom - top))
        except (OSError, UnidentifiedImageError, ValueError):
            logger.warning("Share card: unreadable poster, drawing the placeholder instead")
        else:
            draw.rounded_rectangle(POSTER_BOX, radius=14, fill=PANEL)
            x = left + (right - left - image.width) // 2
            y = top + (bottom - top - image.height) // 2
            canvas.paste(image, (x, y))
            return
    # Placeholder: a panel with a large tear drop.
    draw.rounded_rectangle(POSTER_BOX, radius=14, fill=PANEL)
    centre_x, centre_y = (left + right) // 2, (top + bottom) // 2 + 40
    radius = 80
    draw.polygon(
        [
            (centre_x, centre_y - 2.6 * radius),
            (centre_x - radius * 0.93, centre_y - radius * 0.37),
            (centre_x + radius * 0.93, centre_y - radius * 0.37),
        ],
        fill=ACCENT,
    )
    draw.ellipse(
        (centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius), fill=ACCENT
    )


def _tissue_marks(draw, tears, top):
    """Five circles, `tears` of them filled."""
    size, gap = 34, 14
    for index in range(5):
        x = TEXT_LEFT + index * (size + gap)
        box = (x, top, x + size, top + size)
        if index < tears:
            draw.ellipse(box, fill=ACCENT)
        else:
            draw.ellipse(box, outline=ACCENT, width=3)


def _footer(draw):
    draw.text(
        (TEXT_LEFT, 560), "kcry · Korean works that make people cry", font=font(26), fill=MUTED
    )


def _titles(draw, boxes, title, title_ko, top):
    width = TEXT_RIGHT - TEXT_LEFT
    big = font(58, bold=True)
    top = _text_block(draw, boxes, "title", _wrap(draw, title, big, width, 2), big, top, TEXT)
    if title_ko:
        ko = font(46)
        top = _text_block(
            draw, boxes, "title_ko", _wrap(draw, title_ko, ko, width, 1), ko, top + 12, TEXT
        )
    return top


def draw_work_card(figures, poster_file=None):
    """The work card as an image, and where each text was drawn ({name: bbox})."""
    canvas = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    boxes = {}
    _poster(canvas, poster_file)
    kicker = " · ".join(
        part for part in (figures["kind_label"], str(figures["year"] or "")) if part
    )
    top = _text_block(draw, boxes, "kicker", [kicker], font(28), 80, MUTED)
    top = _titles(draw, boxes, figures["title"], figures["title_ko"], top + 10)
    headline, detail = tissues_line(figures["n"], figures["total"])
    top = max(top + 24, 360)
    top = _text_block(draw, boxes, "score", [headline], font(72, bold=True), top, ACCENT)
    _text_block(draw, boxes, "count", [detail], font(36), top, TEXT)
    _footer(draw)
    return canvas, boxes


def draw_rating_card(figures, poster_file=None):
    """A member's rating card: “<member> cried 5/5 at <title>”."""
    canvas = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    boxes = {}
    _poster(canvas, poster_file)
    width = TEXT_RIGHT - TEXT_LEFT
    lead = font(40)
    top = _text_block(
        draw,
        boxes,
        "headline",
        _wrap(draw, f"{figures['member']} cried {figures['tears']}/5 at", lead, width, 2),
        lead,
        80,
        MUTED,
    )
    top = _titles(draw, boxes, figures["title"], figures["title_ko"], top + 10)
    top = max(top + 30, 400)
    _tissue_marks(draw, figures["tears"], top)
    label = font(36, bold=True)
    _text_block(draw, boxes, "label", [figures["label"]], label, top + 52, ACCENT)
    _footer(draw)
    return canvas, boxes


def _png(image):
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


# --- cached cards ------------------------------------------------------------------------


def _key(kind, figures):
    identity = json.dumps([CARD_VERSION, kind, figures, _font_identity()], sort_keys=True)
    return hashlib.sha256(identity.encode()).hexdigest()[:40]


def _open_poster(work):
    field = work.poster_thumb if work.poster_thumb else work.poster
    if not field:
        return None
    try:
        field.open("rb")
    except OSError:
        logger.warning("Share card: poster file %s is missing", field.name)
        return None
    return field


def _cached(kind, figures, work, draw, *, timeout, before_render=None):
    """The card from the cache, else drawn (after `before_render()`, the caller's brake,
    which may raise) and kept for `timeout` seconds (0: not kept)."""
    etag = _key(kind, figures)
    cache_key = f"kcry:card:{etag}"
    png = cache.get(cache_key) if timeout else None
    if png is None:
        if before_render is not None:
            before_render()
        poster = _open_poster(work)
        try:
            png = _png(draw(figures, poster)[0])
        finally:
            if poster is not None:
                poster.close()
        if timeout:
            cache.set(cache_key, png, timeout)
    return Card(png=png, etag=etag)


def work_figures(work, stats=None):
    """What a work's card shows (and therefore its cache key)."""
    if stats is None:
        stats = stored_stats(work)
    # Cards are shared images: they are drawn in the site's default language whatever
    # the language of the page that links to them.
    with translation.override(settings.LANGUAGE_CODE):
        kind_label = str(work.get_kind_display())
    return {
        "work": work.pk,
        "title": work.title,
        "title_ko": work.title_ko,
        "kind_label": kind_label,
        "year": work.year,
        "n": stats.n if stats else 0,
        "total": stats.total if stats else 0,
        "poster": _poster_name(work),
    }


def _default_language_label(tears):
    with translation.override(settings.LANGUAGE_CODE):
        return str(Tears(tears).label)


def rating_figures(rating):
    work = rating.work
    return {
        "rating": rating.pk,
        "member": rating.member.get_username(),
        "tears": rating.tears,
        "label": _default_language_label(rating.tears),
        "title": work.title,
        "title_ko": work.title_ko,
        "poster": _poster_name(work),
    }


def work_card_etag(work, stats=None):
    return _key("work", work_figures(work, stats))


def rating_card_etag(rating):
    return _key("rating", rating_figures(rating))


def work_card(work, stats=None, *, before_render=None) -> Card:
    return _cached(
        "work",
        work_figures(work, stats),
        work,
        draw_work_card,
        timeout=settings.KCRY_CARD_CACHE_SECONDS,
        before_render=before_render,
    )


def rating_card(rating, *, before_render=None) -> Card:
    return _cached(
        "rating",
        rating_figures(rating),
        rating.work,
        draw_rating_card,
        timeout=settings.KCRY_CARD_RATING_CACHE_SECONDS,
        before_render=before_render,
    )
