"""Tear ratings, the stored per-work figures that rankings read, and list reactions.

Figures (`WorkStats`, `WorkDay`) are never written here: `votes.services` changes them
with F() expressions in the same transaction as the rating they describe, and
`votes.stats` can rebuild them from the ratings.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from catalog.models import EditorialList, Work


class Tears(models.IntegerChoices):
    DRY = 0, _("Dry eyes")
    MISTY = 1, _("Misty")
    ONE_TEAR = 2, _("One tear")
    TEARY = 3, _("Teary")
    CRYING = 4, _("Crying")
    SOBBING = 5, _("Sobbing")


TEAR_VALUES = tuple(Tears.values)  # 0..5


class Rating(models.Model):
    """One member's tear rating of one work."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="tear_ratings",
        # The (member, work) and (member, -rated_at, work) indexes below lead with the
        # member; a third index of the member alone cost every write and misled
        # PostgreSQL into reading all of a followed member's ratings for the feed.
        db_index=False,
    )
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="tear_ratings")
    tears = models.PositiveSmallIntegerField(choices=Tears.choices)
    # `rated_at` moves when the rating changes; `created` keeps the first time.
    created = models.DateTimeField()
    rated_at = models.DateTimeField()

    class Meta:
        ordering = ["-rated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["member", "work"], name="one_rating_per_member_work"),
            models.CheckConstraint(
                condition=Q(tears__gte=0) & Q(tears__lte=5), name="rating_tears_0_to_5"
            ),
        ]
        indexes = [
            # A member's diary, newest first; and the activity feed's step to each
            # followed member's newest rating of a published work, read from the index
            # alone (the work is in it).
            models.Index(fields=["member", "-rated_at", "work"], name="rating_member_recent"),
        ]

    def __str__(self):
        return f"{self.member} – {self.work}: {self.tears}"


def bayesian_score(*, total, count, mean, weight):
    """WR = v/(v+m)·R + m/(v+m)·C, written as (sum + m·C) / (v + m)."""
    return (total + weight * mean) / (count + weight)


def score_expression(*, mean, weight, n_delta=0, total_delta=0):
    """The same formula in SQL over a WorkStats row's own columns.

    With deltas, the score the row will have once `n_delta` and `total_delta` are added
    to it (for the UPDATE that adds them).
    """
    return (Cast(F("total"), models.FloatField()) + Value(float(total_delta + weight * mean))) / (
        Cast(F("n"), models.FloatField()) + Value(float(n_delta + weight))
    )


class WorkStatsQuerySet(models.QuerySet):
    """Rankings: every method reads stored figures only, never the ratings."""

    def published(self):
        return self.filter(work__is_published=True)

    def of_kind(self, kind):
        return self.filter(work__kind=kind)

    def of_decade(self, decade):
        return self.filter(work__year__gte=decade, work__year__lt=decade + 10)

    def of_year(self, year):
        return self.filter(work__year=year)

    def with_at_least(self, count):
        return self.filter(n__gte=count) if count else self

    def by_score(self):
        return self.order_by("-score", "-n", "work__title", "pk")

    def most_rated(self):
        return self.order_by("-n", "-score", "work__title", "pk")

    def newest(self):
        return self.order_by("-work__created", "-pk")

    def rising(self, *, since, weight, mean, m):
        """Works rated on or after `since`, scored with recent ratings counting `weight` times.

        The candidates are the works with a per-day bucket (`WorkDay`) in the window, read
        through the (day, stats) index, so the cost follows the window's ratings, not the
        catalogue; each candidate's recent figures are summed from its own buckets. No
        GROUP BY over the works: the page's count and rows stay cheap.
        """
        extra = weight - 1
        window = WorkDay.objects.filter(day__gte=since)
        own = window.filter(stats=OuterRef("pk")).order_by().values("stats")
        recent = self.filter(pk__in=window.filter(n__gt=0).values("stats_id")).annotate(
            recent_n=Subquery(own.annotate(s=Sum("n")).values("s")),
            recent_total=Subquery(own.annotate(s=Sum("total")).values("s")),
        )
        weighted_n = Cast(F("n") + extra * F("recent_n"), models.FloatField())
        weighted_total = Cast(F("total") + extra * F("recent_total"), models.FloatField())
        return recent.annotate(
            rising_score=(weighted_total + Value(float(m * mean))) / (weighted_n + Value(float(m)))
        ).order_by("-rising_score", "-recent_n", "work__title", "pk")


class WorkStats(models.Model):
    """A work's stored rating figures: count, sum, histogram and ranking score."""

    work = models.OneToOneField(
        Work, on_delete=models.CASCADE, primary_key=True, related_name="tear_stats"
    )
    n = models.PositiveIntegerField("ratings", default=0)
    total = models.PositiveIntegerField("tissues", default=0)
    c0 = models.PositiveIntegerField(default=0)
    c1 = models.PositiveIntegerField(default=0)
    c2 = models.PositiveIntegerField(default=0)
    c3 = models.PositiveIntegerField(default=0)
    c4 = models.PositiveIntegerField(default=0)
    c5 = models.PositiveIntegerField(default=0)
    # Bayesian weighted score with the C and m of `RankingBaseline` at write time.
    score = models.FloatField(default=0)

    objects = WorkStatsQuerySet.as_manager()

    class Meta:
        verbose_name = "work rating figures"
        verbose_name_plural = "work rating figures"
        indexes = [
            models.Index(fields=["-score", "-n"], name="workstats_score"),
            models.Index(fields=["-n", "-score"], name="workstats_count"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(n=F("c0") + F("c1") + F("c2") + F("c3") + F("c4") + F("c5")),
                name="workstats_histogram_adds_up",
            ),
        ]

    def __str__(self):
        return f"{self.work}: {self.n} ratings"

    @property
    def counts(self):
        return [self.c0, self.c1, self.c2, self.c3, self.c4, self.c5]

    @property
    def mean(self):
        return self.total / self.n if self.n else None

    @property
    def histogram(self):
        """[(Tears, count, percent of ratings), …] from 0 to 5."""
        return [
            (Tears(value), count, round(100 * count / self.n) if self.n else 0)
            for value, count in enumerate(self.counts)
        ]


def stored_stats(work):
    """`work`'s figures row, or None before its first rating; no query when the work was
    read with select_related("tear_stats") or a write left the figures on it."""
    try:
        return work.tear_stats
    except WorkStats.DoesNotExist:
        return None


class WorkDay(models.Model):
    """Ratings given to a work on one (local) day: the figures "rising" reads.

    A rating belongs to the day of its `rated_at`; changing it moves it to today,
    withdrawing it takes it out. Days older than the rising window can be pruned.
    """

    stats = models.ForeignKey(WorkStats, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    n = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stats", "day"], name="one_bucket_per_work_day")
        ]
        indexes = [models.Index(fields=["day", "stats"])]

    def __str__(self):
        return f"{self.stats_id} on {self.day}: {self.n}"


class RankingBaseline(models.Model):
    """The single row holding C (the mean over all ratings) and m used in stored scores.

    C moves slowly, so scores are stored with the current C and all refreshed at once
    (`votes.stats.refresh_scores`) when it is older than KCRY_RANKING_BASELINE_MAX_AGE
    or m changed; every score in the table always uses the same C, so the order
    between works is exact for that C.
    """

    mean = models.FloatField()
    weight = models.FloatField()
    ratings = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    def __str__(self):
        return f"C={self.mean:.3f}, m={self.weight:g}"


class Reaction(models.TextChoices):
    SOBBING = "sobbing", pgettext_lazy("list reaction", "Sobbing")
    HEARTBROKEN = "heartbroken", pgettext_lazy("list reaction", "Heartbroken")
    MOVED = "moved", pgettext_lazy("list reaction", "Moved")
    COMFORTED = "comforted", pgettext_lazy("list reaction", "Comforted")
    UNMOVED = "unmoved", pgettext_lazy("list reaction", "Unmoved")


REACTION_EMOJI = {
    Reaction.SOBBING: "😭",
    Reaction.HEARTBROKEN: "💔",
    Reaction.MOVED: "🥹",
    Reaction.COMFORTED: "🤗",
    Reaction.UNMOVED: "😐",
}


class ListReactionCounts(models.Model):
    """A list's stored reaction counts, one column per reaction (see votes.services)."""

    editorial_list = models.OneToOneField(
        EditorialList, on_delete=models.CASCADE, primary_key=True, related_name="reaction_counts"
    )
    sobbing = models.PositiveIntegerField(default=0)
    heartbroken = models.PositiveIntegerField(default=0)
    moved = models.PositiveIntegerField(default=0)
    comforted = models.PositiveIntegerField(default=0)
    unmoved = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "list reaction counts"
        verbose_name_plural = "list reaction counts"

    def __str__(self):
        return f"{self.editorial_list}: {self.as_dict()}"

    def as_dict(self):
        return {choice: getattr(self, choice.value) for choice in Reaction}


class ListReaction(models.Model):
    """A member's answer to a list's "How does this make you feel?"."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="list_reactions"
    )
    editorial_list = models.ForeignKey(
        EditorialList, on_delete=models.CASCADE, related_name="reactions"
    )
    reaction = models.CharField(max_length=16, choices=Reaction.choices)
    created = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "editorial_list"], name="one_reaction_per_member_list"
            ),
            models.CheckConstraint(
                condition=Q(reaction__in=Reaction.values), name="reaction_in_fixed_set"
            ),
        ]
        indexes = [
            models.Index(fields=["editorial_list", "reaction"]),
            # The activity feed reads each followed member's newest reactions.
            models.Index(fields=["member", "-created"], name="listreaction_member_recent"),
        ]

    def __str__(self):
        return f"{self.member} – {self.editorial_list}: {self.reaction}"

    def get_absolute_url(self):
        return reverse("list", args=[self.editorial_list.slug])


class WatchlistEntry(models.Model):
    """A work a member means to watch ("tissues ready")."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watchlist"
    )
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="watchlisted")
    added = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "watchlist entry"
        verbose_name_plural = "watchlist entries"
        constraints = [
            models.UniqueConstraint(fields=["member", "work"], name="watchlist_once_per_work")
        ]
        indexes = [models.Index(fields=["member", "-added"], name="watchlist_member_recent")]

    def __str__(self):
        return f"{self.member} – {self.work} (tissues ready)"


class TearMark(models.Model):
    """“I cried here”: one member's mark at one moment of a work.

    One mark per member per bucket (KCRY_TEAR_BUCKET_SECONDS wide): a second tap near
    the same place is the same mark. `TearBucket` holds the stored counts the map reads.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tear_marks"
    )
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="tear_marks")
    bucket = models.PositiveIntegerField()  # start second of the bucket
    at_seconds = models.PositiveIntegerField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["bucket"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "work", "bucket"], name="one_tear_mark_per_member_bucket"
            )
        ]

    def __str__(self):
        return f"{self.member} – {self.work} @ {self.at_seconds}s"


class TearBucket(models.Model):
    """How many members marked a tear in [start, start + bucket width) of a work."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="tear_buckets")
    start = models.PositiveIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["work", "start"], name="one_tear_bucket_per_start")
        ]
        # /moments/ reads the most-marked buckets of the whole site.
        indexes = [models.Index(fields=["-count"], name="tear_bucket_most_marked")]

    def __str__(self):
        return f"{self.work} @ {self.start}s: {self.count}"
