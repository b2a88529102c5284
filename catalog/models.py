from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from . import text
from .posters import validate_poster


class ContentNote(models.Model):
    """A staff-set warning tag (e.g. "suicide"), shown folded before a work."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PersonQuerySet(models.QuerySet):
    def matching(self, query: str):
        needle = text.compact(query)
        if not needle:
            return self.none()
        return self.filter(search_name__contains=needle)


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

    def of_kind(self, kind: str):
        return self.filter(kind=kind)

    def of_decade(self, decade: int):
        return self.filter(year__gte=decade, year__lt=decade + 10)

    def decades(self):
        """The decades that have at least one work, oldest first."""
        years = self.exclude(year=None).values_list("year", flat=True).distinct()
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
        MV = "mv", "Music video"
        SONG = "song", "Song"
        FILM = "film", "Film"
        DRAMA = "drama", "Drama"

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
        return reverse("catalog:work", args=[self.slug])

    @property
    def decade(self):
        return self.year - self.year % 10 if self.year else None


class Credit(models.Model):
    class Role(models.TextChoices):
        ARTIST = "artist", "Artist"
        FEATURED = "featured", "Featured artist"
        DIRECTOR = "director", "Director"
        CAST = "cast", "Cast"
        WRITER = "writer", "Writer"

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
        ARTICLE = "article", "Article"
        VIDEO = "video", "Video countdown"
        MUSIC_GUIDE = "music_guide", "Music guide"

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
        return reverse("catalog:list", args=[self.slug])


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
