"""Catalog reads for pages: each returns data (no HTML), for catalog's own views and for
the pages the site composes on top (kcry_site/pages)."""

from itertools import groupby

from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext as _

from kcry_site.web import versions
from kcry_site.web.fragments import cached_data

from .models import ContentNote, Credit, ListEntry, NotePreference, NoteVote, Work


def work_for_page(slug, *, related=True):
    """A published work with its credits and the published lists naming it (3 queries);
    with related=False the work alone (1 query), for a page that keeps what shows them
    as a fragment and fetches them with work_related() only when it renders it."""
    work = Work.objects.published().filter(slug=slug).first()
    if work is not None and related:
        work_related(work)
    return work


def work_related(work):
    """Fetch `work`'s credits (with their people) and the published lists naming it."""
    prefetch_related_objects(
        [work],
        Prefetch("credits", queryset=Credit.objects.select_related("person")),
        Prefetch(
            "list_entries",
            queryset=ListEntry.objects.filter(editorial_list__is_published=True)
            .select_related("editorial_list")
            .order_by("editorial_list__title"),
        ),
    )
    return work


def group_credits(credits):
    """[(role label, [credit, …]), …] in the order of Credit.Role."""
    rank = {role: index for index, role in enumerate(Credit.Role.values)}
    ordered = sorted(credits, key=lambda credit: rank[credit.role])
    return [
        (Credit.Role(role).label, list(group))
        for role, group in groupby(ordered, key=lambda credit: credit.role)
    ]


OPEN_GRAPH_TYPES = {
    Work.Kind.MV: "video.other",
    Work.Kind.SONG: "music.song",
    Work.Kind.FILM: "video.movie",
    Work.Kind.DRAMA: "video.tv_show",
}


def work_share(work, image=""):
    """What the OpenGraph and Twitter card tags say about a work (paths, not addresses)."""
    title = f"{work.title} ({work.title_ko})" if work.title_ko else work.title
    return {
        "type": OPEN_GRAPH_TYPES.get(work.kind, "website"),
        "title": title,
        "description": work.blurb or f"{work.get_kind_display()} on kcry: {title}",
        "path": work.get_absolute_url(),
        "image": image,
    }


def work_notes(work):
    """The notes as they stand for `work`, the same for every reader (one query):
    (shown, proposable), each note annotated with is_staff_set, yes, no, is_locked and
    is_carried. The work page keeps it under the site's and the work's versions (a note
    vote bumps both, a staff edit the site's)."""
    notes = list(ContentNote.objects.for_work(work))
    for note in notes:
        note.is_carried = note.is_staff_set or note.yes > note.no
    shown = [note for note in notes if note.is_staff_set or note.is_locked or note.yes or note.no]
    shown.sort(
        key=lambda note: (
            0 if note.is_staff_set else 1 if note.is_carried else 2,
            note.no - note.yes,
            note.name,
        )
    )
    return shown, [note for note in notes if note not in shown]


def content_notes_panel(work, member, shared=None):
    """The work page's content notes.

    `shown`: notes staff set or members voted on, majority first (a staff-set note counts
    as confirmed); `carried`: those the work carries (staff-set or more yes than no);
    `proposable`: the rest of the fixed list, for a member to propose; `guarded`: carried
    notes the member chose never to see unfolded (the poster and video wait behind a card).

    `shared` is what work_notes(work) returned (a page keeps it; read here when None).
    The member's own bits are read live, and only when they can show: their votes on
    this work (one small read, when some note has votes) and the notes they fold
    (fold_key, when the work carries a note).
    """
    shown, proposable = shared if shared is not None else work_notes(work)
    carried = [note for note in shown if note.is_carried]
    signed_in = member is not None and member.is_authenticated
    votes = {}
    if signed_in and any(note.yes or note.no for note in shown):
        votes = dict(
            NoteVote.objects.filter(member_id=member.pk, work_note__work_id=work.pk).values_list(
                "work_note__note_id", "present"
            )
        )
    avoided = set()
    if signed_in and carried:
        avoided = {int(pk) for pk in fold_key(member).split(",") if pk}
    for note in shown:
        note.my_vote = votes.get(note.pk)
        note.is_avoided = note.pk in avoided
    return {
        "shown": shown,
        "carried": carried,
        "proposable": proposable,
        "guarded": [note for note in carried if note.is_avoided],
    }


def entries_with_works():
    works = Work.objects.published().with_artists().order_by("year", "title")
    return ListEntry.objects.prefetch_related(Prefetch("works", queryset=works), "people")


def list_entries(editorial_list):
    """The list's entries in their groups: ranked, honourable mentions, also recommended."""
    entries = list(entries_with_works().filter(editorial_list=editorial_list))
    return {
        "entries": entries,
        "ranked": [entry for entry in entries if entry.is_ranked],
        "honourable": [entry for entry in entries if entry.is_honourable_mention],
        "also_recommended": [entry for entry in entries if entry.is_also_recommended],
    }


def list_share(editorial_list, entries):
    return {
        "type": "article",
        "title": editorial_list.title,
        "description": editorial_list.intro or f"An editorial list on kcry: {editorial_list}",
        "path": editorial_list.get_absolute_url(),
        "image": list_poster(entries),
        "image_alt": "Poster of a work on the list",
    }


def list_poster(entries):
    """The poster of the best-ranked work that has one (from the entries already read)."""
    ranked = sorted(
        (entry for entry in entries if entry.is_ranked and entry.position),
        key=lambda entry: entry.position,
    )
    for entry in ranked:
        for work in entry.works.all():
            if work.poster:
                return work.poster.url
    return ""


def guarded_work_ids(member, works):
    """Ids among `works` whose poster the member keeps folded behind a content note.

    Work cards show a warning in place of such a poster. One query, and only when a
    member is logged in and some card has a poster to hide.
    """
    if member is None or not member.is_authenticated:
        return set()
    with_posters = {work.pk for work in works if work.poster_thumb}
    if not with_posters:
        return set()
    return with_posters & set(Work.objects.guarded_ids_for(member))


def published_decades():
    """The decades that have a published work (the filters' choices), kept in the cache
    under the site version, which every catalog edit bumps."""
    return cached_data("decades", [versions.SITE], [], lambda: Work.objects.published().decades())


def fold_key(member):
    """What tells one member's work cards from another's: the content notes they keep
    folded ("" for none, and for visitors). Members who fold the same notes see the same
    cards, so a cached fragment keyed on this is shared by all of them, and picking it
    needs no read of its works (one small read of the member's own choices, kept on the
    member object for the rest of the request)."""
    if member is None or not member.is_authenticated:
        return ""
    if not hasattr(member, "_fold_key"):
        notes = NotePreference.objects.filter(member_id=member.pk).order_by("note_id")
        member._fold_key = ",".join(str(pk) for pk in notes.values_list("note_id", flat=True))
    return member._fold_key


def card_context(works, guarded_ids, card_heading=3):
    """The context of catalog/_work_cards.html: each work gets its kind label and URL
    once per page (one gettext per kind, one reverse() in all; a slug needs no quoting)."""
    labels = dict(Work.Kind.choices)
    prefix, suffix = reverse("work", args=["slug"]).rsplit("slug", 1)
    for work in works:
        work.kind_label = labels.get(work.kind, work.kind)
        work.url = f"{prefix}{work.slug}{suffix}"
    return {
        "works": works,
        "guarded_ids": guarded_ids,
        "card_heading": card_heading,
        "folded_label": _("Poster folded: content note"),
    }
