"""Importing tear ratings from a CSV file: check every row, then store all or nothing.

A file needs a header row with at least `title` and `tears`; `artist`, `year`,
`title_ko` and `work` (a kcry slug) are used when present, and any other column is
ignored, so a file exported from kcry (votes.exporting.RATING_FIELDS) imports as is.

A row names its work by slug (the export's `work` column), or else by title: the
title is folded with catalog.text.compact and compared with each published work's
title and Korean title, then the candidates are narrowed to those crediting the row's
artist (also folded) and released in the row's year, when the row gives them. A row
that finds no work, or more than one, is reported with its row number and why.

`plan_import` reads and checks the whole file without writing anything, in a few
set-based queries; `apply_import` stores a clean plan's ratings through
services.ratings_set_many in one short transaction, so either every rating and every
figure changes, or none does. When some rows fail, the rows that matched can be stored
as an explicit second step: `sign_pairs` puts their (work id, tears) in a signed token
the page keeps in a hidden field, and `apply_pairs(unsign_pairs(...))` stores exactly
those once the member confirms. Nothing is stored before that.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from catalog.models import Credit, Work
from catalog.text import compact

from . import services
from .models import TEAR_VALUES

REQUIRED_COLUMNS = ("title", "tears")
KNOWN_COLUMNS = ("work", "title", "title_ko", "artist", "year", "tears")


class ImportFileError(Exception):
    """The file as a whole cannot be read as a ratings CSV (size, encoding, header…).

    Its text, like a RowProblem's reason, is translated when it is made: plan_import
    runs inside the member's request, so they read it in their language.
    """


@dataclass
class RowProblem:
    row: int  # as a spreadsheet numbers it: the header is row 1
    title: str
    reason: str


@dataclass
class PlannedRating:
    row: int
    work: Work
    tears: int


@dataclass
class ImportPlan:
    ratings: list = field(default_factory=list)  # PlannedRating, one per work
    problems: list = field(default_factory=list)  # RowProblem, in row order
    rows: int = 0  # data rows read (blank lines not counted)

    @property
    def ok(self):
        return not self.problems and bool(self.ratings)


@dataclass
class ImportResult:
    added: int
    changed: int
    unchanged: int

    @property
    def total(self):
        return self.added + self.changed + self.unchanged


# --- reading the file ------------------------------------------------------------------


def _decode(data: bytes) -> str:
    limit = settings.KCRY_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ImportFileError(
            _("The file is %(size)s bytes; an import can be at most %(limit)s bytes.")
            % {"size": f"{len(data):,}", "limit": f"{limit:,}"}
        )
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if b"\x00" in data:
        raise ImportFileError(_("This is not a CSV file (it holds binary data)."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _(
                "The file is not UTF-8 text (a bad byte at position %(position)s). "
                "Save it as “CSV UTF-8” and try again."
            )
            % {"position": f"{error.start:,}"}
        ) from None


def _dialect(text: str):
    """Commas as exported; semicolons or tabs as some spreadsheet programs save."""
    first_line = text.split("\n", 1)[0]
    if "," not in first_line:
        for delimiter in (";", "\t"):
            if delimiter in first_line:
                return delimiter
    return ","


def _records(text: str):
    """(row number, {column: value}) for each non-blank data row."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(text), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise ImportFileError(_("The file is empty."))
        columns = [name.strip().casefold() for name in header]
        missing = [name for name in REQUIRED_COLUMNS if name not in columns]
        if missing:
            raise ImportFileError(
                _(
                    "This is not a ratings CSV: the first row must name the columns, "
                    "with at least %(required)s (missing: %(missing)s)."
                )
                % {"required": ", ".join(REQUIRED_COLUMNS), "missing": ", ".join(missing)}
            )
        limit = settings.KCRY_IMPORT_MAX_ROWS
        records = []
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(records) == limit:
                raise ImportFileError(
                    _("The file has more than %(limit)s ratings; split it into smaller files.")
                    % {"limit": f"{limit:,}"}
                )
            values = {}
            for name, cell in zip(columns, cells, strict=False):
                if name in KNOWN_COLUMNS and name not in values:
                    values[name] = cell.strip()
            records.append((number, values))
    except csv.Error as error:
        # The csv module's own detail stays in English.
        raise ImportFileError(
            _("The file is not valid CSV: %(detail)s.") % {"detail": error}
        ) from None
    if not records:
        raise ImportFileError(_("The file has a header row but no ratings."))
    return records


# --- matching rows to works ------------------------------------------------------------


# Numbers in a file are ASCII digits. int() alone would also take "٣" or " 3", and both
# str.isdigit() and int() let "²⁰⁰⁸" or a 5,000-digit number through to a ValueError.
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,9}")
_YEAR = re.compile(r"[0-9]{4}")


def _parse_tears(raw):
    if raw == "":
        return None, _("tears: missing (a whole number of tissues from 0 to 5)")
    if not _WHOLE_NUMBER.fullmatch(raw):
        return None, _("tears: “%(value)s” is not a whole number from 0 to 5") % {"value": raw[:20]}
    tears = int(raw)
    if tears not in TEAR_VALUES:
        return None, _("tears: %(tears)s is out of range (0 to 5)") % {"tears": tears}
    return tears, None


def _parse_year(raw):
    if raw == "":
        return None, None
    if not _YEAR.fullmatch(raw) or int(raw) < 1000:
        return None, _("year: “%(value)s” is not a year") % {"value": raw[:20]}
    return int(raw), None


def _credited(work, artist_key):
    for credit in work.import_credits:
        for name in credit.person.search_name.split("|"):
            if name and (name == artist_key or name in artist_key):
                return True
    return False


def _with_credits(work_ids):
    """The published works of `work_ids` with their credits, in pk order."""
    credits = Prefetch(
        "credits", queryset=Credit.objects.select_related("person"), to_attr="import_credits"
    )
    work_ids = sorted(work_ids)
    works = []
    for start in range(0, len(work_ids), services.IDS_PER_QUERY):
        chunk = work_ids[start : start + services.IDS_PER_QUERY]
        works.extend(
            Work.objects.published().filter(pk__in=chunk).prefetch_related(credits).order_by("pk")
        )
    return works


def _works_titled(keys):
    """{folded title: [published works with that title or Korean title]}.

    One pass over the published works' stored folded titles (`search_title`, two short
    columns a row) finds the candidates; only those are loaded, with their credits. The
    cost follows the catalogue's size plus the matches, never one query per title.
    """
    found = {key: [] for key in keys}
    candidates = set()
    for pk, search_title in Work.objects.published().values_list("pk", "search_title"):
        title, _bar, title_ko = search_title.partition("|")
        if title in found or title_ko in found:
            candidates.add(pk)
    for work in _with_credits(candidates):
        title, _bar, title_ko = work.search_title.partition("|")
        for key in {title, title_ko}:
            if key in found:
                found[key].append(work)
    return found


def _works_by_slug(slugs):
    ids = Work.objects.published().filter(slug__in=slugs).values_list("pk", flat=True)
    return {work.slug: work for work in _with_credits(ids)}


def _describe(works):
    no_year = _("no year")  # outside the f-string, where makemessages can find it
    shown = ", ".join(f"{work.title} ({work.year or no_year}, {work.slug})" for work in works[:3])
    if len(works) > 3:
        return _("%(works)s and %(count)s more") % {"works": shown, "count": len(works) - 3}
    return shown


def _match(values, titled, by_slug):
    """(work, None) or (None, reason) for one row."""
    slug = values.get("work", "")
    if slug and slug in by_slug:
        return by_slug[slug], None
    title = values.get("title", "")
    key = compact(title)
    if not key:
        key = compact(values.get("title_ko", ""))
    if not key:
        return None, _("title: missing")
    candidates = titled.get(key, [])
    if not candidates:
        return None, _("no work with this title on kcry")
    artist = values.get("artist", "")
    artist_key = compact(artist)
    if artist_key:
        candidates = [work for work in candidates if _credited(work, artist_key)]
        if not candidates:
            return None, _("no work with this title credits “%(artist)s”") % {"artist": artist[:60]}
    year, problem = _parse_year(values.get("year", ""))
    if problem:
        return None, problem
    if year is not None:
        candidates = [work for work in candidates if work.year == year]
        if not candidates:
            if artist_key:
                reason = _("no work with this title by that artist from %(year)s")
            else:
                reason = _("no work with this title from %(year)s")
            return None, reason % {"year": year}
    if len(candidates) > 1:
        return None, _(
            "ambiguous: %(count)s works match (%(works)s); add the artist or the year"
        ) % {"count": len(candidates), "works": _describe(candidates)}
    return candidates[0], None


def plan_import(data: bytes) -> ImportPlan:
    """Read and check every row of a ratings CSV; nothing is written.

    Raises ImportFileError when the file as a whole is unusable.
    """
    records = _records(_decode(data))
    slugs = {values["work"] for _row, values in records if values.get("work")}
    by_slug = _works_by_slug(slugs) if slugs else {}
    keys = set()
    for _row, values in records:
        if values.get("work") in by_slug:
            continue
        key = compact(values.get("title", "")) or compact(values.get("title_ko", ""))
        if key:
            keys.add(key)
    titled = _works_titled(keys) if keys else {}

    plan = ImportPlan(rows=len(records))
    first_row_of = {}  # work pk -> the PlannedRating that named it first
    for number, values in records:
        label = values.get("title") or values.get("title_ko") or values.get("work", "")
        tears, problem = _parse_tears(values.get("tears", ""))
        work = None
        if problem is None:
            work, problem = _match(values, titled, by_slug)
        if problem is None:
            earlier = first_row_of.get(work.pk)
            if earlier is None:
                planned = PlannedRating(row=number, work=work, tears=tears)
                first_row_of[work.pk] = planned
                plan.ratings.append(planned)
                continue
            if earlier.tears == tears:
                continue  # the same rating twice: harmless
            problem = _("rates %(title)s again (row %(row)s gives %(tears)s)") % {
                "title": work.title,
                "row": earlier.row,
                "tears": earlier.tears,
            }
        plan.problems.append(RowProblem(row=number, title=label[:120], reason=problem))
    return plan


def apply_import(*, member, plan: ImportPlan) -> ImportResult:
    """Store every rating of a clean plan (all or nothing: see services.ratings_set_many)."""
    if not plan.ok:
        raise ValueError("Only a plan without problems can be applied.")
    return apply_pairs(member=member, pairs=plan_pairs(plan))


def apply_pairs(*, member, pairs) -> ImportResult:
    """Store the ratings (work id, tears) of `pairs` in one short transaction."""
    added, changed, unchanged = services.ratings_set_many(member=member, tears_by_work=dict(pairs))
    return ImportResult(added=added, changed=changed, unchanged=unchanged)


# --- the matched part of a plan, kept in the member's page until they confirm ----------


def plan_pairs(plan: ImportPlan):
    return [(planned.work.pk, planned.tears) for planned in plan.ratings]


def _signing_salt(member):
    return f"votes.importing.matched:{member.pk}"


def sign_pairs(*, member, pairs) -> str:
    """The matched ratings as a signed token for a hidden field: only this member's
    confirmation, within KCRY_IMPORT_CONFIRM_SECONDS, can store exactly these."""
    flat = [number for pair in pairs for number in pair]
    return signing.dumps(flat, salt=_signing_salt(member), compress=True)


class ImportTokenError(Exception):
    """A confirmation whose token is expired, tampered with or not this member's."""


def unsign_pairs(*, member, token) -> list:
    try:
        flat = signing.loads(
            token,
            salt=_signing_salt(member),
            max_age=settings.KCRY_IMPORT_CONFIRM_SECONDS,
        )
    except signing.SignatureExpired:
        raise ImportTokenError(
            _("This import check has expired. Please upload the file again.")
        ) from None
    except signing.BadSignature:
        raise ImportTokenError(
            _("This import could not be confirmed. Please upload the file again.")
        ) from None
    if (
        not isinstance(flat, list)
        or len(flat) % 2
        or not 0 < len(flat) // 2 <= settings.KCRY_IMPORT_MAX_ROWS
        or not all(isinstance(number, int) and not isinstance(number, bool) for number in flat)
    ):
        raise ImportTokenError(
            _("This import could not be confirmed. Please upload the file again.")
        )
    pairs = list(zip(flat[0::2], flat[1::2], strict=True))
    if len({work_id for work_id, _tears in pairs}) != len(pairs):
        raise ImportTokenError(
            _("This import could not be confirmed. Please upload the file again.")
        )
    return pairs
