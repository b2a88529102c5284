from io import BytesIO

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from tests.factories import UserFactory, WorkFactory, rate, work_with_poster
from votes import cards

pytestmark = pytest.mark.django_db


def figures(**changes):
    base = {
        "work": 1,
        "title": "It's Okay to Break Up Then",
        "title_ko": "가나다라",
        "kind_label": "Music video",
        "year": 2019,
        "n": 1203,
        "total": 5534,
        "poster": "",
    }
    return {**base, **changes}


def ink(image, box):
    """How many pixels in `box` differ from the card background."""
    region = image.crop(box)
    background = Image.new("RGB", region.size, cards.BACKGROUND)
    diff = ImageChops.difference(region, background).convert("L")
    return sum(diff.histogram()[41:])


def union(*boxes):
    return (
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    )


def same_pixels(first, second, box):
    return ImageChops.difference(first.crop(box), second.crop(box)).getbbox() is None


@pytest.fixture
def render_counter(monkeypatch):
    calls = []
    real_work, real_rating = cards.draw_work_card, cards.draw_rating_card

    def counting_work(*args, **kwargs):
        calls.append("work")
        return real_work(*args, **kwargs)

    def counting_rating(*args, **kwargs):
        calls.append("rating")
        return real_rating(*args, **kwargs)

    monkeypatch.setattr(cards, "draw_work_card", counting_work)
    monkeypatch.setattr(cards, "draw_rating_card", counting_rating)
    return calls


def png(response):
    assert response["Content-Type"] == "image/png"
    return Image.open(BytesIO(response.content))


# --- drawing -----------------------------------------------------------------------------


def test_hangul_is_drawn_as_real_glyphs():
    first, first_boxes = cards.draw_work_card(figures(title_ko="가나다라"))
    second, second_boxes = cards.draw_work_card(figures(title_ko="마바사아"))
    box = union(first_boxes["title_ko"], second_boxes["title_ko"])
    # There is ink where the Korean title goes …
    assert ink(first, box) > 400 and ink(second, box) > 400
    # … and different syllables look different (empty boxes would all look the same).
    assert not same_pixels(first, second, box)
    # The ink is exactly the font's own glyphs drawn at that place and size.
    reference = Image.new("RGB", first.size, cards.BACKGROUND)
    top = first_boxes["title_ko"][1]
    face = cards.font(46)
    origin_y = top - ImageDraw.Draw(reference).textbbox((0, 0), "가나다라", font=face)[1]
    ImageDraw.Draw(reference).text(
        (cards.TEXT_LEFT, origin_y), "가나다라", font=face, fill=cards.TEXT
    )
    assert same_pixels(first, reference, first_boxes["title_ko"])
    # A font without Hangul draws something else in the same place.
    tofu = Image.new("RGB", first.size, cards.BACKGROUND)
    ImageDraw.Draw(tofu).text(
        (cards.TEXT_LEFT, origin_y), "가나다라", font=ImageFont.load_default(46), fill=cards.TEXT
    )
    assert not same_pixels(first, tofu, first_boxes["title_ko"])


def test_without_the_font_cards_still_render_and_warn(settings, tmp_path, caplog):
    settings.KCRY_CARD_FONT = str(tmp_path / "missing.ttc")
    settings.KCRY_CARD_FONT_BOLD = str(tmp_path / "missing-bold.ttc")
    with caplog.at_level("WARNING", logger="votes.cards"):
        first, first_boxes = cards.draw_work_card(figures(title_ko="가나다라"))
        second, second_boxes = cards.draw_work_card(figures(title_ko="마바사아"))
    assert first.size == (1200, 630)
    assert "no Hangul glyphs" in caplog.text
    # Latin text is still there; the Korean titles collapse to the same boxes, which
    # is what the glyph test above tells apart.
    assert ink(first, first_boxes["title"]) > 400
    box = union(first_boxes["title_ko"], second_boxes["title_ko"])
    assert same_pixels(first, second, box)


def test_poster_thumbnail_or_placeholder():
    work = work_with_poster(color=(200, 40, 40))
    card = Image.open(BytesIO(cards.work_card(work).png)).convert("RGB")
    left, top, right, bottom = cards.POSTER_BOX
    centre = ((left + right) // 2, (top + bottom) // 2)
    red, green, blue = card.getpixel(centre)
    assert red > 150 and green < 90 and blue < 90
    plain = Image.open(BytesIO(cards.work_card(WorkFactory()).png)).convert("RGB")
    assert plain.getpixel((centre[0], centre[1] + 40)) == cards.ACCENT  # the drawn drop


def test_a_missing_poster_file_falls_back_to_the_placeholder():
    work = work_with_poster()
    work.poster_thumb.storage.delete(work.poster_thumb.name)
    image = Image.open(BytesIO(cards.work_card(work).png))
    assert image.size == (1200, 630)


@pytest.mark.parametrize(
    ("n", "total", "expected"),
    [
        (1203, 5534, ("4.6 tissues", "from 1,203 members")),
        (1, 5, ("5.0 tissues", "from 1 member")),
        (0, 0, ("No tears yet", "be the first to rate it")),
    ],
)
def test_figures_are_written_for_people(n, total, expected):
    assert cards.tissues_line(n, total) == expected


def test_long_titles_wrap_and_are_cut_with_an_ellipsis():
    image = Image.new("RGB", (10, 10))
    draw = ImageDraw.Draw(image)
    lines = cards._wrap(draw, "word " * 60, cards.font(58, bold=True), 700, 2)
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert all(draw.textlength(line, font=cards.font(58, bold=True)) <= 700 for line in lines)


# --- serving and caching -------------------------------------------------------------------


def test_work_card_url_serves_a_png_with_cache_headers(client):
    work = WorkFactory(slug="rain", title="Rain", title_ko="비")
    rate(UserFactory(), work, 5)
    response = client.get("/works/rain/card.png")
    assert response.status_code == 200
    assert png(response).size == (1200, 630)
    assert response["ETag"].startswith('"')
    assert "public" in response["Cache-Control"]
    assert client.get("/works/nothing/card.png").status_code == 404
    WorkFactory(slug="draft", is_published=False)
    assert client.get("/works/draft/card.png").status_code == 404


def test_card_is_drawn_once_until_its_figures_change(client, render_counter):
    work = WorkFactory(slug="rain")
    rate(UserFactory(), work, 4)
    first = client.get("/works/rain/card.png")
    again = client.get("/works/rain/card.png")
    assert render_counter == ["work"]
    assert again.content == first.content and again["ETag"] == first["ETag"]

    rate(UserFactory(), work, 2)  # a new rating: new figures, new card
    changed = client.get("/works/rain/card.png")
    assert render_counter == ["work", "work"]
    assert changed["ETag"] != first["ETag"] and changed.content != first.content

    work.title = "Rain, retitled"
    work.save()
    client.get("/works/rain/card.png")
    assert len(render_counter) == 3


def test_a_client_holding_the_card_gets_304_without_a_render(
    client, render_counter, django_assert_max_num_queries
):
    WorkFactory(slug="rain")
    etag = client.get("/works/rain/card.png")["ETag"]
    with django_assert_max_num_queries(2):
        response = client.get("/works/rain/card.png", headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert render_counter == ["work"]


def test_rating_card_for_a_public_rating(client, render_counter):
    member = UserFactory(username="jisoo")
    work = WorkFactory(slug="rain", title="Rain", title_ko="비")
    rate(member, work, 5)
    response = client.get("/u/jisoo/cards/rain.png")
    assert response.status_code == 200
    assert png(response).size == (1200, 630)
    first_etag = response["ETag"]
    client.get("/u/jisoo/cards/rain.png")
    assert render_counter == ["rating"]
    rate(member, work, 3)
    response = client.get("/u/jisoo/cards/rain.png")
    assert response["ETag"] != first_etag
    assert render_counter == ["rating", "rating"]


def test_rating_card_figures_name_the_member_and_tears():
    rating = rate(UserFactory(username="jisoo"), WorkFactory(title="Rain"), 5)
    shown = cards.rating_figures(rating)
    assert (shown["member"], shown["tears"], shown["label"], shown["title"]) == (
        "jisoo",
        5,
        "Sobbing",
        "Rain",
    )
    image, boxes = cards.draw_rating_card(shown)
    assert ink(image, boxes["headline"]) > 300


def test_rating_card_is_404_without_a_public_rating(client):
    member = UserFactory(username="jisoo")
    WorkFactory(slug="unrated")
    hidden = WorkFactory(slug="hidden")
    rate(member, hidden, 4)
    hidden.is_published = False
    hidden.save()
    gone = UserFactory(username="gone")
    rate(gone, WorkFactory(slug="rain"), 5)
    gone.is_active = False
    gone.save()
    assert client.get("/u/jisoo/cards/unrated.png").status_code == 404
    assert client.get("/u/jisoo/cards/hidden.png").status_code == 404
    assert client.get("/u/gone/cards/rain.png").status_code == 404
    assert client.get("/u/nobody/cards/rain.png").status_code == 404
