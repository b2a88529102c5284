from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import text
from .posters import validate_poster


class ContentNoteQuerySet(models.QuerySet):
    def for_work(self, work, member=None):
        """Every note, annotated as it stands for `work` (one query for the whole panel).

        `is_staff_set`: staff put it on the work; `yes`/`no`: the community's votes;
        `is_locked`: staff closed the votes; and for a member, `my_vote` (True, False or
        None) and `is_avoided` (in their "never unfold" set).
        """
        staff_set = Work.content_notes.through.objects.filter(
            work_id=work.pk, contentnote_id=OuterRef("pk")
        )
        notes = self.annotate(
            row=FilteredRelation("work_rows", condition=Q(work_rows__work_id=work.pk)),
            is_staff_set=Exists(staff_set),
            yes=Coalesce(F("row__yes"), 0),
            no=Coalesce(F("row__no"), 0),
            is_locked=Coalesce(F("row__is_locked"), False),
        )
        if member is None or not member.is_authenticated:
            return notes.annotate(
                my_vote=Value(None, output_field=models.BooleanField(null=True)),
                is_avoided=Value(False),
            )
        own = NoteVote.objects.filter(
            member_id=member.pk, work_note__work_id=work.pk, work_note__note_id=OuterRef("pk")
        )
        avoided = NotePreference.objects.filter(member_id=member.pk, note_id=OuterRef("pk"))
        return notes.annotate(
            my_vote=Subquery(own.values("present")[:1]), is_avoided=Exists(avoided)
        )


class ContentNote(models.Model):
    """A warning tag from a fixed list (e.g. "suicide"), shown folded before a work.

    Staff set notes on a work (`Work.content_notes`); members vote on them and may
    propose others from the same list (`WorkNote`, `NoteVote`).
    """

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)
    name_ko = models.CharField("name in Korean", max_length=80, blank=True)

    objects = ContentNoteQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.shown_name

    @property
    def shown_name(self):
        """The note's name in the reader's language (Korean when staff gave one)."""
        if self.name_ko and (get_language() or "").startswith("ko"):
            return self.name_ko
        return self.name


class PersonQuerySet(models.QuerySet):
    def matching(self, query: str):
        needle = text.compact(query)
        if not needle:
            return self.none()
        return self.filter(search_name__contains=needle)

    def named(self, key: str):
        """People whose name or Korean name folds (`text.compact`) to exactly `key`."""
        if not key:
            return self.none()
        named = Q(search_name__startswith=key + "|") | Q(search_name__endswith="|" + key)
        return self.filter(named)


class Person(models.Model):
    name = models.CharField(max_length=120)
    name_ko = models.CharField("Korean name", max_length=120, blank=True)
    slug = models.SlugField(max_length=140, unique=True)
    # Folded copy of both names, kept for case/accent/spacing-insensitive search.
    search_name = models.CharField(max_length=240, editable=False, db_index=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return f"{self.name} ({self.name_ko})" if self.name_ko else self.name

    def save(self, *args, **kwargs):
        self.search_name = text.compact(self.name) + "|" + text.compact(self.name_ko)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("catalog:person", args=[self.slug])


class WorkQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def guarded_ids_for(self, member):
        """Ids of the works carrying a note `member` keeps folded (one query).

        A work carries a note when staff set it or more members said yes than no, as
        on the work page (catalog.views.content_notes_panel).
        """
        avoided = NotePreference.objects.filter(member_id=member.pk).values("note_id")
        staff_set = Work.content_notes.through.objects.filter(contentnote_id__in=avoided)
        confirmed = WorkNote.objects.filter(note_id__in=avoided, yes__gt=F("no"))
        return (
            staff_set.order_by()
            .values_list("work_id", flat=True)
            .union(confirmed.order_by().values_list("work_id", flat=True))
        )

    def of_kind(self, kind: str):
        return self.filter(kind=kind)

    def of_year(self, year: int):
        return self.filter(year=year)

    def of_decade(self, decade: int):
        return self.filter(year__gte=decade, year__lt=decade + 10)

    def decades(self):
        """The decades that have at least one work, oldest first."""
        # order_by() drops the default title ordering, which would defeat DISTINCT.
        years = self.exclude(year=None).order_by().values_list("year", flat=True).distinct()
        return sorted({year - year % 10 for year in years})

    def with_artists(self):
        """Prefetch the credits shown next to a title (artists and directors)."""
        return self.prefetch_related(
            models.Prefetch(
                "credits",
                queryset=Credit.objects.filter(role__in=Credit.HEADLINE_ROLES).select_related(
                    "person"
                ),
                to_attr="headline_credits",
            )
        )

    def same_work(self, *, title_keys, artist_key):
        """Works that are the one described: a title (English or Korean) and a credited
        person's name equal to the given `text.compact` keys."""
        title_match = Q(pk__in=[])
        for key in filter(None, title_keys):
            title_match |= Q(search_title__startswith=key + "|") | Q(
                search_title__endswith="|" + key
            )
        if not artist_key:
            return self.none()
        credited = Credit.objects.filter(
            Q(person__search_name__startswith=artist_key + "|")
            | Q(person__search_name__endswith="|" + artist_key),
            work=OuterRef("pk"),
        )
        return self.filter(title_match).filter(Exists(credited))

    def search(self, query: str):
        """Works whose title, Korean title or credited people contain every term.

        Each term is folded with `text.compact`, so matching ignores case, accents and
        spacing, and a fragment of a Hangul word (with its particles attached) matches.
        Results are ranked: whole-title match, then title prefix, then any title
        match, then matches through people only.
        """
        terms = [t for t in (text.compact(part) for part in query.split()) if t]
        if not terms:
            return self.none()
        whole = "".join(terms)
        matches = self
        for term in terms:
            via_person = Exists(
                Credit.objects.filter(work=OuterRef("pk"), person__search_name__contains=term)
            )
            matches = matches.filter(Q(search_title__contains=term) | via_person)
        relevance = models.Case(
            models.When(
                Q(search_title__startswith=whole + "|") | Q(search_title__endswith="|" + whole),
                then=4,
            ),
            models.When(
                Q(search_title__startswith=whole) | Q(search_title__contains="|" + whole), then=3
            ),
            models.When(search_title__contains=whole, then=2),
            default=1,
            output_field=models.IntegerField(),
        )
        return matches.annotate(relevance=relevance).order_by("-relevance", "title")


class Work(models.Model):
    class Kind(models.TextChoices):
        MV = "mv", _("Music video")
        SONG = "song", _("Song")
        FILM = "film", _("Film")
        DRAMA = "drama", _("Drama")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    title = models.CharField(max_length=200)
    title_ko = models.CharField("Korean title", max_length=200, blank=True)
    slug = models.SlugField(max_length=220, unique=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    release_date = models.DateField(null=True, blank=True)
    blurb = models.TextField(blank=True)
    poster = models.ImageField(upload_to="posters/", blank=True, validators=[validate_poster])
    # Made once when a poster is uploaded (see catalog.posters); never edited by hand.
    poster_thumb = models.ImageField(upload_to="posters/thumbs/", blank=True, editable=False)
    video_url = models.URLField("video URL", blank=True)
    # Set by staff; the tear map spreads over it, and tear marks cannot go past it.
    runtime_seconds = models.PositiveIntegerField(
        "runtime (seconds)", null=True, blank=True, help_text="Length of the video or film."
    )
    ost_of = models.CharField("OST of", max_length=200, blank=True)
    album = models.CharField(max_length=200, blank=True)
    content_notes = models.ManyToManyField(ContentNote, blank=True, related_name="works")
    people = models.ManyToManyField(Person, through="Credit", related_name="works")
    is_published = models.BooleanField("published", default=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # Folded "title|korean title" for search; see catalog.text.compact.
    search_title = models.CharField(max_length=420, editable=False)

    objects = WorkQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["is_published", "kind", "title"]),
            models.Index(fields=["is_published", "year"]),
            models.Index(fields=["-created"]),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_title = text.compact(self.title) + "|" + text.compact(self.title_ko)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("work", args=[self.slug])

    @property
    def longest_moment(self):
        """The last second a tear moment or mark may name: the runtime when staff set it,
        else KCRY_TEAR_MAX_SECONDS (the longest film or drama episode kcry expects)."""
        return self.runtime_seconds or settings.KCRY_TEAR_MAX_SECONDS

    @property
    def decade(self):
        return self.year - self.year % 10 if self.year else None


class Credit(models.Model):
    class Role(models.TextChoices):
        ARTIST = "artist", _("Artist")
        FEATURED = "featured", _("Featured artist")
        DIRECTOR = "director", _("Director")
        CAST = "cast", _("Cast")
        WRITER = "writer", _("Writer")

    HEADLINE_ROLES = [Role.ARTIST, Role.FEATURED, Role.DIRECTOR]

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="credits")
    role = models.CharField(max_length=10, choices=Role.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["work", "person", "role"], name="unique_credit")
        ]

    def __str__(self):
        return f"{self.person.name} – {self.get_role_display()} – {self.work.title}"


class EditorialListQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class EditorialList(models.Model):
    class SourceKind(models.TextChoices):
        ARTICLE = "article", _("Article")
        VIDEO = "video", _("Video countdown")
        MUSIC_GUIDE = "music_guide", _("Music guide")

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    intro = models.TextField(blank=True)
    source_name = models.CharField(max_length=120, blank=True)
    source_kind = models.CharField(max_length=12, choices=SourceKind.choices)
    # The question the source put to its readers, if any; list reactions answer it.
    reactions_prompt = models.CharField(max_length=200, blank=True)
    is_countdown = models.BooleanField(
        default=False, help_text="Ranks are revealed from the highest number down to #1."
    )
    related_list_titles = models.JSONField(default=list, blank=True)
    is_published = models.BooleanField("published", default=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = EditorialListQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = "editorial list"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("list", args=[self.slug])


class ListEntry(models.Model):
    editorial_list = models.ForeignKey(
        EditorialList, on_delete=models.CASCADE, related_name="entries"
    )
    # Display order as in the source (drag-and-drop in admin); `position` is the rank.
    order = models.PositiveIntegerField(default=0, db_index=True)
    position = models.PositiveSmallIntegerField("rank", null=True, blank=True)
    is_honourable_mention = models.BooleanField("honourable mention", default=False)
    is_also_recommended = models.BooleanField("also recommended", default=False)
    note = models.CharField(max_length=200, blank=True)
    works = models.ManyToManyField(Work, blank=True, related_name="list_entries")
    # For mentions of an artist rather than one work ("anything by …").
    people = models.ManyToManyField(Person, blank=True, related_name="list_entries")

    class Meta:
        ordering = ["order"]
        verbose_name_plural = "list entries"

    def __str__(self):
        label = f"#{self.position}" if self.position else "mention"
        return f"{self.editorial_list.title}: {label}"

    @property
    def is_ranked(self):
        return not (self.is_honourable_mention or self.is_also_recommended)


# --- community content notes ------------------------------------------------------------


class WorkNote(models.Model):
    """A content note as it stands for one work: the community's votes and a staff lock.

    Created by the first vote (a "yes" proposes a note staff have not set) or by staff
    in admin. `yes` and `no` are stored figures, changed only by catalog.services in the
    same transaction as the vote, with F() expressions.
    """

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="note_rows")
    note = models.ForeignKey(ContentNote, on_delete=models.CASCADE, related_name="work_rows")
    yes = models.PositiveIntegerField(default=0)
    no = models.PositiveIntegerField(default=0)
    is_locked = models.BooleanField(
        "locked", default=False, help_text="Members can no longer vote on this note."
    )
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["work", "note"]
        verbose_name = "community content note"
        constraints = [
            models.UniqueConstraint(fields=["work", "note"], name="unique_work_note"),
        ]

    def __str__(self):
        return f"{self.note.name} – {self.work.title}"


class NoteVote(models.Model):
    """A member's answer to "does this work show …?": present (yes) or not (no).

    When a member's account is deleted the vote stays, anonymous, so the stored counts
    remain exact.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="content_note_votes",
    )
    work_note = models.ForeignKey(WorkNote, on_delete=models.CASCADE, related_name="votes")
    present = models.BooleanField()
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "work_note"], name="unique_note_vote"),
        ]

    def __str__(self):
        return f"{self.member} – {self.work_note}: {'yes' if self.present else 'no'}"


class NotePreference(models.Model):
    """A note a member never wants unfolded: works carrying it show a warning card."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="avoided_notes"
    )
    note = models.ForeignKey(ContentNote, on_delete=models.CASCADE, related_name="avoided_by")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "note"], name="unique_note_preference"),
        ]

    def __str__(self):
        return f"{self.member} avoids {self.note}"


# --- suggestions ------------------------------------------------------------------------


class SuggestionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Suggestion.Status.PENDING)

    def same_work_as(self, suggestion):
        """Other suggestions of the same work: a shared title key and the same artist."""
        return self.filter(same_work_condition(suggestion)).exclude(pk=suggestion.pk)

    def with_duplicates(self):
        """Annotate `duplicates`: how many other pending suggestions name the same work."""
        others = (
            Suggestion.objects.pending()
            .filter(same_work_condition(None))
            .exclude(pk=OuterRef("pk"))
            .order_by()
            .values("artist_key")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(duplicates=Coalesce(Subquery(others[:1]), 0))


def same_work_condition(suggestion):
    """Q for suggestions naming the same work as `suggestion` (or as OuterRef rows)."""

    def ref(name):
        return OuterRef(name) if suggestion is None else getattr(suggestion, name)

    condition = Q(artist_key=ref("artist_key")) & (
        Q(title_key=ref("title_key")) | Q(title_ko_key=ref("title_key"))
    )
    if suggestion is None:
        by_korean = Q(title_key=ref("title_ko_key")) | (
            Q(title_ko_key=ref("title_ko_key")) & ~Q(title_ko_key="")
        )
        return condition | (Q(artist_key=ref("artist_key")) & by_korean)
    if suggestion.title_ko_key:
        condition |= Q(artist_key=ref("artist_key")) & (
            Q(title_key=ref("title_ko_key")) | Q(title_ko_key=ref("title_ko_key"))
        )
    return condition


class Suggestion(models.Model):
    """A member's suggestion of a missing work, waiting in the admin queue."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for staff")
        APPROVED = "approved", _("Approved: added to the catalog")
        MERGED = "merged", _("Merged into a work already in the catalog")
        REJECTED = "rejected", _("Not added")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="work_suggestions"
    )
    kind = models.CharField(max_length=8, choices=Work.Kind.choices)
    title = models.CharField(max_length=200)
    title_ko = models.CharField("Korean title", max_length=200, blank=True)
    artist_or_director = models.CharField("artist or director", max_length=120)
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    video_url = models.URLField("video URL", blank=True)
    reason = models.TextField("why it makes people cry", max_length=2000)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    staff_reason = models.TextField(
        "staff's reason", blank=True, max_length=1000, help_text="The member sees this."
    )
    work = models.ForeignKey(
        Work,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
        help_text="The work it became, or the work it was merged into.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    decided = models.DateTimeField(null=True, blank=True, editable=False)
    # Folded (text.compact) copies for spotting the same work suggested twice.
    title_key = models.CharField(max_length=200, editable=False, db_index=True)
    title_ko_key = models.CharField(max_length=200, editable=False, blank=True)
    artist_key = models.CharField(max_length=120, editable=False, db_index=True)

    SUBMITTED_FIELDS = [
        "kind",
        "title",
        "title_ko",
        "artist_or_director",
        "year",
        "video_url",
        "reason",
    ]

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            # One pending suggestion of a work per member (a double submission stores one).
            models.UniqueConstraint(
                fields=["member", "title_key", "artist_key"],
                condition=Q(status="pending"),
                name="unique_pending_suggestion",
                violation_error_message="You have already suggested this work.",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.artist_or_director})"

    def save(self, *args, **kwargs):
        self.fold()
        super().save(*args, **kwargs)

    def fold(self):
        self.title_key = text.compact(self.title)
        self.title_ko_key = text.compact(self.title_ko)
        self.artist_key = text.compact(self.artist_or_director)

    @property
    def title_keys(self):
        return [key for key in (self.title_key, self.title_ko_key) if key]

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING
