"""A member's votes data as rows, and CSV files that spreadsheet programs open safely.

The row functions give plain values (for JSON); `csv_response` makes them a download:
UTF-8 with a byte-order mark (so Excel reads Hangul), a header row, and every text
cell that a spreadsheet would run as a formula prefixed with an apostrophe.
Other apps' exports (kcry_site's member data page) reuse `csv_response`.
"""

import csv
import re
import unicodedata

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from .models import REACTION_EMOJI, ListReaction, Rating, Reaction, Tears

RATING_FIELDS = [
    "work",
    "title",
    "title_ko",
    "kind",
    "year",
    "tears",
    "label",
    "rated_at",
    "first_rated",
]
REACTION_FIELDS = ["list", "list_title", "reaction", "label", "reacted_at"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """Keep spreadsheet programs from reading a cell as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def local_iso(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def csv_response(filename, fields, rows):
    """An attachment named `filename`: `fields` as the header, then each row dict."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment_header(filename)
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # so spreadsheet programs read the Hangul as UTF-8
    writer = csv.writer(response)
    writer.writerow(fields)
    for row in rows:
        writer.writerow([csv_safe(row.get(field)) for field in fields])
    return response


def rating_rows(member):
    """The member's ratings, newest first, one dict per rating (RATING_FIELDS)."""
    ratings = (
        Rating.objects.filter(member=member).select_related("work").order_by("-rated_at", "-pk")
    )
    for rating in ratings.iterator(chunk_size=500):
        work = rating.work
        yield {
            "work": work.slug,
            "title": work.title,
            "title_ko": work.title_ko,
            "kind": work.kind,
            "year": work.year,
            "tears": rating.tears,
            "label": str(Tears(rating.tears).label),
            "rated_at": local_iso(rating.rated_at),
            "first_rated": local_iso(rating.created),
        }


def reaction_rows(member):
    """The member's list reactions, newest first (REACTION_FIELDS)."""
    answers = (
        ListReaction.objects.filter(member=member)
        .select_related("editorial_list")
        .order_by("-created", "-pk")
    )
    for answer in answers.iterator(chunk_size=500):
        reaction = Reaction(answer.reaction)
        yield {
            "list": answer.editorial_list.slug,
            "list_title": answer.editorial_list.title,
            "reaction": reaction.value,
            "label": f"{REACTION_EMOJI[reaction]} {reaction.label}",
            "reacted_at": local_iso(answer.created),
        }


def attachment_header(filename):
    """Content-Disposition for a download named `filename`, which may be Hangul.

    Django's helper gives `filename*=utf-8''…` (RFC 6266) for a non-ASCII name; an ASCII
    `filename` goes first for clients that do not read filename* (RFC 6266, appendix D).
    """
    header = content_disposition_header(as_attachment=True, filename=filename)
    if filename.isascii():
        return header
    # "José" becomes "Jose" (accents dropped); "지수" becomes "_".
    letters = unicodedata.normalize("NFKD", filename)
    letters = "".join(ch for ch in letters if unicodedata.category(ch) != "Mn")
    fallback = re.sub(r"[^A-Za-z0-9._@+-]+", "_", letters)
    return header.replace("attachment; ", f'attachment; filename="{fallback}"; ', 1)


def export_filename(member, what, extension="csv"):
    stamp = timezone.localdate().isoformat()
    return f"kcry-{member.get_username()}-{what}-{stamp}.{extension}"
