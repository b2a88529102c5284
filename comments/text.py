"""Comment text: cleaning on the way in, safe HTML on the way out.

Comments are plain text. `clean_body` normalises what a member typed (NFC, no
control or invisible characters, at most one blank line in a row); `render_body`
turns it into HTML by escaping *everything* first and then adding only two kinds of
markup of its own: links for http(s) URLs and <br> for line breaks. Nothing a member
types can become a tag, an attribute or a non-http link.
"""

import re
import unicodedata
from urllib.parse import urlsplit

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ZWJ = "\u200d"
# Kept control characters: newline only (tabs become spaces, CR/CRLF become \n).
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_BLANK_RUNS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
# Only http(s) URLs become links, and only with URL-safe ASCII characters, so
# "https://example.com에서" links the address and not the Korean that follows it.
_URL = re.compile(r"\bhttps?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+", re.IGNORECASE)
_TRAILING = ".,:;!?'\""
LINK_REL = "nofollow ugc noopener"


def _is_emoji_part(ch: str) -> bool:
    # Pictographs (So), skin-tone modifiers (Sk) and variation selectors (Mn) are
    # what emoji zero-width-joiner sequences such as 👩‍👧 are made of.
    return unicodedata.category(ch) in {"So", "Sk", "Mn"}


def clean_body(raw: str) -> str:
    """Normalise a comment as typed; the result may be "" (which callers refuse)."""
    text = unicodedata.normalize("NFC", raw or "")
    text = _NEWLINES.sub("\n", text).replace("\t", " ")
    kept = []
    for index, ch in enumerate(text):
        category = unicodedata.category(ch)
        if ch == "\n":
            kept.append(ch)
        elif ch == ZWJ:
            # Keep a joiner only inside an emoji sequence; elsewhere it is invisible
            # padding (or a way to make an "empty" comment look non-empty).
            nxt = text[index + 1] if index + 1 < len(text) else ""
            if kept and _is_emoji_part(kept[-1]) and nxt and unicodedata.category(nxt) == "So":
                kept.append(ch)
        elif category in {"Cc", "Cf", "Cs", "Co", "Cn"}:
            continue  # controls, zero-width/bidi formatting, surrogates, private use
        else:
            kept.append(ch)
    text = "".join(kept)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip()


def has_visible_text(text: str) -> bool:
    return any(not ch.isspace() and ch != ZWJ for ch in text)


def _split_trailing(url: str) -> tuple[str, str]:
    """Punctuation after a URL ends the sentence, not the URL ("see https://x.kr.")."""
    tail = ""
    while url:
        last = url[-1]
        if last in _TRAILING:
            pass
        elif last == ")" and url.count("(") < url.count(")"):
            pass
        else:
            break
        tail = last + tail
        url = url[:-1]
    return url, tail


def render_body(text: str) -> SafeString:
    """Escaped HTML for a comment: clickable http(s) links, line breaks kept."""
    parts = []
    position = 0
    for match in _URL.finditer(text):
        url, tail = _split_trailing(match.group(0))
        if not urlsplit(url).netloc:
            continue  # "http://" alone is just text
        parts.append(escape(text[position : match.start()]))
        href = escape(url)
        parts.append(f'<a href="{href}" rel="{LINK_REL}">{href}</a>')
        position = match.start() + len(url)
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts).replace("\n", "<br>\n"))  # every piece was escaped above


# --- tear moments ---------------------------------------------------------------------
