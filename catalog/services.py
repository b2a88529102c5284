"""Every community write of the catalog: content-note votes and preferences, suggestions.

Keyword-only functions that validate, then write inside `transaction.atomic`; views and
admin actions call these and nothing else. Bad input raises ValidationError (a dict
keyed by form field where one field is at fault); an anonymous caller raises
PermissionDenied. Stored vote counts change with F() expressions in the same
transaction as the vote.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kcry_site.web import versions

from .models import (
    ContentNote,
    Credit,
    ListEntry,
    NotePreference,
    NoteVote,
    Person,
    Suggestion,
    Work,
    WorkNote,
)
from .signals import suggestion_decided


def check_member(member):
    """Writes need an active, logged-in member (the votes app checks with this too)."""
    if member is None or not member.is_authenticated or not member.is_active:
        raise PermissionDenied(_("Log in to do that."))


def check_published_work(work):
    if not isinstance(work, Work) or work.pk is None or not work.is_published:
        raise ValidationError(_("There is no such work."), code="unknown_work")


def _check_staff(staff):
    if staff is None or not staff.is_authenticated or not staff.is_staff:
        raise PermissionDenied("Only staff decide on suggestions.")


# --- content notes -------------------------------------------------------------------


def _check_work_and_note(work, note):
    check_published_work(work)
    if not isinstance(note, ContentNote) or note.pk is None:
        raise ValidationError(_("There is no such content note."), code="unknown_note")


def _locked_message(note, work):
    return _("Staff have locked the note “%(note)s” for %(title)s: votes are closed.") % {
        "note": note.shown_name,
        "title": work.title,
    }


def content_note_vote(*, member, work, note, present) -> NoteVote:
    """Record `member`'s yes (present=True) or no on `note` for `work`; change a vote.

    A yes on a note the work does not carry yet proposes it (creating its per-work row);
    a no needs something to answer, so it is refused there. Locked notes refuse votes.
    """
    check_member(member)
    _check_work_and_note(work, note)
    if not isinstance(present, bool):
        raise ValidationError(_("A vote on a content note is yes or no."), code="vote")
    with transaction.atomic():
        # SITE too: whether a work carries the note decides which members' cards fold its
        # poster, on every page that shows the work (catalog.selectors.fold_key).
        versions.bump(versions.SITE, versions.work(work.slug))
        row = WorkNote.objects.select_for_update().filter(work=work, note=note).first()
        if row is None:
            staff_set = work.content_notes.filter(pk=note.pk).exists()
            if not present and not staff_set:
                raise ValidationError(
                    _("Nobody has proposed “%(note)s” for %(title)s; vote yes to propose it.")
                    % {"note": note.shown_name, "title": work.title},
                    code="not_proposed",
                )
            try:
                with transaction.atomic():
                    row = WorkNote.objects.create(work=work, note=note)
            except IntegrityError:  # a simultaneous first vote created it
                pass
            row = WorkNote.objects.select_for_update().get(work=work, note=note)
        if row.is_locked:
            raise ValidationError(_locked_message(note, work), code="locked")
        vote = NoteVote.objects.select_for_update().filter(member=member, work_note=row).first()
        if vote is None:
            try:
                with transaction.atomic():
                    vote = NoteVote.objects.create(member=member, work_note=row, present=present)
            except IntegrityError:
                # A double submission won the race: treat this one as a change of it.
                vote = NoteVote.objects.select_for_update().get(member=member, work_note=row)
            else:
                _count(row, present, +1)
                return vote
        if vote.present == present:
            return vote
        _count(row, vote.present, -1)
        NoteVote.objects.filter(pk=vote.pk).update(present=present, updated=timezone.now())
        vote.present = present
        _count(row, present, +1)
        return vote


def content_note_vote_withdraw(*, member, work, note) -> bool:
    """Take back `member`'s vote on `note` for `work`; False when there was none."""
    check_member(member)
    _check_work_and_note(work, note)
    with transaction.atomic():
        # SITE too: whether a work carries the note decides which members' cards fold its
        # poster, on every page that shows the work (catalog.selectors.fold_key).
        versions.bump(versions.SITE, versions.work(work.slug))
        row = WorkNote.objects.select_for_update().filter(work=work, note=note).first()
        if row is None:
            return False
        if row.is_locked:
            raise ValidationError(_locked_message(note, work), code="locked")
        vote = NoteVote.objects.select_for_update().filter(member=member, work_note=row).first()
        if vote is None:
            return False
        vote.delete()
        _count(row, vote.present, -1)
        return True


def _count(row, present, sign):
    column = "yes" if present else "no"
    WorkNote.objects.filter(pk=row.pk).update(**{column: F(column) + sign})


def note_preferences_set(*, member, notes) -> set:
    """Make `notes` exactly the set of notes `member` never wants unfolded."""
    check_member(member)
    wanted = {note.pk for note in notes}
    if ContentNote.objects.filter(pk__in=wanted).count() != len(wanted):
        raise ValidationError("There is no such content note.", code="unknown_note")
    with transaction.atomic():
        NotePreference.objects.filter(member=member).exclude(note_id__in=wanted).delete()
        NotePreference.objects.bulk_create(
            [NotePreference(member=member, note_id=pk) for pk in wanted], ignore_conflicts=True
        )
    return wanted


# --- suggestions ---------------------------------------------------------------------


class AlreadyInCatalog(ValidationError):
    """The suggested work is already in the catalog: `work` is the one it names."""

    def __init__(self, work):
        super().__init__(
            _("“%(title)s” is already in the catalog.") % {"title": work.title}, code="in_catalog"
        )
        self.work = work


def suggestion_submit(
    *, member, kind, title, artist_or_director, reason, title_ko="", year=None, video_url=""
) -> Suggestion:
    """Store a member's suggestion of a missing work, or refuse it.

    The shape of each field is SuggestionForm's to check (the view calls this with its
    cleaned data); the model's own field rules still hold here for other callers. This
    checks what no form can see, storing nothing when refused: a work already in the
    catalog with the same folded title (English or Korean) and artist (AlreadyInCatalog,
    naming the work); the same member's own pending suggestion of it; too many pending
    suggestions. A pending suggestion of the same work by another member is fine: staff
    see both as duplicates.
    """
    check_member(member)
    suggestion = Suggestion(
        member=member,
        kind=kind,
        title=(title or "").strip(),
        title_ko=(title_ko or "").strip(),
        artist_or_director=(artist_or_director or "").strip(),
        year=year,
        video_url=(video_url or "").strip(),
        reason=(reason or "").strip(),
    )
    suggestion.fold()
    suggestion.full_clean(exclude=["member"], validate_constraints=False)
    already = _("You have already suggested this work; it is waiting for staff.")
    with transaction.atomic():
        existing = (
            Work.objects.same_work(
                title_keys=suggestion.title_keys, artist_key=suggestion.artist_key
            )
            .order_by("-is_published", "pk")
            .first()
        )
        if existing is not None:
            raise AlreadyInCatalog(existing)
        own = Suggestion.objects.pending().filter(member=member)
        if own.same_work_as(suggestion).exists():
            raise ValidationError(already, code="duplicate")
        limit = settings.KCRY_SUGGESTIONS_PENDING_MAX
        if own.count() >= limit:
            raise ValidationError(
                _(
                    "You have %(limit)d suggestions waiting for staff; "
                    "suggest more once they have been decided."
                )
                % {"limit": limit},
                code="too_many",
            )
        try:
            with transaction.atomic():
                suggestion.save()
        except IntegrityError:
            raise ValidationError(already, code="duplicate") from None
    return suggestion


def _lock_pending(suggestion):
    locked = Suggestion.objects.select_for_update().filter(pk=suggestion.pk).first()
    if locked is None:
        raise ValidationError("There is no such suggestion.", code="unknown")
    if not locked.is_pending:
        raise ValidationError(
            f"“{locked.title}” was already decided ({locked.get_status_display()}).",
            code="decided",
        )
    return locked


def _decide(suggestion, *, status, staff, work=None, reason=""):
    now = timezone.now()
    Suggestion.objects.filter(pk=suggestion.pk).update(
        status=status, work=work, staff_reason=reason, decided_by=staff, decided=now
    )
    suggestion.status, suggestion.work, suggestion.staff_reason = status, work, reason
    suggestion.decided_by, suggestion.decided = staff, now
    # Approved or merged, the work is in the catalog: both count as approved.
    suggestion_decided.send(
        sender=Suggestion,
        suggestion=suggestion,
        approved=status != Suggestion.Status.REJECTED,
        by=staff,
    )


def _settle_duplicates(suggestion, work, staff):
    """The other pending suggestions of the same work are merged into it too."""
    others = Suggestion.objects.pending().same_work_as(suggestion).select_for_update()
    for other in others.order_by("pk"):
        _decide(
            other,
            status=Suggestion.Status.MERGED,
            staff=staff,
            work=work,
            reason="Suggested by more than one member; it is in the catalog now.",
        )


def _unique_slug(model, *candidates, fallback):
    base = next((slug for slug in (slugify(c)[:200] for c in candidates) if slug), fallback)
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def suggestion_check(*, suggestion, decision, work=None, reason="") -> None:
    """Raise the ValidationError that deciding `suggestion` this way would meet.

    The one place for the decision rules: the deciding services check with this under
    their lock, and the admin form calls it first (writing nothing) to show the error
    beside the field. `suggestion` may carry staff's unsaved corrections.
    """
    if decision == "approve":
        suggestion.fold()
        existing = Work.objects.same_work(
            title_keys=suggestion.title_keys, artist_key=suggestion.artist_key
        ).first()
        if existing is not None:
            raise ValidationError(
                _(
                    "“%(title)s” (%(slug)s) is already in the catalog with the same title and "
                    "artist: merge the suggestion into it instead."
                )
                % {"title": existing.title, "slug": existing.slug},
                code="in_catalog",
            )
    elif decision == "merge":
        if not isinstance(work, Work) or work.pk is None:
            raise ValidationError(
                {"work": _("Pick the work to merge the suggestion into.")}, code="no_work"
            )
    elif decision == "reject":
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError(
                {"staff_reason": _("Give the member a reason for the rejection.")},
                code="no_reason",
            )
        limit = Suggestion._meta.get_field("staff_reason").max_length
        if len(reason) > limit:
            raise ValidationError(
                {
                    "staff_reason": _("Keep the reason under %(limit)d characters.")
                    % {"limit": limit}
                },
                code="long_reason",
            )
    else:
        raise ValidationError(_("Choose approve, merge or reject."), code="decision")


CORRECTABLE_FIELDS = [*Suggestion.SUBMITTED_FIELDS, "work", "staff_reason"]


def suggestion_correct(*, suggestion, staff, changes) -> Suggestion:
    """Save staff's corrections to a pending suggestion (its submitted fields, the work it
    names, a draft reason); a decided one is refused. Returns the stored suggestion."""
    _check_staff(staff)
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValidationError(f"Not a field staff correct: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        locked = _lock_pending(suggestion)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.full_clean(exclude=["member"], validate_constraints=False)
        locked.save()
    return locked


def suggestion_approve(*, suggestion, staff) -> Work:
    """Create the suggested work, its artist or director (reused when already known by
    folded name) and the credit between them; published at once.

    De-duplication: if the catalog already has a work with the same folded title and
    artist, approval is refused with a message naming it (staff merge instead), so that
    approving never creates a second copy. Other pending suggestions of the same work
    are merged into the new one.
    """
    _check_staff(staff)
    with transaction.atomic():
        versions.bump(versions.SITE)
        suggestion = _lock_pending(suggestion)
        suggestion_check(suggestion=suggestion, decision="approve")
        name = suggestion.artist_or_director
        person = Person.objects.named(suggestion.artist_key).order_by("pk").first()
        if person is None:
            person = Person.objects.create(
                name=name, slug=_unique_slug(Person, name, fallback="person")
            )
        work = Work.objects.create(
            kind=suggestion.kind,
            title=suggestion.title,
            title_ko=suggestion.title_ko,
            slug=_unique_slug(Work, suggestion.title, suggestion.title_ko, fallback="work"),
            year=suggestion.year,
            video_url=suggestion.video_url,
        )
        moving_picture = suggestion.kind in (Work.Kind.FILM, Work.Kind.DRAMA)
        role = Credit.Role.DIRECTOR if moving_picture else Credit.Role.ARTIST
        Credit.objects.create(work=work, person=person, role=role)
        _decide(suggestion, status=Suggestion.Status.APPROVED, staff=staff, work=work)
        _settle_duplicates(suggestion, work, staff)
    return work


def suggestion_merge(*, suggestion, work, staff, reason="") -> Suggestion:
    """Mark the suggestion (and its pending duplicates) as the existing `work`."""
    _check_staff(staff)
    suggestion_check(suggestion=suggestion, decision="merge", work=work)
    with transaction.atomic():
        suggestion = _lock_pending(suggestion)
        reason = (reason or "").strip() or "It is already in the catalog."
        _decide(suggestion, status=Suggestion.Status.MERGED, staff=staff, work=work, reason=reason)
        _settle_duplicates(suggestion, work, staff)
    return suggestion


def suggestion_reject(*, suggestion, reason, staff) -> Suggestion:
    """Turn the suggestion down with a reason the member sees (required)."""
    _check_staff(staff)
    suggestion_check(suggestion=suggestion, decision="reject", reason=reason)
    reason = reason.strip()
    with transaction.atomic():
        suggestion = _lock_pending(suggestion)
        _decide(suggestion, status=Suggestion.Status.REJECTED, staff=staff, reason=reason)
    return suggestion


# --- editorial lists -----------------------------------------------------------------


def list_entries_renumber(editorial_list) -> int:
    """Make the ranks follow the entries' order (after a drag in admin); returns how many
    entries changed.

    The list keeps the numbers it has: they are handed out again, smallest first in
    order (largest first for a countdown), so a list that quotes ranks #71-90 of its
    source keeps them. Entries without a number keep none, and so do honourable
    mentions and "also recommended" entries. Should two entries share a number (typed
    by hand), the numbered entries are ranked 1..N (N..1) instead. The order itself is
    stored as 1, 2, 3... so that the drag handles start from clean values.
    """
    with transaction.atomic():
        entries = list(
            ListEntry.objects.select_for_update()
            .filter(editorial_list=editorial_list)
            .order_by("order", "pk")
        )
        numbered = [e for e in entries if e.is_ranked and e.position is not None]
        numbers = sorted(e.position for e in numbered)
        if len(set(numbers)) != len(numbers):
            numbers = list(range(1, len(numbered) + 1))
        if editorial_list.is_countdown:
            numbers.reverse()
        ranks = dict(zip((e.pk for e in numbered), numbers, strict=True))
        changed = []
        for order, entry in enumerate(entries, start=1):
            rank = ranks.get(entry.pk)
            if (entry.position, entry.order) != (rank, order):
                entry.position, entry.order = rank, order
                changed.append(entry)
        ListEntry.objects.bulk_update(changed, ["position", "order"])
    return len(changed)
