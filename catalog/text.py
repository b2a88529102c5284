"""Text normalisation for search: case-, accent- and spacing-insensitive matching."""

import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


def compact(text: str) -> str:
    """Fold `text` to a form where spelling variants meet.

    Case is folded, accents dropped ("D'Amour" = "damour"), and everything that is
    not a letter or digit removed, so "Kim Ji-Eun", "kim jieun" and "KIM JI EUN"
    all become "kimjieun". Hangul syllables survive intact: decomposition (NFKD)
    is undone by NFC after the combining marks are dropped, so a fragment such as
    "헤어지면" is still a substring of "그때헤어지면돼".
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    without_marks = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    recomposed = unicodedata.normalize("NFC", without_marks)
    return "".join(ch for ch in recomposed if ch.isalnum())


# --- moments in a video -----------------------------------------------------------------

_MOMENT = re.compile(r"(?:(?:(\d{1,2}):)?([0-5]?\d):)?(\d{1,5})", re.ASCII)


def parse_moment(raw) -> int:
    """Seconds from "187", "3:07" or "1:03:07". Raises ValueError for anything else.

    Minutes and seconds after a colon must be below 60 ("3:75" is refused); a bare
    number is seconds.
    """
    text = str(raw if raw is not None else "").strip()
    match = _MOMENT.fullmatch(text)
    if not match:
        raise ValueError(text)
    hours, minutes, seconds = match.groups()
    if minutes is not None and (len(match.group(3)) != 2 or int(seconds) > 59):
        raise ValueError(text)
    return int(hours or 0) * 3600 + int(minutes or 0) * 60 + int(seconds)


def format_moment(seconds: int) -> str:
    """187 → "3:07", 3787 → "1:03:07"."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def moment_url(video_url: str, seconds: int) -> str:
    """The work's video URL, jumping to `seconds`.

    YouTube reads a `t` query parameter; other players get a media fragment (#t=…).
    """
    parts = urlsplit(video_url)
    if parts.scheme not in {"http", "https"}:
        return ""
    host = (parts.hostname or "").lower()
    if host == "youtu.be" or host.endswith("youtube.com"):
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "t"]
        query.append(("t", f"{seconds}s"))
        return urlunsplit(parts._replace(query=urlencode(query), fragment=""))
    return urlunsplit(parts._replace(fragment=f"t={seconds}"))
