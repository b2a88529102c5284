"""What members type is shown as text, never as markup: a corpus of hostile inputs."""

import pytest

from catalog.text import moment_url
from comments.text import clean_body, render_body

HOSTILE = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "<svg/onload=alert(1)>",
    '"><script>alert(document.cookie)</script>',
    "<iframe src=//evil.example></iframe>",
    "<div style=\"background:url('javascript:alert(1)')\">x</div>",
    "&lt;script&gt; already escaped",
    "<<script>script>alert(1)<</script>/script>",
    'https://example.com/"onmouseover="alert(1)',
    "https://example.com/<script>alert(1)</script>",
]


@pytest.mark.parametrize("raw", HOSTILE)
def test_hostile_markup_is_escaped_not_rendered(raw):
    html = render_body(clean_body(raw))
    assert "<script" not in html
    assert "<img" not in html
    assert "<svg" not in html
    assert "<iframe" not in html
    assert "<div" not in html
    # The only tags that may appear are our own links and line breaks.
    stripped = html.replace("<br>", "")
    for chunk in stripped.split("<")[1:]:
        assert chunk.startswith(('a href="http', "/a>"))


@pytest.mark.parametrize(
    "raw",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "jav&#x09;ascript:alert(1)",
    ],
)
def test_only_http_links_become_clickable(raw):
    html = render_body(clean_body(raw))
    assert "<a" not in html


def test_event_attributes_cannot_escape_a_link_href():
    html = str(render_body('see https://example.com/" onclick="alert(1) now'))
    assert 'href="https://example.com/&quot;' not in html  # the quote ends the URL
    assert ' onclick="' not in html
    assert "onclick=&quot;alert(1)" in html


def test_links_get_nofollow_ugc_noopener():
    html = str(render_body("My tear playlist: https://example.com/list?a=1&b=2."))
    assert (
        '<a href="https://example.com/list?a=1&amp;b=2" rel="nofollow ugc noopener">'
        "https://example.com/list?a=1&amp;b=2</a>." in html
    )


def test_link_next_to_hangul_stops_at_the_hangul():
    html = str(render_body("https://example.com/mv에서 3분에 울었어요"))
    assert '<a href="https://example.com/mv" rel="nofollow ugc noopener">' in html
    assert "</a>에서 3분에 울었어요" in html


def test_wrapping_parentheses_are_not_part_of_the_link():
    html = str(render_body("(https://example.com/a_(b))"))
    assert 'href="https://example.com/a_(b)"' in html
    assert html.endswith("</a>)")


def test_line_breaks_are_kept_and_blank_runs_collapsed():
    text = clean_body("first\r\nsecond\r\rthird\n\n\n\n\nfourth")
    assert text == "first\nsecond\n\nthird\n\nfourth"
    assert str(render_body("a\nb")) == "a<br>\nb"


@pytest.mark.parametrize(
    "raw",
    [
        "\u200b\u200b\u200b",  # zero-width spaces
        "\ufeff\u200c\u200d\u2060",  # BOM, ZWNJ, ZWJ, word joiner
        "\u202e\u202d",  # bidi overrides
        " \n\t \n ",
        "\x00\x07\x1b\x7f",  # NUL, bell, escape, delete
    ],
)
def test_invisible_only_text_cleans_to_nothing(raw):
    assert clean_body(raw) == ""


def test_zero_width_characters_are_removed_from_words():
    assert clean_body("sp\u200boil\u200ber\u202e") == "spoiler"


def test_mixed_hangul_and_emoji_survive_intact():
    raw = "너무 슬퍼요 😭😭 가족 👩‍👩‍👧 끝까지 봤어요 🏳️‍🌈 ㅠㅠ"
    assert clean_body(raw) == raw
    assert str(render_body(clean_body(raw))) == raw


def test_decomposed_hangul_is_composed():
    decomposed = "\u1112\u1161\u1105\u116e"  # 하루 as separate jamo
    assert clean_body(decomposed) == "하루"


def test_stray_zero_width_joiner_outside_emoji_is_removed():
    assert clean_body("눈\u200d물") == "눈물"


def test_moment_url_for_youtube_sets_t_and_keeps_v():
    url = moment_url("https://www.youtube.com/watch?v=abc&t=5s", 187)
    assert url == "https://www.youtube.com/watch?v=abc&t=187s"
    assert moment_url("https://youtu.be/abc", 60) == "https://youtu.be/abc?t=60s"


def test_moment_url_elsewhere_uses_a_media_fragment():
    assert moment_url("https://videos.example/mv.mp4", 42) == "https://videos.example/mv.mp4#t=42"
    assert moment_url("javascript:alert(1)", 42) == ""
