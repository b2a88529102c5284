"""The work page's click-to-load player: which provider and video a work's URL names.

Only YouTube and Vimeo are embedded, through their privacy-enhanced players, and only
after the visitor clicks (kcry_site/static/kcry/player.js builds the iframe). Until
then the page names no third party except in the plain link to the video, so the page
makes no request anywhere else. The embed origins here must match the CSP `frame-src`.
"""

import re
from urllib.parse import parse_qs, urlsplit

EMBED_ORIGINS = {
    "youtube": "https://www.youtube-nocookie.com",
    "vimeo": "https://player.vimeo.com",
}
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}", re.ASCII)
_VIMEO_ID = re.compile(r"[0-9]{1,12}", re.ASCII)


def video_of(video_url: str):
    """(provider, video id) for a YouTube or Vimeo URL, else None."""
    try:
        parts = urlsplit(video_url or "")
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"}:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    segments = [s for s in parts.path.split("/") if s]
    candidate = None
    if host == "youtu.be" and segments:
        candidate = segments[0]
    elif host in {"youtube.com", "youtube-nocookie.com", "music.youtube.com"}:
        if segments[:1] == ["watch"] or not segments:
            candidate = (parse_qs(parts.query).get("v") or [""])[0]
        elif len(segments) >= 2 and segments[0] in {"embed", "shorts", "live", "v"}:
            candidate = segments[1]
        if candidate and _YOUTUBE_ID.fullmatch(candidate):
            return "youtube", candidate
        return None
    if host == "youtu.be":
        return ("youtube", candidate) if candidate and _YOUTUBE_ID.fullmatch(candidate) else None
    if host in {"vimeo.com", "player.vimeo.com"}:
        numbers = [s for s in segments if _VIMEO_ID.fullmatch(s)]
        return ("vimeo", numbers[0]) if numbers else None
    return None


def player_for(work):
    """What the player partial needs, or None when the work has no embeddable video."""
    found = video_of(work.video_url)
    if found is None:
        return None
    provider, video_id = found
    return {
        "provider": provider,
        "provider_name": {"youtube": "YouTube", "vimeo": "Vimeo"}[provider],
        "video_id": video_id,
        "link": work.video_url,
    }
