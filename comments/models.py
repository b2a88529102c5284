"""Comment threads on works and editorial lists.

A comment belongs to exactly one target: a catalog Work or an EditorialList (two
nullable foreign keys and a CheckConstraint, which keeps joins and indexes plain).
Every reply stores the top-level comment it hangs under (`root`), so one page of
top-level comments fetches the first replies of each in a single query.

Moderation state is two booleans, as in django-contrib-comments: `is_public` (False
once staff hide it; only staff still read it) and `is_removed` (its author deleted it
while it had replies). Either way, while readable replies hang under it the thread
keeps it as a placeholder ("[hidden by the moderators]", "[deleted]"), so the replies
stay readable in place; with none, it is gone from the thread. Counters
(`metoo_count`, `flag_count`) and the Wilson score that orders the "most me too" sort
are stored and changed only by comments.services.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from catalog.models import EditorialList, Work
from catalog.text import format_moment


def readable_q(user):
    """Comments whose text `user` may read: staff also read hidden ones."""
    if user is not None and user.is_staff:
        return Q(is_removed=False)
    return Q(is_public=True, is_removed=False)


def can_read(comment, user):
    """readable_q for one comment already loaded."""
    if comment.is_removed:
        return False
    return comment.is_public or (user is not None and user.is_staff)


class CommentQuerySet(models.QuerySet):
    def visible(self):
        """Comments whose text anyone may read: not hidden, not deleted."""
        return self.filter(is_public=True, is_removed=False)

    def readable_by(self, user):
        return self.filter(readable_q(user))

    def top_level_shown_to(self, user):
        """The top-level comments a thread shows `user`.

        Those they may read, and hidden or deleted ones that still have a reply they
        may read (shown as placeholders, with the replies under them).
        """
        readable = readable_q(user)
        readable_reply = self.model.objects.filter(readable, root=OuterRef("pk"))
        return self.filter(parent__isnull=True).filter(readable | Exists(readable_reply))

    def shown_to(self, user):
        """Comments `user` may open on their own: staff also hidden ones.

        Deleted comments stay in (as "[deleted]" placeholders); the services only
        keep a deleted comment while it has replies.
        """
        if user is not None and user.is_staff:
            return self
        return self.filter(is_public=True)

    def on(self, target):
        """The thread of a Work or an EditorialList."""
        return self.filter(**Comment.target_lookup(target))

    def top_level(self):
        return self.filter(parent__isnull=True)

    def in_order(self, sort):
        """Order top-level comments by one of Comment.Sort."""
        orderings = {
            Comment.Sort.OLDEST: ["created", "pk"],
            Comment.Sort.NEWEST: ["-created", "-pk"],
            Comment.Sort.METOO: ["-wilson_score", "-metoo_count", "created", "pk"],
        }
        return self.order_by(*orderings[Comment.Sort(sort)])

    def by_member(self, member, *, with_hidden=False):
        """A member's readable comments on published targets, newest first.

        `with_hidden` adds those the moderators hid: for the member's own eyes only.
        """
        mine = self.filter(author=member, is_removed=False)
        return (
            (mine if with_hidden else mine.filter(is_public=True))
            .filter(Q(work__is_published=True) | Q(editorial_list__is_published=True))
            .select_related("work", "editorial_list")
            .order_by("-created", "-pk")
        )


class Comment(models.Model):
    # Replies nest at most this many levels below a top-level comment. A reply to a
    # comment at this depth is stored at this depth too but keeps its real parent, so
    # the thread can still say whom it answers ("replying to @name") and a deleted
    # comment keeps its place while replies to it remain.
    MAX_DEPTH = 2

    class Sort(models.TextChoices):
        OLDEST = "oldest", pgettext_lazy("comment order", "Oldest")
        NEWEST = "newest", pgettext_lazy("comment order", "Newest")
        METOO = "metoo", pgettext_lazy("comment order", "Most “me too”")

    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    editorial_list = models.ForeignKey(
        EditorialList, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    # Empty once the author's account is deleted; their comment then shows "[deleted]"
    # and stays only if others replied to it (see services.member_forget).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # The top-level comment this reply hangs under (None for a top-level comment).
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="descendants"
    )
    depth = models.PositiveSmallIntegerField(default=0)

    # Plain text as typed (after control and zero-width characters are stripped);
    # escaped and linkified only when shown.
    body = models.TextField(blank=True)
    is_spoiler = models.BooleanField("spoiler", default=False)
    # For music videos and songs: the second where the tears came, shown as m:ss.
    moment_seconds = models.PositiveIntegerField("tear moment (seconds)", null=True, blank=True)
    # A per-form random token: the same form submitted twice stores one comment.
    form_token = models.UUIDField(null=True, blank=True, editable=False)

    created = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)

    is_public = models.BooleanField(
        "public", default=True, help_text="Unticked: hidden by a moderator, seen only by staff."
    )
    is_removed = models.BooleanField(
        "deleted by author", default=False, help_text='Shown as "[deleted]" to keep replies.'
    )
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    metoo_count = models.PositiveIntegerField("me too", default=0, editable=False)
    # Flags not yet dismissed by staff.
    flag_count = models.PositiveIntegerField("open flags", default=0, editable=False)
    # Wilson lower bound of me-too marks among (marks + open flags); see services.
    wilson_score = models.FloatField(default=0.0, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(work__isnull=False, editorial_list__isnull=True)
                    | Q(work__isnull=True, editorial_list__isnull=False)
                ),
                name="comment_has_exactly_one_target",
            ),
            models.CheckConstraint(
                condition=(
                    Q(parent__isnull=True, root__isnull=True, depth=0)
                    | Q(parent__isnull=False, root__isnull=False, depth__gt=0)
                ),
                name="comment_reply_has_root_and_depth",
            ),
            models.UniqueConstraint(
                fields=["author", "form_token"], name="comment_unique_form_token"
            ),
        ]
        indexes = [
            models.Index(fields=["work", "parent", "created"], name="comment_work_thread"),
            models.Index(
                fields=["editorial_list", "parent", "created"], name="comment_list_thread"
            ),
            models.Index(fields=["author", "-created"], name="comment_author_recent"),
        ]
        permissions = [("moderate_comment", "Can hide and restore comments and dismiss flags")]

    def __str__(self):
        text = "[deleted]" if self.is_removed else self.body
        return f"{self.author} on {self.target}: {text[:50]}"

    def get_absolute_url(self):
        return reverse("comments:permalink", args=[self.pk])

    @staticmethod
    def target_lookup(target):
        if isinstance(target, Work):
            return {"work": target}
        if isinstance(target, EditorialList):
            return {"editorial_list": target}
        raise TypeError(f"Comments attach to works and lists, not {type(target).__name__}.")

    @property
    def target(self):
        return self.work if self.work_id else self.editorial_list

    @property
    def anchor(self):
        return f"c-{self.pk}"

    @property
    def moment_display(self):
        if self.moment_seconds is None:
            return ""
        return format_moment(self.moment_seconds)


class MeToo(models.Model):
    """A member's "me too, I cried" mark on a comment."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="metoos")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_metoos"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "me-too mark"
        constraints = [
            models.UniqueConstraint(fields=["member", "comment"], name="metoo_once_per_member")
        ]

    def __str__(self):
        return f"{self.member} cried at comment {self.comment_id}"


class FlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(dismissed_at__isnull=True)


class Flag(models.Model):
    class Reason(models.TextChoices):
        SPOILER = "spoiler", _("Spoiler not marked")
        ABUSE = "abuse", _("Harassment or hate")
        SPAM = "spam", _("Spam or advertising")
        OFF_TOPIC = "off_topic", _("Off topic")
        OTHER = "other", _("Something else")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_flags"
    )
    reason = models.CharField(max_length=12, choices=Reason.choices)
    text = models.CharField("details", max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["member", "comment"], name="flag_once_per_member")
        ]

    def __str__(self):
        return f"{self.get_reason_display()} — comment {self.comment_id}"

    @property
    def is_open(self):
        return self.dismissed_at is None

    @classmethod
    def reasons_for(cls, comment):
        """The reasons that can apply to `comment`.

        A comment its author marked as a spoiler is already folded, so it cannot be a
        spoiler not marked.
        """
        return [
            reason
            for reason in cls.Reason
            if not (reason == cls.Reason.SPOILER and comment.is_spoiler)
        ]
