"""Load the founding editorial lists (catalog/seed/founding_lists.json).

The data file is a hand-made transcription of the five source documents: facts only,
with blurbs and intros written for kcry. Loading is idempotent and conservative:
anything that already exists (matched by slug, people also by folded name) is left
exactly as staff may have edited it; only missing rows are created.
"""

import json
from collections import Counter
from datetime import date
from pathlib import Path

from django.db import transaction

from . import text
from .models import ContentNote, Credit, EditorialList, ListEntry, Person, Work

FOUNDING_LISTS = Path(__file__).resolve().parent / "seed" / "founding_lists.json"


def load_founding_lists(path: Path = FOUNDING_LISTS) -> Counter:
    """Create whatever the data file holds that the database lacks; return counts created."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    created = Counter()
    with transaction.atomic():
        notes = {row["slug"]: _note(row, created) for row in data["content_notes"]}
        people = {row["slug"]: _person(row, created) for row in data["people"]}
        works = {row["slug"]: _work(row, notes, people, created) for row in data["works"]}
        for row in data["lists"]:
            _editorial_list(row, works, people, created)
    return +created  # drop the zero counts of things that already existed


def _note(row, created):
    note, was_created = ContentNote.objects.get_or_create(
        slug=row["slug"], defaults={"name": row["name"], "name_ko": row.get("name_ko", "")}
    )
    created["content notes"] += was_created
    return note


def _person(row, created):
    person = Person.objects.filter(slug=row["slug"]).first()
    if person is None:
        # Staff may have added the same person under another slug: match the folded name.
        folded = text.compact(row["name"]) + "|" + text.compact(row["name_ko"])
        person = Person.objects.filter(search_name=folded).first()
    if person is None:
        person = Person.objects.create(slug=row["slug"], name=row["name"], name_ko=row["name_ko"])
        created["people"] += 1
    return person


def _work(row, notes, people, created):
    work = Work.objects.filter(slug=row["slug"]).first()
    if work is not None:
        return work
    work = Work.objects.create(
        slug=row["slug"],
        kind=row["kind"],
        title=row["title"],
        title_ko=row["title_ko"],
        year=row["year"],
        release_date=date.fromisoformat(row["release_date"]) if row["release_date"] else None,
        blurb=row["blurb"],
        video_url=row["video_url"],
        ost_of=row["ost_of"],
        album=row["album"],
    )
    work.content_notes.set([notes[slug] for slug in row["content_notes"]])
    Credit.objects.bulk_create(
        Credit(work=work, person=people[credit["person"]], role=credit["role"], order=index)
        for index, credit in enumerate(row["credits"])
    )
    created["works"] += 1
    return work


def _editorial_list(row, works, people, created):
    if EditorialList.objects.filter(slug=row["slug"]).exists():
        return
    editorial_list = EditorialList.objects.create(
        slug=row["slug"],
        title=row["title"],
        intro=row["intro"],
        source_name=row["source_name"],
        source_kind=row["source_kind"],
        reactions_prompt=row["source_reactions_prompt"],
        is_countdown=row["is_countdown"],
        related_list_titles=row["related_list_titles"],
    )
    created["lists"] += 1
    for order, entry_row in enumerate(row["entries"], start=1):
        entry = ListEntry.objects.create(
            editorial_list=editorial_list,
            order=order,
            position=entry_row["position"],
            is_honourable_mention=entry_row["honourable_mention"],
            is_also_recommended=entry_row["also_recommended"],
            note=entry_row["note"],
        )
        entry.works.set([works[slug] for slug in entry_row["works"]])
        entry.people.set([people[slug] for slug in entry_row["people"]])
        created["list entries"] += 1
